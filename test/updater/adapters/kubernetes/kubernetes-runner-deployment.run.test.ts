/**
 * The whole updater run (`runUpdater`, updater/core/run.ts) with the Kubernetes adapter against the
 * fake API server, and in-memory fakes for the other ports: an update, a forced failure rolled
 * back, and an operator rollback to the revision Terraform deployed, end to end.
 */
import type { ImageMirror, ReleaseSource, Reporter, UpdateReport, VersionRecord, VersionStore } from '../../../../updater/core/ports';
import { runUpdater, type RunnerPorts } from '../../../../updater/core/run';
import type { Deployment } from '../../../../updater/adapters/kubernetes/api-objects';
import { KubernetesClient } from '../../../../updater/adapters/kubernetes/kubernetes-client';
import { KubernetesRunnerDeployment } from '../../../../updater/adapters/kubernetes/kubernetes-runner-deployment';
import { templateRevision } from '../../../../updater/adapters/kubernetes/pod-template-revision';
import { implementationImagesOf, type ImplementationType } from '../../../../updater/adapters/kubernetes/run-controller-config-images';
import { FakeKubernetesApi } from '../../../support/fake-kubernetes-api';
import configMapFixture from './fixtures/configmap.json';
import deploymentFixture from './fixtures/deployment.json';

const NS = 'meshstack-runner';
const NAME = 'run-controller-default';
const REG = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod';
const NOW = new Date('2026-11-22T10:00:00Z');
/** The digest every image of a release has in this test: v1.2.0 -> 1..., v1.2.1 -> 2..., v1.2.2 -> 3... */
const DIGESTS: Record<string, string> = { 'v1.2.0': `sha256:${'1'.repeat(64)}`, 'v1.2.1': `sha256:${'2'.repeat(64)}`, 'v1.2.2': `sha256:${'3'.repeat(64)}` };
const ORIGINAL_REVISION = templateRevision(NAME, deploymentFixture.spec.template as never);

/** An in-memory mirror of one repository: promoting a version yields its digest. */
function mirror(repository: string, promoted: string[]): ImageMirror {
  return {
    promote: async (version) => {
      promoted.push(`${repository.split('/').at(-1)}:${version}`);
      return DIGESTS[version]!;
    },
    imageReference: (digest) => `${repository}@${digest}`,
  };
}

