/**
 * Test helpers for the CLI: an in-memory `CliIo` (commands run in-process, no spawning) and
 * temporary directories outside any git repository (keys refuses to write inside one).
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliIo } from '../../cli/command';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const EXAMPLE_CONFIG = path.join(REPO_ROOT, 'examples', 'aws-ecs.yaml');

export interface CapturedIo {
  readonly io: CliIo;
  stdout(): string;
  stderr(): string;
}

/**
 * Captures both streams. The environment is empty unless given, so a RUNNER_KIT_CONFIG or HOME of
 * the machine running the tests cannot change what a test sees.
 */
export function captureIo(options: { readonly cwd?: string; readonly env?: NodeJS.ProcessEnv } = {}): CapturedIo {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: options.env ?? {},
    cwd: options.cwd ?? REPO_ROOT,
  };
  return { io, stdout: () => out, stderr: () => err };
}

/** A fresh directory under the OS temp dir (real path, so messages compare exactly); remove with `removeDir`. */
export function makeTempDir(prefix: string): string {
  return realpathSync(mkdtempSync(path.join(os.tmpdir(), `runner-kit-${prefix}-`)));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
