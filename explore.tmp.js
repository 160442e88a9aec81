const fc = require('fast-check');
const fs = require('fs');
const strs = fc.sample(fc.string({ unit: 'binary', maxLength: 30 }), { numRuns: 3000, seed: 42 })
  .filter((s) => s.isWellFormed() && s === s.normalize('NFC') && !/\p{Cc}/u.test(s));
const esc = (s) => s.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
fs.writeFileSync('/tmp/w16/tfesc/main.tf.json', JSON.stringify({ output: Object.fromEntries(strs.map((s, i) => [`o${i}`, { value: esc(s) }])) }));
fs.writeFileSync('/tmp/w16/tfesc/expect.json', JSON.stringify(strs));
