/**
 * The Azure updater with an AKS runner (`createAzureUpdater`, as the Functions app and
 * `runner-kit update` compose it), from the configuration the AKS stack deploys
 * (`buildAzureUpdaterConfig` of examples/azure-aks.yaml). Signed in as a managed identity through a
 * fake token endpoint (IDENTITY_ENDPOINT, as on Azure Functions) that issues one token per
 * audience; ARM (the cluster's user kubeconfig, ACR importImage) and the cluster's API server are
 * fakes on loopback HTTPS, upstream is a real OCI registry. What it proves: the Kubernetes adapter
 * EKS uses, driven with an Entra token for the AKS server application, with the same channel
 * policy, health gate (the controller's registration log), automatic rollback, operator rollback
 * and version record.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ManagedIdentityCredential } from '@azure/identity';
import type { AzureTargetConfig } from '../../../constructs/azure/config';
import { buildAzureUpdaterConfig } from '../../../constructs/azure/updater-config';
import { loadConfigFile } from '../../../constructs/core/config/load';
import { AKS_SERVER_APPLICATION_ID } from '../../../updater/adapters/azure/aks-token';
import { VERSION_RECORD_ANNOTATION } from '../../../updater/adapters/kubernetes/configmap-version-store';
import { implementationImagesOf } from '../../../updater/adapters/kubernetes/run-controller-config-images';
import { runUpdater, type UpdaterRunResult } from '../../../updater/core/run';
import type { UpdaterPayload } from '../../../updater/core/payload';
import { createAzureUpdater } from '../../../updater/entry/azure-updater';
import { parseAzureUpdaterConfig, type AzureUpdaterConfig } from '../../../updater/entry/azure-updater-config';
import { AKS_TOKEN, ARM_TOKEN, FakeAksControlPlane, IDENTITY_HEADER } from '../../support/fake-aks-control-plane';
import { FakeKubernetesApi, healthyControllerLog } from '../../support/fake-kubernetes-api';
import { makeTestImage, pushImage, startRegistry, type LocalRegistry, type TestImage } from '../../support/oci-registry';
import { describeWith, dockerRegistry } from '../../support/requirements';
import { selfSignedLoopbackCertificate } from '../../support/self-signed-tls';
import { REPO_ROOT } from '../../support/synth';
import configMapFixture from '../adapters/kubernetes/fixtures/configmap.json';
import deploymentFixture from '../adapters/kubernetes/fixtures/deployment.json';

const FIXTURE_REGISTRY = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod';
const NAMESPACE = 'meshstack-runner';
const DEPLOYMENT = 'run-controller-default';
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describeWith([dockerRegistry], 'the Azure updater with an AKS runner (Entra token for the AKS server application)', () => {
  let upstream: LocalRegistry;
  let api: FakeKubernetesApi;
  let azure: FakeAksControlPlane;
  let config: AzureUpdaterConfig;
  const releases: Record<string, Record<string, TestImage>> = {};
  const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
  const mirrorOf = (repo: string) => `${config.registry.loginServer}/aksexample/${repo}`;
  const digestOf = (tag: string, repo: string) => releases[tag]![repo]!.index.digest;

  const run = async (payload: UpdaterPayload): Promise<UpdaterRunResult> => {
    const { runners, reporter } = createAzureUpdater(config, {
      credential: new ManagedIdentityCredential({ clientId: 'updater-client-id' }),
      armEndpoint: azure.url,
      caPem: azure.caPem,
      upstreamRegistryUrlOverride: upstream.url,
      pollIntervalMs: 10,
      importPollIntervalMs: 10,
      reporter: { report: async () => undefined },
    });
    return runUpdater({ target: config.target, payload, runners, reporter, rolloutTimeoutSeconds: 5, signalPollSeconds: 0.1 });
  };
  const deployment = () => api.object('deployments', NAMESPACE, DEPLOYMENT) as Obj;
  const controllerImage = () => (deployment().spec.template.spec.containers as Obj[]).find((c) => c.name === 'run-controller')!.image as string;
  const record = () => JSON.parse((api.object('configmaps', NAMESPACE, DEPLOYMENT) as Obj).metadata.annotations[VERSION_RECORD_ANNOTATION] ?? 'null');

  beforeAll(async () => {
    upstream = await startRegistry();
    for (const tag of ['v1.3.0', 'v1.3.1', 'v1.3.2']) {
      releases[tag] = {};
      for (const repo of ['run-controller', 'tf-block-runner']) {
        releases[tag]![repo] = makeTestImage({ layersPerPlatform: 1, layerBytes: 512 });
        await pushImage(upstream.url, `meshcloud/${repo}`, releases[tag]![repo]!, tag);
      }
    }
    const tls = await selfSignedLoopbackCertificate();
    // The API server accepts only the token Entra ID issues for the AKS server application.
    api = await new FakeKubernetesApi({ token: AKS_TOKEN, tls, progressDeadlineMs: 300 }).start();
    azure = await FakeAksControlPlane.start({ url: api.url, caPem: tls.cert });
    process.env.IDENTITY_ENDPOINT = azure.identityEndpoint;
    process.env.IDENTITY_HEADER = IDENTITY_HEADER;

    // The updater's configuration as the AKS cluster stack writes it into the function app.
    const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', 'azure-aks.yaml'));
    if (!loaded.ok) throw new Error('examples/azure-aks.yaml is invalid');
    const built = buildAzureUpdaterConfig('aksexample', loaded.config.targets.aksexample as AzureTargetConfig);
    config = parseAzureUpdaterConfig(JSON.stringify({ ...built, policy: { ...built.policy, window: undefined }, rolloutTimeoutSeconds: 5 }));

    // What the workload stack deploys: run-controller at the bootstrap's digests of v1.3.0.
    const text = (o: unknown) =>
      JSON.stringify(o)
        .replaceAll(`${FIXTURE_REGISTRY}/run-controller@sha256:${'1'.repeat(64)}`, `${mirrorOf('run-controller')}@${digestOf('v1.3.0', 'run-controller')}`)
        .replaceAll(`${FIXTURE_REGISTRY}/tf-block-runner@sha256:${'1'.repeat(64)}`, `${mirrorOf('tf-block-runner')}@${digestOf('v1.3.0', 'tf-block-runner')}`);
    const configMap = JSON.parse(text(configMapFixture));
    const d = JSON.parse(text(deploymentFixture));
    d.spec.template.metadata.annotations['private-runner-kit/config-sha256'] = createHash('sha256').update(configMap.data['config.yaml'], 'utf8').digest('hex');
    api.seed(configMap);
    api.seed(d);
    api.podLogs = () => healthyControllerLog(1);
  }, 120_000);

  afterAll(async () => {
    process.env.IDENTITY_ENDPOINT = saved.IDENTITY_ENDPOINT;
    process.env.IDENTITY_HEADER = saved.IDENTITY_HEADER;
    if (saved.IDENTITY_ENDPOINT === undefined) delete process.env.IDENTITY_ENDPOINT;
    if (saved.IDENTITY_HEADER === undefined) delete process.env.IDENTITY_HEADER;
    await Promise.all([api?.stop(), azure?.stop(), upstream?.stop()]);
  });

  it('the deployed configuration names the cluster, the controller Deployment and the job images of the release', () => {
    expect(config.cluster).toEqual({ name: 'aksexample-cluster' });
    expect(config.runners[0]).toMatchObject({
      name: 'default',
      upstreamRepository: 'meshcloud/run-controller',
      mirrorRepository: 'aksexample/run-controller',
      kubernetes: { namespace: NAMESPACE, deployment: DEPLOYMENT, implementations: [{ type: 'TERRAFORM', upstreamRepository: 'meshcloud/tf-block-runner', mirrorRepository: 'aksexample/tf-block-runner' }] },
    });
    expect(config.runners[0]!.containerGroup).toBeUndefined();
  });

  it('a check reads the first deployment from the Deployment itself and sees the next patch release, through the private API with an AKS token', async () => {
    const result = await run({ action: 'check' });
    expect(result.runners.default).toMatchObject({ outcome: 'update-available', from: 'v1.3.0', to: 'v1.3.2' });
    // The kubeconfig came from ARM with the ARM token; the cluster saw only the AKS token.
    expect(azure.armRequests.filter((r) => r.path.endsWith('/listClusterUserCredential'))).toEqual([
      { method: 'POST', path: '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/private-runner-kit-aksexample/providers/Microsoft.ContainerService/managedClusters/aksexample-cluster/listClusterUserCredential', authorization: `Bearer ${ARM_TOKEN}` },
    ]);
    expect(api.requests.length).toBeGreaterThan(0);
    expect(api.requests.every((r) => r.authorization === `Bearer ${AKS_TOKEN}`)).toBe(true);
    // Tokens were asked for both audiences, as the updater's own identity.
    expect(azure.tokenRequests).toEqual(expect.arrayContaining([{ resource: AKS_SERVER_APPLICATION_ID, clientId: 'updater-client-id' }, { resource: 'https://management.azure.com', clientId: 'updater-client-id' }]));
    expect(api.requests.every((r) => r.method === 'GET')).toBe(true);
  }, 60_000);

  it('a scheduled run promotes controller and job image by digest (ARM import), rolls both through the cluster API, gates on the registration log and records the change', async () => {
    api.crashingImages.add(`${mirrorOf('run-controller')}@${digestOf('v1.3.2', 'run-controller')}`);
    // v1.3.2 never becomes ready: rolled back to v1.3.0 automatically, nothing recorded.
    const crashed = await run({ action: 'scheduled' });
    expect(crashed.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.3.0', to: 'v1.3.2' });
    expect(controllerImage()).toBe(`${mirrorOf('run-controller')}@${digestOf('v1.3.0', 'run-controller')}`);
    expect(record()).toBeNull();
    // Imports by digest, the release tag on the mirror side, never a credential.
    expect(azure.imports.map((i) => [i.source.sourceImage, i.targetTags?.[0]])).toEqual(
      expect.arrayContaining([
        [`meshcloud/run-controller@${digestOf('v1.3.2', 'run-controller')}`, 'aksexample/run-controller:v1.3.2'],
        [`meshcloud/tf-block-runner@${digestOf('v1.3.2', 'tf-block-runner')}`, 'aksexample/tf-block-runner:v1.3.2'],
      ]),
    );
    for (const i of azure.imports) expect(i.source.credentials).toBeUndefined();

    // An operator asks for v1.3.1 (healthy): updated, both images moved, the record written on the ConfigMap.
    api.crashingImages.clear();
    const updated = await run({ action: 'update', version: 'v1.3.1' });
    expect(updated.runners.default).toMatchObject({ outcome: 'updated', from: 'v1.3.0', to: 'v1.3.1' });
    expect(controllerImage()).toBe(`${mirrorOf('run-controller')}@${digestOf('v1.3.1', 'run-controller')}`);
    const images = implementationImagesOf((api.object('configmaps', NAMESPACE, DEPLOYMENT) as Obj).data['config.yaml'], 'config');
    expect(images.TERRAFORM).toBe(`${mirrorOf('tf-block-runner')}@${digestOf('v1.3.1', 'tf-block-runner')}`);
    expect(record()).toMatchObject({ version: 'v1.3.1', digest: digestOf('v1.3.1', 'run-controller'), previous: { version: 'v1.3.0', digest: digestOf('v1.3.0', 'run-controller') } });
    // The meshStack check read the new controller pod's log through the API server.
    expect(api.requests.some((r) => /^\/api\/v1\/namespaces\/meshstack-runner\/pods\/run-controller-default-[0-9a-f]+-\d+\/log\?container=run-controller&timestamps=true/.test(r.url))).toBe(true);
  }, 60_000);

  it("an operator's rollback returns to the recorded previous release and records it; nothing ever touched a Secret or left the namespace", async () => {
    const result = await run({ action: 'rollback' });
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.3.1', to: 'v1.3.0' });
    expect(controllerImage()).toBe(`${mirrorOf('run-controller')}@${digestOf('v1.3.0', 'run-controller')}`);
    expect(record()).toMatchObject({ version: 'v1.3.0', previous: { version: 'v1.3.1' } });
    expect(api.requests.every((r) => r.authorization === `Bearer ${AKS_TOKEN}` && !r.url.includes('/secrets') && r.url.includes(`/namespaces/${NAMESPACE}/`))).toBe(true);
  }, 60_000);

  it('GIVEN the configured version moved before any update THEN the first record is refused, naming what runs', async () => {
    const recorded = record();
    const patched = api.object('configmaps', NAMESPACE, DEPLOYMENT) as Obj;
    delete patched.metadata.annotations[VERSION_RECORD_ANNOTATION];
    api.seed(patched);
    const saved = config;
    config = { ...config, runners: [{ ...config.runners[0]!, version: 'v1.3.2' }] };
    try {
      const result = await run({ action: 'check' });
      expect(result.runners.default).toMatchObject({ outcome: 'failed' });
      expect(result.runners.default!.reason).toMatch(/runs sha256:[0-9a-f]{64}, not v1\.3\.2/);
    } finally {
      config = saved;
      api.seed({ ...patched, metadata: { ...patched.metadata, annotations: { ...patched.metadata.annotations, [VERSION_RECORD_ANNOTATION]: JSON.stringify(recorded) } } });
    }
  }, 60_000);

  it('a token for another audience is refused by the fake API server: the check fails without one', async () => {
    const { runners, reporter } = createAzureUpdater(config, {
      // An identity that can get an ARM token but is handed an ARM token for the cluster too.
      credential: { getToken: async () => ({ token: ARM_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) },
      armEndpoint: azure.url,
      caPem: azure.caPem,
      upstreamRegistryUrlOverride: upstream.url,
      reporter: { report: async () => undefined },
    });
    const result = await runUpdater({ target: config.target, payload: { action: 'check' }, runners, reporter, rolloutTimeoutSeconds: 5 });
    expect(result.runners.default).toMatchObject({ outcome: 'failed' });
    expect(result.runners.default!.reason).toMatch(/401/);
  }, 60_000);
});
