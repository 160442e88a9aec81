/**
 * Where a runner's private key may be written, and the write itself. A private key that lands in
 * a git working tree is one `git add .` away from being pushed, and an overwritten key cannot be
 * recovered (meshStack's stored sensitive inputs are encrypted to it), so both are refused.
 */
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ProblemError } from './command';

/** The absolute output path: `~` and `~/...` expand to the home directory, the rest resolves against `cwd`. */
export function resolveOutputPath(out: string, cwd: string, home: string = os.homedir()): string {
  if (out === '~') return home;
  if (out.startsWith('~/')) return path.join(home, out.slice(2));
  return path.resolve(cwd, out);
}

/**
 * The git repository (the directory holding `.git`, a folder or a worktree's file) that contains
 * `file`, or undefined. Walks up from the real path of the nearest existing ancestor directory, so
 * a symlinked directory into a repository is caught and a directory still to be created is judged
 * by where it will be.
 */
export function findGitRepository(file: string): string | undefined {
  for (let dir = realDirectoryOf(file); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

function realDirectoryOf(file: string): string {
  let existing = path.dirname(path.resolve(file));
  const missing: string[] = [];
  while (!existsSync(existing)) {
    missing.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  return path.join(realpathSync(existing), ...missing);
}

/**
 * Refuses (ProblemError) an existing file or a path inside a git repository. Called before the key
 * is generated, so a wrong path costs no waiting; the write checks again atomically.
 */
export function checkPrivateKeyDestination(file: string, suggestion: string): void {
  if (existsSync(file)) throw overwriteRefused(file);
  const repository = findGitRepository(file);
  if (repository !== undefined) {
    throw new ProblemError(`refusing to write a private key into the git repository at ${repository}; write it outside, e.g. ${suggestion}`);
  }
}

/**
 * Writes the PEM readable by the owner only (0600) and never over an existing file (`wx` fails
 * atomically with EEXIST, also when the file appeared after the check). A missing parent
 * directory is created private (0700).
 */
export function writePrivateKeyFile(file: string, pem: string): void {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new ProblemError(`cannot create the directory for the private key ${file}: ${(e as Error).message}`);
  }
  try {
    writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw overwriteRefused(file);
    throw new ProblemError(`cannot write the private key to ${file}: ${(e as Error).message}`);
  }
}

function overwriteRefused(file: string): ProblemError {
  return new ProblemError(
    `refusing to overwrite ${file}: it may be the key a runner uses now, and replacing a registered key makes ` +
      'the sensitive inputs meshStack stored for it undecryptable; choose another --out path, or move the old file away deliberately',
  );
}