describe('runUpdater with the Kubernetes adapter', () => {
  let api: FakeKubernetesApi;
  let client: KubernetesClient;
  let record: VersionRecord | undefined;
  let tags: string[];
  let promoted: string[];
  let reports: UpdateReport[];
  let ports: RunnerPorts;

  beforeAll(async () => {
    api = await new FakeKubernetesApi({ token: 'updater-token' }).start();
    api.seed(deploymentFixture);
    api.seed(configMapFixture);
    client = new KubernetesClient({ server: api.url, token: async () => 'updater-token' });
    record = { version: 'v1.2.0', digest: DIGESTS['v1.2.0']!, updatedAt: '2026-11-20T09:12:44Z' };
    tags = ['v1.2.0', 'v1.2.1', 'latest'];
    promoted = [];
    reports = [];
    const implementationMirrors: Record<'TERRAFORM' | 'GITHUB_WORKFLOW', ImageMirror> = {
      TERRAFORM: mirror(`${REG}/tf-block-runner`, promoted),
      GITHUB_WORKFLOW: mirror(`${REG}/github-block-runner`, promoted),
    };
    const releases: ReleaseSource = { listTags: async () => tags };
    const versions: VersionStore = { read: async () => record, write: async (r) => void (record = r) };
    ports = {
      name: 'default',
      policy: { channel: 'patch', hold: false, allowDowngrade: false, version: 'v1.2.0' },
      releases,
      mirror: mirror(`${REG}/run-controller`, promoted),
      versions,
      deployment: new KubernetesRunnerDeployment({
        client,
        namespace: NS,
        deployment: NAME,
        mirrorRepositoryUrl: `${REG}/run-controller`,
        implementationRepositories: { TERRAFORM: `${REG}/tf-block-runner`, GITHUB_WORKFLOW: `${REG}/github-block-runner` },
        // The release's implementation images: each promoted into its own mirror repository.
        implementationImages: async (version) => {
          const images: Partial<Record<ImplementationType, string>> = {};
          for (const [type, m] of Object.entries(implementationMirrors)) images[type as ImplementationType] = m.imageReference(await m.promote(version));
          return images;
        },
        pollIntervalMs: 10,
      }),
    };
  });
  afterAll(async () => {
    client.close();
    await api.stop();
  });

  const reporter: Reporter = { report: async (r) => void reports.push(r) };
  const run = (payload: Parameters<typeof runUpdater>[0]['payload'], timeoutSeconds = 5) =>
    runUpdater({ target: 'acme-prod', payload, runners: [ports], reporter, rolloutTimeoutSeconds: timeoutSeconds, now: () => NOW });
  const stored = () => ({
    deployment: api.object('deployments', NS, NAME) as Deployment,
    images: implementationImagesOf(api.object('configmaps', NS, NAME)!.data['config.yaml'], 'config'),
  });
  const controllerImage = () => stored().deployment.spec.template.spec!.containers!.find((c) => c.name === 'run-controller')!.image;

  let updatedRevision = '';

  it('GIVEN v1.2.1 is published WHEN the scheduled run happens THEN every image of the release is promoted, rolled out and recorded', async () => {
    const result = await run({ action: 'scheduled' });
    const outcome = result.runners.default!;
    expect(outcome).toMatchObject({ outcome: 'updated', from: 'v1.2.0', to: 'v1.2.1', digest: DIGESTS['v1.2.1'], image: `${REG}/run-controller@${DIGESTS['v1.2.1']}` });
    updatedRevision = outcome.revision!;
    expect(updatedRevision).toMatch(/^run-controller-default:[0-9a-f]{16}$/);
    expect(promoted).toEqual(['run-controller:v1.2.1', 'tf-block-runner:v1.2.1', 'github-block-runner:v1.2.1']);
    expect(controllerImage()).toBe(`${REG}/run-controller@${DIGESTS['v1.2.1']}`);
    expect(stored().images).toEqual({ TERRAFORM: `${REG}/tf-block-runner@${DIGESTS['v1.2.1']}`, GITHUB_WORKFLOW: `${REG}/github-block-runner@${DIGESTS['v1.2.1']}` });
    expect(record).toMatchObject({ version: 'v1.2.1', revision: updatedRevision, previous: { version: 'v1.2.0', revision: ORIGINAL_REVISION } });
    expect(reports.map((r) => r.outcome)).toEqual(['updated']);
  });

  it('GIVEN v1.2.2 crashes WHEN the scheduled run happens THEN it is rolled back to v1.2.1, images and config alike', async () => {
    tags.push('v1.2.2');
    api.crashingImages.add(`${REG}/run-controller@${DIGESTS['v1.2.2']}`);
    const result = await run({ action: 'scheduled' }, 0.4);
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.2.1', to: 'v1.2.2', digest: DIGESTS['v1.2.1'], revision: updatedRevision });
    expect(result.runners.default!.reason).toMatch(/^v1\.2\.2 did not become healthy \(Deployment run-controller-default in namespace meshstack-runner did not become healthy on .* within 0\.4 s; last state: Waiting for deployment "run-controller-default" rollout to finish: 1 old replicas are pending termination/);
    expect(controllerImage()).toBe(`${REG}/run-controller@${DIGESTS['v1.2.1']}`);
    expect(stored().images).toEqual({ TERRAFORM: `${REG}/tf-block-runner@${DIGESTS['v1.2.1']}`, GITHUB_WORKFLOW: `${REG}/github-block-runner@${DIGESTS['v1.2.1']}` });
    expect(templateRevision(NAME, stored().deployment.spec.template)).toBe(updatedRevision);
    expect(record).toMatchObject({ version: 'v1.2.1', revision: updatedRevision });
    expect(reports.map((r) => r.outcome)).toEqual(['updated', 'rolled-back']);
  });

  it('WHEN an operator rolls back THEN the revision Terraform deployed (v1.2.0) runs again, with its config', async () => {
    const result = await run({ action: 'rollback' });
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.2.1', to: 'v1.2.0', revision: ORIGINAL_REVISION });
    expect(stored().deployment.spec.template).toEqual(deploymentFixture.spec.template);
    expect(api.object('configmaps', NS, NAME)!.data['config.yaml']).toBe(configMapFixture.data['config.yaml']);
    expect(record).toMatchObject({ version: 'v1.2.0', revision: ORIGINAL_REVISION, previous: { version: 'v1.2.1', revision: updatedRevision } });
    expect(reports.map((r) => r.outcome)).toEqual(['updated', 'rolled-back', 'rolled-back']);
  });
});
