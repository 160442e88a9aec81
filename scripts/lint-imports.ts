/**
 * Fails on a root import of any prebuilt provider package (`@cdktf/provider-aws` instead of
 * `@cdktf/provider-aws/lib/vpc`): a root import loads every resource class of the provider,
 * measured at ~8 s and ~700 MB per process.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT_IMPORT = /(?:from\s+|require\(\s*|import\(\s*)['"](@cdktf\/provider-[a-z0-9-]+)['"]/g;
const SKIP = new Set(['node_modules', 'cdktf.out', '.git', '.gen', 'coverage']);

export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly pkg: string;
}

export function findRootImports(text: string, file: string): Finding[] {
  const findings: Finding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(ROOT_IMPORT)) findings.push({ file, line: i + 1, pkg: m[1]! });
  });
  return findings;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) yield* sourceFiles(full);
    else if (/\.(ts|js|mjs|cjs)$/.test(entry)) yield full;
  }
}

export function lint(root: string): Finding[] {
  return [...sourceFiles(root)].flatMap((f) => findRootImports(readFileSync(f, 'utf8'), path.relative(root, f)));
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const findings = lint(root);
  for (const f of findings) process.stderr.write(`${f.file}:${f.line}: root import of ${f.pkg}; import the class by deep path, e.g. ${f.pkg}/lib/<resource>\n`);
  if (findings.length > 0) process.exit(1);
  process.stderr.write('lint: no root imports of @cdktf/provider-* packages\n');
}
