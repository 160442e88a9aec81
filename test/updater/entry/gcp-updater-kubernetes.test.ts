/**
 * The updater as the GKE target's Cloud Run job composes it (`createGcpUpdater` with a Kubernetes
 * runner): its Google token from a fake metadata server (which insists on `Metadata-Flavor: Google`),
 * the cluster's DNS endpoint read from a fake GKE API with that token, version records in the fake
 * Cloud Storage, upstream and mirror as real OCI registries on loopback, and the cluster's API as
 * the fake Kubernetes API server, which accepts only the metadata server's token (what GKE does
 * with a Google access token at the DNS endpoint). Bootstrap promotes controller and job images and
 * writes the record without touching the cluster; a scheduled run rolls both to the next patch
 * release through the Kubernetes API and records it. Then the token source and endpoint lookup alone.
 */
import { createHash } from 'node:crypto';
import { metadataServerToken } from '../../../updater/adapters/gcp/access-token';
import { GoogleApi } from '../../../updater/adapters/gcp/google-api';
import { gkeDnsEndpoint, gkeKubernetesClient, gkeTokenProvider } from '../../../updater/adapters/gcp/gke-kubernetes-api';
import { implementationImagesOf } from '../../../updater/adapters/kubernetes/run-controller-config-images';
import type { UpdateReport } from '../../../updater/core/ports';
import { bootstrapGcp, runGcpUpdater, type GcpUpdaterOptions } from '../../../updater/entry/gcp-updater';
import { buildGcpUpdaterConfig, parseGcpUpdaterConfig } from '../../../updater/entry/gcp-updater-config';
import { FakeGoogleApis } from '../../support/fake-google-apis';
import { FakeKubernetesApi, healthyControllerLog } from '../../support/fake-kubernetes-api';
import { makeTestImage, manifestStatus, pushImage, startRegistry, type LocalRegistry, type TestImage } from '../../support/oci-registry';
import { describeWith, dockerRegistry } from '../../support/requirements';
import configMapFixture from '../adapters/kubernetes/fixtures/configmap.json';
import deploymentFixture from '../adapters/kubernetes/fixtures/deployment.json';

const PROJECT = 'acme-runners';
const REGION = 'europe-west3';
const CLUSTER = `projects/${PROJECT}/locations/${REGION}/clusters/gkeexample`;
const MIRROR = `${REGION}-docker.pkg.dev/${PROJECT}/gkeexample`;
const FIXTURE_REGISTRY = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod';
const TOKEN = 'meta-gke-updater-token';
const RECORD = 'rk-acme-runners-gkeexample/records/default.json';

const config = buildGcpUpdaterConfig({
  target: 'gkeexample',
  project: PROJECT,
  region: REGION,
  rolloutTimeoutMinutes: 1,
  policy: { channel: 'patch', hold: false, allowDowngrade: false },
  bucket: 'rk-acme-runners-gkeexample',
  mirrorRegistry: MIRROR,
  job: 'gkeexample-updater',
  schedulerServiceAccount: `gkeexample-schedule@${PROJECT}.iam.gserviceaccount.com`,
  runtimePackage: 'updater-runtime',
  runtimeRecord: 'records/updater-runtime.json',
  runners: [
    {
      name: 'default',
      upstreamImage: 'ghcr.io/meshcloud/run-controller',
      version: 'v1.2.0',
      mirrorPackage: 'run-controller',
      record: 'records/default.json',
      kubernetes: { cluster: 'gkeexample', namespace: 'meshstack-runner', deployment: 'run-controller-default', implementations: [{ type: 'TERRAFORM', upstreamImage: 'ghcr.io/meshcloud/tf-block-runner', mirrorPackage: 'tf-block-runner' }] },
    },
  ],
  runTimeoutMinutes: 60,
});
const dnsCluster = (endpoint: string, allowExternalTraffic = true) => ({ name: 'gkeexample', status: 'RUNNING', controlPlaneEndpointsConfig: { dnsEndpointConfig: { endpoint, allowExternalTraffic } } });

