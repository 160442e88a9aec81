/**
 * run-controller on Kubernetes, against the fake API server (real HTTP, real paths and verbs):
 *
 * 1. The meshStack signal: the rollout's new controller pods are judged by their own log, read
 *    through the API server; a release whose controller cannot register (the readiness probe on
 *    /metrics passes all the same) is rolled back, the controller's error in the reason.
 * 2. A controller rollout leaves the run Jobs alone. run-controller creates each run's Job without
 *    an ownerReference (`controller/kubernetes.go:123-133` at v1.3.0: name `runner-<run uuid>`, the
 *    four labels, nothing else in ObjectMeta) and gives only the run-json Secret an ownerReference,
 *    to its Job (`kubernetes.go:452-471`); its only Delete is of that Secret when the Job cannot be
 *    created (`kubernetes.go:194`). Kubernetes' garbage collector deletes only dependents whose owner
 *    is gone. So when the updater replaces the controller's pods, the Jobs of runs in progress (and
 *    their Secrets) stay, and no busy wait is needed on Kubernetes. The fake runs that garbage
 *    collector; a control object owned by the replaced pod shows that it does.
 */
import type { ImageMirror, ReleaseSource, UpdateReport, VersionRecord } from '../../../../updater/core/ports';
import { runUpdater, type RunnerPorts } from '../../../../updater/core/run';
import { ControllerLogSignal, parsePodLog } from '../../../../updater/adapters/kubernetes/controller-log-signal';
import { KubernetesClient } from '../../../../updater/adapters/kubernetes/kubernetes-client';
import { KubernetesRunnerDeployment } from '../../../../updater/adapters/kubernetes/kubernetes-runner-deployment';
import { FakeKubernetesApi, healthyControllerLog, refusedControllerLog } from '../../../support/fake-kubernetes-api';
import configMapFixture from './fixtures/configmap.json';
import deploymentFixture from './fixtures/deployment.json';

const NS = 'meshstack-runner';
const NAME = 'run-controller-default';
const REG = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod';
const DIGESTS: Record<string, string> = { 'v1.2.0': `sha256:${'1'.repeat(64)}`, 'v1.2.1': `sha256:${'2'.repeat(64)}`, 'v1.2.2': `sha256:${'3'.repeat(64)}` };
const CONTROLLER_UUID = '8a0f0e4c-5b8e-4c53-9d57-3a8c1f1f8b11';

/** A run's Job exactly as run-controller creates it (kubernetes.go:123-149): no ownerReferences. */
function runJob(runUuid: string) {
  const labels = { 'app.kubernetes.io/name': 'runner', 'meshcloud.io/run-id': runUuid, 'meshcloud.io/runner-id': CONTROLLER_UUID, 'meshcloud.io/runner-type': 'TERRAFORM' };
  return {
    kind: 'Job',
    apiVersion: 'batch/v1',
    metadata: { name: `runner-${runUuid}`, namespace: NS, labels },
    spec: { backoffLimit: 1, ttlSecondsAfterFinished: 120, template: { metadata: { labels }, spec: { restartPolicy: 'Never', containers: [{ name: 'runner', image: `${REG}/tf-block-runner@${DIGESTS['v1.2.0']}` }] } } },
    status: { active: 1, startTime: '2026-11-22T09:40:00Z' },
  };
}

/** The run's Secret, owned by its Job (kubernetes.go:115, 454-471). */
function runJsonSecret(runUuid: string, jobUid: string) {
  return {
    kind: 'Secret',
    apiVersion: 'v1',
    metadata: { name: `run-json-${runUuid}`, namespace: NS, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: `runner-${runUuid}`, uid: jobUid, controller: true, blockOwnerDeletion: true }] },
    data: { 'run.json': Buffer.from('{}').toString('base64') },
  };
}

