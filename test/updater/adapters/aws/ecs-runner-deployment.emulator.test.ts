/**
 * EcsRunnerDeployment against the AWS API emulator (moto): a cluster, the kit's hardened two-container
 * task definition and a service, created with the SDK; then current, rollOut, waitHealthy (with the
 * emulator's 'service' tracking), the health alarm, and restore.
 *
 * moto reports a service's running count from MOTO_ECS_SERVICE_RUNNING at creation, so it is started
 * with 1: the service is then at its desired count, as a healthy runner would be.
 */
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  RegisterTaskDefinitionCommand,
  type ContainerDefinition,
  type DescribeTaskDefinitionCommandOutput,
  ECSClient,
  type Tag,
} from '@aws-sdk/client-ecs';
import { EcsRunnerDeployment, type EcsRunnerDeploymentOptions } from '../../../../updater/adapters/aws/ecs-runner-deployment';
import { VERSION_TAG_KEY } from '../../../../updater/adapters/aws/task-definition-clone';
import type { Rollout } from '../../../../updater/core/ports';
import { moto, type MotoServer } from '../../../support/moto';
import { startMotoWithEnv } from '../../../support/moto-with-env';
import { describeWith } from '../../../support/requirements';
import { emulatorClientConfig } from './emulator-clients';

const ACCOUNT = '123456789012';
const MIRROR = `${ACCOUNT}.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/acme-prod/tf-block-runner`;
const OLD_DIGEST = `sha256:${'1'.repeat(64)}`;
const NEW_DIGEST = `sha256:${'2'.repeat(64)}`;
const CLUSTER = 'acme-prod';
const SERVICE = 'acme-prod-default';
const ALARM = 'acme-prod-default-running-tasks-below-desired';
const SECRET = (name: string) => `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:acme-prod/default/${name}-Ab12Cd`;
const READ_ONLY = ['taskDefinitionArn', 'revision', 'status', 'requiresAttributes', 'compatibilities', 'registeredAt', 'registeredBy', 'deregisteredAt', 'deleteRequestedAt'];

