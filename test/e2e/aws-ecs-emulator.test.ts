/**
 * Tier 4: the AWS ECS example deployed on the AWS API emulator (moto on loopback) with the runner
 * image coming from a real OCI registry on loopback (Debian's docker-registry, standing in for
 * ghcr.io) and promoted into a second one (standing in for the ECR mirror, whose registry API moto
 * lacks).
 *
 * The flow a customer and the updater go through:
 * 0. a first deploy without the secret inputs stops at plan and creates nothing;
 * 1. first deploy: the bootstrap promotes the configured version into the mirror, the task
 *    definition references it by digest, the service starts; secrets go in as ephemeral inputs;
 * 2. a re-plan shows no changes and no secret value is in state or plans;
 * 3. a scheduled updater run moves the service to the newest patch release, by digest;
 * 4. a re-plan still shows no changes: a later deploy would not roll the update back;
 * 5. a release whose tasks turn unhealthy is rolled back, and so is one whose tasks cannot poll
 *    meshStack (they pass every platform check); an invalid payload changes nothing; an
 *    operator's rollback returns to the previous release;
 * 6. destroy leaves nothing.
 *
 * moto cannot execute Lambda code (no Docker here). Where Lambda would run the updater, the test
 * runs the same handler code in-process, against moto and the registries, and queues its result as
 * the function's response (moto's documented lambda-simple response queue), so the bootstrap
 * invocation inside `terraform apply` returns exactly what the handler produced. moto runs no
 * container either: emulated runner tasks (test/support/emulated-runner-tasks.ts) write the runner's
 * own log lines into its log group whenever the service moves, which the updater's meshStack check
 * and busy check read.
 */