describeWith([dockerRegistry], 'the GCP updater with a Kubernetes (GKE) runner', () => {
  let upstream: LocalRegistry;
  let mirror: LocalRegistry;
  let google: FakeGoogleApis;
  let api: FakeKubernetesApi;
  const releases: Record<string, Record<string, TestImage>> = {};
  const reports: UpdateReport[] = [];
  const options = (): GcpUpdaterOptions => ({
    // Inside the Cloud Run job: the metadata server is the credential.
    env: { CLOUD_RUN_JOB: 'gkeexample-updater', GCE_METADATA_HOST: google.host },
    endpoints: { run: google.url, logging: google.url, storage: google.url, container: google.url },
    mirrorRegistryUrlOverride: mirror.url,
    upstreamRegistryUrlOverride: upstream.url,
    kubernetesApiOverride: { server: api.url },
    pollIntervalMs: 10,
    reporter: { report: async (r) => void reports.push(r) },
    log: () => undefined,
  });

  beforeAll(async () => {
    [upstream, mirror] = await Promise.all([startRegistry(), startRegistry()]);
    google = await new FakeGoogleApis().start();
    google.metadataToken = TOKEN;
    google.clusters.set(CLUSTER, dnsCluster('gke-0123456789abcdef.europe-west3.gke.goog'));
    api = await new FakeKubernetesApi({ token: TOKEN }).start();
    for (const tag of ['v1.2.0', 'v1.2.1']) {
      releases[tag] = {};
      for (const repo of ['run-controller', 'tf-block-runner']) {
        releases[tag]![repo] = makeTestImage({ layersPerPlatform: 1, layerBytes: 1024 });
        await pushImage(upstream.url, `meshcloud/${repo}`, releases[tag]![repo]!, tag);
      }
    }
    await pushImage(upstream.url, 'library/node', makeTestImage({ layerBytes: 1024 }), '22-alpine');
  }, 120_000);

  afterAll(async () => {
    await api?.stop();
    await google?.stop();
    await Promise.all([upstream?.stop(), mirror?.stop()]);
  });

  it('the job document of a GKE runner parses (cluster, namespace, Deployment, job images) and names no worker pool', () => {
    expect(parseGcpUpdaterConfig(JSON.stringify(config)).runners[0]).toMatchObject({ kubernetes: { cluster: 'gkeexample', implementations: [{ type: 'TERRAFORM', upstreamRegistry: 'https://ghcr.io', upstreamRepository: 'meshcloud/tf-block-runner' }] } });
    const both = { ...config, runners: [{ ...config.runners[0]!, workerPool: 'x' }] };
    expect(() => parseGcpUpdaterConfig(JSON.stringify(both))).toThrow(/either a workerPool \(Cloud Run\) or kubernetes \(GKE\)/);
    const noCluster = { ...config, runners: [{ ...config.runners[0]!, kubernetes: { ...config.runners[0]!.kubernetes!, cluster: '' } }] };
    expect(() => parseGcpUpdaterConfig(JSON.stringify(noCluster))).toThrow(/kubernetes\.cluster must be a non-empty string/);
  });

  it('bootstrap promotes the controller and its job image at the configured release and writes the record, touching no cluster', async () => {
    const result = await bootstrapGcp(config, options());
    expect(result.runners.default).toMatchObject({ outcome: 'bootstrapped', to: 'v1.2.0', digest: releases['v1.2.0']!['run-controller']!.index.digest, image: `${MIRROR}/run-controller@${releases['v1.2.0']!['run-controller']!.index.digest}` });
    expect(await manifestStatus(mirror.url, 'acme-runners/gkeexample/tf-block-runner', 'v1.2.0')).toBe(200);
    expect(JSON.parse(google.objects.get(RECORD)!.toString('utf8'))).toMatchObject({ version: 'v1.2.0', digest: releases['v1.2.0']!['run-controller']!.index.digest });
    expect(api.requests).toEqual([]);
    expect(google.requests.filter((r) => r.path.includes('/clusters/'))).toEqual([]);

    // What the workload stack then deploys: run-controller at the bootstrap's digests.
    const text = (o: unknown) =>
      JSON.stringify(o)
        .replaceAll(`${FIXTURE_REGISTRY}/run-controller@sha256:${'1'.repeat(64)}`, `${MIRROR}/run-controller@${releases['v1.2.0']!['run-controller']!.index.digest}`)
        .replaceAll(`${FIXTURE_REGISTRY}/tf-block-runner@sha256:${'1'.repeat(64)}`, `${MIRROR}/tf-block-runner@${releases['v1.2.0']!['tf-block-runner']!.index.digest}`);
    const configMap = JSON.parse(text(configMapFixture));
    const deployment = JSON.parse(text(deploymentFixture));
    deployment.spec.template.metadata.annotations['private-runner-kit/config-sha256'] = createHash('sha256').update(configMap.data['config.yaml'], 'utf8').digest('hex');
    api.seed(configMap);
    api.seed(deployment);
  }, 60_000);

  it('a scheduled run finds the DNS endpoint, rolls controller and job image to the next patch release with the metadata server\'s token, and records it', async () => {
    api.podLogs = () => healthyControllerLog(1);
    const result = await runGcpUpdater(config, { action: 'scheduled' }, { ...options(), minimumSignalSeconds: 1, busyWaitSeconds: 0 });
    expect(result.runners.default).toMatchObject({ outcome: 'updated', from: 'v1.2.0', to: 'v1.2.1' });
    // The cluster was read through the GKE API (for its DNS endpoint), with a metadata-server token.
    expect(google.requests.filter((r) => r.path === `/v1/${CLUSTER}`).length).toBeGreaterThanOrEqual(1);
    expect(google.requests.some((r) => r.path === '/computeMetadata/v1/instance/service-accounts/default/token')).toBe(true);
    const deployment = api.object('deployments', 'meshstack-runner', 'run-controller-default') as { spec: { template: { spec: { containers: { name: string; image: string }[] } } } };
    expect(deployment.spec.template.spec.containers.find((c) => c.name === 'run-controller')!.image).toBe(`${MIRROR}/run-controller@${releases['v1.2.1']!['run-controller']!.index.digest}`);
    const images = implementationImagesOf((api.object('configmaps', 'meshstack-runner', 'run-controller-default') as { data: Record<string, string> }).data['config.yaml']!, 'config');
    expect(images.TERRAFORM).toBe(`${MIRROR}/tf-block-runner@${releases['v1.2.1']!['tf-block-runner']!.index.digest}`);
    expect(JSON.parse(google.objects.get(RECORD)!.toString('utf8'))).toMatchObject({ version: 'v1.2.1', previous: expect.objectContaining({ version: 'v1.2.0' }) });
    // Every Kubernetes request carried the updater's own Google token; none touched Secrets.
    expect(api.requests.length).toBeGreaterThan(0);
    expect(api.requests.every((r) => r.authorization === `Bearer ${TOKEN}` && !r.url.includes('/secrets'))).toBe(true);
    expect(reports.some((r) => r.runner === 'default' && r.outcome === 'updated')).toBe(true);
  }, 90_000);
});

