/**
 * The bundle cache between syntheses: a second synthesis reuses the code while every file esbuild
 * read is unchanged, rebuilds when one changed, and can be switched off. Each step runs in its own
 * process (the in-process cache would hide the disk cache); the options are this test's own
 * (`fileName`), so no other test shares the cache entry it tampers with.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { version } from 'esbuild';
import { BUNDLE_CACHE_DIR, KIT_ROOT } from '../../../../constructs/core/bundle/function-bundle';
import { UPDATER_ENTRY } from '../../../../constructs/aws/update-pipeline';

const OPTIONS = { entry: UPDATER_ENTRY, fileName: 'cache-test.js' };
const key = createHash('sha256').update(JSON.stringify({ options: OPTIONS, esbuild: version })).digest('hex');
const code = path.join(BUNDLE_CACHE_DIR, `${key}.js`);
const manifest = path.join(BUNDLE_CACHE_DIR, `${key}.json`);

function bundleInChild(env: NodeJS.ProcessEnv = {}): string {
  const script = `const {bundleFunction}=require('./constructs/core/bundle/function-bundle.ts');const b=bundleFunction(${JSON.stringify(OPTIONS)});console.log(b.sha256Hex)`;
  return execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: KIT_ROOT, env: { ...process.env, ...env } }).toString().trim();
}

describe('the bundle cache', () => {
  it('records every input with its hash, reuses the code while they are unchanged, rebuilds when one changed, and can be switched off', () => {
    const fresh = bundleInChild({ RUNNER_KIT_BUNDLE_CACHE: 'off' });
    const first = bundleInChild();
    expect(first).toBe(fresh);
    const inputs = (JSON.parse(readFileSync(manifest, 'utf8')) as { inputs: [string, string][] }).inputs;
    expect(inputs.map(([f]) => f)).toEqual(expect.arrayContaining([UPDATER_ENTRY, 'updater/core/run.ts']));
    for (const [file, hash] of inputs.slice(0, 5)) expect(createHash('sha256').update(readFileSync(path.join(KIT_ROOT, file))).digest('hex')).toBe(hash);

    // Reused: a marker in the cached code shows up in the next synthesis's bundle.
    const original = readFileSync(code);
    writeFileSync(code, Buffer.concat([original, Buffer.from('\n// cached\n')]));
    const reused = bundleInChild();
    expect(reused).not.toBe(fresh);
    // Switched off: built again, the marker ignored.
    expect(bundleInChild({ RUNNER_KIT_BUNDLE_CACHE: 'off' })).toBe(fresh);

    // An input that changed (its recorded hash no longer matches): built again, the cache refreshed.
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { inputs: [string, string][] };
    m.inputs[0]![1] = '0'.repeat(64);
    writeFileSync(manifest, JSON.stringify(m));
    expect(bundleInChild()).toBe(fresh);
    expect(readFileSync(code)).toEqual(original);
  }, 120_000);
});
