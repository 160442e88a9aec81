/**
 * `kubectl rollout status` semantics on the Deployment statuses the deployment controller reports
 * during a rollout of the run-controller from generation 1 to 2 (fixtures/deployment-statuses.json,
 * applied over the recorded Deployment fixtures/deployment.json).
 */
import type { Deployment } from '../../../../updater/adapters/kubernetes/api-objects';
import { assessDeploymentRollout } from '../../../../updater/adapters/kubernetes/deployment-rollout-assessment';
import { templateRevision } from '../../../../updater/adapters/kubernetes/pod-template-revision';
import deploymentFixture from './fixtures/deployment.json';
import statuses from './fixtures/deployment-statuses.json';

type Scenario = keyof typeof statuses;

/** The recorded Deployment with a scenario's metadata, spec and status laid over it. */
function deployment(scenario: Scenario): Deployment {
  const base = structuredClone(deploymentFixture) as unknown as { metadata: object; spec: object; status: object };
  const overlay = structuredClone(statuses[scenario]) as { metadata: object; spec?: object; status: object };
  return { ...base, metadata: { ...base.metadata, ...overlay.metadata }, spec: { ...base.spec, ...overlay.spec }, status: overlay.status } as unknown as Deployment;
}

const REVISION = templateRevision('run-controller-default', deploymentFixture.spec.template as never);
const ROLLOUT = { revision: REVISION, previousRevision: 'run-controller-default:0123456789abcdef' };
const COUNTS = (g: number, o: number, d: number, r: number, u: number, a: number, un: number) =>
  `(generation ${g}, observed ${o}; desired ${d}, replicas ${r}, updated ${u}, available ${a}, unavailable ${un})`;

describe('assessDeploymentRollout', () => {
  it.each<[Scenario, 'in-progress' | 'complete' | 'failed', string]>([
    ['not-observed', 'in-progress', `Waiting for deployment spec update to be observed... ${COUNTS(2, 1, 1, 1, 1, 1, 0)}`],
    ['new-replicaset-created', 'in-progress', `Waiting for deployment "run-controller-default" rollout to finish: 0 out of 1 new replicas have been updated... ${COUNTS(2, 2, 1, 1, 0, 1, 0)}`],
    ['surge-pod-starting', 'in-progress', `Waiting for deployment "run-controller-default" rollout to finish: 1 old replicas are pending termination... ${COUNTS(2, 2, 1, 2, 1, 1, 1)}`],
    ['old-pod-terminating', 'in-progress', `Waiting for deployment "run-controller-default" rollout to finish: 1 old replicas are pending termination... ${COUNTS(2, 2, 1, 2, 1, 2, 0)}`],
    ['updated-not-available', 'in-progress', `Waiting for deployment "run-controller-default" rollout to finish: 0 of 1 updated replicas are available... ${COUNTS(2, 2, 1, 1, 1, 0, 1)}`],
    ['stale-unavailable-count', 'in-progress', `Waiting for deployment "run-controller-default" rollout to finish: 1 replicas are unavailable... ${COUNTS(2, 2, 1, 1, 1, 1, 1)}`],
    // kubectl looks at the deadline only once the controller observed the latest generation.
    ['deadline-exceeded-before-a-newer-generation', 'in-progress', 'Waiting for deployment spec update to be observed...'],
    ['complete', 'complete', `deployment "run-controller-default" successfully rolled out ${COUNTS(2, 2, 1, 1, 1, 1, 0)}`],
    ['scaled-to-zero', 'complete', `deployment "run-controller-default" successfully rolled out ${COUNTS(2, 2, 0, 0, 0, 0, 0)}`],
    [
      'progress-deadline-exceeded',
      'failed',
      `deployment "run-controller-default" exceeded its progress deadline of 600 s: ReplicaSet "run-controller-default-7c5d4b8f96" has timed out progressing. ${COUNTS(2, 2, 1, 2, 1, 1, 1)}`,
    ],
    ['paused', 'failed', 'deployment "run-controller-default" is paused, so run-controller-default:'],
    ['being-deleted', 'failed', 'deployment "run-controller-default" is being deleted (since 2026-11-22T10:00:30Z); the rollout of run-controller-default:'],
  ])('%s -> %s', (scenario, state, text) => {
    const assessment = assessDeploymentRollout(deployment(scenario), ROLLOUT);
    expect(assessment.state).toBe(state);
    const message = assessment.state === 'failed' ? assessment.reason : assessment.detail;
    expect(message.startsWith(text)).toBe(true);
  });

  it('tells how to resume a paused Deployment', () => {
    const assessment = assessDeploymentRollout(deployment('paused'), ROLLOUT);
    expect(assessment).toEqual({
      state: 'failed',
      reason: `deployment "run-controller-default" is paused, so ${REVISION} is not rolled out; resume it with kubectl rollout resume deployment/run-controller-default -n meshstack-runner`,
    });
  });

  it('fails a rollout whose template was replaced meanwhile, even when that one is complete', () => {
    const replaced = deployment('complete') as unknown as { spec: { template: { spec: { containers: { image: string }[] } } } };
    replaced.spec.template.spec.containers[0]!.image = `123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod/run-controller@sha256:${'9'.repeat(64)}`;
    const assessment = assessDeploymentRollout(replaced as unknown as Deployment, ROLLOUT);
    expect(assessment.state).toBe('failed');
    expect(assessment.state === 'failed' && assessment.reason).toMatch(
      new RegExp(`^deployment "run-controller-default" was changed by someone else: it now has template run-controller-default:[0-9a-f]{16} instead of ${REVISION} \\(a kubectl rollout undo`),
    );
  });

  it('judges a restore the same way: the rollout names the template it returns to', () => {
    const back = { revision: REVISION, previousRevision: 'run-controller-default:fedcba9876543210' };
    expect(assessDeploymentRollout(deployment('complete'), back).state).toBe('complete');
  });

  it('treats missing counts (omitted zeros) as zero', () => {
    const d = deployment('complete') as unknown as { status: Record<string, unknown> };
    d.status = { observedGeneration: 2 };
    expect(assessDeploymentRollout(d as unknown as Deployment, ROLLOUT)).toMatchObject({ state: 'in-progress', detail: expect.stringContaining('0 out of 1 new replicas have been updated') });
  });
});
