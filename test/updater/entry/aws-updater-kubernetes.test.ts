/**
 * The updater as the EKS Lambda composes it (`createAwsUpdater` with a Kubernetes runner): AWS
 * APIs on the emulator (version record, ECR login, eks:DescribeCluster), upstream and mirror as
 * real OCI registries on loopback, and the cluster's API as the fake Kubernetes API server (no
 * Kubernetes API exists on this machine). Bootstrap promotes controller and job images; a
 * scheduled run rolls both to the next patch release and records it.
 */
import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { createHash } from 'node:crypto';
import { runUpdater } from '../../../updater/core/run';
import { implementationImagesOf } from '../../../updater/adapters/kubernetes/run-controller-config-images';
import { createAwsUpdater, type AwsUpdaterOptions } from '../../../updater/entry/aws-updater';
import type { AwsUpdaterConfig } from '../../../updater/entry/aws-updater-config';
import { FakeKubernetesApi, healthyControllerLog } from '../../support/fake-kubernetes-api';
import { moto, startMoto, type MotoServer } from '../../support/moto';
import { makeTestImage, manifestStatus, pushImage, startRegistry, type LocalRegistry, type TestImage } from '../../support/oci-registry';
import { describeWith, dockerRegistry } from '../../support/requirements';
import configMapFixture from '../adapters/kubernetes/fixtures/configmap.json';
import deploymentFixture from '../adapters/kubernetes/fixtures/deployment.json';

const REGION = 'eu-central-1';
const FIXTURE_REGISTRY = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };

