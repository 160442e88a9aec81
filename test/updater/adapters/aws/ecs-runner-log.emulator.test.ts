/**
 * EcsRunnerLog against the AWS API emulator (moto): the runner's log group written with
 * PutLogEvents as the awslogs driver would (one stream per container, the runner's own lines), read
 * back with FilterLogEvents. Then the whole run (core + EcsRunnerDeployment + EcsRunnerLog) on the
 * emulator, with emulated runner tasks writing their lines:
 * - a rollout whose new tasks log poll failures is rolled back, the runner's error in the reason;
 * - a runner whose log shows a run in progress defers the update (`deferred-busy`), and once the
 *   finish line appears the update proceeds.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { EcsRunnerDeployment } from '../../../../updater/adapters/aws/ecs-runner-deployment';
import { EcsRunnerLog, RUNNER_LOG_STREAM_PREFIX } from '../../../../updater/adapters/aws/ecs-runner-log';
import type { ImageMirror, UpdateReport, VersionRecord } from '../../../../updater/core/ports';
import { runUpdater, type RunnerPorts } from '../../../../updater/core/run';
import { EmulatedRunnerTasks } from '../../../support/emulated-runner-tasks';
import { type MotoServer } from '../../../support/moto';
import { moto } from '../../../support/moto';
import { startMotoWithEnv } from '../../../support/moto-with-env';
import { describeWith } from '../../../support/requirements';
import { runnerLine } from '../../../support/runner-log-lines';
import { emulatorClientConfig } from './emulator-clients';

const ACCOUNT = '123456789012';
const MIRROR = `${ACCOUNT}.dkr.ecr.eu-central-1.amazonaws.com/acme-prod/tf-block-runner`;
const digestOf = (v: string) => `sha256:${Buffer.from(v).toString('hex').padEnd(64, '0')}`;
const CLUSTER = 'acme-prod';
const GROUP = '/private-runner-kit/acme-prod/runners/default';

describeWith([moto], 'EcsRunnerLog on the AWS API emulator', () => {
  let server: MotoServer;
  let logs: CloudWatchLogsClient;
  let ecs: ECSClient;
  let cloudwatch: CloudWatchClient;
  let firstRevision: string;

  /** A service of its own per test, so tests do not share tasks or log streams. */
  async function service(name: string): Promise<{ name: string; group: string }> {
    const group = `${GROUP}-${name}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await ecs.send(new CreateServiceCommand({ cluster: CLUSTER, serviceName: name, taskDefinition: firstRevision, desiredCount: 1, launchType: 'FARGATE' }));
    return { name, group };
  }
  const reader = (s: { name: string; group: string }, now?: () => number) =>
    new EcsRunnerLog({ logs, ecs, cluster: CLUSTER, service: s.name, logGroupName: s.group, runTimeoutMinutes: 60, ...(now ? { now } : {}) });
  async function write(group: string, stream: string, lines: [number, string][]): Promise<void> {
    await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).catch(() => undefined);
    await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: lines.map(([timestamp, message]) => ({ timestamp, message })) }));
  }
  const ROLLOUT = { revision: 'td:2', previousRevision: 'td:1' };

  beforeAll(async () => {
    server = await startMotoWithEnv({ MOTO_ECS_SERVICE_RUNNING: '1' });
    logs = new CloudWatchLogsClient(emulatorClientConfig(server.endpoint));
    ecs = new ECSClient(emulatorClientConfig(server.endpoint));
    cloudwatch = new CloudWatchClient(emulatorClientConfig(server.endpoint));
    await ecs.send(new CreateClusterCommand({ clusterName: CLUSTER }));
    const registered = await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'acme-prod-default',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '1024',
        memory: '2048',
        containerDefinitions: [
          {
            name: 'runner',
            image: `${MIRROR}@${digestOf('v1.3.0')}`,
            essential: true,
            logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': GROUP, 'awslogs-region': 'eu-central-1', 'awslogs-stream-prefix': 'runner' } },
          },
        ],
      }),
    );
    firstRevision = registered.taskDefinition!.taskDefinitionArn!;
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('observe: a task started since the rollout that polls successfully reaches meshStack; older tasks and other containers do not count', async () => {
    const s = await service('observe-ok');
    const since = Date.now() - 60_000;
    // An old task (started before the rollout) that fails, and the volume-init container's stream.
    await write(s.group, `${RUNNER_LOG_STREAM_PREFIX}old`, [[since - 5000, runnerLine.startup()], [since + 1000, runnerLine.pollStarted()], [since + 1001, runnerLine.pollFailed()], [since + 2000, runnerLine.pollStarted()], [since + 2001, runnerLine.pollFailed()]]);
    await write(s.group, 'volume-init/volume-init/new', [[since + 500, runnerLine.pollFailed('not a runner line')], [since + 600, runnerLine.pollFailed('x')]]);
    expect(await reader(s).observe(ROLLOUT, since)).toMatchObject({ state: 'unknown', detail: expect.stringContaining('no instance of the revision has logged yet') });

    await write(s.group, `${RUNNER_LOG_STREAM_PREFIX}new`, [[since + 1000, runnerLine.startup()], [since + 2000, runnerLine.pollStarted()]]);
    expect(await reader(s).observe(ROLLOUT, since)).toMatchObject({ state: 'unknown', detail: expect.stringContaining('task new: its first poll is under way') });
    await write(s.group, `${RUNNER_LOG_STREAM_PREFIX}new`, [[since + 12_000, runnerLine.pollStarted()]]);
    expect(await reader(s).observe(ROLLOUT, since)).toEqual({ state: 'reaching', detail: '1 of 1 expected instance(s) reach meshStack (task new: 1 successful poll(s))' });
  });

  it('observe: a new task whose polls answer 401 is failing, with the runner\'s own error', async () => {
    const s = await service('observe-401');
    const since = Date.now() - 60_000;
    await write(s.group, `${RUNNER_LOG_STREAM_PREFIX}t1`, [
      [since + 1000, runnerLine.startup()],
      [since + 2000, runnerLine.pollStarted()],
      [since + 2001, runnerLine.loginFailed()],
      [since + 2002, runnerLine.pollFailed()],
      [since + 62_000, runnerLine.pollStarted()],
      [since + 62_001, runnerLine.pollFailed()],
    ]);
    expect(await reader(s).observe(ROLLOUT, since)).toEqual({
      state: 'failing',
      reason: 'task t1: 2 polls in a row failed; last: unexpected error: unexpected HTTP status: 401',
    });
  });

  it('runsInProgress: a start line without a finish line on a live task is a run in progress; its finish line ends it', async () => {
    const s = await service('busy');
    const now = Date.now();
    const t0 = now - 30 * 60_000;
    await write(s.group, `${RUNNER_LOG_STREAM_PREFIX}t1`, [[t0, runnerLine.startup()], [t0 + 1000, runnerLine.pollStarted()], [t0 + 1500, runnerLine.runStarted('run-42')], [now - 5000, runnerLine.runCall()]]);
    // A task that died in a run half an hour ago is no run in progress.
    await write(s.group, `${RUNNER_LOG_STREAM_PREFIX}gone`, [[t0, runnerLine.runStarted('run-41')], [t0 + 10_000, runnerLine.runCall()]]);
    await expect(reader(s, () => now).runsInProgress()).resolves.toEqual([{ instance: 'task t1', runId: 'run-42', startedAt: t0 + 1500 }]);
    await write(s.group, `${RUNNER_LOG_STREAM_PREFIX}t1`, [[now - 1000, runnerLine.runFinished('run-42')], [now - 500, runnerLine.pollStarted()]]);
    await expect(reader(s, () => now).runsInProgress()).resolves.toEqual([]);
  });

  describe('the whole run on the emulator, with emulated runner tasks', () => {
    let s: { name: string; group: string };
    let tasks: EmulatedRunnerTasks;
    let record: VersionRecord;
    const reports: UpdateReport[] = [];

    const ports = (): RunnerPorts => {
      const mirror: ImageMirror = { promote: async (v) => digestOf(v), imageReference: (d) => `${MIRROR}@${d}` };
      const runnerLog = reader(s);
      return {
        name: 'default',
        policy: { channel: 'minor', hold: false, allowDowngrade: false, version: 'v1.3.0' },
        releases: { listTags: async () => ['v1.3.0', 'v1.4.0'] },
        mirror,
        deployment: new EcsRunnerDeployment({ ecs, cloudwatch, cluster: CLUSTER, service: s.name, mirrorRepositoryUrl: MIRROR, rolloutTracking: 'service', pollIntervalMs: 50 }),
        versions: { read: async () => record, write: async (r) => void (record = r) },
        meshstack: runnerLog,
        activity: runnerLog,
      };
    };
    const run = (options: { busyWaitSeconds?: number } = {}) =>
      runUpdater({ target: 'acme-prod', payload: { action: 'scheduled' }, runners: [ports()], reporter: { report: async (r) => void reports.push(r) }, rolloutTimeoutSeconds: 20, signalPollSeconds: 0.05, busyPollSeconds: 0.05, ...options });
    const serviceRevision = async () => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [s.name] }))).services![0]!.taskDefinition!;

    beforeAll(async () => {
      s = await service('whole-run');
      record = { version: 'v1.3.0', digest: digestOf('v1.3.0'), revision: firstRevision, updatedAt: 'before' };
      tasks = new EmulatedRunnerTasks({ logs, ecs, cluster: CLUSTER, service: s.name, logGroupName: s.group }).start();
      await tasks.settle();
    });
    afterAll(async () => {
      await tasks?.stop();
    });

    it('a rollout whose new tasks log poll failures is rolled back to the running revision, the runner\'s error in the reason', async () => {
      tasks.failingImages.add(`${MIRROR}@${digestOf('v1.4.0')}`);
      const result = await run().finally(() => tasks.failingImages.clear());
      expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.3.0', to: 'v1.4.0' });
      expect(result.runners.default!.reason).toMatch(/^v1\.4\.0 did not become healthy \(the runners of .*:2 cannot reach meshStack: task [0-9a-f]{32}: \d+ polls in a row failed; last: unexpected error: unexpected HTTP status: 401\); rolled back to v1\.3\.0, which is healthy again\.$/);
      expect(await serviceRevision()).toBe(firstRevision);
      expect(record.version).toBe('v1.3.0');
      // The emulated ECS started a task of the new revision, then one of the old again (the restore).
      expect(tasks.tasks.map((t) => t.image)).toEqual([`${MIRROR}@${digestOf('v1.3.0')}`, `${MIRROR}@${digestOf('v1.4.0')}`, `${MIRROR}@${digestOf('v1.3.0')}`]);
    }, 30_000);

    it('a runner whose log shows a run in progress defers the update (deferred-busy) and changes nothing', async () => {
      tasks.startRun('run-77');
      await tasks.settle();
      const before = await serviceRevision();
      const result = await run({ busyWaitSeconds: 1 });
      expect(result.runners.default).toMatchObject({ outcome: 'deferred-busy', from: 'v1.3.0', to: 'v1.4.0' });
      expect(result.runners.default!.reason).toMatch(/^The runner is executing run run-77 on task [0-9a-f]{32} \(started .*\), and replacing it would kill the run; the change from v1\.3\.0 to v1\.4\.0 waits \(still busy after waiting \d s, the longest this run may wait\)/);
      expect(await serviceRevision()).toBe(before);
      expect(reports.at(-1)).toMatchObject({ outcome: 'deferred-busy' });
    }, 30_000);

    it('once the finish line appears, the next run proceeds and updates', async () => {
      tasks.finishRun();
      await tasks.settle();
      const result = await run();
      expect({ ...result.runners.default, reason: result.runners.default!.outcome === 'updated' ? '' : result.runners.default!.reason }).toMatchObject({ outcome: 'updated', from: 'v1.3.0', to: 'v1.4.0', reason: '' });
      expect(await serviceRevision()).not.toBe(firstRevision);
      expect(record.version).toBe('v1.4.0');
    }, 30_000);

    it('and a run that ends while the updater waits lets the same updater run proceed', async () => {
      tasks.startRun('run-78');
      await tasks.settle();
      let finishedAt = 0;
      setTimeout(() => {
        tasks.finishRun();
        finishedAt = Date.now();
      }, 400);
      const started = tasks.tasks.length;
      const result = await runUpdater({
        target: 'acme-prod',
        payload: { action: 'scheduled' },
        runners: [{ ...ports(), releases: { listTags: async () => ['v1.3.0', 'v1.4.0', 'v1.4.1'] } }],
        reporter: { report: async () => undefined },
        rolloutTimeoutSeconds: 20,
        signalPollSeconds: 0.05,
        busyPollSeconds: 0.05,
        busyWaitSeconds: 10,
      });
      expect(result.runners.default).toMatchObject({ outcome: 'updated', from: 'v1.4.0', to: 'v1.4.1' });
      expect(finishedAt).toBeGreaterThan(0);
      // The only new task is the v1.4.1 one, started after the run had finished.
      expect(tasks.tasks.slice(started).map((t) => t.image)).toEqual([`${MIRROR}@${digestOf('v1.4.1')}`]);
    }, 30_000);
  });
});