describe('GKE token source and DNS endpoint (fake metadata server, fake GKE API, fake Kubernetes API)', () => {
  let google: FakeGoogleApis;
  beforeEach(async () => {
    google = await new FakeGoogleApis().start();
    google.metadataToken = TOKEN;
  });
  afterEach(async () => google.stop());
  const api = () => new GoogleApi({ tokens: metadataServerToken({ GCE_METADATA_HOST: google.host }), retries: 0 });
  const lookup = () => gkeDnsEndpoint({ api: api(), endpoint: google.url, project: PROJECT, location: REGION, cluster: 'gkeexample' });

  it('the Kubernetes token is the metadata server\'s access token, fetched with Metadata-Flavor: Google and cached', async () => {
    const tokens = metadataServerToken({ GCE_METADATA_HOST: google.host });
    const provider = gkeTokenProvider(tokens);
    expect(await provider()).toBe(TOKEN);
    expect(await provider()).toBe(TOKEN);
    expect(google.requests.filter((r) => r.path.startsWith('/computeMetadata/')).length).toBe(1);
  });

  it('a client built for the cluster authenticates to the Kubernetes API with that token (and only that one is accepted)', async () => {
    google.clusters.set(CLUSTER, dnsCluster('gke-0123456789abcdef.europe-west3.gke.goog'));
    const k8s = await new FakeKubernetesApi({ token: TOKEN }).start();
    try {
      k8s.seed(deploymentFixture);
      const tokens = metadataServerToken({ GCE_METADATA_HOST: google.host });
      const client = await gkeKubernetesClient({ api: new GoogleApi({ tokens }), tokens, endpoint: google.url, project: PROJECT, location: REGION, cluster: 'gkeexample', serverOverride: { server: k8s.url } });
      const got = (await client.request('GET', '/apis/apps/v1/namespaces/meshstack-runner/deployments/run-controller-default')) as { metadata: { name: string } };
      expect(got.metadata.name).toBe('run-controller-default');
      expect(k8s.requests.map((r) => r.authorization)).toEqual([`Bearer ${TOKEN}`]);
      google.metadataToken = 'another-token';
      const other = await gkeKubernetesClient({ api: api(), tokens: metadataServerToken({ GCE_METADATA_HOST: google.host }), endpoint: google.url, project: PROJECT, location: REGION, cluster: 'gkeexample', serverOverride: { server: k8s.url } });
      await expect(other.request('GET', '/apis/apps/v1/namespaces/meshstack-runner/deployments/run-controller-default')).rejects.toThrow(/401/);
    } finally {
      await k8s.stop();
    }
  });

  it('the DNS endpoint comes from the cluster; a cluster without one open to the updater, an odd host or a missing cluster fail with the reason', async () => {
    google.clusters.set(CLUSTER, dnsCluster('gke-0123456789abcdef.europe-west3.gke.goog'));
    expect(await lookup()).toBe('https://gke-0123456789abcdef.europe-west3.gke.goog');
    google.clusters.set(CLUSTER, dnsCluster('gke-0123456789abcdef.europe-west3.gke.goog', false));
    await expect(lookup()).rejects.toThrow(/no DNS endpoint the updater may use/);
    google.clusters.set(CLUSTER, dnsCluster('evil.example.com'));
    await expect(lookup()).rejects.toThrow(/not a gke\.goog host/);
    google.clusters.delete(CLUSTER);
    await expect(lookup()).rejects.toThrow(/HTTP 404/);
  });

  it('a metadata server that is not Google\'s is refused', async () => {
    const fake = await new FakeKubernetesApi().start();
    try {
      await expect(metadataServerToken({ GCE_METADATA_HOST: new URL(fake.url).host }).token()).rejects.toThrow(/not a Google metadata server/);
    } finally {
      await fake.stop();
    }
  });
});
