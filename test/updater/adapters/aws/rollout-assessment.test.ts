import type { DescribeServicesCommandOutput, Service } from '@aws-sdk/client-ecs';
import { assessRollout, shortArn, type RolloutTracking } from '../../../../updater/adapters/aws/rollout-assessment';
import fixtures from './fixtures/describe-services.json';

/**
 * DescribeServices answers of the runner's service during a rollout from revision 7 to 8, as ECS
 * returns them (fixtures/describe-services.json).
 */
type Scenario = keyof typeof fixtures;
const service = (name: Scenario): Service => (structuredClone(fixtures[name]) as unknown as DescribeServicesCommandOutput).services![0];

const REV = (n: number) => `arn:aws:ecs:eu-central-1:123456789012:task-definition/acme-prod-default:${n}`;
const ROLLOUT = { revision: REV(8), previousRevision: REV(7) };

describe('assessRollout', () => {
  it.each<[Scenario, RolloutTracking, boolean, string, RegExp]>([
    ['in-progress', 'deployment', false, 'in-progress', /PRIMARY deployment ecs-svc\/2222222222222222222 of acme-prod-default:8 is IN_PROGRESS \(running 0 of 1, pending 1, failed tasks 0, 1 older deployment\(s\) still listed\)/],
    ['completed', 'deployment', false, 'complete', /is COMPLETED \(running 1 of 1/],
    ['counts-short', 'deployment', true, 'in-progress', /is COMPLETED \(running 0 of 1, pending 1, failed tasks 1\)/],
    ['circuit-breaker-failed', 'deployment', true, 'failed', /^ECS deployment ecs-svc\/2222222222222222222 of acme-prod-default:8 FAILED: ECS deployment circuit breaker: tasks failed to start\.$/],
    ['circuit-breaker-rolling-back', 'deployment', true, 'failed', /FAILED: ECS deployment circuit breaker: tasks failed to start\. \(ECS rolled the service back to acme-prod-default:7\)$/],
    ['rolled-back', 'deployment', true, 'failed', /^ECS rolled the service back: acme-prod-default runs acme-prod-default:7 instead of acme-prod-default:8/],
    ['rolled-back', 'deployment', false, 'failed', /^ECS rolled the service back/],
    ['not-started', 'deployment', false, 'in-progress', /waiting for ECS to start a deployment of acme-prod-default:8; PRIMARY still runs acme-prod-default:7/],
    ['not-started', 'deployment', true, 'failed', /^ECS rolled the service back: acme-prod-default's PRIMARY deployment ecs-svc\/1111111111111111111 runs acme-prod-default:7 instead of acme-prod-default:8/],
    ['draining', 'deployment', false, 'failed', /^ECS service acme-prod-default is DRAINING: it is being deleted/],
    // 'service' tracking: the emulator relaxation. moto answers like 'not-started' after UpdateService, for good.
    ['not-started', 'service', false, 'complete', /PRIMARY deployment ecs-svc\/1111111111111111111 of acme-prod-default:7 is COMPLETED \(running 1 of 1/],
    ['in-progress', 'service', false, 'in-progress', /is IN_PROGRESS \(running 0 of 1/],
    ['counts-short', 'service', false, 'in-progress', /running 0 of 1/],
    ['circuit-breaker-failed', 'service', false, 'failed', /FAILED: ECS deployment circuit breaker: tasks failed to start\./],
    ['rolled-back', 'service', false, 'failed', /^ECS rolled the service back: acme-prod-default runs acme-prod-default:7 instead of acme-prod-default:8/],
    ['draining', 'service', false, 'failed', /DRAINING/],
  ])('%s, tracking %s, PRIMARY observed before: %s -> %s', (scenario, tracking, primaryObserved, state, text) => {
    const assessment = assessRollout(service(scenario), ROLLOUT, tracking, { primaryObserved });
    expect(assessment.state).toBe(state);
    expect(assessment.state === 'failed' ? assessment.reason : assessment.detail).toMatch(text);
  });

  it('tells the waiter whether the PRIMARY deployment is the rollout\'s, so a later switch counts as a rollback', () => {
    expect(assessRollout(service('in-progress'), ROLLOUT, 'deployment')).toMatchObject({ state: 'in-progress', primaryIsRollout: true });
    expect(assessRollout(service('not-started'), ROLLOUT, 'deployment')).toMatchObject({ state: 'in-progress', primaryIsRollout: false });
  });

  it('is in progress while ECS lists no PRIMARY deployment', () => {
    const s = service('completed');
    s.deployments = [];
    expect(assessRollout(s, ROLLOUT, 'deployment')).toEqual({ state: 'in-progress', detail: 'no PRIMARY deployment of acme-prod-default yet', primaryIsRollout: false });
  });

  it('counts a deployment without rolloutState as settled only when it is the only one left', () => {
    const alone = service('completed');
    delete alone.deployments![0].rolloutState;
    expect(assessRollout(alone, ROLLOUT, 'deployment').state).toBe('complete');
    const withOld = service('in-progress');
    withOld.deployments![0] = { ...withOld.deployments![0], rolloutState: undefined, runningCount: 1, pendingCount: 0 };
    expect(assessRollout(withOld, ROLLOUT, 'deployment').state).toBe('in-progress');
  });

  it('a restore is judged the same way: the rollout\'s revision is the earlier one', () => {
    const back = { revision: REV(7), previousRevision: REV(8) };
    expect(assessRollout(service('rolled-back'), back, 'deployment').state).toBe('complete');
  });
});

describe('shortArn', () => {
  it.each([
    [REV(8), 'acme-prod-default:8'],
    ['acme-prod-default:8', 'acme-prod-default:8'],
    [undefined, '(no task definition)'],
  ])('%s -> %s', (arn, short) => expect(shortArn(arn)).toBe(short));
});
