/**
 * What every generator script shares: write generated files, or with `--check` write nothing and
 * report each missing or different one (exit 1), so CI fails on hand edits and stale output.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Writes (or checks) `files` as [path relative to root, text]; returns how many were stale. */
export function writeGenerated(root: string, files: readonly (readonly [string, string])[], check: boolean, regenerate = 'npm run generate'): number {
  let stale = 0;
  for (const [file, text] of files) {
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
      process.stderr.write(`${file} is out of date: run ${regenerate}\n`);
    } else {
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, text);
      process.stderr.write(`wrote ${file}\n`);
    }
  }
  return stale;
}
