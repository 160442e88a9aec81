/**
 * Bring your own key (`encryption.existingKeyId`): config checks, what the stacks reference, and
 * (on the emulator) the plan-time check of the key itself.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, LocalBackend, TerraformOutput, TerraformStack } from 'cdktf';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { emulatorProviderConfig } from '../../../constructs/aws/emulator-profile';
import { ExistingKey } from '../../../constructs/aws/existing-key';
import { parseConfig } from '../../../constructs/core/config/load';
import { EXAMPLE_AWS_EKS, exampleEksTarget, synthEks } from '../../support/eks';
import { awsJsonCall, moto, startMoto, type MotoServer } from '../../support/moto';
import { describeWith } from '../../support/requirements';
import { EXAMPLE_AWS_ECS, exampleTarget, type Json, synthConfig } from '../../support/synth';
import { awsProviderMirror, expectStatus, terraform, tf, writeCliConfig } from '../../support/terraform';

const KEY = 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const issuesFor = (file: string, existingKeyId: unknown) => {
  const doc = parse(readFileSync(file, 'utf8')) as Json;
  doc.targets[Object.keys(doc.targets)[0]!].encryption = { existingKeyId };
  const r = parseConfig(stringify(doc), 'test');
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message} (${i.fix})`);
};

describe('config: encryption.existingKeyId', () => {
  it.each([EXAMPLE_AWS_ECS, EXAMPLE_AWS_EKS])('%s: a key ARN in the target\'s region and account is accepted', (file) => {
    expect(issuesFor(file, KEY)).toEqual([]);
    expect(issuesFor(file, 'arn:aws:kms:eu-central-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab')).toEqual([]);
  });

  it.each([
    ['an alias', 'alias/my-key', /encryption.existingKeyId: is not a KMS key ARN .*an alias will not do/],
    ['an alias ARN', 'arn:aws:kms:eu-central-1:123456789012:alias/my-key', /is not a KMS key ARN/],
    ['a bare key id', '1234abcd-12ab-34cd-56ef-1234567890ab', /is not a KMS key ARN/],
    ['another region', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab', /is in region eu-west-1, not the target's region eu-central-1/],
    ['another account', 'arn:aws:kms:eu-central-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab', /is in account 210987654321, not the target's account 123456789012/],
  ])('%s is refused with a fix', (_what, value, message) => {
    const issues = issuesFor(EXAMPLE_AWS_ECS, value);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(message);
  });

  it('a non-string is refused by the schema', () => {
    expect(issuesFor(EXAMPLE_AWS_ECS, 42).join('\n')).toMatch(/encryption.existingKeyId/);
  });
});

describe('stacks with a bring-your-own key', () => {
  it('ECS: no key is created; every use references the key the data source read', () => {
    const s = synthConfig(exampleTarget((t) => (t.encryption = { existingKeyId: KEY })).config);
    expect(s.count('aws_kms_key')).toBe(0);
    expect(s.count('aws_kms_alias')).toBe(0);
    const data = Object.values(s.json.data.aws_kms_key as Record<string, Json>);
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ key_id: KEY, lifecycle: { postcondition: [expect.objectContaining({ condition: expect.stringContaining('self.key_manager == "CUSTOMER"') })] } });
    const text = JSON.stringify(s.json.resource);
    expect(text).not.toMatch(/[^.]aws_kms_key\./);
    expect(text).toContain('data.aws_kms_key.');
    // Every log group, secret and the topic are encrypted with it.
    for (const [, g] of s.resources('aws_cloudwatch_log_group')) expect(g.kms_key_id).toMatch(/^\$\{data\.aws_kms_key\./);
    for (const [, x] of s.resources('aws_secretsmanager_secret')) expect(x.kms_key_id).toMatch(/^\$\{data\.aws_kms_key\./);
    expect(s.only('aws_sns_topic').kms_master_key_id).toMatch(/^\$\{data\.aws_kms_key\./);
  });

  it('EKS: the same key encrypts the control-plane logs and the cluster\'s secrets; the kit creates no key', () => {
    const { cluster } = synthEks(exampleEksTarget((t) => (t.encryption = { existingKeyId: KEY })).config);
    expect(cluster.count('aws_kms_key')).toBe(0);
    expect(Object.keys(cluster.json.data.aws_kms_key)).toHaveLength(1);
    expect(cluster.only('aws_eks_cluster').encryption_config.provider.key_arn).toMatch(/^\$\{data\.aws_kms_key\./);
    for (const [, g] of cluster.resources('aws_cloudwatch_log_group')) expect(g.kms_key_id).toMatch(/^\$\{data\.aws_kms_key\./);
  });
});

describeWith([terraform, awsProviderMirror, moto], 'ExistingKey on the AWS API emulator: the plan checks the key before any change', () => {
  let server: MotoServer;
  let work: string;
  let cli: string;
  beforeAll(async () => {
    server = await startMoto(600);
    work = mkdtempSync(path.join(tmpdir(), 'existing-key-'));
    cli = writeCliConfig(path.join(work, 'cli.tfrc'));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  // KeyUsage explicit: moto omits it from DescribeKey unless it was given (AWS always returns it).
  const createKey = async (body: Json = { KeyUsage: 'ENCRYPT_DECRYPT' }) => (await awsJsonCall(server.endpoint, 'kms', 'TrentService.CreateKey', body)).KeyMetadata as { Arn: string; KeyId: string };

  function plan(name: string, keyArn: string) {
    const app = new App({ outdir: path.join(work, name) });
    const stack = new TerraformStack(app, name);
    new AwsProvider(stack, 'aws', { region: 'eu-central-1', ...emulatorProviderConfig(server.endpoint) });
    new LocalBackend(stack, { path: path.join(work, `${name}.tfstate`) });
    const key = new ExistingKey(stack, 'Key', { keyArn });
    new TerraformOutput(stack, 'key', { value: key.keyReference });
    app.synth();
    const dir = path.join(work, name, 'stacks', name);
    expectStatus(tf(dir, cli, ['init', '-input=false'], { timeoutMs: 120_000 }), 0, 'init');
    return tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { timeoutMs: 120_000 });
  }

  it('an enabled symmetric customer key passes, and its ARN is what the stack references', async () => {
    const { Arn: arn } = await createKey();
    const run = plan('enabled', arn);
    expectStatus(run, 0, 'apply');
    expect(run.stdout).toContain(`key = "${arn}"`);
  }, 240_000);

  it('a disabled key stops the plan with the field, the key and the fix', async () => {
    const { Arn: arn, KeyId } = await createKey();
    await awsJsonCall(server.endpoint, 'kms', 'TrentService.DisableKey', { KeyId });
    const run = plan('disabled', arn);
    expect(run.status).toBe(1);
    const flat = run.stderr.replace(/\s+/g, ' ');
    expect(flat).toContain(`encryption.existingKeyId (${arn}) must be an enabled, customer-managed, symmetric encryption key`);
    expect(flat).toContain('Nothing was changed');
  }, 240_000);

  it('an asymmetric (signing) key stops the plan', async () => {
    const { Arn: arn } = await createKey({ KeyUsage: 'SIGN_VERIFY', KeySpec: 'RSA_2048' });
    const run = plan('signing', arn);
    expect(run.status).toBe(1);
    expect(run.stderr.replace(/\s+/g, ' ')).toContain('must be an enabled, customer-managed, symmetric encryption key');
  }, 240_000);

  it('a key that does not exist stops the plan', async () => {
    const run = plan('missing', 'arn:aws:kms:eu-central-1:123456789012:key/4f1c8a2e-9d3b-4e7a-8c61-2b5d9e0f7a13');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/reading KMS Key \(arn:aws:kms:eu-central-1:123456789012:key\/4f1c8a2e-9d3b-4e7a-8c61-2b5d9e0f7a13\): couldn't find resource/);
  }, 240_000);
});
