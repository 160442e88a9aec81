/**
 * Where a local Terraform state file lives. Synthesis replaces `cdktf.out` as a whole (so a failed
 * synthesis never leaves a half-written tree), so the state must never live inside it: a relative
 * path is resolved against the directory synthesis runs in (the project directory, for
 * `cdktf deploy`), exactly as cdktf's own default does.
 */
import * as path from 'node:path';

export function localStatePath(configured: string | undefined, defaultFile: string, base: string = process.cwd()): string {
  return path.resolve(base, configured ?? defaultFile);
}
