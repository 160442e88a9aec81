/**
 * The cdktf app: reads the config ($RUNNER_KIT_CONFIG, default ./runner-kit.yaml), validates all
 * of it before building anything, and synthesizes one stack per target.
 *
 * Bad input never half-writes: config problems exit non-zero before any file is written, and the
 * synthesis goes to a temporary directory that replaces the output directory only when complete.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import { formatIssues } from '../constructs/core/config/config-error';
import { loadConfigFile, resolveConfigPath } from '../constructs/core/config/load';
import type { KitConfig } from '../constructs/core/config/schema';
import { describeEmulatorProfile } from '../constructs/aws/emulator-profile';
import { findingsReport } from '../constructs/core/rules/rule-pack';
import { addTargetStacks } from './targets';

/** Synthesizes every target into `outdir`, atomically. Throws on any synthesis error. */
export function synthesize(config: KitConfig, outdir: string): string[] {
  const target = path.resolve(outdir);
  const staging = `${target}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(path.dirname(target), { recursive: true });
  try {
    const app = new App({ outdir: staging });
    const stacks = addTargetStacks(app, config);
    app.synth();
    // Per stack, for auditors: what each rule pack judged and which findings were acknowledged, why.
    for (const stack of stacks) {
      writeFileSync(path.join(staging, 'stacks', stack.node.id, 'rule-findings.json'), `${JSON.stringify(findingsReport(stack), null, 2)}\n`);
    }
    const previous = `${target}.previous-${process.pid}`;
    if (existsSync(target)) renameSync(target, previous);
    renameSync(staging, target);
    rmSync(previous, { recursive: true, force: true });
    return stacks.map((s) => s.node.id);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function main(): void {
  const file = resolveConfigPath();
  const result = loadConfigFile(file);
  if (!result.ok) {
    process.stderr.write(`${formatIssues(result.source, result.issues)}\n`);
    process.exit(1);
  }
  for (const [name, t] of Object.entries(result.config.targets)) {
    if (t.aws?.endpoint !== undefined) process.stderr.write(`${describeEmulatorProfile(name, t.aws.endpoint)}\n`);
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

if (require.main === module) main();
