/**
 * KubernetesRunnerDeployment against the fake API server over loopback HTTP (and once over HTTPS
 * with the cluster CA): the real requests, patches, conflicts and the deployment controller's
 * answers. The pure parts (rollout status, revisions, config edits) have their own table tests.
 */
import type { Deployment, ReplicaSet } from '../../../../updater/adapters/kubernetes/api-objects';
import { CONFIG_HISTORY_ANNOTATION, parseConfigHistory } from '../../../../updater/adapters/kubernetes/config-history';
import { KubernetesClient } from '../../../../updater/adapters/kubernetes/kubernetes-client';
import {
  CONFIG_HASH_ANNOTATION,
  KubernetesRunnerDeployment,
  VERSION_ANNOTATION,
  type KubernetesRunnerDeploymentOptions,
} from '../../../../updater/adapters/kubernetes/kubernetes-runner-deployment';
import { templateRevision } from '../../../../updater/adapters/kubernetes/pod-template-revision';
import { configSha256, implementationImagesOf } from '../../../../updater/adapters/kubernetes/run-controller-config-images';
import { FakeKubernetesApi, type FakeKubernetesApiOptions } from '../../../support/fake-kubernetes-api';
import { selfSignedLoopbackCertificate } from '../../../support/self-signed-tls';
import configMapFixture from './fixtures/configmap.json';
import deploymentFixture from './fixtures/deployment.json';
import statusErrors from './fixtures/status-errors.json';

const NS = 'meshstack-runner';
const NAME = 'run-controller-default';
const REG = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod';
const CONTROLLER = `${REG}/run-controller`;
const TF = `${REG}/tf-block-runner`;
const GH = `${REG}/github-block-runner`;
const digest = (n: number | string) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
/** The images of release v1.<n>.0: digest n repeated, in every repository. */
const release = (n: number) => ({ controller: `${CONTROLLER}@${digest(n)}`, implementations: { TERRAFORM: `${TF}@${digest(n)}`, GITHUB_WORKFLOW: `${GH}@${digest(n)}` } });
const ORIGINAL_CONFIG = configMapFixture.data['config.yaml'];
const ORIGINAL_TEMPLATE = deploymentFixture.spec.template;
const ORIGINAL_REVISION = templateRevision(NAME, ORIGINAL_TEMPLATE as never);
const DEPLOYMENT_PATH = /\/deployments\/run-controller-default$/;
const CONFIGMAP_PATH = /\/configmaps\/run-controller-default$/;

interface World {
  readonly api: FakeKubernetesApi;
  readonly client: KubernetesClient;
  readonly deployment: KubernetesRunnerDeployment;
  readonly stored: () => { deployment: Deployment; config: string; history: ReturnType<typeof parseConfigHistory>; replicaSets: ReplicaSet[] };
  readonly writes: () => { method: string; url: string; contentType: string | undefined }[];
}

const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    w.client.close();
    await w.api.stop();
  }
});

async function world(overrides: Partial<KubernetesRunnerDeploymentOptions> = {}, apiOptions: FakeKubernetesApiOptions = {}, seed = true): Promise<World> {
  const api = await new FakeKubernetesApi({ token: 'updater-token', ...apiOptions }).start();
  if (seed) {
    api.seed(deploymentFixture);
    api.seed(configMapFixture);
  }
  const client = new KubernetesClient({ server: api.url, token: async () => 'updater-token', ...(apiOptions.tls ? { caPem: apiOptions.tls.cert } : {}) });
  worlds.push({ api, client } as World);
  const deployment = new KubernetesRunnerDeployment({
    client,
    namespace: NS,
    deployment: NAME,
    mirrorRepositoryUrl: CONTROLLER,
    implementationRepositories: { TERRAFORM: TF, GITHUB_WORKFLOW: GH },
    implementationImages: async (version) => release(Number(/^v1\.(\d+)\.0$/.exec(version)![1])).implementations,
    pollIntervalMs: 10,
    ...overrides,
  });
  const w: World = {
    api,
    client,
    deployment,
    stored: () => {
      const configMap = api.object('configmaps', NS, NAME)!;
      return {
        deployment: api.object('deployments', NS, NAME) as Deployment,
        config: configMap.data['config.yaml'],
        history: parseConfigHistory(configMap.metadata.annotations?.[CONFIG_HISTORY_ANNOTATION]),
        replicaSets: api.replicaSets(NS) as ReplicaSet[],
      };
    },
    writes: () => api.requests.filter((r) => r.method !== 'GET').map(({ method, url, contentType }) => ({ method, url, contentType })),
  };
  worlds[worlds.length - 1] = w;
  return w;
}

