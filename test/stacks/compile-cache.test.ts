/** Node 22's compile cache for synthesis (stacks/compile-cache.ts): on where Node has it, skipped where it does not. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/synth';

const hasCompileCache = typeof (require('node:module') as { enableCompileCache?: unknown }).enableCompileCache === 'function';

const enableIn = (dir: string, env: NodeJS.ProcessEnv = {}) => {
  // Node reads any value of NODE_DISABLE_COMPILE_CACHE, even an empty one, as "off".
  const base = { ...process.env };
  delete base.NODE_DISABLE_COMPILE_CACHE;
  return spawnSync(process.execPath, ['--import', 'tsx', '-e', `const { enableCompileCache } = require('./stacks/compile-cache'); process.stdout.write(String(enableCompileCache(${JSON.stringify(dir)}))); require('cdktf');`], {
    cwd: REPO_ROOT,
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
};

describe(`compile cache on Node ${process.versions.node}`, () => {
  let dir: string;
  beforeEach(() => {
    dir = path.join(mkdtempSync(path.join(tmpdir(), 'compile-cache-')), 'cache');
  });
  afterEach(() => rmSync(path.dirname(dir), { recursive: true, force: true }));

  it(hasCompileCache ? 'is on, and a synthesis-sized load fills it' : 'is skipped (this Node has no compile cache) and writes nothing', () => {
    const r = enableIn(dir);
    expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 0, stderr: '' });
    expect(r.stdout).toBe(String(hasCompileCache));
    expect(existsSync(dir) && readdirSync(dir).length > 0).toBe(hasCompileCache);
  });

  it("stays off under Node's own switch NODE_DISABLE_COMPILE_CACHE=1", () => {
    const r = enableIn(dir, { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(r.stdout).toBe('false');
    expect(existsSync(dir) && readdirSync(dir).length > 0).toBe(false);
  });
});
