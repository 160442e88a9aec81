/**
 * The cdktf app: reads the config ($RUNNER_KIT_CONFIG, default ./runner-kit.yaml), validates all
 * of it before building anything, and synthesizes one stack per target.
 *
 * Bad input never half-writes: config problems exit non-zero before any file is written, and the
 * synthesis goes to a temporary directory that replaces the output directory only when complete.
 *
 * The kit never deletes what it did not create: it replaces an output directory only when that
 * directory is empty or carries the kit's marker file (`OUTPUT_MARKER`, written into every output),
 * and refuses anything else (`.`, a home folder, a file, a folder of other things, a folder holding
 * the working directory or Terraform state) with the reason. `cdktf deploy --output .` therefore
 * fails before anything happens instead of replacing the project.
 */
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { formatIssues } from '../constructs/core/config/config-error';
import { loadConfigFile, resolveConfigPath } from '../constructs/core/config/load';
import type { KitConfig } from '../constructs/core/config/schema';
import { describeEmulatorProfile } from '../constructs/aws/emulator-profile';
import { findingsReport } from '../constructs/core/rules/rule-pack';
import { addTargetStacks } from './targets';
import { disableTokenStackTraces } from './token-stack-traces';
import { enableCompileCache } from './compile-cache';

/** The file that marks a directory as the kit's synthesis output, which the next synthesis may replace. */
export const OUTPUT_MARKER = '.private-runner-kit-output';
const MARKER_TEXT =
  'This directory is the synthesis output of private-runner-kit (stacks/main.ts). Every synthesis replaces it\n' +
  'as a whole: keep nothing else here (Terraform state belongs outside, see stateBackend in the README).\n';

/** Why the kit will not synthesize into a directory; nothing was written or deleted. */
export class OutputDirectoryError extends Error {
  override readonly name = 'OutputDirectoryError';
}

/** True when `child` is `parent` or lies inside it. */
function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/** The real path of `p`, or of its nearest existing ancestor joined with the rest (for paths still to be created). */
function realPath(p: string): string {
  const missing: string[] = [];
  let existing = p;
  while (!existsSync(existing) && path.dirname(existing) !== existing) {
    missing.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  return path.join(realpathSync(existing), ...missing);
}

/**
 * Throws an OutputDirectoryError unless `target` may be replaced: it does not exist yet, or it is
 * a directory (not a link) that is empty or carries the marker, and it holds neither the working
 * directory nor Terraform state.
 */
export function checkOutputDirectory(target: string, cwd: string = process.cwd(), home: string = os.homedir()): void {
  const refuse = (why: string, fix = 'point CDKTF_OUTDIR (cdktf --output) at a directory of its own, e.g. cdktf.out') =>
    new OutputDirectoryError(`refusing to synthesize into ${target}: ${why}; nothing was written or deleted. Fix: ${fix}`);
  const real = realPath(target);
  if (isInside(realPath(cwd), real)) throw refuse('it is (or contains) the directory you run in, and every synthesis replaces its output directory as a whole');
  if (real === realPath(home) || real === path.parse(real).root) throw refuse('it is your home directory or the filesystem root');
  if (!existsSync(target) && !lstatExists(target)) return;
  const stat = lstatSync(target);
  if (stat.isSymbolicLink()) throw refuse('it is a symbolic link; the kit replaces only a directory it created itself');
  if (!stat.isDirectory()) throw refuse('it is a file, not a directory');
  const entries = readdirSync(target);
  if (entries.length === 0) return;
  const marker = path.join(target, OUTPUT_MARKER);
  if (!entries.includes(OUTPUT_MARKER) || !lstatSync(marker).isFile()) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? ', ...' : '');
    throw refuse(
      `it is not empty (${shown}) and was not created by the kit (no ${OUTPUT_MARKER} in it); every synthesis replaces its output directory as a whole`,
      'use an empty or new directory; if this is an output of an older kit version, delete it yourself once',
    );
  }
  const state = findStateFiles(target);
  if (state.length > 0) throw refuse(`it holds Terraform state (${state.slice(0, 3).join(', ')}), which the replacement would delete`, 'move the state out of the output directory and point stateBackend.path at it');
}

function lstatExists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Terraform state files below `dir` (relative paths); `.terraform` caches excluded. */
function findStateFiles(dir: string, at = ''): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(dir, at), { withFileTypes: true })) {
    const rel = path.join(at, entry.name);
    if (entry.isDirectory() && entry.name !== '.terraform') found.push(...findStateFiles(dir, rel));
    else if (entry.isFile() && /\.tfstate(\.backup)?$/.test(entry.name)) found.push(rel);
  }
  return found;
}