const containerImages = (d: Deployment) => Object.fromEntries([...(d.spec.template.spec?.initContainers ?? []), ...(d.spec.template.spec?.containers ?? [])].map((c) => [c.name, c.image]));
const revisionNumber = (rs: ReplicaSet) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'];

describe('KubernetesRunnerDeployment.current', () => {
  it('reads the template revision and the controller\'s mirror digest', async () => {
    const { deployment } = await world();
    await expect(deployment.current()).resolves.toEqual({ revision: ORIGINAL_REVISION, digest: digest(1) });
  });

  it('is undefined when the Deployment does not exist', async () => {
    const { deployment } = await world({}, {}, false);
    await expect(deployment.current()).resolves.toBeUndefined();
  });
});

describe('KubernetesRunnerDeployment rollout', () => {
  it('GIVEN release v1.2.0 WHEN rolled out THEN the ConfigMap and the Deployment point at its digests and the rollout becomes healthy', async () => {
    const w = await world();
    const rollout = await w.deployment.rollOut(release(2).controller, 'v1.2.0');
    expect(rollout.previousRevision).toBe(ORIGINAL_REVISION);
    expect(rollout.revision).toMatch(/^run-controller-default:[0-9a-f]{16}$/);
    expect(rollout.revision).not.toBe(ORIGINAL_REVISION);

    const { deployment, config, history } = w.stored();
    expect(implementationImagesOf(config, 'config')).toEqual(release(2).implementations);
    expect(containerImages(deployment)).toEqual({ 'compose-config': release(2).controller, 'run-controller': release(2).controller });
    expect(deployment.spec.template.metadata?.annotations).toEqual({ [CONFIG_HASH_ANNOTATION]: configSha256(config), [VERSION_ANNOTATION]: 'v1.2.0' });
    expect(deployment.metadata.annotations?.['kubernetes.io/change-cause']).toBe('private-runner-kit updater: roll out v1.2.0');
    expect(history.map((e) => e.content)).toEqual([config, ORIGINAL_CONFIG]);
    // Everything else in the template is as Terraform made it.
    const rest = (d: unknown) => {
      const t = structuredClone((d as Deployment).spec.template) as unknown as { metadata: { annotations?: unknown }; spec: { containers: { image?: string }[]; initContainers: { image?: string }[] } };
      delete t.metadata.annotations;
      t.spec.containers.forEach((c) => delete c.image);
      t.spec.initContainers.forEach((c) => delete c.image);
      return t;
    };
    expect(rest(deployment)).toEqual(rest(deploymentFixture));
    // Patches only, each with the resourceVersion it was computed from.
    expect(w.writes()).toEqual([
      { method: 'PATCH', url: `/api/v1/namespaces/${NS}/configmaps/${NAME}`, contentType: 'application/merge-patch+json' },
      { method: 'PATCH', url: `/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`, contentType: 'application/strategic-merge-patch+json' },
    ]);
    expect(w.api.requests.filter((r) => r.method === 'PATCH').every((r) => typeof (r.body as { metadata: { resourceVersion?: string } }).metadata.resourceVersion === 'string')).toBe(true);

    await expect(w.deployment.waitHealthy(rollout, 5)).resolves.toEqual({ healthy: true });
    await expect(w.deployment.current()).resolves.toEqual({ revision: rollout.revision, digest: digest(2) });
    const replicaSets = w.stored().replicaSets;
    expect(replicaSets.map((rs) => [revisionNumber(rs), rs.spec.replicas, templateRevision(NAME, rs.spec.template!)])).toEqual([
      ['1', 0, ORIGINAL_REVISION],
      ['2', 1, rollout.revision],
    ]);
  });

  it('GIVEN a release whose controller never becomes ready THEN waitHealthy is unhealthy with the last state, and restore brings back the previous image AND config', async () => {
    const w = await world();
    w.api.crashingImages.add(release(3).controller);
    const rollout = await w.deployment.rollOut(release(3).controller, 'v1.3.0');
    const health = await w.deployment.waitHealthy(rollout, 0.3);
    expect(health).toEqual({
      healthy: false,
      reason: expect.stringMatching(
        new RegExp(
          `^Deployment ${NAME} in namespace ${NS} did not become healthy on ${rollout.revision} within 0.3 s; last state: ` +
            `Waiting for deployment "${NAME}" rollout to finish: 1 old replicas are pending termination\\.\\.\\. \\(generation 2, observed 2; desired 1, replicas 2, updated 1, available 1, unavailable 1\\)$`,
        ),
      ),
    });
    expect(implementationImagesOf(w.stored().config, 'config')).toEqual(release(3).implementations);

    const back = await w.deployment.restore(rollout.previousRevision);
    expect(back).toEqual({ revision: ORIGINAL_REVISION, previousRevision: rollout.revision });
    const restored = w.stored();
    expect(restored.config).toBe(ORIGINAL_CONFIG);
    expect(restored.deployment.spec.template).toEqual(ORIGINAL_TEMPLATE);
    expect(restored.deployment.metadata.annotations?.['kubernetes.io/change-cause']).toBe(`private-runner-kit updater: restore ${ORIGINAL_REVISION}`);
    // The restore used a JSON patch replacing the whole template (kubectl rollout undo's way).
    const restorePatch = w.api.requests.filter((r) => r.method === 'PATCH').at(-1)!;
    expect(restorePatch.contentType).toBe('application/json-patch+json');
    expect((restorePatch.body as { op: string; path: string }[]).map((o) => `${o.op} ${o.path}`)).toEqual([
      'replace /metadata/resourceVersion',
      'add /metadata/annotations/kubernetes.io~1change-cause',
      'replace /spec/template',
    ]);

    await expect(w.deployment.waitHealthy(back, 5)).resolves.toEqual({ healthy: true });
    await expect(w.deployment.current()).resolves.toEqual({ revision: ORIGINAL_REVISION, digest: digest(1) });
    // As with kubectl rollout undo, the old ReplicaSet is reused and renumbered.
    expect(w.stored().replicaSets.map((rs) => [revisionNumber(rs), rs.spec.replicas, templateRevision(NAME, rs.spec.template!)])).toEqual([
      ['3', 1, ORIGINAL_REVISION],
      ['2', 0, rollout.revision],
    ]);
    // Both configs stay kept, so going forward again is possible too.
    expect(restored.history.map((e) => e.content)).toEqual([ORIGINAL_CONFIG, implementationConfig(w, 3)]);
  });

  it('fails fast when the deployment controller reports ProgressDeadlineExceeded', async () => {
    const w = await world({}, { progressDeadlineMs: 100 });
    w.api.crashingImages.add(release(3).controller);
    const rollout = await w.deployment.rollOut(release(3).controller, 'v1.3.0');
    const started = Date.now();
    const health = await w.deployment.waitHealthy(rollout, 10);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(health).toEqual({ healthy: false, reason: expect.stringMatching(new RegExp(`^deployment "${NAME}" exceeded its progress deadline of 600 s: ReplicaSet "${NAME}-[0-9a-f]{10}" has timed out progressing\\.`)) });
  });

  it('restores across two updates: back to the Terraform revision after v1.2.0 and v1.3.0', async () => {
    const w = await world();
    const first = await w.deployment.rollOut(release(2).controller, 'v1.2.0');
    await expect(w.deployment.waitHealthy(first, 5)).resolves.toEqual({ healthy: true });
    const second = await w.deployment.rollOut(release(3).controller, 'v1.3.0');
    await expect(w.deployment.waitHealthy(second, 5)).resolves.toEqual({ healthy: true });
    const back = await w.deployment.restore(ORIGINAL_REVISION);
    await expect(w.deployment.waitHealthy(back, 5)).resolves.toEqual({ healthy: true });
    expect(w.stored().config).toBe(ORIGINAL_CONFIG);
    expect(w.stored().deployment.spec.template).toEqual(ORIGINAL_TEMPLATE);
  });

  it('without implementationImages only the controller changes; the config stays, and is kept for a rollback', async () => {
    const w = await world({ implementationImages: undefined, implementationRepositories: undefined });
    const rollout = await w.deployment.rollOut(release(2).controller, 'v1.2.0');
    const { config, deployment, history } = w.stored();
    expect(config).toBe(ORIGINAL_CONFIG);
    expect(deployment.spec.template.metadata?.annotations?.[CONFIG_HASH_ANNOTATION]).toBe(configSha256(ORIGINAL_CONFIG));
    expect(history.map((e) => e.content)).toEqual([ORIGINAL_CONFIG]);
    await expect(w.deployment.waitHealthy(rollout, 5)).resolves.toEqual({ healthy: true });
  });

  it('rollOutImages takes the images of a release as a map', async () => {
    const w = await world({ implementationImages: undefined });
    const rollout = await w.deployment.rollOutImages({ controller: release(4).controller, implementations: { TERRAFORM: `${TF}@${digest(4)}`, GITHUB_WORKFLOW: `${GH}@${digest(5)}` } }, 'v1.4.0');
    expect(implementationImagesOf(w.stored().config, 'config')).toEqual({ TERRAFORM: `${TF}@${digest(4)}`, GITHUB_WORKFLOW: `${GH}@${digest(5)}` });
    await expect(w.deployment.waitHealthy(rollout, 5)).resolves.toEqual({ healthy: true });
  });
});

