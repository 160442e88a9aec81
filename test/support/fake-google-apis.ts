/**
 * The Google APIs the GCP updater calls, faked on loopback, one server: the metadata server's token
 * endpoint (only with `Metadata-Flavor: Google`, answering with it), an OAuth token endpoint for
 * Application Default Credentials, Cloud Run Admin v2 (worker pools and job executions), Cloud
 * Logging v2 (`entries:list`) and Cloud Storage JSON v1 (object read and media upload).
 *
 * Cloud Run request bodies are checked against the official protos (`cloud-run-protos.ts`); a body
 * the real API would refuse gets 400 and is kept in `problems`. The worker pool behaves as Cloud
 * Run does, in small steps: an update that changes the template creates a revision, the pool
 * reconciles for one read, then the revision is ready (or fails, as `outcomeOf(image)` says) and
 * its instances start and log as an emulated tf-block-runner would (healthy, or failing to reach
 * meshStack); split changes start instances of the revision they pin.
 */
import { randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { protoProblems, runMessage } from './cloud-run-protos';
import { runnerLine } from './runner-log-lines';

export type RevisionOutcome = 'healthy' | 'unreachable' | 'crash';

interface Revision {
  readonly name: string;
  readonly image: string;
  ready?: boolean;
}

interface Pool {
  json: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly revisions: Map<string, Revision>;
  /** Reads left before a pending change settles. */
  pendingReads: number;
  pending?: () => void;
}

export interface LogEntryJson {
  readonly timestamp: string;
  readonly textPayload: string;
  readonly resource: { readonly type: string; readonly labels: Record<string, string> };
  readonly labels: Record<string, string>;
}

export class FakeGoogleApis {
  readonly problems: string[] = [];
  readonly requests: { method: string; path: string; body?: unknown }[] = [];
  readonly entries: LogEntryJson[] = [];
  readonly objects = new Map<string, Buffer>();
  readonly executions = new Map<string, string>();
  /** GKE clusters by name (`projects/<p>/locations/<l>/clusters/<c>`), as the GKE API v1 answers GET. */
  readonly clusters = new Map<string, Record<string, unknown>>();
  /** The token the metadata server issues (a GKE cluster's fake API expects one it knows). @default - a fresh random one per request */
  metadataToken?: string;
  /** How a revision running `image` fares. @default healthy */
  outcomeOf: (image: string) => RevisionOutcome = () => 'healthy';
  private readonly pools = new Map<string, Pool>();
  private readonly tokens = new Set<string>();
  private server?: http.Server;
  url = '';
  host = '';
  private revisionCounter = 1;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.host = `127.0.0.1:${port}`;
    this.url = `http://${this.host}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** A worker pool that serves `image` on its first revision, with `instances` instances logging as healthy runners. */
  addWorkerPool(name: string, image: string, instances = 1): string {
    const short = name.slice(name.lastIndexOf('/') + 1);
    const rev = `${short}-00001-${randomBytes(2).toString('hex')}`;
    const revisionName = `${name}/revisions/${rev}`;
    this.pools.set(name, {
      json: {
        name,
        uid: randomBytes(8).toString('hex'),
        generation: '1',
        observedGeneration: '1',
        etag: '"e1"',
        launchStage: 'BETA',
        scaling: { manualInstanceCount: instances },
        instanceSplits: [{ type: 'INSTANCE_SPLIT_ALLOCATION_TYPE_LATEST', percent: 100 }],
        instanceSplitStatuses: [{ type: 'INSTANCE_SPLIT_ALLOCATION_TYPE_LATEST', percent: 100 }],
        latestCreatedRevision: revisionName,
        latestReadyRevision: revisionName,
        reconciling: false,
        terminalCondition: { type: 'Ready', state: 'CONDITION_SUCCEEDED' },
        template: {
          serviceAccount: 'prod-r-default@acme.iam.gserviceaccount.com',
          containers: [{ name: 'runner', image, command: ['/bin/sh', '-c'], args: ['exec /app/entrypoint.sh /app/tfrunner'], resources: { limits: { cpu: '1', memory: '2048Mi' } } }],
          vpcAccess: { egress: 'ALL_TRAFFIC', networkInterfaces: [{ network: 'n', subnetwork: 's', tags: ['prod-runner'] }] },
        },
      },
      revisions: new Map([[rev, { name: rev, image, ready: true }]]),
      pendingReads: 0,
    });
    return rev;
  }

  pool(name: string): Record<string, any> | undefined { // eslint-disable-line @typescript-eslint/no-explicit-any
    return this.pools.get(name)?.json;
  }

  /** Lines of one instance of a revision of `pool`, `secondsAgo` apart ending now. */
  log(pool: string, revision: string, instance: string, lines: readonly string[], startMsAgo = 0): void {
    const short = pool.slice(pool.lastIndexOf('/') + 1);
    const start = Date.now() - startMsAgo;
    lines.forEach((text, i) =>
      this.entries.push({
        timestamp: new Date(start + i).toISOString(),
        textPayload: text,
        resource: { type: 'cloud_run_worker_pool', labels: { worker_pool_name: short, revision_name: revision, location: 'europe-west3' } },
        labels: { instanceId: instance },
      }),
    );
  }

  private startInstances(pool: Pool, rev: Revision): void {
    const count = pool.json.scaling?.manualInstanceCount ?? 1;
    const outcome = this.outcomeOf(rev.image);
    for (let i = 0; i < count; i++) {
      const instance = `${rev.name}-i${i}-${randomBytes(3).toString('hex')}`;
      const lines = outcome === 'unreachable'
        ? [runnerLine.startup(), runnerLine.pollStarted(), runnerLine.pollFailed('Post "https://meshstack/api": dial tcp: lookup meshstack: no such host'), runnerLine.pollStarted(), runnerLine.pollFailed('Post "https://meshstack/api": dial tcp: lookup meshstack: no such host')]
        : [runnerLine.startup(), runnerLine.pollStarted(), runnerLine.pollStarted(), runnerLine.pollStarted()];
      this.log(pool.json.name, rev.name, instance, lines);
    }
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', this.url);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    const error = (status: number, message: string) => send(status, { error: { code: status, message, status: status === 404 ? 'NOT_FOUND' : 'INVALID_ARGUMENT' } });
    const isJson = (req.headers['content-type'] ?? '').startsWith('application/json');
    let body: unknown;
    try {
      body = raw.length > 0 && isJson ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      return error(400, 'body is not JSON');
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname, ...(body !== undefined ? { body } : {}) });

    // Metadata server and OAuth token endpoint: no bearer token needed.
    if (url.pathname === '/computeMetadata/v1/instance/service-accounts/default/token') {
      if (req.headers['metadata-flavor'] !== 'Google') return send(403, 'Missing Metadata-Flavor:Google header.');
      const token = this.metadataToken ?? `meta-${randomBytes(6).toString('hex')}`;
      this.tokens.add(token);
      return send(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' }, { 'metadata-flavor': 'Google' });
    }
    if (url.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(raw.toString('utf8'));
      if (form.get('grant_type') !== 'refresh_token' || form.get('refresh_token') !== 'fake-refresh-token') return send(400, { error: 'invalid_grant' });
      const token = `adc-${randomBytes(6).toString('hex')}`;
      this.tokens.add(token);
      return send(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (auth === undefined || !this.tokens.has(auth)) return error(401, 'Request had invalid authentication credentials.');

    // GKE API v1: a cluster, read only.
    const clusterPath = /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/clusters\/[^/]+)$/.exec(url.pathname);
    if (clusterPath !== null && req.method === 'GET') {
      const cluster = this.clusters.get(clusterPath[1]!);
      return cluster === undefined ? error(404, `Not found: ${clusterPath[1]}.`) : send(200, cluster);
    }

    // Cloud Run Admin API v2.
    const poolPath = /^\/v2\/(projects\/[^/]+\/locations\/[^/]+\/workerPools\/[^/]+)$/.exec(url.pathname);
    if (poolPath !== null) {
      const pool = this.pools.get(poolPath[1]!);
      if (pool === undefined) return error(404, `Resource '${poolPath[1]}' was not found`);
      if (req.method === 'GET') {
        if (pool.pending !== undefined) {
          if (pool.pendingReads > 0) pool.pendingReads--;
          else {
            const settle = pool.pending;
            pool.pending = undefined;
            settle();
          }
        }
        return send(200, pool.json);
      }
      if (req.method === 'PATCH') {
        const problems = protoProblems(runMessage('WorkerPool'), body);
        const name = (body as { name?: unknown })?.name;
        if (name !== undefined && name !== poolPath[1]) problems.push(`WorkerPool.name ${JSON.stringify(name)} differs from the URL's ${poolPath[1]}`);
        if ((body as { etag?: unknown })?.etag !== undefined && (body as { etag?: unknown }).etag !== pool.json.etag) return error(409, 'etag mismatch');
        if (problems.length > 0) {
          this.problems.push(...problems);
          return error(400, problems.join('; '));
        }
        this.apply(pool, body as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
        return send(200, { name: `${poolPath[1]!.replace(/workerPools\/.*/, '')}operations/${randomBytes(6).toString('hex')}`, metadata: { '@type': 'type.googleapis.com/google.cloud.run.v2.WorkerPool', name: poolPath[1] } });
      }
    }
    const execution = /^\/v2\/projects\/[^/]+\/locations\/[^/]+\/jobs\/[^/]+\/executions\/([^/]+)$/.exec(url.pathname);
    if (execution !== null && req.method === 'GET') {
      const creator = this.executions.get(execution[1]!);
      return creator === undefined ? error(404, 'execution not found') : send(200, { name: url.pathname.slice(4), creator, job: 'j' });
    }

    // Cloud Logging v2: entries.list (ListLogEntriesRequest: resourceNames, filter, orderBy, pageSize, pageToken).
    if (url.pathname === '/v2/entries:list' && req.method === 'POST') {
      const b = (body ?? {}) as Record<string, unknown>;
      const unknown = Object.keys(b).filter((k) => !['resourceNames', 'filter', 'orderBy', 'pageSize', 'pageToken'].includes(k));
      if (unknown.length > 0 || !Array.isArray(b.resourceNames) || typeof b.filter !== 'string') {
        this.problems.push(`ListLogEntriesRequest: unknown ${unknown.join(', ')} or missing resourceNames/filter`);
        return error(400, 'invalid ListLogEntriesRequest');
      }
      const f = b.filter;
      const pool = /resource\.labels\.worker_pool_name="([^"]+)"/.exec(f)?.[1];
      const revision = /resource\.labels\.revision_name="([^"]+)"/.exec(f)?.[1];
      const since = /timestamp>="([^"]+)"/.exec(f)?.[1];
      const matching = this.entries
        .filter((e) => e.resource.type === 'cloud_run_worker_pool' && /resource\.type="cloud_run_worker_pool"/.test(f))
        .filter((e) => pool === undefined || e.resource.labels.worker_pool_name === pool)
        .filter((e) => revision === undefined || e.resource.labels.revision_name === revision)
        .filter((e) => since === undefined || e.timestamp >= since)
        .sort((x, y) => x.timestamp.localeCompare(y.timestamp));
      const size = typeof b.pageSize === 'number' ? Math.min(b.pageSize, 50) : 50;
      const offset = typeof b.pageToken === 'string' ? Number(b.pageToken) : 0;
      const page = matching.slice(offset, offset + size);
      return send(200, { entries: page, ...(offset + size < matching.length ? { nextPageToken: String(offset + size) } : {}) });
    }

    // Cloud Storage JSON API v1.
    const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(url.pathname);
    if (object !== null && req.method === 'GET' && url.searchParams.get('alt') === 'media') {
      const data = this.objects.get(`${decodeURIComponent(object[1]!)}/${decodeURIComponent(object[2]!)}`);
      return data === undefined ? error(404, 'No such object') : send(200, data.toString('utf8'));
    }
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
    if (upload !== null && req.method === 'POST' && url.searchParams.get('uploadType') === 'media' && url.searchParams.get('name')) {
      this.objects.set(`${decodeURIComponent(upload[1]!)}/${url.searchParams.get('name')}`, raw);
      return send(200, { bucket: upload[1], name: url.searchParams.get('name'), size: String(raw.length) });
    }
    return error(404, `the fake does not serve ${req.method} ${url.pathname}`);
  }

  /** An accepted update: a new revision when the template changed, split changes otherwise; settles after one read. */
  private apply(pool: Pool, body: Record<string, any>): void { // eslint-disable-line @typescript-eslint/no-explicit-any
    const before = JSON.stringify(pool.json.template);
    const templateChanged = body.template !== undefined && JSON.stringify(body.template) !== before;
    pool.json = { ...pool.json, ...body, generation: String(Number(pool.json.generation) + 1), etag: `"e${Number(pool.json.generation) + 1}"`, reconciling: true };
    pool.pendingReads = 1;
    const splits = (body.instanceSplits ?? pool.json.instanceSplits) as { type: string; revision?: string; percent: number }[];
    if (templateChanged) {
      const short = pool.json.name.slice(pool.json.name.lastIndexOf('/') + 1);
      const rev: Revision = { name: `${short}-${String(++this.revisionCounter).padStart(5, '0')}-${randomBytes(2).toString('hex')}`, image: pool.json.template.containers.find((c: { name: string }) => c.name === 'runner').image };
      pool.revisions.set(rev.name, rev);
      pool.json.latestCreatedRevision = `${pool.json.name}/revisions/${rev.name}`;
    }
    pool.pending = () => {
      const latest = pool.revisions.get(pool.json.latestCreatedRevision.slice(pool.json.latestCreatedRevision.lastIndexOf('/') + 1))!;
      if (latest.ready === undefined) latest.ready = this.outcomeOf(latest.image) !== 'crash';
      pool.json.reconciling = false;
      pool.json.observedGeneration = pool.json.generation;
      const pinned = splits.find((s) => s.type === 'INSTANCE_SPLIT_ALLOCATION_TYPE_REVISION');
      if (latest.ready) pool.json.latestReadyRevision = pool.json.latestCreatedRevision;
      if (pinned !== undefined) {
        const target = pool.revisions.get(pinned.revision ?? '');
        pool.json.instanceSplitStatuses = [{ type: 'INSTANCE_SPLIT_ALLOCATION_TYPE_REVISION', revision: pinned.revision, percent: 100 }];
        pool.json.terminalCondition = { type: 'Ready', state: 'CONDITION_SUCCEEDED' };
        if (target !== undefined) this.startInstances(pool, target);
      } else if (latest.ready) {
        pool.json.instanceSplitStatuses = [{ type: 'INSTANCE_SPLIT_ALLOCATION_TYPE_LATEST', percent: 100 }];
        pool.json.terminalCondition = { type: 'Ready', state: 'CONDITION_SUCCEEDED' };
        if (templateChanged) this.startInstances(pool, latest);
      } else {
        pool.json.terminalCondition = { type: 'Ready', state: 'CONDITION_FAILED', message: `Revision '${latest.name}' is not ready and cannot serve traffic. The user-provided container failed to start.` };
      }
    };
  }
}