describe('run-controller on Kubernetes: the meshStack signal and the run Jobs', () => {
  let api: FakeKubernetesApi;
  let client: KubernetesClient;
  let record: VersionRecord;
  let tags: string[];
  const reports: UpdateReport[] = [];
  const refused = `${REG}/run-controller@${DIGESTS['v1.2.2']}`;

  const ports = (): RunnerPorts => {
    const mirror = (repository: string): ImageMirror => ({ promote: async (v) => DIGESTS[v]!, imageReference: (d) => `${repository}@${d}` });
    const releases: ReleaseSource = { listTags: async () => tags };
    return {
      name: 'default',
      policy: { channel: 'patch', hold: false, allowDowngrade: false, version: 'v1.2.0' },
      releases,
      mirror: mirror(`${REG}/run-controller`),
      versions: { read: async () => record, write: async (r) => void (record = r) },
      deployment: new KubernetesRunnerDeployment({ client, namespace: NS, deployment: NAME, mirrorRepositoryUrl: `${REG}/run-controller`, pollIntervalMs: 10 }),
      meshstack: new ControllerLogSignal({ client, namespace: NS, deployment: NAME }),
    };
  };
  const run = () =>
    runUpdater({ target: 'acme-prod', payload: { action: 'scheduled' }, runners: [ports()], reporter: { report: async (r) => void reports.push(r) }, rolloutTimeoutSeconds: 5, signalPollSeconds: 0.1 });
  const controllerPods = () => api.list('pods', NS).filter((p) => p.metadata.labels['app.kubernetes.io/name'] === 'run-controller');

  beforeAll(async () => {
    api = await new FakeKubernetesApi({ token: 'updater-token' }).start();
    api.seed(deploymentFixture);
    api.seed(configMapFixture);
    // The controller logs as run-controller does; the v1.2.2 controller's registration is refused (wrong secret).
    api.podLogs = (pod) =>
      pod.spec.containers.find((c: { name: string }) => c.name === 'run-controller')?.image === refused
        ? refusedControllerLog('PUT failed with status 401: {"error":"unauthorized"}')
        : healthyControllerLog(1);
    client = new KubernetesClient({ server: api.url, token: async () => 'updater-token' });
    record = { version: 'v1.2.0', digest: DIGESTS['v1.2.0']!, updatedAt: '2026-11-20T09:12:44Z' };
    tags = ['v1.2.0', 'v1.2.1'];
  });
  afterAll(async () => {
    client.close();
    await api.stop();
  });

  it('parsePodLog reads the kubelet timestamps (RFC 3339 with nanoseconds)', () => {
    expect(parsePodLog('2026-11-22T10:00:00.123456789Z [CONTROLLER] 2026/11/22 10:00:00 Started\nno stamp here\n')).toEqual([
      { timestamp: Date.parse('2026-11-22T10:00:00.123Z'), message: '[CONTROLLER] 2026/11/22 10:00:00 Started' },
      { timestamp: 0, message: 'no stamp here' },
    ]);
  });

  describe('GIVEN two runs in progress, each a Job as run-controller creates it, with its run-json Secret', () => {
    let jobs: { uid: string; resourceVersion: string }[];
    let oldPods: string[];

    beforeAll(() => {
      jobs = ['6e2c0c4a-0d4f-4a8e-9f43-1b2a3c4d5e01', '6e2c0c4a-0d4f-4a8e-9f43-1b2a3c4d5e02'].map((run) => {
        const job = api.seed(runJob(run));
        api.seed(runJsonSecret(run, job.metadata.uid));
        return { uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion };
      });
      // The control: an object that IS a dependent of the running controller pod.
      const [pod] = controllerPods();
      api.seed({ kind: 'Secret', apiVersion: 'v1', metadata: { name: 'owned-by-old-controller-pod', namespace: NS, ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: pod!.metadata.name, uid: pod!.metadata.uid }] }, data: {} });
      oldPods = controllerPods().map((p) => p.metadata.name);
      expect(oldPods).toHaveLength(1);
    });

    it('WHEN the updater rolls the controller to v1.2.1, whose pods register and poll THEN updated, verified by the new pod\'s own log', async () => {
      const result = await run();
      expect(result.runners.default).toMatchObject({ outcome: 'updated', from: 'v1.2.0', to: 'v1.2.1' });
      const logReads = api.requests.filter((r) => r.url.includes('/log?'));
      expect(logReads.length).toBeGreaterThan(0);
      expect(logReads.every((r) => r.url.startsWith(`/api/v1/namespaces/${NS}/pods/`) && r.url.includes('container=run-controller') && !oldPods.some((p) => r.url.includes(`/pods/${p}/`)))).toBe(true);
    }, 20_000);

    it('THEN the old controller pod was replaced, and the garbage collector took what it owned', () => {
      expect(controllerPods().map((p) => p.metadata.name)).not.toContain(oldPods[0]);
      expect(api.collected).toContain(`secrets/${NS}/owned-by-old-controller-pod`);
    });

    it('THEN both Jobs and their Secrets are still there, unchanged, and the updater never addressed a Job or a Secret', () => {
      const now = api.list('jobs', NS);
      expect(now.map((j) => ({ uid: j.metadata.uid, resourceVersion: j.metadata.resourceVersion, ownerReferences: j.metadata.ownerReferences }))).toEqual(
        jobs.map((j) => ({ ...j, ownerReferences: undefined })),
      );
      expect(now.every((j) => j.status.active === 1)).toBe(true);
      expect(api.list('secrets', NS).map((s) => s.metadata.name).sort()).toEqual(['run-json-6e2c0c4a-0d4f-4a8e-9f43-1b2a3c4d5e01', 'run-json-6e2c0c4a-0d4f-4a8e-9f43-1b2a3c4d5e02']);
      expect(api.requests.filter((r) => /\/(jobs|secrets)(\/|\?|$)/.test(r.url))).toEqual([]);
    });
  });

  it('GIVEN v1.2.2, whose controller cannot register (401), but whose pods are Ready THEN the rollout is rolled back, the controller\'s error in the reason', async () => {
    tags.push('v1.2.2');
    const result = await run();
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.2.1', to: 'v1.2.2' });
    expect(result.runners.default!.reason).toMatch(
      /^v1\.2\.2 did not become healthy \(the runners of run-controller-default:[0-9a-f]{16} cannot reach meshStack: pod run-controller-default-[0-9a-f]+-\d+: \d+ registrations in a row failed; last: registration failed: controller registration failed: PUT failed with status 401: \{"error":"unauthorized"\}\); rolled back to v1\.2\.1, which is healthy again\.$/,
    );
    expect(record.version).toBe('v1.2.1');
    expect(api.object('deployments', NS, NAME)!.spec.template.spec.containers[0].image).toBe(`${REG}/run-controller@${DIGESTS['v1.2.1']}`);
  }, 20_000);

  it('observe is unknown while no pod of the revision has logged, and reaching once it registered and polled three intervals without an error', async () => {
    const signal = (now?: () => number) => new ControllerLogSignal({ client, namespace: NS, deployment: NAME, ...(now ? { now } : {}) });
    const current = await ports().deployment.current();
    const rollout = { revision: current!.revision, previousRevision: current!.revision };
    expect(await signal(() => Date.now() + 60_000).observe(rollout, 0)).toMatchObject({ state: 'reaching', detail: expect.stringMatching(/^1 of 1 expected instance\(s\) reach meshStack \(pod run-controller-default-.*: registered \d+ s ago, no failed poll since \(polling every 1 s\)\)$/) });
    expect(await signal().observe({ revision: 'run-controller-default:0000000000000000', previousRevision: rollout.revision }, 0)).toMatchObject({ state: 'unknown', detail: expect.stringContaining('no instance of the revision has logged yet') });
  });
});