function implementationConfig(w: World, n: number): string {
  return w.stored().history.find((e) => implementationImagesOf(e.content, 'h').TERRAFORM === `${TF}@${digest(n)}`)!.content;
}

describe('KubernetesRunnerDeployment optimistic concurrency', () => {
  it('GIVEN someone changes the Deployment between read and write THEN the 409 is retried once, from a fresh read', async () => {
    const w = await world();
    w.api.writeConcurrentlyBeforeNextWrite(DEPLOYMENT_PATH);
    const rollout = await w.deployment.rollOut(release(2).controller, 'v1.2.0');
    expect(w.writes().map((r) => `${r.method} ${r.url.split('/').at(-2)}`)).toEqual(['PATCH configmaps', 'PATCH deployments', 'PATCH deployments']);
    expect(w.stored().deployment.metadata.annotations?.['example.com/touched-by']).toBe('someone-else');
    await expect(w.deployment.waitHealthy(rollout, 5)).resolves.toEqual({ healthy: true });
  });

  it('retries a ConfigMap conflict once too', async () => {
    const w = await world();
    w.api.writeConcurrentlyBeforeNextWrite(CONFIGMAP_PATH);
    await w.deployment.rollOut(release(2).controller, 'v1.2.0');
    expect(w.writes().map((r) => `${r.method} ${r.url.split('/').at(-2)}`)).toEqual(['PATCH configmaps', 'PATCH configmaps', 'PATCH deployments']);
    expect(implementationImagesOf(w.stored().config, 'config')).toEqual(release(2).implementations);
  });

  it('GIVEN two conflicts in a row THEN the rollout fails with the Status message and the ConfigMap is put back', async () => {
    const w = await world();
    w.api.writeConcurrentlyBeforeNextWrite(DEPLOYMENT_PATH);
    w.api.writeConcurrentlyBeforeNextWrite(DEPLOYMENT_PATH);
    await expect(w.deployment.rollOut(release(2).controller, 'v1.2.0')).rejects.toThrow(
      `PATCH /apis/apps/v1/namespaces/${NS}/deployments/${NAME} failed: HTTP 409 Conflict: Operation cannot be fulfilled on deployments.apps "${NAME}": the object has been modified; ` +
        `please apply your changes to the latest version and try again (ConfigMap ${NAME} was put back to its previous content)`,
    );
    expect(w.stored().config).toBe(ORIGINAL_CONFIG);
    expect(w.stored().deployment.spec.template).toEqual(ORIGINAL_TEMPLATE);
  });

  it('puts the ConfigMap back when the API server refuses the Deployment patch', async () => {
    const w = await world();
    w.api.inject(DEPLOYMENT_PATH, statusErrors.invalid.status, statusErrors.invalid.body, 'PATCH');
    await expect(w.deployment.rollOut(release(2).controller, 'v1.2.0')).rejects.toThrow(/HTTP 422 Invalid: .* \(ConfigMap run-controller-default was put back to its previous content\)$/);
    expect(w.stored().config).toBe(ORIGINAL_CONFIG);
  });

  it('changes nothing when the ConfigMap patch is forbidden, and says which permission is missing', async () => {
    const w = await world();
    w.api.inject(CONFIGMAP_PATH, statusErrors.forbidden.status, statusErrors.forbidden.body, 'PATCH');
    await expect(w.deployment.rollOut(release(2).controller, 'v1.2.0')).rejects.toThrow(/HTTP 403 Forbidden: configmaps "run-controller-default" is forbidden: User ".*" cannot patch resource "configmaps"/);
    expect(w.stored().deployment.spec.template).toEqual(ORIGINAL_TEMPLATE);
  });
});

