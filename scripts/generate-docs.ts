/**
 * Regenerates what is derived from the config schema: the JSON Schema file and the README's config
 * reference. `--check` writes nothing and exits 1 when a file is out of date (used by tests).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { JSON_SCHEMA_FILE, jsonSchemaText, withConfigReference } from '../constructs/core/config/json-schema';

const root = path.resolve(__dirname, '..');
const check = process.argv.includes('--check');
const outputs: [string, string][] = [
  [JSON_SCHEMA_FILE, jsonSchemaText()],
  ['README.md', withConfigReference(readFileSync(path.join(root, 'README.md'), 'utf8'))],
];
let stale = 0;
for (const [file, text] of outputs) {
  const full = path.join(root, file);
  let current = '';
  try {
    current = readFileSync(full, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  if (current === text) continue;
  stale++;
  if (check) {
    process.stderr.write(`${file} is out of date: run npm run generate\n`);
  } else {
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, text);
    process.stderr.write(`wrote ${file}\n`);
  }
}
process.exit(check && stale > 0 ? 1 : 0);
