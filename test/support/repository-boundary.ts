/**
 * Jest setup (every test file): the tests must stand alone in a clone with nothing beside it. Any
 * file-system read of a path BESIDE the repository (a sibling of its root, such as a neighbouring checkout) throws,
 * so a test that depends on a neighbouring checkout fails here instead of passing only on machines
 * that happen to have one. Paths inside the repository, temporary folders and system paths are
 * untouched.
 *
 * A clone inside the temporary folder (CI may clone into /tmp) shares its parent with every temporary
 * folder the tests and the kit create. There, "beside" means the neighbouring checkouts that were
 * there when the tests started (a folder holding .git, or `shared`); a mkdtemp folder is not.
 */
// `require`, not `import * as`: the guard must patch the module object every test file shares.
import fs = require('node:fs');
import os = require('node:os');
import path = require('node:path');

export const REPOSITORY_ROOT = path.resolve(__dirname, '..', '..');
const PARENT = path.dirname(REPOSITORY_ROOT);
const GUARDED = Symbol.for('private-runner-kit.repository-boundary');
const within = (p: string, dir: string) => p === dir || p.startsWith(`${dir}${path.sep}`);

/**
 * The check for a repository at `root`. `existingSiblings`: with the clone in the temporary
 * folder, the siblings that existed before any test ran (only those, and what lies below them, are
 * beside); undefined: every sibling is.
 */
export function besideCheck(root: string, existingSiblings?: readonly string[]): (p: fs.PathLike | number) => boolean {
  const parent = path.dirname(root);
  return (p) => {
    if (typeof p === 'number') return false;
    const text = p instanceof URL ? p.pathname : Buffer.isBuffer(p) ? p.toString('utf8') : String(p);
    const resolved = path.resolve(text);
    if (!within(resolved, parent) || within(resolved, root) || resolved === parent) return false;
    return existingSiblings === undefined || existingSiblings.some((s) => within(resolved, s));
  };
}

/** True when the clone lives in the temporary folder (CI may clone into /tmp). */
export const CLONE_IN_TEMPORARY_FOLDER = within(fs.realpathSync(PARENT), fs.realpathSync(os.tmpdir()));
/**
 * With the clone in the temporary folder: the neighbouring checkouts there when the tests started
 * (folders holding `.git`, and `shared`), computed once per process before any guard is installed.
 * Caches and folders that tests or the kit create there are not beside.
 */
const SNAPSHOT = Symbol.for('private-runner-kit.repository-boundary.siblings');
// Kept on the fs module, which every test file of a worker shares (jest gives each file its own globalThis).
const processGlobals = fs as unknown as Record<symbol, readonly string[] | undefined>;
if (CLONE_IN_TEMPORARY_FOLDER && processGlobals[SNAPSHOT] === undefined) {
  processGlobals[SNAPSHOT] = fs
    .readdirSync(PARENT)
    .map((n) => path.join(PARENT, n))
    .filter((p) => p !== REPOSITORY_ROOT && (path.basename(p) === 'shared' || fs.existsSync(path.join(p, '.git'))));
}
const EXISTING_SIBLINGS = CLONE_IN_TEMPORARY_FOLDER ? processGlobals[SNAPSHOT] : undefined;

/** True when `p` lies beside the repository: under its parent folder but not inside the repository. */
export const isBesideRepository = besideCheck(REPOSITORY_ROOT, EXISTING_SIBLINGS);

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
