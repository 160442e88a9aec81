/**
 * Where a runner's private key may be written, and the write itself. A private key that lands in
 * a git working tree is one `git add .` away from being pushed, and an overwritten key cannot be
 * recovered (meshStack's stored sensitive inputs are encrypted to it), so both are refused.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
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
 * Refuses (ProblemError) an `--out` that names a directory: a path ending in a separator, `.` or
 * `..`, or an existing directory. Without this, the first would be silently taken as a file name
 * and the last reported as "refusing to overwrite".
 */
export function checkKeyFileArgument(out: string, file: string, suggestion: string): void {
  const names = (why: string) =>
    new ProblemError(`--out ${out} ${why}; name the key file itself, e.g. ${path.join(file, path.basename(suggestion))}`);
  if (/[\\/]$/.test(out) || ['.', '..', '~'].includes(out) || /(^|[\\/])\.\.?$/.test(out)) throw names('names a directory (it ends in a path separator, "." or "..")');
  let stat: ReturnType<typeof statSync> | undefined;
  try {
    stat = statSync(file);
  } catch {
    return;
  }
  if (stat.isDirectory()) throw names('is an existing directory');
}

/** The file operations of a key write, replaceable by tests that simulate a failing disk. */
export interface KeyFileOps {
  /** Writes all of `data` to `fd` (may throw part-way, like a full disk). */
  writeAll(fd: number, data: Buffer): void;
}

const nodeKeyFileOps: KeyFileOps = {
  writeAll(fd, data) {
    for (let written = 0; written < data.length; ) written += writeSync(fd, data, written, data.length - written);
  },
};

/**
 * Writes the PEM readable by the owner only (0600), atomically, and never over an existing file:
 * the key goes to a new temporary file in the same directory (0600, `wx`), is flushed to disk, and
 * is then hard-linked to its name, which fails with EEXIST when that name exists (also when the
 * file appeared after the check). A failure at any step removes the temporary file and leaves no
 * file at `file`: never a truncated key that a retry would then refuse to overwrite. A missing
 * parent directory is created private (0700).
 */
export function writePrivateKeyFile(file: string, pem: string, ops: KeyFileOps = nodeKeyFileOps): void {
  const dir = path.dirname(file);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new ProblemError(`cannot create the directory for the private key ${file}: ${(e as Error).message}`);
  }
  const temporary = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    let fd: number;
    try {
      fd = openSync(temporary, 'wx', 0o600);
    } catch (e) {
      throw new ProblemError(`cannot write the private key to ${file}: ${(e as Error).message}`);
    }
    try {
      ops.writeAll(fd, Buffer.from(pem, 'utf8'));
      fsyncSync(fd);
    } catch (e) {
      throw new ProblemError(`cannot write the private key to ${file}: ${(e as Error).message}; nothing was written there`);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw overwriteRefused(file);
      throw new ProblemError(`cannot write the private key to ${file}: ${(e as Error).message} (the key is written to a temporary file and linked into place, which needs a filesystem with hard links)`);
    }
  } finally {
    rmSync(temporary, { force: true });
  }
}

function overwriteRefused(file: string): ProblemError {
  return new ProblemError(
    `refusing to overwrite ${file}: it may be the key a runner uses now, and replacing a registered key makes ` +
      'the sensitive inputs meshStack stored for it undecryptable; choose another --out path, or move the old file away deliberately',
  );
}
