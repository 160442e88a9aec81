/**
 * Jest setup (every test file): the tests must stand alone in a clone with nothing beside it. Any
 * file-system read of a path BESIDE the repository (a sibling of its root, such as a neighbouring checkout) throws,
 * so a test that depends on a neighbouring checkout fails here instead of passing only on machines
 * that happen to have one. Paths inside the repository, temporary folders and system paths are
 * untouched.
 */
// `require`, not `import * as`: the guard must patch the module object every test file shares.
import fs = require('node:fs');
import path = require('node:path');

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const PARENT = path.dirname(REPOSITORY_ROOT);
const GUARDED = Symbol.for('private-runner-kit.repository-boundary');

/** True when `p` lies beside the repository: under its parent folder but not inside the repository. */
export function isBesideRepository(p: fs.PathLike | number): boolean {
  if (typeof p === 'number') return false;
  const text = p instanceof URL ? p.pathname : Buffer.isBuffer(p) ? p.toString('utf8') : String(p);
  const resolved = path.resolve(text);
  const inside = (dir: string) => resolved === dir || resolved.startsWith(`${dir}${path.sep}`);
  return inside(PARENT) && !inside(REPOSITORY_ROOT) && resolved !== PARENT;
}

function guard<F extends (...args: never[]) => unknown>(name: string, original: F): F {
  return function guarded(this: unknown, ...args: Parameters<F>) {
    const target = args[0] as unknown as fs.PathLike;
    if (isBesideRepository(target)) {
      throw new Error(`${name}(${String(target)}): tests must not read outside the repository (${REPOSITORY_ROOT}); bring the data into the repository (e.g. data/)`);
    }
    return original.apply(this, args);
  } as F;
}

const mutableFs = fs as unknown as Record<string | symbol, unknown>;
if (mutableFs[GUARDED] !== true) {
  for (const name of ['readFileSync', 'existsSync', 'statSync', 'lstatSync', 'readdirSync', 'openSync', 'accessSync', 'createReadStream'] as const) {
    mutableFs[name] = guard(name, mutableFs[name] as (...args: never[]) => unknown);
  }
  const promises = fs.promises as unknown as Record<string, unknown>;
  for (const name of ['readFile', 'stat', 'readdir', 'open', 'access'] as const) {
    promises[name] = guard(`promises.${name}`, promises[name] as (...args: never[]) => unknown);
  }
  mutableFs[GUARDED] = true;
}
