/**
 * Fails on
 * - a root import of any prebuilt provider package (`@cdktf/provider-aws` instead of
 *   `@cdktf/provider-aws/lib/vpc`): a root import loads every resource class of the provider,
 *   measured at ~8 s and ~700 MB per process;
 * - an import that breaks the layers: the cloud-neutral cores (`constructs/core/`,
 *   `updater/core/`) never import a cloud's folder, an adapter, an entry point or a stack, so a new
 *   cloud adds a folder and never edits the core to fit it.
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

const SPECIFIER = /(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g;

/** Folders (relative to the root) each core folder must not import from, and why. */
export const LAYERS: readonly { readonly folder: string; readonly forbidden: readonly string[] }[] = [
  { folder: 'updater/core/', forbidden: ['updater/adapters/', 'updater/entry/', 'constructs/', 'stacks/', 'kinds/', 'cli/'] },
  { folder: 'constructs/core/', forbidden: ['constructs/aws/', 'constructs/azure/', 'constructs/gcp/', 'updater/adapters/', 'updater/entry/', 'stacks/', 'cli/'] },
];

export interface LayerFinding {
  readonly file: string;
  readonly line: number;
  readonly imports: string;
}

/** Imports of `file` (relative to the root, `/`-separated) that reach a folder its layer forbids. */
export function findLayerBreaks(text: string, file: string): LayerFinding[] {
  const layer = LAYERS.find((l) => file.startsWith(l.folder));
  if (layer === undefined) return [];
  const findings: LayerFinding[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(SPECIFIER)) {
      const spec = m[1]!;
      if (!spec.startsWith('.')) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      if (layer.forbidden.some((f) => `${target}/`.startsWith(f))) findings.push({ file, line: i + 1, imports: target });
    }
  });
  return findings;
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

export function lintLayers(root: string): LayerFinding[] {
  return [...sourceFiles(root)].flatMap((f) => findLayerBreaks(readFileSync(f, 'utf8'), path.relative(root, f).split(path.sep).join('/')));
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const findings = lint(root);
  for (const f of findings) process.stderr.write(`${f.file}:${f.line}: root import of ${f.pkg}; import the class by deep path, e.g. ${f.pkg}/lib/<resource>\n`);
  const breaks = lintLayers(root);
  for (const b of breaks) process.stderr.write(`${b.file}:${b.line}: the cloud-neutral core imports ${b.imports}; move what both need into the core (or pass it in through a port or binding)\n`);
  if (findings.length > 0 || breaks.length > 0) process.exit(1);
  process.stderr.write('lint: no root imports of @cdktf/provider-* packages; the cores import no cloud, adapter, entry or stack\n');
}
