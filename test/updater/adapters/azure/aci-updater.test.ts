/**
 * The Azure updater end to end against a fake ARM that speaks the real wire format and validates
 * every request body with the SDKs' own models (test/support/fake-arm.ts), through the official
 * SDK clients (@azure/arm-containerinstance, @azure/arm-containerregistry) over HTTPS: the updater
 * core with the Azure adapters and the Functions handlers, as deployed.
 *
 * Scenarios: a healthy update (import by digest, PUT with only the owned paths changed, health
 * gate, version tags); an unhealthy release rolled back (runner cannot reach meshStack; runner
 * crash-loops); a busy runner deferred; an operator's rollback; invalid payloads rejected before
 * anything is read; the schedule gate and the log link of the timer tick; the managed-identity
 * credential; and the fake's own refusal of bodies the real API would refuse.
 */
import type { TokenCredential } from '@azure/core-auth';
import { ManagedIdentityCredential } from '@azure/identity';
import { UPDATER_OWNED_ATTRIBUTES } from '../../../../constructs/azure/aci-runner-group';
import { VERSION_TAGS } from '../../../../constructs/azure/azure-names';
import { VERSION_TAG_KEYS } from '../../../../updater/adapters/azure/group-tag-version-store';
import { armClients } from '../../../../updater/adapters/azure/arm';
import { specWith } from '../../../../updater/adapters/azure/aci-group-spec';
import type { AzureUpdaterConfig } from '../../../../updater/entry/azure-updater-config';
import { runAzureUpdater, type AzureUpdaterOptions } from '../../../../updater/entry/azure-updater';
import { handleRequest, handleTick } from '../../../../updater/entry/azure-handlers';
import { differences } from '../../../support/azure-sdk-models';
import { FakeArm, FakeUpstream, FAKE_TOKEN, RESOURCE_GROUP, SUBSCRIPTION, type FakeGroup } from '../../../support/fake-arm';
import { FakeClock } from '../../../support/fake-clock';

const D130 = `sha256:${'1'.repeat(64)}`;
const D140 = `sha256:${'4'.repeat(64)}`;
const LOGIN = 'rkprod12345678.azurecr.io';
const REPO = 'prod/tf-block-runner';
const image = (digest: string) => `${LOGIN}/${REPO}@${digest}`;
const GROUP = 'prod-default';
const credential: TokenCredential = { getToken: async () => ({ token: FAKE_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 }) };

