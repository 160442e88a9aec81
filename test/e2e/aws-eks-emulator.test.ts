/**
 * The EKS cluster stack on the AWS API emulator (moto on loopback): apply with sentinel
 * credentials, re-plan (no changes), destroy (nothing left), no sentinel in state. It proves that
 * the EKS emulator relaxations are enough; each relaxation's necessity was shown by removing it
 * (re-plan then replaces the cluster / node group, or updates the launch template).
 *
 * About 90 s; part of the default run. The bootstrap the apply invokes is run in-process against
 * loopback registries (moto cannot execute Lambda code), as in the ECS emulator tier.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../../stacks/main';
import { queueBootstrap, updaterConfigOf } from '../support/emulated-bootstrap';
import { makeTestImage, pushImage, startRegistry, type LocalRegistry } from '../support/oci-registry';
import { exampleEksTarget } from '../support/eks';
import { moto, startMoto, type MotoServer } from '../support/moto';
import { describeWith, dockerRegistry } from '../support/requirements';
import { awsProviderMirror, expectStatus, terraform, tf, writeCliConfig } from '../support/terraform';

const SENTINELS = {
  runner_default_api_client_secret: 'SENTINEL-eks-client-secret-51c2',
  runner_default_private_key: '-----BEGIN PRIVATE KEY-----\nSENTINEL-eks-private-key-9a0e\n-----END PRIVATE KEY-----',
  runner_default_certificate: '-----BEGIN CERTIFICATE-----\nSENTINEL-eks-certificate-77d1\n-----END CERTIFICATE-----',
};
const leaks = (text: string) => ['SENTINEL-eks-client-secret-51c2', 'SENTINEL-eks-private-key-9a0e'].filter((s) => text.includes(s));

describeWith([terraform, awsProviderMirror, moto, dockerRegistry], 'examples/aws-eks.yaml cluster stack on the AWS API emulator: bootstrap, apply, re-plan, destroy', () => {
  let server: MotoServer;
  let upstream: LocalRegistry;
  let mirror: LocalRegistry;
  let work: string;
  let dir: string;
  let cli: string;
  const state = () => readFileSync(path.join(work, 'state', 'eks-cluster.tfstate'), 'utf8');

  beforeAll(async () => {
    [server, upstream, mirror] = await Promise.all([startMoto(), startRegistry(), startRegistry()]);
    for (const repo of ['run-controller', 'tf-block-runner']) {
      await pushImage(upstream.url, `meshcloud/${repo}`, makeTestImage({ layersPerPlatform: 1, layerBytes: 1024 }), 'v1.3.0');
    }
    work = mkdtempSync(path.join(tmpdir(), 'eks-emulator-'));
    cli = writeCliConfig(path.join(work, 'cli.tfrc'));
    synthesize(
      exampleEksTarget((t) => {
        t.aws.endpoint = server.endpoint;
        t.kubernetes.controllerImage = `${upstream.hostPort}/meshcloud/run-controller`;
        t.runners.default.image = `${upstream.hostPort}/meshcloud/tf-block-runner`;
        t.runners.default.version = 'v1.3.0';
        t.stateBackend = { type: 'local', path: path.join(work, 'state', 'eks.tfstate') };
      }).config,
      path.join(work, 'out'),
    );
    dir = path.join(work, 'out', 'stacks', 'eksexample-cluster');
    expectStatus(tf(dir, cli, ['init', '-input=false'], { timeoutMs: 120_000 }), 0, 'init');
    await queueBootstrap(server.endpoint, 'eu-central-1', updaterConfigOf(dir), {
      clients: { endpoint: server.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2 },
      mirrorRegistryUrlOverride: mirror.url,
      log: () => undefined,
    });
  }, 240_000);

  afterAll(async () => {
    await Promise.all([server?.stop(), upstream?.stop(), mirror?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('applies the cluster stack with the credentials as ephemeral inputs', () => {
    expectStatus(tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { vars: SENTINELS, timeoutMs: 480_000 }), 0, 'apply');
    const resources = tf(dir, cli, ['state', 'list']).stdout.split('\n').filter((l) => l && !l.startsWith('data.'));
    process.stderr.write(`eks emulator: applied ${resources.length} resources\n`);
    expect(resources).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_eks_cluster\./),
        expect.stringMatching(/^aws_eks_node_group\./),
        expect.stringMatching(/^aws_launch_template\./),
        expect.stringMatching(/^aws_lambda_invocation\./),
        expect.stringMatching(/^aws_ssm_parameter\./),
      ]),
    );
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
