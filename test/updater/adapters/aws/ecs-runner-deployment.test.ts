/**
 * EcsRunnerDeployment against scripted SDK clients: the waiting, timeout, alarm and argument checks
 * that the emulator cannot reproduce (moto never creates deployments, never rolls back). The
 * emulator test (`ecs-runner-deployment.emulator.test.ts`) covers the real API round trips.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DescribeServicesCommandOutput, ECSClient, Service } from '@aws-sdk/client-ecs';
import { EcsRunnerDeployment, type EcsRunnerDeploymentOptions } from '../../../../updater/adapters/aws/ecs-runner-deployment';
import fixtures from './fixtures/describe-services.json';
import describedTaskDefinition from './fixtures/describe-task-definition.json';

const MIRROR = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod/tf-block-runner';
const REV = (n: number) => `arn:aws:ecs:eu-central-1:123456789012:task-definition/acme-prod-default:${n}`;
const ROLLOUT = { revision: REV(8), previousRevision: REV(7) };
const answer = (name: keyof typeof fixtures): DescribeServicesCommandOutput => structuredClone(fixtures[name]) as unknown as DescribeServicesCommandOutput;

interface Call {
  readonly command: string;
  readonly input: Record<string, unknown>;
}

/** A client whose `send` answers by command name, recording every call. */
function scripted<T>(answers: Record<string, (input: Record<string, unknown>) => unknown>, calls: Call[]): T {
  return {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      calls.push({ command: name, input: command.input });
      const handler = answers[name];
      if (!handler) throw new Error(`unexpected ${name}`);
      return handler(command.input);
    },
  } as unknown as T;
}

/** A deployment whose clock only moves when it sleeps. */
function harness(
  describeServices: () => DescribeServicesCommandOutput,
  alarm?: { state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | 'missing'; since?: number },
  overrides: Partial<EcsRunnerDeploymentOptions> = {},
) {
  const calls: Call[] = [];
  let clock = 1_000_000;
  const sleeps: number[] = [];
  const ecs = scripted<ECSClient>(
    {
      DescribeServicesCommand: describeServices,
      DescribeTaskDefinitionCommand: () => structuredClone(describedTaskDefinition),
      RegisterTaskDefinitionCommand: (input) => ({ taskDefinition: { ...input, taskDefinitionArn: REV(8), revision: 8 } }),
      UpdateServiceCommand: () => ({ service: {} }),
    },
    calls,
  );
  const cloudwatch = scripted<CloudWatchClient>(
    {
      DescribeAlarmsCommand: () =>
        alarm?.state === 'missing'
          ? { MetricAlarms: [], CompositeAlarms: [] }
          : { MetricAlarms: [{ AlarmName: 'acme-prod-default-running-tasks-below-desired', StateValue: alarm?.state, StateReason: 'Threshold Crossed: 1 datapoint [0.0] was less than the threshold (1.0).', ...(alarm?.since !== undefined ? { StateUpdatedTimestamp: new Date(alarm.since) } : {}) }] },
    },
    calls,
  );
  const deployment = new EcsRunnerDeployment({
    ecs,
    cloudwatch,
    cluster: 'acme-prod',
    service: 'acme-prod-default',
    mirrorRepositoryUrl: MIRROR,
    healthAlarmName: alarm ? 'acme-prod-default-running-tasks-below-desired' : undefined,
    pollIntervalMs: 15_000,
    clock: {
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
    },
    ...overrides,
  });
  return { deployment, calls, sleeps };
}

/** Answers the scenarios in order, repeating the last one. */
function sequence(...names: (keyof typeof fixtures)[]): () => DescribeServicesCommandOutput {
  let i = 0;
  return () => answer(names[Math.min(i++, names.length - 1)]);
}