/** The kit's runner task (see constructs/aws/ecs-runner-service.ts), trimmed to what matters here. */
function hardenedContainers(image: string): ContainerDefinition[] {
  const logs = (prefix: string) => ({
    logDriver: 'awslogs' as const,
    options: { 'awslogs-group': '/private-runner-kit/acme-prod/runners/default', 'awslogs-region': 'eu-central-1', 'awslogs-stream-prefix': prefix },
  });
  const mounts = (filesReadOnly: boolean) => [
    { sourceVolume: 'scratch', containerPath: '/tmp', readOnly: false },
    { sourceVolume: 'runner-files', containerPath: '/run/runner-kit', readOnly: filesReadOnly },
  ];
  return [
    {
      name: 'volume-init',
      image,
      essential: false,
      user: '0',
      readonlyRootFilesystem: true,
      privileged: false,
      entryPoint: ['/bin/sh', '-c'],
      command: ['echo "volume-init: runner files ready"'],
      secrets: [
        { name: 'RUNNER_API_CLIENT_SECRET', valueFrom: SECRET('api-client-secret') },
        { name: 'RUNNER_PRIVATE_KEY_PEM', valueFrom: SECRET('private-key') },
      ],
      mountPoints: mounts(false),
      linuxParameters: { capabilities: { drop: ['AUDIT_WRITE', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'] } },
      logConfiguration: logs('volume-init'),
    },
    {
      name: 'runner',
      image,
      essential: true,
      user: '2000:2000',
      readonlyRootFilesystem: true,
      privileged: false,
      environment: [
        { name: 'RUNNER_PRIVATE_KEY_FILE', value: '/run/runner-kit/private-key.pem' },
        { name: 'RUNNER_UUID', value: '8a0f0e4c-5b8e-4c53-9d57-3a8c1f1f8b11' },
      ],
      secrets: [{ name: 'RUNNER_API_CLIENT_SECRET', valueFrom: SECRET('api-client-secret') }],
      mountPoints: mounts(true),
      dependsOn: [{ containerName: 'volume-init', condition: 'SUCCESS' }],
      linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
      healthCheck: { command: ['CMD-SHELL', 'curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1'], interval: 30, timeout: 5, retries: 3, startPeriod: 60 },
      stopTimeout: 120,
      logConfiguration: logs('runner'),
    },
  ];
}

describeWith([moto], 'EcsRunnerDeployment on the AWS API emulator', () => {
  let server: MotoServer;
  let ecs: ECSClient;
  let cloudwatch: CloudWatchClient;
  let firstRevision: string;
  let before: DescribeTaskDefinitionCommandOutput;
  let rollout: Rollout;

  const deployment = (overrides: Partial<EcsRunnerDeploymentOptions> = {}) =>
    new EcsRunnerDeployment({
      ecs,
      cloudwatch,
      cluster: CLUSTER,
      service: SERVICE,
      mirrorRepositoryUrl: MIRROR,
      healthAlarmName: ALARM,
      rolloutTracking: 'service',
      pollIntervalMs: 50,
      ...overrides,
    });
  const serviceTaskDefinition = async () =>
    (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services?.[0]?.taskDefinition;
  const setAlarm = (state: 'OK' | 'ALARM') =>
    cloudwatch.send(new SetAlarmStateCommand({ AlarmName: ALARM, StateValue: state, StateReason: `set to ${state} by the test` }));

  beforeAll(async () => {
    server = await startMotoWithEnv({ MOTO_ECS_SERVICE_RUNNING: '1' });
    ecs = new ECSClient(emulatorClientConfig(server.endpoint));
    cloudwatch = new CloudWatchClient(emulatorClientConfig(server.endpoint));
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: SERVICE,
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '1024',
        memory: '2048',
        runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
        executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/acme-prod-default-exec`,
        taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/acme-prod-default-task`,
        pidMode: 'task',
        ephemeralStorage: { sizeInGiB: 30 },
        volumes: [{ name: 'scratch' }, { name: 'runner-files' }],
        containerDefinitions: hardenedContainers(`${MIRROR}@${OLD_DIGEST}`),
        tags: [
          { key: 'private-runner-kit:target', value: 'acme-prod' },
          { key: VERSION_TAG_KEY, value: 'v1.3.0' },
        ],
      }),
    );
    firstRevision = registered.taskDefinition!.taskDefinitionArn!;
    await ecs.send(
      new CreateServiceCommand({
        cluster: CLUSTER,
        serviceName: SERVICE,
        taskDefinition: firstRevision,
        desiredCount: 1,
        launchType: 'FARGATE',
        deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true }, minimumHealthyPercent: 100, maximumPercent: 200 },
      }),
    );
    await cloudwatch.send(
      new PutMetricAlarmCommand({
        AlarmName: ALARM,
        Namespace: 'ECS/ContainerInsights',
        MetricName: 'RunningTaskCount',
        Dimensions: [
          { Name: 'ClusterName', Value: CLUSTER },
          { Name: 'ServiceName', Value: SERVICE },
        ],
        Statistic: 'Minimum',
        Period: 60,
        EvaluationPeriods: 10,
        ComparisonOperator: 'LessThanThreshold',
        Threshold: 1,
        TreatMissingData: 'breaching',
      }),
    );
    before = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: firstRevision, include: ['TAGS'] }));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('current() reads the service\'s revision and the runner container\'s digest', async () => {
    await expect(deployment().current()).resolves.toEqual({ revision: firstRevision, digest: OLD_DIGEST });
  });

  it('current() is undefined for a service that does not exist', async () => {
    await expect(deployment({ service: 'acme-prod-missing' }).current()).resolves.toBeUndefined();
  });

  it('rollOut registers a revision identical except the image and the version tag, and moves the service', async () => {
    rollout = await deployment().rollOut(`${MIRROR}@${NEW_DIGEST}`, 'v1.4.0');
    expect(rollout.previousRevision).toBe(firstRevision);
    expect(rollout.revision).toBe(firstRevision.replace(/:1$/, ':2'));

    const after = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: rollout.revision, include: ['TAGS'] }));
    const old = before.taskDefinition!;
    const now = after.taskDefinition!;
    // The comparison below is only as good as what the emulator returns: make sure it returns the settings.
    expect(Object.keys(old)).toEqual(
      expect.arrayContaining(['family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'volumes', 'requiresCompatibilities', 'cpu', 'memory', 'pidMode', 'ephemeralStorage', 'runtimePlatform']),
    );
    const fields = new Set([...Object.keys(old), ...Object.keys(now)]);
    for (const field of fields) {
      if (READ_ONLY.includes(field)) continue;
      const key = field as keyof typeof old;
      if (field === 'containerDefinitions') {
        const expected = old.containerDefinitions!.map((c) => ({ ...c, image: `${MIRROR}@${NEW_DIGEST}` }));
        expect(now.containerDefinitions).toEqual(expected);
      } else {
        expect({ field, value: now[key] }).toEqual({ field, value: old[key] });
      }
    }
    expect(now.revision).toBe(2);
    expect(sortTags(after.tags)).toEqual(sortTags([{ key: 'private-runner-kit:target', value: 'acme-prod' }, { key: VERSION_TAG_KEY, value: 'v1.4.0' }]));
    expect(await serviceTaskDefinition()).toBe(rollout.revision);
  });

  it('waitHealthy with tracking "service" is healthy once the service runs the revision and the alarm is quiet', async () => {
    await expect(deployment().waitHealthy(rollout, 5)).resolves.toEqual({ healthy: true });
  });

  it('waitHealthy with the production tracking cannot pass on the emulator: moto never starts a deployment', async () => {
    const health = await deployment({ rolloutTracking: 'deployment' }).waitHealthy(rollout, 0.3);
    expect(health).toEqual({ healthy: false, reason: expect.stringMatching(/did not become healthy on acme-prod-default:2 within 0\.3 s; last state: waiting for ECS to start a deployment/) });
  });

  it('waitHealthy is unhealthy, naming the alarm, when the health alarm is in ALARM', async () => {
    await setAlarm('ALARM');
    const alarm = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [ALARM] }));
    expect(alarm.MetricAlarms?.[0]?.StateValue).toBe('ALARM');
    await expect(deployment().waitHealthy(rollout, 5)).resolves.toEqual({ healthy: false, reason: `health alarm ${ALARM} is in ALARM: set to ALARM by the test` });
    await setAlarm('OK');
  });

  it('restore moves the service back to the earlier revision', async () => {
    const back = await deployment().restore(rollout.previousRevision);
    expect(back).toEqual({ revision: firstRevision, previousRevision: rollout.revision });
    expect(await serviceTaskDefinition()).toBe(firstRevision);
    await expect(deployment().current()).resolves.toEqual({ revision: firstRevision, digest: OLD_DIGEST });
    await expect(deployment().waitHealthy(back, 5)).resolves.toEqual({ healthy: true });
  });
});

function sortTags(tags: Tag[] | undefined): Tag[] {
  return [...(tags ?? [])].sort((a, b) => (a.key ?? '').localeCompare(b.key ?? ''));
}
