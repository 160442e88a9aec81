/**
 * Tier 3: `terraform validate` of every synthesized stack of every example whose providers are
 * mirrored offline (hashicorp/aws 5.100.0).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UPDATER_LAMBDA_RUNTIME } from '../../constructs/aws/rules/support/lambda-runtimes';
import { loadConfigFile } from '../../constructs/core/config/load';
import { synthesize } from '../../stacks/main';
import { describeWith } from '../support/requirements';
import { REPO_ROOT } from '../support/synth';
import { awsProviderMirror, expectStatus, MIRRORED_PROVIDERS, terraform, tf, writeCliConfig } from '../support/terraform';

const examples = readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.yaml'));

describeWith([terraform, awsProviderMirror], 'terraform validate of every example stack (offline mirror)', () => {
  let work: string;
  let cli: string;
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'tf-validate-'));
    cli = writeCliConfig(path.join(work, 'cli.tfrc'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(examples)('%s', (example) => {
    const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', example));
    if (!loaded.ok) throw new Error(`${example} is invalid`);
    const outdir = path.join(work, example);
    const stacks = synthesize(loaded.config, outdir);
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      const dir = path.join(outdir, 'stacks', stack);
      const providers = Object.keys(JSON.parse(readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')).terraform.required_providers);
      if (!providers.every((p) => MIRRORED_PROVIDERS.includes(p))) {
        // Only hashicorp/aws is mirrored offline; such stacks (the EKS workload stack, which also
        // needs hashicorp/kubernetes) go through the schema gate (test/e2e/schema-gate.test.ts) and
        // are validated as far as possible in test/stacks/aws-eks-validate.test.ts.
        process.stderr.write(`terraform validate: skipped ${stack}: needs providers not mirrored offline (${providers.filter((p) => !MIRRORED_PROVIDERS.includes(p)).join(', ')}); see the schema gate\n`);
        continue;
      }
      expectStatus(tf(dir, cli, ['init', '-backend=false', '-input=false'], { timeoutMs: 120_000 }), 0, `${stack}: init`);
      const run = tf(dir, cli, ['validate', '-json'], { timeoutMs: 120_000 });
      const result = JSON.parse(run.stdout);
      expect({ stack, valid: result.valid, errors: result.error_count, diagnostics: result.diagnostics }).toEqual({ stack, valid: true, errors: 0, diagnostics: [] });
    }
  }, 240_000);

  it(`the pinned provider accepts the updater's runtime ${UPDATER_LAMBDA_RUNTIME} and rejects the next Node.js runtime (so ${UPDATER_LAMBDA_RUNTIME} is the newest it takes)`, () => {
    const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', 'aws-ecs.yaml'));
    if (!loaded.ok) throw new Error('aws-ecs.yaml is invalid');
    const outdir = path.join(work, 'runtime-probe');
    const [stack] = synthesize(loaded.config, outdir);
    const dir = path.join(outdir, 'stacks', stack!);
    const file = path.join(dir, 'cdk.tf.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const functions = Object.values(json.resource.aws_lambda_function) as { runtime: string }[];
    expect(functions.map((f) => f.runtime)).toEqual([UPDATER_LAMBDA_RUNTIME]);
    expectStatus(tf(dir, cli, ['init', '-backend=false', '-input=false'], { timeoutMs: 120_000 }), 0, 'init');
    const next = `nodejs${Number(/^nodejs(\d+)/.exec(UPDATER_LAMBDA_RUNTIME)![1]) + 2}.x`;
    for (const f of functions) f.runtime = next;
    writeFileSync(file, JSON.stringify(json));
    const result = JSON.parse(tf(dir, cli, ['validate', '-json'], { timeoutMs: 120_000 }).stdout);
    expect(result.valid).toBe(false);
    expect(JSON.stringify(result.diagnostics)).toContain(next);
  }, 240_000);
});