describeWith([moto, dockerRegistry], 'the AWS updater with a Kubernetes (EKS) runner', () => {
  let server: MotoServer;
  let upstream: LocalRegistry;
  let mirror: LocalRegistry;
  let api: FakeKubernetesApi;
  let config: AwsUpdaterConfig;
  const releases: Record<string, Record<string, TestImage>> = {};
  const options = (): AwsUpdaterOptions => ({
    clients: { endpoint: server.endpoint, credentials, maxAttempts: 2 },
    mirrorRegistryUrlOverride: mirror.url,
    kubernetesApiOverride: { server: api.url, token: async () => 'updater-token' },
    pollIntervalMs: 10,
    log: () => undefined,
  });
  const mirrorPrefix = () => `${mirror.hostPort}/eksexample`;

  beforeAll(async () => {
    [server, upstream, mirror] = await Promise.all([startMoto(), startRegistry(), startRegistry()]);
    api = await new FakeKubernetesApi({ token: 'updater-token' }).start();
    for (const tag of ['v1.2.0', 'v1.2.1']) {
      releases[tag] = {};
      for (const repo of ['run-controller', 'tf-block-runner']) {
        releases[tag]![repo] = makeTestImage({ layersPerPlatform: 1, layerBytes: 1024 });
        await pushImage(upstream.url, `meshcloud/${repo}`, releases[tag]![repo]!, tag);
      }
    }
    config = {
      target: 'eksexample',
      region: REGION,
      metricNamespace: 'PrivateRunnerKit/Updater',
      rolloutTimeoutSeconds: 5,
      rolloutTracking: 'deployment',
      policy: { channel: 'patch', hold: false, allowDowngrade: false },
      runners: [
        {
          platform: 'kubernetes',
          name: 'default',
          upstreamRegistry: upstream.url,
          upstreamRepository: 'meshcloud/run-controller',
          version: 'v1.2.0',
          mirrorRepository: 'eksexample/run-controller',
          cluster: 'eksexample',
          versionParameter: '/private-runner-kit/eksexample/runners/default/version',
          namespace: 'meshstack-runner',
          deployment: 'run-controller-default',
          implementations: [{ type: 'TERRAFORM', upstreamRegistry: upstream.url, upstreamRepository: 'meshcloud/tf-block-runner', mirrorRepository: 'eksexample/tf-block-runner' }],
        },
      ],
    };
    const eks = new EKSClient({ region: REGION, endpoint: server.endpoint, credentials });
    await eks.send(new CreateClusterCommand({ name: 'eksexample', roleArn: 'arn:aws:iam::123456789012:role/x', resourcesVpcConfig: { subnetIds: ['subnet-1', 'subnet-2'] } }));
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await Promise.all([server?.stop(), upstream?.stop(), mirror?.stop()]);
  });

  it('bootstrap promotes the controller and its job image at the configured release, touching no cluster', async () => {
    const { runners, reporter } = await createAwsUpdater(config, options());
    const result = await runUpdater({ target: config.target, payload: { action: 'bootstrap' }, runners, reporter, rolloutTimeoutSeconds: 5 });
    expect(result.runners.default).toMatchObject({
      outcome: 'bootstrapped',
      to: 'v1.2.0',
      digest: releases['v1.2.0']!['run-controller']!.index.digest,
      image: `${mirrorPrefix()}/run-controller@${releases['v1.2.0']!['run-controller']!.index.digest}`,
    });
    expect(await manifestStatus(mirror.url, 'eksexample/tf-block-runner', 'v1.2.0')).toBe(200);
    expect(api.requests).toEqual([]);

    // What the deploy then does: the version record from the bootstrap, the workload on the cluster.
    const ssm = new SSMClient({ region: REGION, endpoint: server.endpoint, credentials });
    await ssm.send(new PutParameterCommand({ Name: config.runners[0]!.versionParameter, Type: 'String', Value: JSON.stringify(result.runners.default!.record) }));
    const text = (o: unknown) =>
      JSON.stringify(o)
        .replaceAll(`${FIXTURE_REGISTRY}/run-controller@sha256:${'1'.repeat(64)}`, `${mirrorPrefix()}/run-controller@${releases['v1.2.0']!['run-controller']!.index.digest}`)
        .replaceAll(`${FIXTURE_REGISTRY}/tf-block-runner@sha256:${'1'.repeat(64)}`, `${mirrorPrefix()}/tf-block-runner@${releases['v1.2.0']!['tf-block-runner']!.index.digest}`);
    const configMap = JSON.parse(text(configMapFixture));
    const deployment = JSON.parse(text(deploymentFixture));
    deployment.spec.template.metadata.annotations['private-runner-kit/config-sha256'] = createHash('sha256').update(configMap.data['config.yaml'], 'utf8').digest('hex');
    api.seed(configMap);
    api.seed(deployment);
  }, 60_000);

  it('a scheduled run rolls controller and job image to the next patch release through the cluster API and records it', async () => {
    // The new controller pods log as run-controller does: registered, then polling every second.
    api.podLogs = () => healthyControllerLog(1);
    const { runners, reporter } = await createAwsUpdater(config, options());
    const result = await runUpdater({ target: config.target, payload: { action: 'scheduled' }, runners, reporter, rolloutTimeoutSeconds: 5, signalPollSeconds: 0.1 });
    expect(result.runners.default).toMatchObject({ outcome: 'updated', from: 'v1.2.0', to: 'v1.2.1' });
    // The meshStack check read the new controller pod's log, through the API server.
    expect(api.requests.some((r) => /^\/api\/v1\/namespaces\/meshstack-runner\/pods\/run-controller-default-[0-9a-f]+-\d+\/log\?container=run-controller&timestamps=true/.test(r.url))).toBe(true);
    const deployment = api.object('deployments', 'meshstack-runner', 'run-controller-default') as { spec: { template: { spec: { containers: { name: string; image: string }[] } } } };
    expect(deployment.spec.template.spec.containers.find((c) => c.name === 'run-controller')!.image).toBe(`${mirrorPrefix()}/run-controller@${releases['v1.2.1']!['run-controller']!.index.digest}`);
    const images = implementationImagesOf((api.object('configmaps', 'meshstack-runner', 'run-controller-default') as { data: Record<string, string> }).data['config.yaml']!, 'config');
    expect(images.TERRAFORM).toBe(`${mirrorPrefix()}/tf-block-runner@${releases['v1.2.1']!['tf-block-runner']!.index.digest}`);
    // Every request carried the updater's token; none touched secrets.
    expect(api.requests.length).toBeGreaterThan(0);
    expect(api.requests.every((r) => r.authorization === 'Bearer updater-token' && !r.url.includes('/secrets'))).toBe(true);
  }, 60_000);
});
