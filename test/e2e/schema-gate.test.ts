/**
 * Tier 3, second half: the schema gate. Every synthesized stack of every example that needs a
 * provider not mirrored offline (so `terraform validate` cannot run; today the EKS workload stack
 * with hashicorp/kubernetes) is checked against the schema carried by the installed
 * `@cdktf/provider-*` package: types, arguments, required and computed-only attributes, value
 * types, block shapes and references (test/support/provider-schema/). Any finding fails the test.
 * The blocks of mirrored providers are left to `terraform validate` (terraform-validate.test.ts);
 * references are checked across the whole stack.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { loadConfigFile } from '../../constructs/core/config/load';
import { synthesize } from '../../stacks/main';
import { checkStack, requiredProviders } from '../support/provider-schema/check-stack';
import { formatFindings } from '../support/provider-schema/findings';
import { packageForProvider, schemaLoads } from '../support/provider-schema/schema-cache';
import { REPO_ROOT, type Json } from '../support/synth';
import { MIRRORED_PROVIDERS } from '../support/terraform';

const examples = readdirSync(path.join(REPO_ROOT, 'examples')).filter((f) => f.endsWith('.yaml'));

describe('schema gate: every example stack that needs a provider not mirrored offline', () => {
  let work: string;
  const gated: string[] = [];
  const gatedProviders = new Set<string>();
  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), 'schema-gate-'));
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it.each(examples)('%s', (example) => {
    const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', example));
    if (!loaded.ok) throw new Error(`${example} is invalid`);
    const outdir = path.join(work, example);
    const stacks = synthesize(loaded.config, outdir);
    expect(stacks.length).toBeGreaterThan(0);
    for (const stack of stacks) {
      const json = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')) as Json;
      const providers = [...new Set([...requiredProviders(json).values()].map((p) => p.type))];
      const unmirrored = providers.filter((p) => !MIRRORED_PROVIDERS.includes(p));
      if (unmirrored.length === 0) continue; // terraform validate covers it
      const before = schemaLoads().length;
      const started = Date.now();
      const findings = checkStack(json, { stack, providers: unmirrored });
      const loads = schemaLoads()
        .slice(before)
        .map((l) => `${l.package} from ${l.from} in ${l.ms} ms`);
      process.stderr.write(`schema gate: ${stack} (${unmirrored.join(', ')}): ${findings.length} finding(s) in ${Date.now() - started} ms; schema ${loads.join(', ')}\n`);
      gated.push(stack);
      unmirrored.forEach((p) => gatedProviders.add(p));
      expect(formatFindings(findings)).toBe('');
    }
  }, 120_000);

  it('gated the EKS workload stack, the GCP Cloud Run stack and both GKE stacks (the gate cannot pass by checking nothing)', () => {
    expect(gated).toContain('eksexample-workload');
    expect(gated).toContain('cloudrunexample');
    expect(gated).toContain('gkeexample-cluster');
    expect(gated).toContain('gkeexample-workload');
  });

  it('gated both AKS stacks (azurerm; azurerm and kubernetes)', () => {
    expect(gated).toEqual(expect.arrayContaining(['aksexample-cluster', 'aksexample-workload']));
  });

  it('loaded only the schemas of the providers it gated (never the AWS assembly)', () => {
    const loaded = new Set(schemaLoads().map((l) => l.package.replace(/@[^@/]+$/, '')));
    expect(loaded).toEqual(new Set([...gatedProviders].map(packageForProvider)));
    expect(loaded.has(packageForProvider('aws'))).toBe(false);
  });
});
