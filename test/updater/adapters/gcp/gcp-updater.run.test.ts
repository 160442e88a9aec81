/**
 * The GCP updater end to end, through its job entry (`updater/entry/gcp-job.ts`), against the fake
 * Google APIs (Cloud Run request bodies checked against the official protos, a metadata server that
 * insists on `Metadata-Flavor: Google`, Cloud Logging, Cloud Storage) and a real OCI registry on
 * loopback standing in for both ghcr.io and Artifact Registry:
 * - the deploy's bootstrap (outside Cloud Run, Application Default Credentials): records and runtime;
 * - the schedule's run: a healthy update; an update whose runners cannot reach meshStack, and one
 *   whose revision never becomes ready, both rolled back by instance splits; a busy runner deferred;
 * - an operator's rollback;
 * - invalid payloads and invokers, refused before any change.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { main } from '../../../../updater/entry/gcp-job';
import { buildGcpUpdaterConfig, GCP_UPDATER_CONFIG_ENV, GCP_UPDATER_PAYLOAD_ENV, SCHEDULED_PAYLOAD } from '../../../../updater/entry/gcp-updater-config';
import { FakeGoogleApis } from '../../../support/fake-google-apis';
import { makeTestImage, pushImage, startRegistry, type LocalRegistry, type TestImage } from '../../../support/oci-registry';
import { describeWith, dockerRegistry } from '../../../support/requirements';
import { runnerLine } from '../../../support/runner-log-lines';

const PROJECT = 'acme-runners';
const REGION = 'europe-west3';
const POOL = `projects/${PROJECT}/locations/${REGION}/workerPools/prod-default`;
const MIRROR = `${REGION}-docker.pkg.dev/${PROJECT}/prod`;
const SCHEDULER = `prod-schedule@${PROJECT}.iam.gserviceaccount.com`;
const OPERATOR = `prod-operator@${PROJECT}.iam.gserviceaccount.com`;

const config = buildGcpUpdaterConfig({
  target: 'prod',
  project: PROJECT,
  region: REGION,
  rolloutTimeoutMinutes: 2,
  policy: { channel: 'minor', hold: false, allowDowngrade: false },
  bucket: 'rk-acme-runners-prod',
  mirrorRegistry: MIRROR,
  job: 'prod-updater',
  schedulerServiceAccount: SCHEDULER,
  runtimePackage: 'updater-runtime',
  runtimeRecord: 'records/updater-runtime.json',
  runners: [{ name: 'default', upstreamImage: 'ghcr.io/meshcloud/tf-block-runner', version: 'v1.3.0', mirrorPackage: 'tf-block-runner', workerPool: 'prod-default', record: 'records/default.json' }],
  runTimeoutMinutes: 60,
});
const RECORD = 'rk-acme-runners-prod/records/default.json';

describeWith([dockerRegistry], 'GCP updater against the fake Google APIs and a real registry', () => {
  let registry: LocalRegistry;
  const images: Record<string, TestImage> = {};
  let fake: FakeGoogleApis;
  let lines: string[];

  beforeAll(async () => {
    registry = await startRegistry();
    for (const v of ['v1.3.0', 'v1.4.0']) {
      images[v] = makeTestImage({ layerBytes: 1024 });
      await pushImage(registry.url, 'meshcloud/tf-block-runner', images[v]!, v);
    }
    images.node = makeTestImage({ layerBytes: 1024 });
    await pushImage(registry.url, 'library/node', images.node, '22-alpine');
  }, 60_000);
  afterAll(async () => registry?.stop());
  beforeEach(async () => {
    fake = await new FakeGoogleApis().start();
    lines = [];
  });
  afterEach(async () => fake.stop());

  const image = (v: string) => `${MIRROR}/tf-block-runner@${images[v]!.index.digest}`;
  const io = (env: Record<string, string>, argv: string[] = []) => ({
    argv,
    env: { [GCP_UPDATER_CONFIG_ENV]: JSON.stringify(config), GCE_METADATA_HOST: fake.host, ...env },
    log: (line: string) => lines.push(line),
    endpoints: { run: fake.url, logging: fake.url, storage: fake.url },
    mirrorRegistryUrlOverride: registry.url,
    upstreamRegistryUrlOverride: registry.url,
    pollIntervalMs: 20,
    minimumSignalSeconds: 1,
    busyWaitSeconds: 0,
  });
  /** One job execution started by `creator` with `payload`. */
  const execute = (creator: string, payload: string) => {
    const execution = `prod-updater-${Math.random().toString(36).slice(2, 7)}`;
    fake.executions.set(execution, creator);
    return main(io({ CLOUD_RUN_JOB: 'prod-updater', CLOUD_RUN_EXECUTION: execution, [GCP_UPDATER_PAYLOAD_ENV]: payload }));
  };
  const reports = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.msg === 'runner-kit update');
  const record = () => JSON.parse(fake.objects.get(RECORD)!.toString('utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const patches = () => fake.requests.filter((r) => r.method === 'PATCH');
  /** A deployed runner on v1.3.0 (first revision, healthy instance) with its record. */
  const deployed = () => {
    const first = fake.addWorkerPool(POOL, image('v1.3.0'));
    fake.log(POOL, first, 'i0', [runnerLine.startup(), runnerLine.pollStarted(), runnerLine.pollStarted()], 60_000);
    fake.objects.set(RECORD, Buffer.from(JSON.stringify({ version: 'v1.3.0', digest: images['v1.3.0']!.index.digest, updatedAt: '2026-07-23T10:00:00.000Z' })));
    return first;
  };

  it('bootstrap (the deploy, outside Cloud Run, with Application Default Credentials): promotes the runner and the runtime, writes both records; again, changes nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'adc-'));
    const adc = path.join(dir, 'adc.json');
    writeFileSync(adc, JSON.stringify({ type: 'authorized_user', client_id: 'c', client_secret: 's', refresh_token: 'fake-refresh-token', token_uri: `${fake.url}/token` }));
    const env = { GOOGLE_APPLICATION_CREDENTIALS: adc };
    expect(await main(io(env, ['bootstrap']))).toBe(0);
    expect(record()).toMatchObject({ version: 'v1.3.0', digest: images['v1.3.0']!.index.digest });
    const runtime = JSON.parse(fake.objects.get('rk-acme-runners-prod/records/updater-runtime.json')!.toString('utf8'));
    // The runtime is copied for linux/amd64 only (what Cloud Run runs): the platform manifest's digest.
    expect(runtime).toMatchObject({ version: '22-alpine', digest: images.node!.manifests.find((m) => m.platform.architecture === 'amd64')!.digest });
    const first = fake.objects.get(RECORD)!.toString('utf8');
    expect(await main(io(env, ['bootstrap']))).toBe(0);
    expect(fake.objects.get(RECORD)!.toString('utf8')).toBe(first);
    expect(fake.requests.filter((r) => r.path.startsWith('/v2/projects'))).toEqual([]);
    expect(fake.requests.some((r) => r.path === '/token')).toBe(true);
  });

  it('scheduled, healthy: a new revision with the new digest, the record moves on, every request body is a valid WorkerPool', async () => {
    const first = deployed();
    expect(await execute(SCHEDULER, SCHEDULED_PAYLOAD)).toBe(0);
    expect(fake.problems).toEqual([]);
    expect(reports()).toEqual([expect.objectContaining({ outcome: 'updated', from: 'v1.3.0', to: 'v1.4.0', severity: 'INFO' })]);
    const pool = fake.pool(POOL)!;
    expect(pool.template.containers[0].image).toBe(image('v1.4.0'));
    expect(pool.instanceSplits).toEqual([{ type: 'INSTANCE_SPLIT_ALLOCATION_TYPE_LATEST', percent: 100 }]);
    expect(record()).toMatchObject({ version: 'v1.4.0', digest: images['v1.4.0']!.index.digest, previous: { version: 'v1.3.0', revision: first } });
    expect(patches()).toHaveLength(1);
  });

  it('scheduled, the new runners cannot reach meshStack: rolled back by pinning the instance splits to the previous revision', async () => {
    const first = deployed();
    fake.outcomeOf = (img) => (img === image('v1.4.0') ? 'unreachable' : 'healthy');
    expect(await execute(SCHEDULER, SCHEDULED_PAYLOAD)).toBe(0);
    expect(fake.problems).toEqual([]);
    const [report] = reports();
    expect(report).toMatchObject({ outcome: 'rolled-back', severity: 'WARNING' });
    expect(String(report!.reason)).toMatch(/cannot reach meshStack: .*no such host/);
    expect(fake.pool(POOL)!.instanceSplits).toEqual([{ type: 'INSTANCE_SPLIT_ALLOCATION_TYPE_REVISION', revision: first, percent: 100 }]);
    expect(record()).toMatchObject({ version: 'v1.3.0' });
  });

  it('scheduled, the new revision never becomes ready: rolled back, the failed condition in the reason', async () => {
    const first = deployed();
    fake.outcomeOf = (img) => (img === image('v1.4.0') ? 'crash' : 'healthy');
    expect(await execute(SCHEDULER, SCHEDULED_PAYLOAD)).toBe(0);
    const [report] = reports();
    expect(report).toMatchObject({ outcome: 'rolled-back' });
    expect(String(report!.reason)).toMatch(/failed to start/);
    expect(fake.pool(POOL)!.instanceSplits).toEqual([{ type: 'INSTANCE_SPLIT_ALLOCATION_TYPE_REVISION', revision: first, percent: 100 }]);
    expect(record()).toMatchObject({ version: 'v1.3.0' });
  });

  it('scheduled, the runner executes a run: deferred-busy, nothing changed', async () => {
    const first = deployed();
    fake.log(POOL, first, 'i0', [runnerLine.runStarted('run-42'), runnerLine.runCall()], 5_000);
    expect(await execute(SCHEDULER, SCHEDULED_PAYLOAD)).toBe(0);
    const [report] = reports();
    expect(report).toMatchObject({ outcome: 'deferred-busy', severity: 'WARNING' });
    expect(String(report!.reason)).toMatch(/run run-42 on instance i0/);
    expect(patches()).toEqual([]);
    expect(record()).toMatchObject({ version: 'v1.3.0' });
  });

  it('an operator rolls back after an update: the splits pin the previous revision, the record swaps', async () => {
    const first = deployed();
    expect(await execute(SCHEDULER, SCHEDULED_PAYLOAD)).toBe(0);
    const updated = record().revision as string;
    lines = [];
    expect(await execute(OPERATOR, '{"action":"rollback"}')).toBe(0);
    expect(fake.problems).toEqual([]);
    expect(reports()).toEqual([expect.objectContaining({ action: 'rollback', outcome: 'rolled-back', from: 'v1.4.0', to: 'v1.3.0' })]);
    expect(lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'runner-kit invocation')).toMatchObject({ action: 'rollback', invokedVia: 'on-demand', invokedBy: OPERATOR });
    expect(fake.pool(POOL)!.instanceSplits).toEqual([{ type: 'INSTANCE_SPLIT_ALLOCATION_TYPE_REVISION', revision: first, percent: 100 }]);
    expect(record()).toMatchObject({ version: 'v1.3.0', revision: first, previous: { version: 'v1.4.0', revision: updated } });
  });

  it.each<[string, string, string, RegExp]>([
    ['a payload that is not JSON', OPERATOR, '{action: check', /RUNNER_KIT_PAYLOAD is not JSON/],
    ['an unknown field', OPERATOR, '{"action":"check","force":true}', /unknown field\(s\) "force"/],
    ['a version that is not a release tag', OPERATOR, '{"action":"update","version":"latest"}', /release tag vX\.Y\.Z/],
    ['the schedule asking for an update', SCHEDULER, '{"action":"update"}', /accepted only on demand, not from the schedule/],
    ['an operator asking for the scheduled run', OPERATOR, SCHEDULED_PAYLOAD, /accepted only from the schedule, not on demand/],
    ['an operator asking for the bootstrap', OPERATOR, '{"action":"bootstrap"}', /accepted only from the deploy's invocation/],
  ])('refuses %s before any change (exit 1, one error line)', async (_name, creator, payload, message) => {
    deployed();
    expect(await execute(creator, payload)).toBe(1);
    const [line] = lines.map((l) => JSON.parse(l));
    expect(line).toMatchObject({ severity: 'ERROR', outcome: 'rejected' });
    expect(line.reason).toMatch(message);
    expect(patches()).toEqual([]);
    expect(fake.requests.filter((r) => r.path.includes('workerPools'))).toEqual([]);
    expect(record()).toMatchObject({ version: 'v1.3.0' });
  });

  it('refuses an execution of another job, and runs outside Cloud Run that are not the bootstrap', async () => {
    deployed();
    fake.executions.set('x', OPERATOR);
    expect(await main(io({ CLOUD_RUN_JOB: 'other-job', CLOUD_RUN_EXECUTION: 'x', [GCP_UPDATER_PAYLOAD_ENV]: '{"action":"check"}' }))).toBe(1);
    expect(JSON.parse(lines[0]!).reason).toMatch(/not the target's updater job prod-updater/);
    expect(await main(io({ GOOGLE_OAUTH_ACCESS_TOKEN: 'x' }, ['update']))).toBe(1);
    expect(JSON.parse(lines[1]!).reason).toMatch(/only runs the deploy's bootstrap/);
    expect(patches()).toEqual([]);
  });

  it('refuses an execution whose task count was overridden (one updater at a time), before reading anything', async () => {
    deployed();
    fake.executions.set('y', OPERATOR);
    const before = fake.requests.length;
    expect(await main(io({ CLOUD_RUN_JOB: 'prod-updater', CLOUD_RUN_EXECUTION: 'y', CLOUD_RUN_TASK_COUNT: '3', [GCP_UPDATER_PAYLOAD_ENV]: '{"action":"check"}' }))).toBe(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ severity: 'ERROR', outcome: 'rejected', reason: expect.stringMatching(/"3" tasks; the updater runs as exactly one/) });
    expect(fake.requests.length).toBe(before);
    expect(await execute(OPERATOR, '{"action":"check"}')).toBe(0);
  });
});
