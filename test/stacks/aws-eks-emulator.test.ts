/**
 * The EKS cluster stack on the AWS API emulator (moto on loopback): apply with sentinel
 * credentials, re-plan (no changes), destroy (nothing left), no sentinel in state. It proves that
 * the EKS emulator relaxations are enough; each relaxation's necessity was shown by removing it
 * (re-plan then replaces the cluster / node group, or updates the launch template).
 *
 * ~75 s, so opt-in: set RUNNER_KIT_EKS_EMULATOR=1 (the e2e tier's budget decides whether it joins
 * the default run).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../../stacks/main';
import { exampleEksTarget } from '../support/eks';
import { moto, startMoto, type MotoServer } from '../support/moto';
import { describeWith, type Requirement } from '../support/requirements';
import { awsProviderMirror, expectStatus, terraform, tf, writeCliConfig } from '../support/terraform';

const optIn: Requirement = {
  name: 'RUNNER_KIT_EKS_EMULATOR=1',
  check: () => (process.env.RUNNER_KIT_EKS_EMULATOR === '1' ? undefined : 'opt-in tier (~75 s): set RUNNER_KIT_EKS_EMULATOR=1 to run it'),
};
const SENTINELS = {
  runner_default_api_client_secret: 'SENTINEL-eks-client-secret-51c2',
  runner_default_private_key: '-----BEGIN PRIVATE KEY-----\nSENTINEL-eks-private-key-9a0e\n-----END PRIVATE KEY-----',
  runner_default_certificate: '-----BEGIN CERTIFICATE-----\nSENTINEL-eks-certificate-77d1\n-----END CERTIFICATE-----',
};
const leaks = (text: string) => ['SENTINEL-eks-client-secret-51c2', 'SENTINEL-eks-private-key-9a0e'].filter((s) => text.includes(s));

describeWith([optIn, terraform, awsProviderMirror, moto], 'examples/aws-eks.yaml cluster stack on the AWS API emulator: apply, re-plan, destroy', () => {
  let server: MotoServer;
  let work: string;
  let dir: string;
  let cli: string;
  const state = () => readFileSync(path.join(dir, 'terraform.aws-eks-example-cluster.tfstate'), 'utf8');

  beforeAll(async () => {
    server = await startMoto();
    work = mkdtempSync(path.join(tmpdir(), 'eks-emulator-'));
    cli = writeCliConfig(path.join(work, 'cli.tfrc'));
    synthesize(exampleEksTarget((t) => (t.aws.endpoint = server.endpoint)).config, path.join(work, 'out'));
    dir = path.join(work, 'cluster');
    mkdirSync(dir);
    copyFileSync(path.join(work, 'out', 'stacks', 'aws-eks-example-cluster', 'cdk.tf.json'), path.join(dir, 'cdk.tf.json'));
    expectStatus(tf(dir, cli, ['init', '-input=false'], { timeoutMs: 120_000 }), 0, 'init');
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('applies the cluster stack with the credentials as ephemeral inputs', () => {
    expectStatus(tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { vars: SENTINELS, timeoutMs: 480_000 }), 0, 'apply');
    const resources = tf(dir, cli, ['state', 'list']).stdout.split('\n').filter((l) => l && !l.startsWith('data.'));
    expect(resources).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_cluster\./), expect.stringMatching(/^aws_eks_node_group\./), expect.stringMatching(/^aws_launch_template\./)]));
    expect(leaks(state())).toEqual([]);
  }, 500_000);

  it('a plan after apply shows no changes', () => {
    expectStatus(tf(dir, cli, ['plan', '-detailed-exitcode', '-input=false'], { timeoutMs: 300_000 }), 0, 'plan after apply');
  }, 320_000);

  it('destroys everything', () => {
    expectStatus(tf(dir, cli, ['destroy', '-auto-approve', '-input=false'], { timeoutMs: 480_000 }), 0, 'destroy');
    expect(tf(dir, cli, ['state', 'list']).stdout.trim()).toBe('');
  }, 500_000);
});
