/**
 * Tier 4: the AWS ECS example deployed on the AWS API emulator (moto on loopback): apply with
 * sentinel secret values, then a plan must show no changes, then destroy must leave nothing; the
 * state file and the saved plans must never contain the secret values.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../../stacks/main';
import { startMoto, moto, awsJsonCall, type MotoServer } from '../support/moto';
import { describeWith } from '../support/requirements';
import { exampleTarget } from '../support/synth';
import { awsProviderMirror, expectStatus, terraform, tf, writeCliConfig } from '../support/terraform';

const SENTINELS = {
  runner_default_api_client_secret: 'SENTINEL-client-secret-7c1d9e',
  runner_default_private_key: '-----BEGIN PRIVATE KEY-----\nSENTINEL-private-key-3b8f20\n-----END PRIVATE KEY-----',
};
const leaks = (text: string) => ['SENTINEL-client-secret-7c1d9e', 'SENTINEL-private-key-3b8f20'].filter((s) => text.includes(s));

describeWith([terraform, awsProviderMirror, moto], 'examples/aws-ecs.yaml on the AWS API emulator: apply, re-plan, destroy', () => {
  let server: MotoServer;
  let work: string;
  let dir: string;
  let cli: string;
  let stackName: string;
  const stateFile = () => path.join(dir, `terraform.${stackName}.tfstate`);

  beforeAll(async () => {
    server = await startMoto();
    work = mkdtempSync(path.join(tmpdir(), 'emulator-'));
    cli = writeCliConfig(path.join(work, 'cli.tfrc'));
    const { name, config } = exampleTarget((t) => (t.aws.endpoint = server.endpoint));
    stackName = name;
    synthesize(config, path.join(work, 'out'));
    dir = path.join(work, 'out', 'stacks', name);
    expectStatus(tf(dir, cli, ['init', '-input=false'], { timeoutMs: 120_000 }), 0, 'init');
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('applies every resource with the secret values supplied as ephemeral inputs', () => {
    const run = tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { vars: SENTINELS, timeoutMs: 480_000 });
    expectStatus(run, 0, 'apply');
    const list = tf(dir, cli, ['state', 'list']);
    const resources = list.stdout.split('\n').filter((l) => l && !l.startsWith('data.'));
    process.stderr.write(`emulator: applied ${resources.length} resources\n`);
    expect(resources.length).toBeGreaterThanOrEqual(40);
    expect(resources).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_ecs_service\./), expect.stringMatching(/^aws_flow_log\./), expect.stringMatching(/^aws_secretsmanager_secret_version\./)]));
  }, 500_000);

  it('stored the values in Secrets Manager, and the state holds none of them', async () => {
    const stored = await awsJsonCall(server.endpoint, 'secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: `${stackName}/default/private-key` });
    expect(stored.SecretString).toBe(SENTINELS.runner_default_private_key);
    expect(leaks(readFileSync(stateFile(), 'utf8'))).toEqual([]);
  });

  it('a plan after apply shows no changes, without secret inputs (a routine re-deploy)', () => {
    const run = tf(dir, cli, ['plan', '-detailed-exitcode', '-input=false', '-out=routine.tfplan'], { timeoutMs: 300_000 });
    expectStatus(run, 0, 'plan after apply');
    expect(leaks(readFileSync(path.join(dir, 'routine.tfplan')).toString('latin1'))).toEqual([]);
  }, 320_000);

  it('a plan with the secret inputs still set shows no changes and the saved plan holds no value', () => {
    const run = tf(dir, cli, ['plan', '-detailed-exitcode', '-input=false', '-out=with-secrets.tfplan'], { vars: SENTINELS, timeoutMs: 300_000 });
    expectStatus(run, 0, 'plan with secrets set');
    expect(leaks(readFileSync(path.join(dir, 'with-secrets.tfplan')).toString('latin1'))).toEqual([]);
    const shown = tf(dir, cli, ['show', '-json', 'with-secrets.tfplan']);
    expect(shown.status).toBe(0);
    expect(leaks(shown.stdout)).toEqual([]);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
  }, 320_000);

  it('destroys everything', () => {
    expectStatus(tf(dir, cli, ['destroy', '-auto-approve', '-input=false'], { timeoutMs: 480_000 }), 0, 'destroy');
    const list = tf(dir, cli, ['state', 'list']);
    expect(list.stdout.trim()).toBe('');
    expect(leaks(readFileSync(stateFile(), 'utf8'))).toEqual([]);
  }, 500_000);
});