import { CloudWatchClient, DescribeAlarmsCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../../stacks/main';
import type { RunnerDeployment } from '../../updater/core/ports';
import { runUpdater, type UpdaterRunResult } from '../../updater/core/run';
import { handler } from '../../updater/entry/aws-lambda';
import { createAwsUpdater, runAwsUpdater, type AwsUpdaterOptions } from '../../updater/entry/aws-updater';
import { UPDATER_CONFIG_ENV, type AwsUpdaterConfig, type EcsRunnerConfig } from '../../updater/entry/aws-updater-config';
import { queueBootstrap, updaterConfigOf } from '../support/emulated-bootstrap';
import { EmulatedRunnerTasks } from '../support/emulated-runner-tasks';
import { moto, awsJsonCall, type MotoServer } from '../support/moto';
import { startMotoWithEnv } from '../support/moto-with-env';
import { makeTestImage, manifestStatus, pushImage, startRegistry, type LocalRegistry, type TestImage } from '../support/oci-registry';
import { describeWith, dockerRegistry } from '../support/requirements';
import { exampleTarget } from '../support/synth';
import { awsProviderMirror, expectStatus, terraform, tf, writeCliConfig } from '../support/terraform';

const SENTINELS = {
  runner_default_api_client_secret: 'SENTINEL-client-secret-7c1d9e',
  runner_default_private_key: '-----BEGIN PRIVATE KEY-----\nSENTINEL-private-key-3b8f20\n-----END PRIVATE KEY-----',
};
const ROTATED_CLIENT_SECRET = 'SENTINEL-rotated-client-secret-41aa07';
const leaks = (text: string) => ['SENTINEL-client-secret-7c1d9e', 'SENTINEL-private-key-3b8f20', ROTATED_CLIENT_SECRET].filter((s) => text.includes(s));
/** Terraform wraps long messages; compare them with whitespace runs collapsed. */
const flat = (text: string) => text.replace(/\s+/g, ' ');
const REGION = 'eu-central-1';
const UPSTREAM_REPO = 'meshcloud/tf-block-runner';
const small = { layersPerPlatform: 1, layerBytes: 4096 };

describeWith([terraform, awsProviderMirror, moto, dockerRegistry], 'examples/aws-ecs.yaml on the AWS API emulator: deploy, update, roll back, destroy', () => {
  let server: MotoServer;
  let upstream: LocalRegistry;
  let mirror: LocalRegistry;
  let work: string;
  let dir: string;
  let cli: string;
  let stackName: string;
  let config: AwsUpdaterConfig;
  let ecs: ECSClient;
  let ssm: SSMClient;
  let cloudwatch: CloudWatchClient;
  let logs: CloudWatchLogsClient;
  let tasks: EmulatedRunnerTasks | undefined;
  const releases: Record<string, TestImage> = {};
  const logLines: string[] = [];
  const stateFile = () => path.join(work, 'state', `${stackName}.tfstate`);
  const updaterOptions = (): AwsUpdaterOptions => ({
    clients: { endpoint: server.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 2 },
    mirrorRegistryUrlOverride: mirror.url,
    pollIntervalMs: 50,
    log: (line) => logLines.push(line),
  });
  const runner = () => config.runners[0]! as EcsRunnerConfig;
  const mirrorRepoUrl = () => `${mirror.hostPort}/${runner().mirrorRepository}`;
  async function running(): Promise<{ taskDefinition: string; image: string }> {
    const svc = await ecs.send(new DescribeServicesCommand({ cluster: runner().cluster, services: [runner().service] }));
    const taskDefinition = svc.services![0]!.taskDefinition!;
    const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }));
    const image = td.taskDefinition!.containerDefinitions!.find((c) => c.name === 'runner')!.image!;
    return { taskDefinition, image };
  }
  async function record(): Promise<Record<string, unknown>> {
    const p = await ssm.send(new GetParameterCommand({ Name: runner().versionParameter }));
    return JSON.parse(p.Parameter!.Value!) as Record<string, unknown>;
  }
  async function publish(tag: string): Promise<void> {
    releases[tag] = makeTestImage(small);
    await pushImage(upstream.url, UPSTREAM_REPO, releases[tag]!, tag);
  }

  const exampleFor = (vcpu: number, apiClientSecretVersion = 1) =>
    exampleTarget((t) => {
      t.runners.default.apiClientSecretVersion = apiClientSecretVersion;
      t.aws.endpoint = server.endpoint;
      t.runners.default.image = `${upstream.hostPort}/${UPSTREAM_REPO}`;
      t.runners.default.version = 'v1.2.0';
      t.runners.default.vcpu = vcpu;
      t.runners.default.memoryMiB = 4096;
      t.updates = { channel: 'patch', rolloutTimeoutMinutes: 1 };
      t.stateBackend = { type: 'local', path: path.join(work, 'state', 'ecsexample.tfstate') };
    });

  beforeAll(async () => {
    [server, upstream, mirror] = await Promise.all([startMotoWithEnv({ MOTO_ECS_SERVICE_RUNNING: '1' }), startRegistry(), startRegistry()]);
    const clientConfig = { region: REGION, endpoint: server.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    ecs = new ECSClient(clientConfig);
    ssm = new SSMClient(clientConfig);
    cloudwatch = new CloudWatchClient(clientConfig);
    logs = new CloudWatchLogsClient(clientConfig);
    for (const tag of ['v1.2.0', 'v1.2.1']) await publish(tag);
    // Tags the policy must ignore.
    await pushImage(upstream.url, UPSTREAM_REPO, releases['v1.2.1']!, 'latest');
    await pushImage(upstream.url, UPSTREAM_REPO, makeTestImage(small), 'v1.3.0-rc.1');

    work = mkdtempSync(path.join(tmpdir(), 'emulator-'));
    cli = writeCliConfig(path.join(work, 'cli.tfrc'));
    const example = exampleFor(1);
    stackName = example.name;
    synthesize(example.config, path.join(work, 'out'));
    dir = path.join(work, 'out', 'stacks', stackName);
    config = updaterConfigOf(dir);
    expectStatus(tf(dir, cli, ['init', '-input=false'], { timeoutMs: 120_000 }), 0, 'init');

    // What Lambda would do inside the apply: the bootstrap, in-process, queued as its response.
    await queueBootstrap(server.endpoint, REGION, config, updaterOptions());
  }, 240_000);

  afterAll(async () => {
    await tasks?.stop();
    await Promise.all([server?.stop(), upstream?.stop(), mirror?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the bootstrap promoted the configured release into the mirror, by digest', async () => {
    expect(await manifestStatus(mirror.url, runner().mirrorRepository, releases['v1.2.0']!.index.digest)).toBe(200);
    expect(await manifestStatus(mirror.url, runner().mirrorRepository, 'v1.2.0')).toBe(200);
    expect(logLines.map((l) => JSON.parse(l))).toEqual([expect.objectContaining({ action: 'bootstrap', outcome: 'bootstrapped', to: 'v1.2.0' })]);
  });

  it('a first deploy without the secret inputs stops at plan, naming each missing variable, and creates nothing', () => {
    const none = tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { timeoutMs: 300_000 });
    expect(none.status).toBe(1);
    expect(flat(none.stderr)).toContain('Resource precondition failed');
    expect(flat(none.stderr)).toContain('TF_VAR_runner_default_api_client_secret is not set, but version 1 of ecsexample/default/api-client-secret has not been written yet');
    expect(flat(none.stderr)).toContain('TF_VAR_runner_default_private_key is not set');
    // One input only: the plan still stops, naming just the other one.
    const one = tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { vars: { runner_default_private_key: SENTINELS.runner_default_private_key }, timeoutMs: 300_000 });
    expect(one.status).toBe(1);
    expect(flat(one.stderr)).toContain('TF_VAR_runner_default_api_client_secret is not set');
    expect(flat(one.stderr)).not.toContain('TF_VAR_runner_default_private_key is not set');
    expect(leaks(one.stdout + one.stderr)).toEqual([]);
    expect(tf(dir, cli, ['state', 'list']).stdout.trim()).toBe('');
  }, 620_000);

  it('the first deploy applies every resource, secrets as ephemeral inputs', () => {
    const run = tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { vars: SENTINELS, timeoutMs: 480_000 });
    expectStatus(run, 0, 'apply');
    const list = tf(dir, cli, ['state', 'list']);
    const resources = list.stdout.split('\n').filter((l) => l && !l.startsWith('data.'));
    process.stderr.write(`emulator: applied ${resources.length} resources\n`);
    expect(resources.length).toBeGreaterThanOrEqual(55);
    expect(resources).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^aws_ecs_service\./),
        expect.stringMatching(/^aws_lambda_function\./),
        expect.stringMatching(/^aws_lambda_invocation\./),
        expect.stringMatching(/^aws_scheduler_schedule\./),
        expect.stringMatching(/^aws_ecr_repository\./),
        expect.stringMatching(/^aws_ssm_parameter\./),
        expect.stringMatching(/^aws_secretsmanager_secret_version\./),
      ]),
    );
  }, 500_000);

  it('the service runs the bootstrapped release by digest from the mirror, and its version is recorded', async () => {
    const now = await running();
    expect(now.image).toBe(`${mirrorRepoUrl()}@${releases['v1.2.0']!.index.digest}`);
    expect(await record()).toMatchObject({ version: 'v1.2.0', digest: releases['v1.2.0']!.index.digest });
    // From here on the runner "runs": its tasks log as tf-block-runner does.
    tasks = new EmulatedRunnerTasks({ logs, ecs, cluster: runner().cluster, service: runner().service, logGroupName: `${config.runnerLogs!.groupPrefix}default` }).start();
    await tasks.settle();
  });

  it("the runner's log group counts its meshStack failures and heartbeat, and alarms on them", async () => {
    const group = `${config.runnerLogs!.groupPrefix}default`;
    const filters = await logs.send(new DescribeMetricFiltersCommand({ logGroupName: group }));
    expect(filters.metricFilters?.map((f) => f.filterPattern).sort()).toEqual(['"[AUTH] Using"', '"[ApiKeyAuth] failed to fetch access token"', '"unexpected error:"']);
    const alarms = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: `${runner().service}-` }));
    expect(alarms.MetricAlarms?.map((a) => a.AlarmName)).toEqual(expect.arrayContaining([`${runner().service}-cannot-reach-meshstack`, `${runner().service}-not-polling`, runner().healthAlarm]));
  });

  it('stored the secret values in Secrets Manager, and the state holds none of them', async () => {
    const stored = await awsJsonCall(server.endpoint, 'secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: `${stackName}/default/private-key` });
    expect(stored.SecretString).toBe(SENTINELS.runner_default_private_key);
    expect(leaks(readFileSync(stateFile(), 'utf8'))).toEqual([]);
  });

  it('a plan after apply shows no changes, without secret inputs (a routine re-deploy)', () => {
    const run = tf(dir, cli, ['plan', '-detailed-exitcode', '-input=false', '-out=routine.tfplan'], { timeoutMs: 300_000 });
    expectStatus(run, 0, 'plan after apply');
    expect(leaks(readFileSync(path.join(dir, 'routine.tfplan')).toString('latin1'))).toEqual([]);
  }, 320_000);

  it('a plan with the secret inputs still set shows no changes and the saved plan holds no value', () => {
    const run = tf(dir, cli, ['plan', '-detailed-exitcode', '-input=false', '-out=with-secrets.tfplan'], { vars: SENTINELS, timeoutMs: 300_000 });
    expectStatus(run, 0, 'plan with secrets set');
    expect(leaks(readFileSync(path.join(dir, 'with-secrets.tfplan')).toString('latin1'))).toEqual([]);
    const shown = tf(dir, cli, ['show', '-json', 'with-secrets.tfplan']);
    expect(shown.status).toBe(0);
    expect(leaks(shown.stdout)).toEqual([]);
    expect(leaks(run.stdout + run.stderr)).toEqual([]);
  }, 320_000);

  let before: { taskDefinition: string; image: string };
  let updated: UpdaterRunResult;
  it('a scheduled updater run moves the service to the newest patch release, by digest', async () => {
    before = await running();
    logLines.length = 0;
    updated = await runAwsUpdater(config, { action: 'scheduled' }, updaterOptions());
    expect(updated.runners.default).toMatchObject({ outcome: 'updated', from: 'v1.2.0', to: 'v1.2.1', digest: releases['v1.2.1']!.index.digest });
    const now = await running();
    expect(now.taskDefinition).not.toBe(before.taskDefinition);
    expect(now.image).toBe(`${mirrorRepoUrl()}@${releases['v1.2.1']!.index.digest}`);
    expect(await record()).toMatchObject({ version: 'v1.2.1', previous: { version: 'v1.2.0', revision: before.taskDefinition } });
    expect(logLines).toHaveLength(1);
    expect(JSON.parse(logLines[0]!)).toMatchObject({ msg: 'runner-kit update', outcome: 'updated', runner: 'default', target: stackName });
  }, 60_000);

  it('after the update, a plan shows no changes: a later deploy does not roll it back', () => {
    expectStatus(tf(dir, cli, ['plan', '-detailed-exitcode', '-input=false'], { timeoutMs: 300_000 }), 0, 'plan after the update');
  }, 320_000);

  it('a release whose tasks turn unhealthy is rolled back to the running one', async () => {
    await publish('v1.2.2');
    const good = await running();
    const { runners, reporter } = await createAwsUpdater(config, updaterOptions());
    // The new tasks crash: the runner's health alarm fires while the rollout is under way.
    const real = runners[0]!.deployment;
    const crashing: RunnerDeployment = {
      current: () => real.current(),
      restore: (revision) => real.restore(revision),
      waitHealthy: (rollout, timeout) => real.waitHealthy(rollout, timeout),
      rollOut: async (image, version) => {
        const rollout = await real.rollOut(image, version);
        await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: runner().healthAlarm!, StateValue: 'ALARM', StateReason: 'test: the new tasks crash' }));
        return rollout;
      },
    };
    const result = await runUpdater({
      target: config.target,
      payload: { action: 'scheduled' },
      runners: [{ ...runners[0]!, deployment: crashing }],
      reporter,
      rolloutTimeoutSeconds: config.rolloutTimeoutSeconds,
      signalPollSeconds: 0.05,
    });
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.2.1', to: 'v1.2.2' });
    expect(result.runners.default!.reason).toContain(runner().healthAlarm!);
    expect(await running()).toEqual(good);
    expect(await record()).toMatchObject({ version: 'v1.2.1' });
    // v1.2.2 stays promoted (immutable tag, same digest), ready if a later run finds it healthy.
    expect(await manifestStatus(mirror.url, runner().mirrorRepository, 'v1.2.2')).toBe(200);
    await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: runner().healthAlarm!, StateValue: 'OK', StateReason: 'test: recovered' }));
  }, 60_000);

  it('a release whose new tasks cannot poll meshStack (every platform check passes) is rolled back, the runner\'s error in the reason', async () => {
    const good = await running();
    tasks!.failingImages.add(`${mirrorRepoUrl()}@${releases['v1.2.2']!.index.digest}`);
    const result = await runAwsUpdater(config, { action: 'scheduled' }, updaterOptions()).finally(() => tasks!.failingImages.clear());
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.2.1', to: 'v1.2.2' });
    expect(result.runners.default!.reason).toMatch(/cannot reach meshStack: task [0-9a-f]+: \d+ polls in a row failed; last: unexpected error: unexpected HTTP status: 401\); rolled back to v1\.2\.1, which is healthy again\.$/);
    expect(await running()).toEqual(good);
    expect(await record()).toMatchObject({ version: 'v1.2.1' });
  }, 60_000);

  it('an invalid payload is rejected by the handler and changes nothing', async () => {
    const now = await running();
    process.env[UPDATER_CONFIG_ENV] = JSON.stringify(config);
    try {
      await expect(handler({ action: 'deploy', version: 'v9.9.9' })).rejects.toThrow('Invalid updater payload: "action" must be one of check, update, rollback; got "deploy"');
      await expect(handler({ action: 'update', version: 'latest' })).rejects.toThrow('"version" must be a release tag vX.Y.Z');
    } finally {
      delete process.env[UPDATER_CONFIG_ENV];
    }
    expect(await running()).toEqual(now);
    expect(await record()).toMatchObject({ version: 'v1.2.1' });
  });

  it("an operator's rollback returns to the previous release", async () => {
    const result = await runAwsUpdater(config, { action: 'rollback' }, updaterOptions());
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.2.1', to: 'v1.2.0' });
    expect(await running()).toEqual(before);
    expect(await record()).toMatchObject({ version: 'v1.2.0', previous: { version: 'v1.2.1' } });
  }, 60_000);

  it('after updates and rollbacks, a plan still shows no changes', () => {
    expectStatus(tf(dir, cli, ['plan', '-detailed-exitcode', '-input=false'], { timeoutMs: 300_000 }), 0, 'plan after rollback');
  }, 320_000);

  it('a deploy that changes task settings leaves the running revision alone; the next update carries the new settings', async () => {
    const running0 = await running();
    // As `cdktf deploy` does: synthesize again (replacing cdktf.out), init, apply. The state lives
    // outside the synthesized tree, so it survives.
    synthesize(exampleFor(2).config, path.join(work, 'out'));
    expectStatus(tf(dir, cli, ['init', '-input=false'], { timeoutMs: 120_000 }), 0, 'init after re-synthesis');
    expectStatus(tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { timeoutMs: 300_000 }), 0, 'apply with 2 vCPU');
    expect(await running()).toEqual(running0);
    const result = await runAwsUpdater(config, { action: 'update', version: 'v1.2.1' }, updaterOptions());
    expect(result.runners.default).toMatchObject({ outcome: 'updated', from: 'v1.2.0', to: 'v1.2.1' });
    const now = await running();
    const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: now.taskDefinition }));
    expect(td.taskDefinition).toMatchObject({ cpu: '2048', memory: '4096' });
    expect(now.image).toBe(`${mirrorRepoUrl()}@${releases['v1.2.1']!.index.digest}`);
  }, 360_000);

  it('and a plan after that shows no changes', () => {
    expectStatus(tf(dir, cli, ['plan', '-detailed-exitcode', '-input=false'], { timeoutMs: 300_000 }), 0, 'plan after the settings change and update');
  }, 320_000);

  it('rotating one secret: without its input the plan stops and nothing changes; with it, only that secret and its record change', async () => {
    synthesize(exampleFor(2, 2).config, path.join(work, 'out'));
    expectStatus(tf(dir, cli, ['init', '-input=false'], { timeoutMs: 120_000 }), 0, 'init after the bump');
    const missing = tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { timeoutMs: 300_000 });
    expect(missing.status).toBe(1);
    expect(flat(missing.stderr)).toContain('TF_VAR_runner_default_api_client_secret is not set, but version 2 of ecsexample/default/api-client-secret has not been written yet');
    expect(flat(missing.stderr)).toContain('targets.ecsexample.runners.default.apiClientSecretVersion was bumped');

    const vars = { runner_default_api_client_secret: ROTATED_CLIENT_SECRET };
    expectStatus(tf(dir, cli, ['plan', '-input=false', '-out=rotate.tfplan'], { vars, timeoutMs: 300_000 }), 0, 'plan the rotation');
    const plan = JSON.parse(tf(dir, cli, ['show', '-json', 'rotate.tfplan']).stdout) as { resource_changes: { address: string; change: { actions: string[] } }[] };
    const changed = plan.resource_changes.filter((c) => !c.change.actions.every((a) => a === 'no-op' || a === 'read')).map((c) => `${c.address} ${c.change.actions.join('+')}`);
    // hashicorp/aws 5.100.0 replaces a secret version whose write-only version moves: a new AWSCURRENT value.
    expect(changed.sort()).toEqual([expect.stringMatching(/^aws_secretsmanager_secret_version\.Runner-default-Secrets_ApiClientSecret_Version_\w+ (update|delete\+create|create\+delete)$/), expect.stringMatching(/^aws_ssm_parameter\.Runner-default-Secrets_ApiClientSecret_Written_\w+ update$/)]);
    expect(leaks(readFileSync(path.join(dir, 'rotate.tfplan')).toString('latin1'))).toEqual([]);
    // Ephemeral inputs set while planning must be set again when a saved plan is applied.
    expectStatus(tf(dir, cli, ['apply', '-auto-approve', '-input=false', 'rotate.tfplan'], { vars, timeoutMs: 300_000 }), 0, 'apply the rotation');

    const secret = async (name: string) => (await awsJsonCall(server.endpoint, 'secretsmanager', 'secretsmanager.GetSecretValue', { SecretId: `${stackName}/default/${name}` })).SecretString;
    expect(await secret('api-client-secret')).toBe(ROTATED_CLIENT_SECRET);
    expect(await secret('private-key')).toBe(SENTINELS.runner_default_private_key);
    expectStatus(tf(dir, cli, ['plan', '-detailed-exitcode', '-input=false'], { timeoutMs: 300_000 }), 0, 'routine plan after the rotation');
    expect(leaks(readFileSync(stateFile(), 'utf8'))).toEqual([]);
  }, 960_000);

  it('destroys everything', async () => {
    await tasks?.stop();
    expectStatus(tf(dir, cli, ['destroy', '-auto-approve', '-input=false'], { timeoutMs: 480_000 }), 0, 'destroy');
    const list = tf(dir, cli, ['state', 'list']);
    expect(list.stdout.trim()).toBe('');
    expect(leaks(readFileSync(stateFile(), 'utf8'))).toEqual([]);
  }, 500_000);
});