describe('KubernetesRunnerDeployment refuses before changing anything', () => {
  it.each([
    ['a tag', `${CONTROLLER}:v1.2.0`],
    ['another repository', `ghcr.io/meshcloud/run-controller@${digest(2)}`],
    ['a longer repository name', `${CONTROLLER}-fork@${digest(2)}`],
    ['a short digest', `${CONTROLLER}@sha256:1234`],
  ])('an image by %s', async (_, image) => {
    const w = await world();
    await expect(w.deployment.rollOut(image, 'v1.2.0')).rejects.toThrow(`image "${image}" is not a by-digest reference into the mirror ${CONTROLLER}; runners only run mirror digests`);
    expect(w.api.requests).toEqual([]);
  });

  it('an implementation image outside its mirror repository', async () => {
    const w = await world({ implementationImages: async () => ({ TERRAFORM: `ghcr.io/meshcloud/tf-block-runner@${digest(2)}`, GITHUB_WORKFLOW: `${GH}@${digest(2)}` }) });
    await expect(w.deployment.rollOut(release(2).controller, 'v1.2.0')).rejects.toThrow(
      `TERRAFORM image "ghcr.io/meshcloud/tf-block-runner@${digest(2)}" is not a by-digest reference into its mirror ${TF}`,
    );
    expect(w.writes()).toEqual([]);
  });

  it('a release missing an image of a managed implementation', async () => {
    const w = await world({ implementationImages: async () => ({ TERRAFORM: `${TF}@${digest(2)}` }) });
    await expect(w.deployment.rollOut(release(2).controller, 'v1.2.0')).rejects.toThrow(
      'the release gives no image for GITHUB_WORKFLOW, which config.yaml of ConfigMap run-controller-default configures and implementationRepositories manages',
    );
    expect(w.writes()).toEqual([]);
  });

  it('a Deployment that does not exist', async () => {
    const w = await world({}, {}, false);
    await expect(w.deployment.rollOut(release(2).controller, 'v1.2.0')).rejects.toThrow(
      `cannot roll out v1.2.0: Deployment ${NAME} in namespace ${NS} does not exist; deploy the workload stack first (cdktf deploy)`,
    );
  });

  it('a Deployment without the config hash annotation (not deployed by the kit)', async () => {
    const w = await world({}, {}, false);
    const foreign = structuredClone(deploymentFixture) as unknown as { spec: { template: { metadata: { annotations?: unknown } } } };
    delete foreign.spec.template.metadata.annotations;
    w.api.seed(foreign);
    w.api.seed(configMapFixture);
    await expect(w.deployment.rollOut(release(2).controller, 'v1.2.0')).rejects.toThrow(/has no pod-template annotation private-runner-kit\/config-sha256/);
    expect(w.writes()).toEqual([]);
  });

  it('a ConfigMap that no longer holds what the pods run, with no copy kept', async () => {
    const w = await world({}, {}, false);
    w.api.seed(deploymentFixture);
    w.api.seed({ ...configMapFixture, data: { 'config.yaml': ORIGINAL_CONFIG.replace('maxConcurrentJobs: 20', 'maxConcurrentJobs: 5') } });
    await expect(w.deployment.rollOut(release(2).controller, 'v1.2.0')).rejects.toThrow(/the pods run a config file with sha256 [0-9a-f]{64}, but ConfigMap run-controller-default holds another one and no copy of theirs is kept/);
    expect(w.writes()).toEqual([]);
  });

  it('a controller container that is not there', async () => {
    const w = await world({ container: 'controller' });
    await expect(w.deployment.rollOut(release(2).controller, 'v1.2.0')).rejects.toThrow(`Deployment ${NAME} in namespace ${NS} has no container "controller" (containers: run-controller)`);
    expect(w.writes()).toEqual([]);
  });

  it('a restore of another Deployment\'s revision, or of one whose ReplicaSet is gone', async () => {
    const w = await world();
    await expect(w.deployment.restore('run-controller-other:0123456789abcdef')).rejects.toThrow(
      `cannot restore run-controller-other:0123456789abcdef on Deployment ${NAME} in namespace ${NS}: it is a revision of Deployment run-controller-other`,
    );
    await expect(w.deployment.restore(`${NAME}:0123456789abcdef`)).rejects.toThrow(
      `cannot restore ${NAME}:0123456789abcdef: no ReplicaSet of Deployment ${NAME} in namespace ${NS} has that template (kept: ${ORIGINAL_REVISION}); older ones are deleted beyond the Deployment's revisionHistoryLimit (5). Nothing was changed`,
    );
    await expect(w.deployment.restore('arn:aws:ecs:eu-central-1:123456789012:task-definition/x:1')).rejects.toThrow(/not a revision of a Kubernetes runner/);
    expect(w.writes()).toEqual([]);
  });

  it('a restore whose config file is not kept', async () => {
    const w = await world();
    const rollout = await w.deployment.rollOut(release(2).controller, 'v1.2.0');
    await w.deployment.waitHealthy(rollout, 5);
    // Someone wiped the history (e.g. a Terraform apply that owns the annotations).
    await w.client.patch(`/api/v1/namespaces/${NS}/configmaps/${NAME}`, { metadata: { annotations: { [CONFIG_HISTORY_ANNOTATION]: null } } }, 'merge');
    const writes = w.writes().length;
    await expect(w.deployment.restore(ORIGINAL_REVISION)).rejects.toThrow(
      new RegExp(`cannot restore ${ORIGINAL_REVISION}: its config file \\(sha256 [0-9a-f]{64}\\) is not kept in annotation private-runner-kit/config-history of ConfigMap ${NAME}; nothing was changed`),
    );
    expect(w.writes()).toHaveLength(writes);
  });

  it.each<[string, Partial<KubernetesRunnerDeploymentOptions>, RegExp]>([
    ['a mirror URL with a digest', { mirrorRepositoryUrl: `${CONTROLLER}@${digest(1)}` }, /mirrorRepositoryUrl ".*" is not a repository URL/],
    ['an unknown implementation type', { implementationRepositories: { TERRAFORMS: TF } as never }, /implementationRepositories names "TERRAFORMS", which is no implementation type/],
    ['implementationImages without repositories', { implementationRepositories: {} }, /implementationImages is set but implementationRepositories is empty/],
    ['a namespace that is no name', { namespace: 'Meshstack Runner' }, /namespace "Meshstack Runner" is not a valid Kubernetes name/],
    ['a zero poll interval', { pollIntervalMs: 0 }, /pollIntervalMs must be a positive number/],
  ])('options with %s', async (_, overrides, message) => {
    await expect(world(overrides)).rejects.toThrow(message);
  });
});

