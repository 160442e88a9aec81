/**
 * The GCP adapters' parts that need no registry: the worker pool's judgement (pure), what an update
 * sends back (the API's output-only fields stripped, exactly those of the official protos), the
 * access tokens (the metadata server must say it is one; a service-account key is exchanged for a
 * token with a signed JWT), and the version record in Cloud Storage.
 */
import { generateKeyPairSync, createVerify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { applicationDefaultToken, metadataServerToken } from '../../../../updater/adapters/gcp/access-token';
import { assess, CloudRunWorkerPoolDeployment, servingRevision, SPLIT_LATEST, SPLIT_REVISION } from '../../../../updater/adapters/gcp/cloudrun-worker-pool-deployment';
import { GcsVersionStore } from '../../../../updater/adapters/gcp/gcs-version-store';
import { GoogleApi } from '../../../../updater/adapters/gcp/google-api';
import { runMessage } from '../../../support/cloud-run-protos';
import { FakeGoogleApis } from '../../../support/fake-google-apis';

const POOL = 'projects/p/locations/europe-west3/workerPools/prod-default';
const rev = (r: string) => `${POOL}/revisions/${r}`;

async function serve(handler: http.RequestListener): Promise<{ url: string; host: string; close: () => Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, host: `127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('worker pool judgement', () => {
  const settled = { reconciling: false, generation: '2', observedGeneration: '2', terminalCondition: { state: 'CONDITION_SUCCEEDED' } };
  it('complete when the new revision is ready and serves every instance', () => {
    expect(assess({ ...settled, latestCreatedRevision: rev('b'), latestReadyRevision: rev('b'), instanceSplits: [{ type: SPLIT_LATEST, percent: 100 }], instanceSplitStatuses: [{ type: SPLIT_LATEST, percent: 100 }] }, 'b', POOL)).toEqual({ state: 'complete' });
  });
  it('in progress while reconciling or a generation is not observed yet', () => {
    expect(assess({ ...settled, reconciling: true, latestReadyRevision: rev('a') }, 'b', POOL).state).toBe('in-progress');
    expect(assess({ ...settled, observedGeneration: '1', latestReadyRevision: rev('a') }, 'b', POOL).state).toBe('in-progress');
  });
  it('failed on a failed terminal condition, on a created revision that is not ready, and when the pool is gone', () => {
    expect(assess({ ...settled, terminalCondition: { state: 'CONDITION_FAILED', message: 'container failed' } }, 'b', POOL)).toEqual({ state: 'failed', reason: `worker pool ${POOL} failed: container failed` });
    expect(assess({ ...settled, latestCreatedRevision: rev('b'), latestReadyRevision: rev('a'), instanceSplits: [{ type: SPLIT_LATEST, percent: 100 }] }, 'b', POOL).state).toBe('failed');
    expect(assess(undefined, 'b', POOL).state).toBe('failed');
  });
  it('a restore is complete when the splits pin the revision, though a newer one is the latest ready', () => {
    const pool = { ...settled, latestCreatedRevision: rev('b'), latestReadyRevision: rev('b'), instanceSplits: [{ type: SPLIT_REVISION, revision: 'a', percent: 100 }], instanceSplitStatuses: [{ type: SPLIT_REVISION, revision: 'a', percent: 100 }] };
    expect(servingRevision(pool)).toBe('a');
    expect(assess(pool, 'a', POOL)).toEqual({ state: 'complete' });
  });
});

describe('CloudRunWorkerPoolDeployment requests', () => {
  it("strips exactly the API's output-only fields of WorkerPool before an update", async () => {
    const protoOutputOnly = Object.values(runMessage('WorkerPool').fields)
      .filter((f) => JSON.stringify(f.options ?? {}).includes('OUTPUT_ONLY'))
      .map((f) => f.name)
      .sort();
    expect(protoOutputOnly).toEqual(expect.arrayContaining(['latestReadyRevision', 'reconciling', 'terminalCondition', 'uid']));
    const fake = await new FakeGoogleApis().start();
    const tokens = metadataServerToken({ GCE_METADATA_HOST: fake.host });
    const pool = `projects/p/locations/europe-west3/workerPools/w`;
    fake.addWorkerPool(pool, 'europe-west3-docker.pkg.dev/p/t/tf-block-runner@sha256:' + 'a'.repeat(64));
    // Every output-only field the API may return, so the adapter must drop all of them.
    Object.assign(fake.pool(pool)!, Object.fromEntries(protoOutputOnly.map((k) => [k, fake.pool(pool)![k] ?? (k === 'reconciling' || k === 'satisfiesPzs' || k === 'threatDetectionEnabled' ? false : k.endsWith('Condition') ? {} : k === 'conditions' || k === 'instanceSplitStatuses' ? [] : 'x')])));
    const deployment = new CloudRunWorkerPoolDeployment({ api: new GoogleApi({ tokens }), workerPool: pool, mirrorPackageUrl: 'europe-west3-docker.pkg.dev/p/t/tf-block-runner', endpoint: fake.url, pollIntervalMs: 10 });
    await deployment.restore('w-00001-x');
    const [patch] = fake.requests.filter((r) => r.method === 'PATCH');
    expect(Object.keys(patch!.body as object).filter((k) => protoOutputOnly.includes(k))).toEqual([]);
    expect(fake.problems).toEqual([]);
    await expect(deployment.rollOut('ghcr.io/meshcloud/tf-block-runner@sha256:' + 'b'.repeat(64), 'v1.4.0')).rejects.toThrow(/only images of the mirror/);
    expect(() => new CloudRunWorkerPoolDeployment({ api: new GoogleApi({ tokens }), workerPool: 'prod-default', mirrorPackageUrl: 'x/y' })).toThrow(/is not a worker pool name/);
    await fake.stop();
  });
});

describe('access tokens', () => {
  it('the metadata server token needs Metadata-Flavor: Google both ways', async () => {
    const fake = await new FakeGoogleApis().start();
    expect(await metadataServerToken({ GCE_METADATA_HOST: fake.host }).token()).toMatch(/^meta-/);
    await fake.stop();
    const impostor = await serve((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"x","expires_in":60}'));
    await expect(metadataServerToken({ GCE_METADATA_HOST: impostor.host }).token()).rejects.toThrow(/is not a Google metadata server/);
    await impostor.close();
  });

  it('a service-account key is exchanged with an RS256 JWT for the cloud-platform scope; the key never leaves the machine', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    let assertion = '';
    const endpoint = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        assertion = new URLSearchParams(body).get('assertion') ?? '';
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"sa-token","expires_in":3600}');
      });
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'sa-')), 'key.json');
    writeFileSync(file, JSON.stringify({ type: 'service_account', client_email: 'u@p.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }), private_key_id: 'k1', token_uri: `${endpoint.url}/token` }));
    expect(await applicationDefaultToken(file).token()).toBe('sa-token');
    const [header, claims, signature] = assertion.split('.');
    expect(JSON.parse(Buffer.from(claims!, 'base64url').toString())).toMatchObject({ iss: 'u@p.iam.gserviceaccount.com', scope: 'https://www.googleapis.com/auth/cloud-platform', aud: `${endpoint.url}/token` });
    expect(createVerify('RSA-SHA256').update(`${header}.${claims}`).verify(publicKey, Buffer.from(signature!, 'base64url'))).toBe(true);
    expect(assertion).not.toContain('PRIVATE KEY');
    await endpoint.close();
  });

  it('refuses credentials of another type, naming what to do', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'x-')), 'x.json');
    writeFileSync(file, JSON.stringify({ type: 'external_account' }));
    expect(() => applicationDefaultToken(file)).toThrow(/GOOGLE_OAUTH_ACCESS_TOKEN/);
  });
});

describe('GcsVersionStore', () => {
  it('reads a missing record as none, refuses a broken one naming the object and the fix, writes a normalized one', async () => {
    const fake = await new FakeGoogleApis().start();
    const api = new GoogleApi({ tokens: metadataServerToken({ GCE_METADATA_HOST: fake.host }) });
    const store = new GcsVersionStore({ api, bucket: 'rk-p-prod', object: 'records/default.json', endpoint: fake.url });
    expect(await store.read()).toBeUndefined();
    fake.objects.set('rk-p-prod/records/default.json', Buffer.from('{"version":"v1.3.0"}'));
    await expect(store.read()).rejects.toThrow(/gs:\/\/rk-p-prod\/records\/default.json does not hold a valid version record: digest must be sha256.*restore an earlier generation/);
    await store.write({ version: 'v1.3.0', digest: `sha256:${'c'.repeat(64)}`, updatedAt: '2026-07-23T10:00:00.000Z', extra: 1 } as never);
    expect(JSON.parse(fake.objects.get('rk-p-prod/records/default.json')!.toString())).toEqual({ version: 'v1.3.0', digest: `sha256:${'c'.repeat(64)}`, updatedAt: '2026-07-23T10:00:00.000Z' });
    await expect(store.write({ version: '', digest: 'x', updatedAt: 'never' })).rejects.toThrow(/refusing to write an invalid version record/);
    await fake.stop();
  });
});