/** The local state files the synthesized stacks name (each stack's `terraform.backend.local.path`). */
function synthesizedStatePaths(outdir: string): { stack: string; path: string }[] {
  const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };
  return Object.entries(manifest.stacks).flatMap(([stack, s]) => {
    const json = JSON.parse(readFileSync(path.join(outdir, s.synthesizedStackPath), 'utf8')) as { terraform?: { backend?: { local?: { path?: string } } } };
    const local = json.terraform?.backend?.local?.path;
    return local === undefined ? [] : [{ stack, path: path.resolve(path.dirname(path.join(outdir, s.synthesizedStackPath)), local) }];
  });
}

/** Synthesizes every target into `outdir`, atomically. Throws on any synthesis error, and on an output directory the kit may not replace. */
export function synthesize(config: KitConfig, outdir: string): string[] {
  const target = path.resolve(outdir);
  checkOutputDirectory(target);
  const parent = path.dirname(target);
  mkdirSync(parent, { recursive: true });
  // Both temporary directories are new (mkdtemp), so removing them never touches anything else.
  const staging = mkdtempSync(path.join(parent, `.${path.basename(target)}.staging-`));
  let previous: string | undefined;
  try {
    const app = new App({ outdir: staging });
    const stacks = addTargetStacks(app, config);
    app.synth();
    // Per stack, for auditors: what each rule pack judged and which findings were acknowledged, why.
    for (const stack of stacks) {
      writeFileSync(path.join(staging, 'stacks', stack.node.id, 'rule-findings.json'), `${JSON.stringify(findingsReport(stack), null, 2)}\n`);
    }
    const inside = synthesizedStatePaths(staging).filter((s) => isInside(realPath(s.path), realPath(target)));
    if (inside.length > 0) {
      throw new OutputDirectoryError(
        `refusing to synthesize into ${target}: the local state of ${inside.map((s) => `${s.stack} (${s.path})`).join(', ')} would lie inside it, and the next synthesis would delete it; nothing was written or deleted. Fix: set stateBackend.path outside ${target}`,
      );
    }
    writeFileSync(path.join(staging, OUTPUT_MARKER), MARKER_TEXT);
    if (existsSync(target)) {
      previous = mkdtempSync(path.join(parent, `.${path.basename(target)}.previous-`));
      renameSync(target, path.join(previous, 'output'));
    }
    try {
      renameSync(staging, target);
    } catch (e) {
      if (previous !== undefined) renameSync(path.join(previous, 'output'), target);
      throw e;
    }
    return stacks.map((s) => s.node.id);
  } finally {
    rmSync(staging, { recursive: true, force: true });
    if (previous !== undefined) rmSync(previous, { recursive: true, force: true });
  }
}

/** Set to 1 to keep TypeScript positions in stack traces of a synthesis (debugging). */
export const SOURCE_MAPS_ENV = 'RUNNER_KIT_SOURCE_MAPS';

function main(): void {
  // tsx turns Node's source maps on, and Node then decodes the inline source map of every module it
  // loads: the provider bindings carry megabytes of them, a quarter of a synthesis's memory and a
  // fifth of its time. Errors of the kit are messages; stack traces point into the transpiled files.
  if (process.env[SOURCE_MAPS_ENV] !== '1') process.setSourceMapsEnabled(false);
  const file = resolveConfigPath();
  const result = loadConfigFile(file);
  if (!result.ok) {
    process.stderr.write(`${formatIssues(result.source, result.issues)}\n`);
    process.exit(1);
  }
  for (const [name, t] of Object.entries(result.config.targets)) {
    if (t.cloud === 'aws' && t.aws?.endpoint !== undefined) process.stderr.write(`${describeEmulatorProfile(name, t.aws.endpoint)}\n`);
  }
  const outdir = process.env.CDKTF_OUTDIR || 'cdktf.out';
  try {
    const stacks = synthesize(result.config, outdir);
    process.stderr.write(`synthesized ${stacks.length} stack(s) from ${result.source} into ${outdir}: ${stacks.join(', ')}\n`);
  } catch (e) {
    process.stderr.write(`synthesis failed, ${outdir} left unchanged:\n${(e as Error).message}\n`);
    process.exit(1);
  }
}

if (require.main === module) {
  enableCompileCache();
  disableTokenStackTraces();
  main();
}