describe('Azure updater against the fake ARM', () => {
  let clock: FakeClock;
  let fake: FakeArm;
  let upstream: FakeUpstream;
  let config: AzureUpdaterConfig;
  let lines: string[];

  beforeAll(async () => {
    clock = new FakeClock(Date.parse('2026-12-01T09:00:00Z'));
    fake = await FakeArm.start(() => clock.now());
    upstream = await FakeUpstream.start({ 'v1.3.0': D130, 'v1.4.0': D140, main: `sha256:${'9'.repeat(64)}` });
  });
  afterAll(async () => {
    await fake.close();
    await upstream.close();
  });

  beforeEach(() => {
    fake.groups.clear();
    fake.registryTags.clear();
    fake.imports.length = 0;
    fake.requests.length = 0;
    fake.refused.length = 0;
    fake.behaviours.clear();
    fake.runs.clear();
    fake.registryTags.set(`${REPO}:v1.3.0`, D130);
    fake.seedGroup(GROUP, image(D130), { 'managed-by': 'private-runner-kit', 'cost-center': 'platform', [VERSION_TAGS.version]: 'v1.3.0', [VERSION_TAGS.digest]: D130 }, { logsLinked: true });
    lines = [];
    config = {
      target: 'prod',
      subscriptionId: SUBSCRIPTION,
      resourceGroup: RESOURCE_GROUP,
      registry: { name: 'rkprod12345678', loginServer: LOGIN },
      workspaceResourceId: fake.workspaceId,
      rolloutTimeoutSeconds: 600,
      runTimeoutMinutes: 60,
      policy: { channel: 'minor', hold: false, allowDowngrade: false },
      schedule: { cron: '0 * * * *', timeZone: 'UTC', tickMinutes: 5 },
      runners: [{ name: 'default', upstreamRegistry: upstream.url, upstreamRepository: 'meshcloud/tf-block-runner', version: 'v1.3.0', mirrorRepository: REPO, containerGroup: GROUP }],
    };
  });

  afterEach(() => {
    // The SDK's models accepted every body the updater sent (the refusal test sends bad ones on purpose).
    if (!expect.getState().currentTestName?.includes('the fake refuses')) expect(fake.refused).toEqual([]);
  });

  const options = (over: Partial<AzureUpdaterOptions> = {}): AzureUpdaterOptions => ({
    credential,
    armEndpoint: fake.url,
    caPem: fake.caPem,
    clock,
    importPollIntervalMs: 1,
    pollIntervalMs: 15_000,
    stableSeconds: 60,
    busyWaitSeconds: 0,
    log: (line) => lines.push(line),
    ...over,
  });
  const group = (): FakeGroup => fake.groups.get(GROUP)!;
  const reports = () => lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'runner-kit update report');

  it('GIVEN a newer release on the channel WHEN an operator asks for an update THEN it imports the digest, PUTs only the new image and the log link, waits until the runner reaches meshStack, and records the versions', async () => {
    const before = JSON.parse(JSON.stringify(group().spec));
    const result = await handleRequest({ action: 'update' }, { config, options: options(), log: (l) => lines.push(l) });
    expect(fake.refused).toEqual([]);
    expect(result!.runners.default).toMatchObject({ outcome: 'updated', from: 'v1.3.0', to: 'v1.4.0', digest: D140, image: image(D140), revision: image(D140) });
    // The mirror import: exactly the digest upstream published, tagged, never forced.
    expect(fake.imports).toEqual([{ source: { registryUri: new URL(upstream.url).host, sourceImage: `meshcloud/tf-block-runner@${D140}` }, targetTags: [`${REPO}:v1.4.0`], mode: 'NoForce' }]);
    // One PUT: the previous spec with the new image in both containers and the workspace key supplied again.
    expect(group().puts).toHaveLength(1);
    const put = group().puts[0]!;
    expect(put.properties.containers[0].properties.image).toBe(image(D140));
    expect(put.properties.initContainers[0].properties.image).toBe(image(D140));
    expect(put.properties.diagnostics.logAnalytics).toEqual({ workspaceId: fake.workspace.customerId, workspaceKey: fake.workspace.key, logType: 'ContainerInstanceLogs', workspaceResourceId: fake.workspaceId });
    const changed = differences(before, put);
    expect(changed.filter((p) => !p.startsWith('properties.diagnostics.')).sort()).toEqual(['properties.containers[0].properties.image', 'properties.initContainers[0].properties.image', 'tags'].sort());
    // The version record: tags, written after the rollout was healthy, with what ran before.
    expect(group().tags).toMatchObject({ 'cost-center': 'platform', [VERSION_TAG_KEYS.version]: 'v1.4.0', [VERSION_TAG_KEYS.digest]: D140, [VERSION_TAG_KEYS.previousVersion]: 'v1.3.0', [VERSION_TAG_KEYS.previousDigest]: D130 });
    expect(reports()).toEqual([expect.objectContaining({ outcome: 'updated', runner: 'default', target: 'prod' })]);
    // The workspace key never reaches a log line.
    expect(lines.join('\n')).not.toContain(fake.workspace.key);
  });

  it('GIVEN the new release cannot reach meshStack THEN the update is rolled back to the previous image and the record keeps the old version', async () => {
    fake.behaviours.set(image(D140), 'unreachable');
    const result = await runAzureUpdater(config, { action: 'update' }, options());
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.3.0', to: 'v1.4.0' });
    expect(result.runners.default!.reason).toMatch(/cannot reach meshStack: container group prod-default: 2 polls in a row failed; last: unexpected error: unexpected HTTP status: 401/);
    expect(group().puts.map((p) => p.properties.containers[0].properties.image)).toEqual([image(D140), image(D130)]);
    expect(fake.imageOf(GROUP)).toBe(image(D130));
    expect(group().tags[VERSION_TAG_KEYS.version]).toBe('v1.3.0');
    expect(group().tags[VERSION_TAG_KEYS.previousVersion]).toBeUndefined();
  });

  it('GIVEN the new release crash-loops THEN the platform gate fails it and it is rolled back', async () => {
    fake.behaviours.set(image(D140), 'crash');
    const result = await runAzureUpdater(config, { action: 'update' }, options());
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back' });
    expect(result.runners.default!.reason).toMatch(/restarted \d+ times since the rollout/);
    expect(fake.imageOf(GROUP)).toBe(image(D130));
  });

  it('GIVEN the init step of the new release cannot read its secrets THEN the rollout fails and is rolled back', async () => {
    fake.behaviours.set(image(D140), 'init-fails');
    const result = await runAzureUpdater(config, { action: 'update' }, options());
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back' });
    expect(result.runners.default!.reason).toMatch(/init container fetch-secrets keeps failing/);
  });

  it('GIVEN the runner executes a run THEN the update is deferred (deferred-busy): nothing is PUT, the release waits in the mirror', async () => {
    fake.runs.set(GROUP, { id: 'run-42', from: clock.now() - 120_000, until: clock.now() + 3_600_000 });
    const result = await runAzureUpdater(config, { action: 'update' }, options({ busyWaitSeconds: 60, busyPollSeconds: 30 }));
    expect(result.runners.default).toMatchObject({ outcome: 'deferred-busy', from: 'v1.3.0', to: 'v1.4.0' });
    expect(result.runners.default!.reason).toMatch(/executing run run-42 on container group prod-default/);
    expect(group().puts).toEqual([]);
    expect(fake.registryTags.get(`${REPO}:v1.4.0`)).toBe(D140);
    expect(group().tags[VERSION_TAG_KEYS.version]).toBe('v1.3.0');
  });

  it('GIVEN a run that ends while the updater waits THEN the update goes ahead after it', async () => {
    fake.runs.set(GROUP, { id: 'run-43', from: clock.now() - 60_000, until: clock.now() + 45_000 });
    const result = await runAzureUpdater(config, { action: 'update' }, options({ busyWaitSeconds: 300, busyPollSeconds: 30 }));
    expect(result.runners.default).toMatchObject({ outcome: 'updated' });
  });

  it('GIVEN an update happened WHEN an operator asks for a rollback THEN the previous image runs again and the record swaps', async () => {
    await runAzureUpdater(config, { action: 'update' }, options());
    const result = await handleRequest(JSON.stringify({ action: 'rollback' }), { config, options: options(), log: (l) => lines.push(l) });
    expect(result!.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.4.0', to: 'v1.3.0', digest: D130 });
    expect(fake.imageOf(GROUP)).toBe(image(D130));
    expect(group().tags).toMatchObject({ [VERSION_TAG_KEYS.version]: 'v1.3.0', [VERSION_TAG_KEYS.previousVersion]: 'v1.4.0', [VERSION_TAG_KEYS.previousDigest]: D140 });
    expect(lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'runner-kit invocation' && l.action === 'rollback')).toMatchObject({ invokedVia: 'on-demand' });
  });

  it('GIVEN no earlier version is recorded WHEN an operator asks for a rollback THEN it is rejected and nothing changes', async () => {
    const result = await runAzureUpdater(config, { action: 'rollback' }, options());
    expect(result.runners.default).toMatchObject({ outcome: 'rejected' });
    expect(group().puts).toEqual([]);
  });

  it.each([
    ['not JSON', 'update please', /queue message is not JSON/],
    ['an unknown field', { action: 'update', force: true }, /unknown field\(s\) "force"/],
    ['an unknown action', { action: 'delete' }, /"action" must be one of check, update, rollback/],
    ['a version that is not a release tag', { action: 'update', version: 'latest' }, /"version" must be a release tag/],
    ['a version with rollback', { action: 'rollback', version: 'v1.3.0' }, /only accepted with action check or update/],
    ['the deploy\'s bootstrap', { action: 'bootstrap' }, /accepted only from the deploy's invocation, not on demand/],
    ['the schedule\'s action', { action: 'scheduled' }, /accepted only from the schedule, not on demand/],
    ['an array', [{ action: 'check' }], /must be a JSON object/],
  ])('GIVEN an on-demand request with %s THEN it is rejected before anything is read or changed', async (_what, message, reason) => {
    const result = await handleRequest(message, { config, options: options(), log: (l) => lines.push(l) });
    expect(result).toBeUndefined();
    expect(fake.requests).toEqual([]);
    const rejection = lines.map((l) => JSON.parse(l)).find((l) => l.outcome === 'rejected');
    expect(rejection).toMatchObject({ level: 'error', invokedVia: 'on-demand', reason: expect.stringMatching(reason) });
    expect(rejection.reason).toMatch(/Nothing was changed\.$/);
  });

  it('GIVEN a check THEN it reports what the policy would do and changes nothing', async () => {
    const result = await handleRequest({ action: 'check' }, { config, options: options(), log: (l) => lines.push(l) });
    expect(result!.runners.default).toMatchObject({ outcome: 'update-available', from: 'v1.3.0', to: 'v1.4.0' });
    expect(fake.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('GIVEN a timer tick outside the schedule THEN it only links logs; at the scheduled minute THEN it runs (outside the window: reports only)', async () => {
    config = { ...config, policy: { ...config.policy, window: { schedule: '0 2 * * *', durationMinutes: 60, timeZone: 'UTC' } } };
    const off = await handleTick({ config, options: options(), now: () => new Date('2026-12-01T09:07:00Z'), log: (l) => lines.push(l) });
    expect(off).toBeUndefined();
    const due = await handleTick({ config, options: options(), now: () => new Date('2026-12-01T10:00:00Z'), log: (l) => lines.push(l) });
    expect(due!.runners.default).toMatchObject({ outcome: 'outside-window', to: 'v1.4.0' });
    expect(group().puts).toEqual([]);
  });

  it('GIVEN a group the deploy created without its log link THEN the tick links it (a PUT with the workspace key, image unchanged), but not while a run is in progress', async () => {
    fake.seedGroup(GROUP, image(D130), { [VERSION_TAGS.version]: 'v1.3.0', [VERSION_TAGS.digest]: D130 });
    fake.runs.set(GROUP, { id: 'run-7', from: clock.now() - 60_000, until: clock.now() + 600_000 });
    await handleTick({ config, options: options(), now: () => new Date('2026-12-01T09:07:00Z'), log: (l) => lines.push(l) });
    expect(group().puts).toEqual([]);
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(expect.objectContaining({ msg: 'runner-kit runner logs', outcome: 'busy' }));
    fake.runs.clear();
    await handleTick({ config, options: options(), now: () => new Date('2026-12-01T09:12:00Z'), log: (l) => lines.push(l) });
    expect(group().puts).toHaveLength(1);
    expect(group().puts[0]!.properties.diagnostics.logAnalytics.workspaceId).toBe(fake.workspace.customerId);
    expect(group().puts[0]!.properties.containers[0].properties.image).toBe(image(D130));
    await handleTick({ config, options: options(), now: () => new Date('2026-12-01T09:17:00Z'), log: (l) => lines.push(l) });
    expect(group().puts).toHaveLength(1);
  });

  it("what a PUT changes is exactly what Terraform ignores on the container group (a later deploy never reverts it)", async () => {
    const arm = armClients({ credential, subscriptionId: SUBSCRIPTION, endpoint: fake.url, caPem: fake.caPem });
    const read = await arm.aci.containerGroups.get(RESOURCE_GROUP, GROUP);
    const { changed } = specWith(read, { image: image(D140), logs: { workspaceId: 'w', workspaceKey: 'k' } });
    const toTerraform: Record<string, string> = { 'containers[runner].image': 'container[0].image', 'initContainers[fetch-secrets].image': 'init_container[0].image', diagnostics: 'diagnostics' };
    for (const path of changed) expect(UPDATER_OWNED_ATTRIBUTES).toContain(toTerraform[path]);
    for (const key of Object.values(VERSION_TAG_KEYS)) expect(UPDATER_OWNED_ATTRIBUTES).toContain(`tags["${key}"]`);
    expect(Object.values(VERSION_TAG_KEYS).sort()).toEqual(Object.values(VERSION_TAGS).sort());
    // And a full update, through the SDK's serializer, changes nothing else in the group as Terraform created it
    // (the version tags aside: written by the version store, and ignored as above).
    const seeded = JSON.parse(JSON.stringify(group().spec));
    const seededTags = { ...group().tags };
    await runAzureUpdater(config, { action: 'update' }, options());
    const put = group().puts[0]!;
    const wireToTerraform = (p: string): string | undefined =>
      p === 'properties.containers[0].properties.image' ? 'container[0].image'
        : p === 'properties.initContainers[0].properties.image' ? 'init_container[0].image'
          : p.startsWith('properties.diagnostics') ? 'diagnostics'
            : p === 'tags' ? 'tags'
              : undefined;
    const paths = differences(seeded, put);
    expect(paths.length).toBeGreaterThan(0);
    for (const p of paths) expect([...UPDATER_OWNED_ATTRIBUTES, 'tags']).toContain(wireToTerraform(p));
    // The tags the PUT carries differ from the seeded ones only in the version record.
    const tagChanges = differences(seededTags, put.tags ?? {});
    expect(tagChanges.filter((k) => !(Object.values(VERSION_TAG_KEYS) as string[]).includes(k))).toEqual([]);
  });

  it('signs in with the managed identity (IDENTITY_ENDPOINT, as on Azure Functions) and gets an ARM token', async () => {
    const saved = { IDENTITY_ENDPOINT: process.env.IDENTITY_ENDPOINT, IDENTITY_HEADER: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = fake.identityEndpoint;
    process.env.IDENTITY_HEADER = 'fake-identity-header';
    try {
      const identity = new ManagedIdentityCredential({ clientId: 'updater-client-id' });
      const result = await runAzureUpdater(config, { action: 'check' }, options({ credential: identity }));
      expect(result.runners.default).toMatchObject({ outcome: 'update-available' });
      expect(fake.identityRequests[0]).toBe('https://management.azure.com updater-client-id fake-identity-header');
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('the fake refuses what ARM would: a container group without osType, an unknown property, a bad import mode', async () => {
    const arm = armClients({ credential, subscriptionId: SUBSCRIPTION, endpoint: fake.url, caPem: fake.caPem });
    const put = (body: unknown) => arm.aci.sendRequest(require('@azure/core-rest-pipeline').createPipelineRequest({ url: `${fake.url}${fake.groupPath(GROUP)}?api-version=2023-05-01`, method: 'PUT', body: JSON.stringify(body), headers: require('@azure/core-rest-pipeline').createHttpHeaders({ 'content-type': 'application/json' }) }));
    const valid = JSON.parse(JSON.stringify(group().spec));
    expect((await put({ ...valid, properties: { ...valid.properties, osType: undefined } })).status).toBe(400);
    expect((await put({ ...valid, properties: { ...valid.properties, securityProfile: 'x' } })).status).toBe(400);
    expect((await put(valid)).status).toBe(200);
    expect(fake.refused.map((r) => r.problems.join('; '))).toEqual([expect.stringMatching(/osType cannot be null or undefined/), expect.stringMatching(/properties\.securityProfile: not in the ContainerGroup model/)]);
    await expect(arm.acr.registries.importImage(RESOURCE_GROUP, 'rk', { source: { sourceImage: 'a@sha256:1' }, mode: 'Sometimes' as 'Force' }, { updateIntervalInMs: 1 })).rejects.toThrow(/mode "Sometimes" is not one of NoForce, Force/);
  });
});