describe('EcsRunnerDeployment.waitHealthy with rolloutTracking "deployment" (real ECS)', () => {
  it('polls until the new PRIMARY deployment is COMPLETED with its tasks running', async () => {
    const { deployment, sleeps } = harness(sequence('not-started', 'in-progress', 'in-progress', 'completed'));
    await expect(deployment.waitHealthy(ROLLOUT, 600)).resolves.toEqual({ healthy: true });
    expect(sleeps).toEqual([15_000, 15_000, 15_000]);
  });

  it('is unhealthy with the circuit breaker\'s reason when ECS marks the deployment FAILED', async () => {
    const { deployment } = harness(sequence('in-progress', 'circuit-breaker-rolling-back'));
    await expect(deployment.waitHealthy(ROLLOUT, 600)).resolves.toEqual({
      healthy: false,
      reason: 'ECS deployment ecs-svc/2222222222222222222 of acme-prod-default:8 FAILED: ECS deployment circuit breaker: tasks failed to start. (ECS rolled the service back to acme-prod-default:7)',
    });
  });

  it('is unhealthy when ECS rolled the service back after the new deployment was seen', async () => {
    const { deployment } = harness(sequence('in-progress', 'not-started'));
    const health = await deployment.waitHealthy(ROLLOUT, 600);
    expect(health).toEqual({ healthy: false, reason: expect.stringMatching(/^ECS rolled the service back/) });
  });

  it('is unhealthy after the timeout, with the last state seen', async () => {
    const { deployment, sleeps } = harness(sequence('in-progress'));
    const health = await deployment.waitHealthy(ROLLOUT, 40);
    expect(health).toEqual({
      healthy: false,
      reason:
        'ECS service acme-prod-default did not become healthy on acme-prod-default:8 within 40 s; last state: PRIMARY deployment ecs-svc/2222222222222222222 of acme-prod-default:8 is IN_PROGRESS (running 0 of 1, pending 1, failed tasks 0, 1 older deployment(s) still listed)',
    });
    // Never sleeps past the deadline: 15 + 15 + 10 s, then one last look.
    expect(sleeps).toEqual([15_000, 15_000, 10_000]);
  });

  it('is unhealthy when the service disappears while waiting', async () => {
    const { deployment } = harness(() => ({ services: [], failures: [{ arn: 'arn:aws:ecs:eu-central-1:123456789012:service/acme-prod/acme-prod-default', reason: 'MISSING' }], $metadata: {} }));
    await expect(deployment.waitHealthy(ROLLOUT, 60)).resolves.toEqual({
      healthy: false,
      reason: 'ECS service acme-prod-default in cluster acme-prod no longer exists; acme-prod-default:8 cannot become healthy',
    });
  });

  it.each([
    ['OK', { healthy: true }],
    ['INSUFFICIENT_DATA', { healthy: true }],
    ['ALARM', { healthy: false, reason: 'health alarm acme-prod-default-running-tasks-below-desired is in ALARM: Threshold Crossed: 1 datapoint [0.0] was less than the threshold (1.0).' }],
    ['missing', { healthy: false, reason: expect.stringMatching(/^health alarm acme-prod-default-running-tasks-below-desired does not exist, so the runner's health cannot be verified/) }],
  ] as const)('once complete, consults the health alarm: %s', async (state, expected) => {
    const { deployment, calls } = harness(sequence('completed'), { state });
    await expect(deployment.waitHealthy(ROLLOUT, 60)).resolves.toEqual(expected);
    expect(calls.filter((c) => c.command === 'DescribeAlarmsCommand')).toEqual([
      { command: 'DescribeAlarmsCommand', input: { AlarmNames: ['acme-prod-default-running-tasks-below-desired'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] } },
    ]);
  });

  it('does not consult the alarm while the rollout is still in progress', async () => {
    const { deployment, calls } = harness(sequence('in-progress'), { state: 'ALARM' });
    expect((await deployment.waitHealthy(ROLLOUT, 10)).healthy).toBe(false);
    expect(calls.some((c) => c.command === 'DescribeAlarmsCommand')).toBe(false);
  });

  it('fails for a timeout that is not a positive number', async () => {
    const { deployment } = harness(sequence('completed'));
    await expect(deployment.waitHealthy(ROLLOUT, 0)).rejects.toThrow('timeoutSeconds must be a positive number, got 0');
  });
});

describe('EcsRunnerDeployment with rolloutTracking "service" (emulator relaxation)', () => {
  it('calls moto\'s unchanged deployment healthy once the service runs the new revision', async () => {
    const { deployment } = harness(sequence('not-started'), undefined, { rolloutTracking: 'service' });
    await expect(deployment.waitHealthy(ROLLOUT, 60)).resolves.toEqual({ healthy: true });
  });
});

describe('EcsRunnerDeployment argument checks', () => {
  it('rolls out only by-digest references into the mirror', async () => {
    const { deployment, calls } = harness(sequence('completed'));
    await expect(deployment.rollOut('ghcr.io/meshcloud/tf-block-runner:v1.4.0', 'v1.4.0')).rejects.toThrow(
      `image "ghcr.io/meshcloud/tf-block-runner:v1.4.0" is not a by-digest reference into the mirror ${MIRROR}`,
    );
    await expect(deployment.rollOut(`${MIRROR}:v1.4.0`, 'v1.4.0')).rejects.toThrow(/runners only run mirror digests/);
    expect(calls).toEqual([]);
  });

  it('registers a clone of the family\'s newest revision (current settings, e.g. after a deploy changed cpu) and points the service at it', async () => {
    const { deployment, calls } = harness(sequence('rolled-back'));
    const image = `${MIRROR}@sha256:${'3'.repeat(64)}`;
    await expect(deployment.rollOut(image, 'v1.4.0')).resolves.toEqual(ROLLOUT);
    expect(calls.map((c) => c.command)).toEqual(['DescribeServicesCommand', 'DescribeTaskDefinitionCommand', 'RegisterTaskDefinitionCommand', 'UpdateServiceCommand']);
    expect(calls[1].input).toEqual({ taskDefinition: 'acme-prod-default', include: ['TAGS'] });
    expect(calls[3].input).toEqual({ cluster: 'acme-prod', service: 'acme-prod-default', taskDefinition: REV(8) });
  });

  it('refuses to restore a revision of another family', async () => {
    const { deployment, calls } = harness(sequence('completed'));
    await expect(deployment.restore('arn:aws:ecs:eu-central-1:123456789012:task-definition/someone-else:3')).rejects.toThrow(
      'cannot restore someone-else:3 on ECS service acme-prod-default: it runs family acme-prod-default',
    );
    expect(calls.map((c) => c.command)).toEqual(['DescribeServicesCommand']);
  });

  it('fails a rollout on a missing service with the fix', async () => {
    const { deployment } = harness(() => ({ services: [], failures: [{ reason: 'MISSING' }], $metadata: {} }));
    await expect(deployment.rollOut(`${MIRROR}@sha256:${'3'.repeat(64)}`, 'v1.4.0')).rejects.toThrow(
      'cannot roll out v1.4.0: ECS service acme-prod-default in cluster acme-prod does not exist; deploy the runner stack first',
    );
  });

  it.each(['https://123456789012.dkr.ecr.eu-central-1.amazonaws.com/repo', `${MIRROR}@sha256:${'1'.repeat(64)}`, `${MIRROR}:v1.3.0`, 'tf-block-runner'])(
    'fails for mirrorRepositoryUrl %s',
    (mirrorRepositoryUrl) => {
      expect(() => harness(sequence('completed'), undefined, { mirrorRepositoryUrl })).toThrow(/is not a repository URL; use host and repository without scheme, tag or digest/);
    },
  );

  it('accepts a registry host with a port (a registry on loopback)', () => {
    expect(() => harness(sequence('completed'), undefined, { mirrorRepositoryUrl: '127.0.0.1:5000/private-runner-kit/t/tf-block-runner' })).not.toThrow();
  });
});

describe('EcsRunnerDeployment.current', () => {
  it('reads the revision and the runner container\'s mirror digest', async () => {
    const { deployment } = harness(sequence('in-progress'));
    await expect(deployment.current()).resolves.toEqual({ revision: REV(8), digest: `sha256:${'1'.repeat(64)}` });
  });

  it('is undefined for a missing or INACTIVE service', async () => {
    const inactive = (): DescribeServicesCommandOutput => {
      const a = answer('completed');
      (a.services![0] as Service).status = 'INACTIVE';
      return a;
    };
    await expect(harness(inactive).deployment.current()).resolves.toBeUndefined();
    await expect(harness(() => ({ services: [], failures: [{ reason: 'MISSING' }], $metadata: {} })).deployment.current()).resolves.toBeUndefined();
  });
});

describe('EcsRunnerDeployment: the health alarm is judged from the start of the rollout', () => {
  it('GIVEN the alarm entered ALARM after rollOut started THEN the rollout is unhealthy', async () => {
    const { deployment } = harness(sequence('completed'), { state: 'ALARM', since: 1_000_500 });
    const rollout = await deployment.rollOut(`${MIRROR}@sha256:${'b'.repeat(64)}`, 'v1.3.1');
    await expect(deployment.waitHealthy(rollout, 600)).resolves.toMatchObject({ healthy: false, reason: expect.stringContaining('is in ALARM') });
  });

  it('GIVEN the alarm was already in ALARM before rollOut THEN it does not fail the rollout (an update may be the fix)', async () => {
    const { deployment } = harness(sequence('completed'), { state: 'ALARM', since: 999_000 });
    const rollout = await deployment.rollOut(`${MIRROR}@sha256:${'b'.repeat(64)}`, 'v1.3.1');
    await expect(deployment.waitHealthy(rollout, 600)).resolves.toEqual({ healthy: true });
  });

  it('GIVEN the alarm was already in ALARM before a restore THEN the restore is healthy once ECS completes it', async () => {
    const { deployment } = harness(sequence('completed'), { state: 'ALARM', since: 999_000 });
    const back = await deployment.restore(REV(8));
    await expect(deployment.waitHealthy(back, 600)).resolves.toEqual({ healthy: true });
  });
});