describe('KubernetesRunnerDeployment.waitHealthy', () => {
  it('keeps polling through a transient 503', async () => {
    const w = await world();
    const rollout = await w.deployment.rollOut(release(2).controller, 'v1.2.0');
    w.api.inject(DEPLOYMENT_PATH, 503, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'the server is currently unable to handle the request', reason: 'ServiceUnavailable', code: 503 }, 'GET');
    await expect(w.deployment.waitHealthy(rollout, 5)).resolves.toEqual({ healthy: true });
  });

  it('throws on 403: a missing permission is not an unhealthy runner', async () => {
    const w = await world();
    const rollout = await w.deployment.rollOut(release(2).controller, 'v1.2.0');
    w.api.inject(DEPLOYMENT_PATH, 403, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'deployments.apps "run-controller-default" is forbidden', reason: 'Forbidden', code: 403 }, 'GET');
    await expect(w.deployment.waitHealthy(rollout, 5)).rejects.toThrow(/HTTP 403 Forbidden/);
  });

  it('is unhealthy when the Deployment was changed by someone else meanwhile', async () => {
    const w = await world();
    const rollout = await w.deployment.rollOut(release(2).controller, 'v1.2.0');
    await w.client.patch(`/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`, { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-11-22T10:00:00Z' } } } } }, 'strategic-merge');
    await expect(w.deployment.waitHealthy(rollout, 5)).resolves.toEqual({ healthy: false, reason: expect.stringContaining(`was changed by someone else`) });
  });

  it('fails for a timeout that is not a positive number', async () => {
    const w = await world();
    await expect(w.deployment.waitHealthy({ revision: ORIGINAL_REVISION, previousRevision: ORIGINAL_REVISION }, 0)).rejects.toThrow('timeoutSeconds must be a positive number, got 0');
  });
});

describe('KubernetesRunnerDeployment over HTTPS with a self-signed cluster CA', () => {
  it('rolls out and waits', async () => {
    const tls = await selfSignedLoopbackCertificate();
    const w = await world({}, { tls });
    expect(w.api.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const rollout = await w.deployment.rollOut(release(2).controller, 'v1.2.0');
    await expect(w.deployment.waitHealthy(rollout, 5)).resolves.toEqual({ healthy: true });
    await expect(w.deployment.current()).resolves.toEqual({ revision: rollout.revision, digest: digest(2) });
  });
});
