/**
 * A fake Kubernetes API server on loopback for the updater's Kubernetes adapter: the real paths,
 * verbs, content types and JSON of the handful of objects the adapter touches, plus a small
 * deployment controller, so the adapter is tested over real HTTP(S) without a cluster.
 *
 * What it speaks:
 * - GET, PUT and PATCH of apps/v1 deployments and core/v1 configmaps; GET and list (equality
 *   `labelSelector`) of apps/v1 replicasets.
 * - PATCH as `application/merge-patch+json` (RFC 7386), `application/strategic-merge-patch+json`
 *   (lists of objects with a `name` merge by name, as `containers`, `env`, `volumes` do) and
 *   `application/json-patch+json` (RFC 6902 add / replace / remove / test); anything else 415.
 * - Optimistic concurrency: a PUT body or patch result whose `metadata.resourceVersion` differs
 *   from the stored one answers 409 Conflict; every write (and every status change) bumps it.
 * - Errors as meta/v1 Status objects (404 NotFound, 409 Conflict, 401 Unauthorized, 415).
 *
 * The deployment controller, evaluated lazily on every request (no timers to leak): a spec change
 * bumps `metadata.generation`; `observeDelayMs` later the controller observes it, reuses the
 * ReplicaSet whose template equals the new one (renumbering it, as a rollback does) or creates
 * one with the next `deployment.kubernetes.io/revision`, and reports the surge pod starting;
 * `availableAfterMs` later the new pods are available and old ReplicaSets scaled to zero, unless
 * the template runs an image listed in `crashingImages`: then it stays unavailable, and after
 * `progressDeadlineMs` the Progressing condition says ProgressDeadlineExceeded.
 *
 * Pods, Jobs and Secrets (for the runner signals and for "a controller rollout leaves the run Jobs
 * alone"):
 * - The ReplicaSet controller: every ReplicaSet has as many pods as its `spec.replicas`, each with
 *   the template's labels and an ownerReference to the ReplicaSet; scaling down deletes pods.
 * - `GET .../pods/<name>/log` (`container`, `timestamps`) answers `text/plain`: the lines
 *   `podLogs(pod)` gives, each at its offset after the pod's start, only those whose time has come
 *   (as a real container's log grows), prefixed with an RFC 3339 timestamp when `timestamps=true`.
 * - GET and list of core/v1 pods and secrets and batch/v1 jobs (seeded; the fake never writes them).
 * - The garbage collector: an object whose ownerReference names a uid that no longer exists is
 *   deleted (and so on, down the chain), as Kubernetes' background deletion does. Objects without
 *   ownerReferences are never collected.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { controllerLine } from './runner-log-lines';

type Obj = Record<string, any>;

export interface FakeKubernetesApiOptions {
  /** The bearer token every request must carry. @default - none required */
  readonly token?: string;
  /** Serve HTTPS with this key and certificate (PEM). @default - plain HTTP */
  readonly tls?: { readonly key: string; readonly cert: string };
  /** @default 20 ms */
  readonly observeDelayMs?: number;
  /** @default 60 ms */
  readonly availableAfterMs?: number;
  /** @default - never */
  readonly progressDeadlineMs?: number;
}

export interface RecordedRequest {
  readonly method: string;
  /** Path and query. */
  readonly url: string;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

interface Injection {
  readonly method?: string;
  readonly path: RegExp;
  readonly status: number;
  readonly body: unknown;
}

interface RolloutState {
  generation: number;
  changedAt: number;
  observed: boolean;
}

const RESOURCES: Record<string, { kind: string; group: string; resource: string }> = {
  deployments: { kind: 'Deployment', group: 'apps', resource: 'deployments' },
  replicasets: { kind: 'ReplicaSet', group: 'apps', resource: 'replicasets' },
  configmaps: { kind: 'ConfigMap', group: '', resource: 'configmaps' },
  pods: { kind: 'Pod', group: '', resource: 'pods' },
  secrets: { kind: 'Secret', group: '', resource: 'secrets' },
  jobs: { kind: 'Job', group: 'batch', resource: 'jobs' },
};
const ROUTE = /^\/(?:api\/v1|apis\/apps\/v1|apis\/batch\/v1)\/namespaces\/([^/]+)\/(deployments|replicasets|configmaps|pods|secrets|jobs)(?:\/([^/]+))?$/;
const POD_LOG_ROUTE = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/log$/;
/** Resources the fake only stores and serves (seeded, or made by its controllers); writes answer 405. */
const READ_ONLY = new Set(['replicasets', 'pods', 'secrets', 'jobs']);

/** One line of a pod's log, `afterMs` after the pod started. */
export interface PodLogLine {
  readonly afterMs: number;
  readonly line: string;
}

export class FakeKubernetesApi {
  /** Images whose pods never become ready. */
  readonly crashingImages = new Set<string>();
  readonly requests: RecordedRequest[] = [];
  /** The log lines of a pod (by its labels, containers, images). @default - none */
  podLogs: (pod: Obj) => readonly PodLogLine[] = () => [];
  /** Objects the garbage collector deleted, as `<resource>/<namespace>/<name>`. */
  readonly collected: string[] = [];
  private readonly objects = new Map<string, Obj>();
  private readonly podStarts = new Map<string, number>();
  private podCount = 0;
  private readonly rollouts = new Map<string, RolloutState>();
  private readonly injections: Injection[] = [];
  private readonly concurrentWrites: RegExp[] = [];
  private resourceVersion = 50_000;
  private server!: http.Server;
  url = '';

  constructor(private readonly options: FakeKubernetesApiOptions = {}) {}

  async start(): Promise<this> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls ? https.createServer({ key: this.options.tls.key, cert: this.options.tls.cert }, handler) : http.createServer(handler);
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Stores `object` as the API server would (a fresh resourceVersion). A Deployment starts fully rolled out. */
  seed(object: Obj): Obj {
    const copy = structuredClone(object);
    const resource = Object.entries(RESOURCES).find(([, r]) => r.kind === copy.kind)?.[0];
    if (!resource) throw new Error(`cannot seed kind ${copy.kind}`);
    copy.metadata.resourceVersion = this.nextVersion();
    copy.metadata.uid ??= randomUUID();
    this.objects.set(key(resource, copy.metadata.namespace, copy.metadata.name), copy);
    if (resource === 'deployments') {
      this.rollouts.set(key(resource, copy.metadata.namespace, copy.metadata.name), { generation: copy.metadata.generation ?? 1, changedAt: 0, observed: false });
      this.reconcile(Number.POSITIVE_INFINITY, key(resource, copy.metadata.namespace, copy.metadata.name));
    }
    return structuredClone(copy);
  }

  /** The stored object, evaluated by the controller up to now. */
  object(resource: 'deployments' | 'replicasets' | 'configmaps' | 'pods' | 'secrets' | 'jobs', namespace: string, name: string): Obj | undefined {
    this.reconcile(Date.now());
    const found = this.objects.get(key(resource, namespace, name));
    return found && structuredClone(found);
  }

  replicaSets(namespace: string): Obj[] {
    return this.list('replicasets', namespace);
  }

  /** Every stored object of `resource` in `namespace`, evaluated up to now. */
  list(resource: 'replicasets' | 'pods' | 'secrets' | 'jobs', namespace: string): Obj[] {
    this.reconcile(Date.now());
    return [...this.objects.entries()].filter(([k]) => k.startsWith(`${resource}/${namespace}/`)).map(([, v]) => structuredClone(v));
  }

  /** The next request matching `method` and `path` is answered with `status` and `body` instead. */
  inject(path: RegExp, status: number, body: unknown, method?: string): void {
    this.injections.push({ path, status, body, ...(method ? { method } : {}) });
  }

  /** Simulates another writer: just before the next write to a path matching `path`, the object changes (new resourceVersion). */
  writeConcurrentlyBeforeNextWrite(path: RegExp): void {
    this.concurrentWrites.push(path);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return this.send(res, 400, status(400, 'BadRequest', 'the body is not JSON'));
    }
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://fake');
    this.requests.push({ method, url: `${url.pathname}${url.search}`, contentType: req.headers['content-type'], authorization: req.headers.authorization, body });

    if (this.options.token !== undefined && req.headers.authorization !== `Bearer ${this.options.token}`) {
      return this.send(res, 401, status(401, 'Unauthorized', 'Unauthorized'));
    }
    const injected = this.injections.findIndex((i) => i.path.test(url.pathname) && (i.method === undefined || i.method === method));
    if (injected >= 0) {
      const [injection] = this.injections.splice(injected, 1);
      return this.send(res, injection!.status, injection!.body);
    }
    this.reconcile(Date.now());

    const log = POD_LOG_ROUTE.exec(url.pathname);
    if (log) {
      if (method !== 'GET') return this.send(res, 405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
      const pod = this.objects.get(key('pods', log[1]!, log[2]!));
      if (!pod) return this.send(res, 404, status(404, 'NotFound', `pods "${log[2]}" not found`, { name: log[2], kind: 'pods' }));
      const container = url.searchParams.get('container');
      const names = (pod.spec?.containers ?? []).map((c: Obj) => c.name);
      if (container !== null && !names.includes(container)) {
        return this.send(res, 400, status(400, 'BadRequest', `container ${container} is not valid for pod ${log[2]}`));
      }
      const started = this.podStarts.get(pod.metadata.uid) ?? 0;
      const now = Date.now();
      const stamped = url.searchParams.get('timestamps') === 'true';
      const text = this.podLogs(pod)
        .filter((l) => started + l.afterMs <= now)
        .map((l) => `${stamped ? `${new Date(started + l.afterMs).toISOString().replace('Z', '000000Z')} ` : ''}${l.line}\n`)
        .join('');
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(text) });
      res.end(text);
      return;
    }

    const route = ROUTE.exec(url.pathname);
    if (!route) return this.send(res, 404, status(404, 'NotFound', 'the server could not find the requested resource'));
    const [, namespace, resource, name] = route as unknown as [string, string, string, string | undefined];
    const meta = RESOURCES[resource]!;
    if (name === undefined) {
      if (method !== 'GET') return this.send(res, 405, status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`));
      const selector = parseSelector(url.searchParams.get('labelSelector') ?? '');
      const items = [...this.objects.entries()]
        .filter(([k]) => k.startsWith(`${resource}/${namespace}/`))
        .map(([, v]) => v)
        .filter((o) => Object.entries(selector).every(([k, v]) => o.metadata.labels?.[k] === v))
        .map((o) => {
          const { kind: _kind, apiVersion: _apiVersion, ...rest } = structuredClone(o);
          return rest;
        });
      return this.send(res, 200, { kind: `${meta.kind}List`, apiVersion: meta.group ? `${meta.group}/v1` : 'v1', metadata: { resourceVersion: String(this.resourceVersion) }, items });
    }

    const objectKey = key(resource, namespace, name);
    const stored = this.objects.get(objectKey);
    const notFound = () => status(404, 'NotFound', `${meta.resource}${meta.group ? `.${meta.group}` : ''} "${name}" not found`, { name, group: meta.group, kind: meta.resource });
    if (!stored) return this.send(res, 404, notFound());
    if (method === 'GET') return this.send(res, 200, stored);
    if (READ_ONLY.has(resource)) return this.send(res, 405, status(405, 'MethodNotAllowed', `the fake does not write ${resource}`));

    const concurrent = this.concurrentWrites.findIndex((p) => p.test(url.pathname));
    if (concurrent >= 0) {
      this.concurrentWrites.splice(concurrent, 1);
      stored.metadata.resourceVersion = this.nextVersion();
      stored.metadata.annotations = { ...stored.metadata.annotations, 'example.com/touched-by': 'someone-else' };
    }

    let updated: Obj;
    if (method === 'PUT') {
      updated = structuredClone(body as Obj);
      if (updated.metadata?.resourceVersion === undefined) updated.metadata = { ...updated.metadata, resourceVersion: stored.metadata.resourceVersion };
    } else if (method === 'PATCH') {
      const type = req.headers['content-type'];
      try {
        if (type === 'application/merge-patch+json') updated = mergePatch(structuredClone(stored), body) as Obj;
        else if (type === 'application/strategic-merge-patch+json') updated = strategicMergePatch(structuredClone(stored), body) as Obj;
        else if (type === 'application/json-patch+json') updated = jsonPatch(structuredClone(stored), body as Obj[]);
        else return this.send(res, 415, status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`));
      } catch (error) {
        return this.send(res, 422, status(422, 'Invalid', `${meta.kind} "${name}" is invalid: ${(error as Error).message}`));
      }
    } else {
      return this.send(res, 405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
    }
    if (updated.metadata?.resourceVersion !== stored.metadata.resourceVersion) {
      return this.send(
        res,
        409,
        status(409, 'Conflict', `Operation cannot be fulfilled on ${meta.resource}${meta.group ? `.${meta.group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`, { name, group: meta.group, kind: meta.resource }),
      );
    }
    // Identity and server-owned fields stay; the status subresource is not written through the main resource.
    updated.kind = stored.kind;
    updated.apiVersion = stored.apiVersion;
    updated.metadata = { ...updated.metadata, name: stored.metadata.name, namespace: stored.metadata.namespace, uid: stored.metadata.uid, creationTimestamp: stored.metadata.creationTimestamp };
    if (stored.status !== undefined) updated.status = stored.status;
    else delete updated.status;
    if (resource === 'deployments') {
      updated.metadata.generation = stored.metadata.generation;
      if (canonical(updated.spec) !== canonical(stored.spec)) {
        updated.metadata.generation = (stored.metadata.generation ?? 1) + 1;
        this.rollouts.set(objectKey, { generation: updated.metadata.generation, changedAt: Date.now(), observed: false });
      }
    }
    updated.metadata.resourceVersion = this.nextVersion();
    this.objects.set(objectKey, updated);
    return this.send(res, 200, updated);
  }

  /** The controllers' work up to `now`: deployments, then ReplicaSets (pods), then the garbage collector. */
  private reconcile(now: number, only?: string): void {
    this.reconcileDeployments(now, only);
    this.syncPods();
    this.collectGarbage();
  }

  /** Every ReplicaSet has `spec.replicas` pods; extra ones are deleted, newest first. */
  private syncPods(): void {
    for (const [, rs] of [...this.objects.entries()].filter(([k]) => k.startsWith('replicasets/'))) {
      const ns = rs.metadata.namespace;
      const pods = [...this.objects.entries()]
        .filter(([k, pod]) => k.startsWith(`pods/${ns}/`) && pod.metadata.ownerReferences?.some((o: Obj) => o.uid === rs.metadata.uid))
        .map(([k]) => k);
      const wanted = rs.spec.replicas ?? 0;
      for (const k of pods.slice(wanted).reverse()) this.objects.delete(k);
      for (let i = pods.length; i < wanted; i++) {
        const name = `${rs.metadata.name}-${String(++this.podCount).padStart(5, '0')}`;
        const uid = randomUUID();
        this.podStarts.set(uid, Date.now());
        this.objects.set(key('pods', ns, name), {
          kind: 'Pod',
          apiVersion: 'v1',
          metadata: {
            name,
            namespace: ns,
            uid,
            resourceVersion: this.nextVersion(),
            creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
            labels: { ...rs.spec.template.metadata?.labels },
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs.metadata.name, uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }],
          },
          spec: structuredClone(rs.spec.template.spec ?? {}),
          status: { phase: 'Running', startTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') },
        });
      }
    }
  }

  /** Deletes every object whose owner is gone, until none is left (background deletion). */
  private collectGarbage(): void {
    for (;;) {
      const uids = new Set([...this.objects.values()].map((o) => o.metadata.uid));
      const orphans = [...this.objects.entries()].filter(([, o]) => (o.metadata.ownerReferences ?? []).some((r: Obj) => !uids.has(r.uid)));
      if (orphans.length === 0) return;
      for (const [k] of orphans) {
        this.objects.delete(k);
        this.collected.push(k);
      }
    }
  }

  /** The deployment controller's work up to `now`. */
  private reconcileDeployments(now: number, only?: string): void {
    const observeDelay = this.options.observeDelayMs ?? 20;
    const availableAfter = this.options.availableAfterMs ?? 60;
    for (const [objectKey, rollout] of this.rollouts) {
      if (only !== undefined && objectKey !== only) continue;
      const deployment = this.objects.get(objectKey);
      if (!deployment) continue;
      const desired = deployment.spec.replicas ?? 1;
      const ns = deployment.metadata.namespace;
      if (!rollout.observed && now >= rollout.changedAt + observeDelay) {
        rollout.observed = true;
        const fresh = rollout.changedAt === 0;
        const owned = this.replicaSetsOf(deployment);
        const maxRevision = Math.max(0, ...owned.map((rs) => Number(rs.metadata.annotations['deployment.kubernetes.io/revision'])));
        let current = owned.find((rs) => canonical(withoutHash(rs.spec.template)) === canonical(deployment.spec.template));
        if (current) {
          if (Number(current.metadata.annotations['deployment.kubernetes.io/revision']) !== maxRevision) {
            current.metadata.annotations['deployment.kubernetes.io/revision'] = String(maxRevision + 1);
          }
        } else {
          const hash = createHash('sha256').update(canonical(deployment.spec.template)).digest('hex').slice(0, 10);
          const template = structuredClone(deployment.spec.template);
          template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
          current = {
            kind: 'ReplicaSet',
            apiVersion: 'apps/v1',
            metadata: {
              name: `${deployment.metadata.name}-${hash}`,
              namespace: ns,
              uid: randomUUID(),
              generation: 1,
              creationTimestamp: new Date(now === Number.POSITIVE_INFINITY ? Date.now() : now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
              labels: { ...template.metadata.labels },
              annotations: {
                'deployment.kubernetes.io/desired-replicas': String(desired),
                'deployment.kubernetes.io/max-replicas': String(desired + 1),
                'deployment.kubernetes.io/revision': String(maxRevision + 1),
              },
              ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name, uid: deployment.metadata.uid, controller: true, blockOwnerDeletion: true }],
            },
            spec: { replicas: desired, selector: { matchLabels: { ...deployment.spec.selector.matchLabels, 'pod-template-hash': hash } }, template },
            status: { replicas: desired, availableReplicas: 0, readyReplicas: 0, observedGeneration: 1 },
          };
          this.objects.set(key('replicasets', ns, current.metadata.name), current);
        }
        current.spec.replicas = desired;
        deployment.metadata.annotations = { ...deployment.metadata.annotations, 'deployment.kubernetes.io/revision': current.metadata.annotations['deployment.kubernetes.io/revision'] };
        const oldAvailable = fresh ? 0 : Math.min(desired, deployment.status?.availableReplicas ?? 0);
        this.setStatus(deployment, {
          observedGeneration: deployment.metadata.generation,
          replicas: desired + (fresh ? 0 : oldAvailable),
          updatedReplicas: desired,
          readyReplicas: oldAvailable,
          availableReplicas: oldAvailable,
          unavailableReplicas: desired,
          progressing: ['True', 'ReplicaSetUpdated', `ReplicaSet "${current.metadata.name}" is progressing.`],
        });
      }
      if (!rollout.observed) continue;
      const crashing = containerImages(deployment.spec.template).some((image) => this.crashingImages.has(image));
      const current = this.replicaSetsOf(deployment).find((rs) => canonical(withoutHash(rs.spec.template)) === canonical(deployment.spec.template))!;
      if (!crashing && now >= rollout.changedAt + availableAfter && deployment.status.updatedReplicas === desired && (deployment.status.availableReplicas !== desired || deployment.status.replicas !== desired)) {
        for (const rs of this.replicaSetsOf(deployment)) {
          const mine = rs === current;
          rs.spec.replicas = mine ? desired : 0;
          rs.status = { ...rs.status, replicas: rs.spec.replicas, availableReplicas: rs.spec.replicas, readyReplicas: rs.spec.replicas };
        }
        this.setStatus(deployment, {
          observedGeneration: deployment.metadata.generation,
          replicas: desired,
          updatedReplicas: desired,
          readyReplicas: desired,
          availableReplicas: desired,
          unavailableReplicas: 0,
          progressing: ['True', 'NewReplicaSetAvailable', `ReplicaSet "${current.metadata.name}" has successfully progressed.`],
        });
      } else if (crashing && this.options.progressDeadlineMs !== undefined && now >= rollout.changedAt + this.options.progressDeadlineMs) {
        const progressing = deployment.status.conditions.find((c: Obj) => c.type === 'Progressing');
        if (progressing.reason !== 'ProgressDeadlineExceeded') {
          this.setStatus(deployment, { ...deployment.status, progressing: ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${current.metadata.name}" has timed out progressing.`] });
        }
      }
    }
  }

  private setStatus(
    deployment: Obj,
    s: { observedGeneration: number; replicas: number; updatedReplicas: number; readyReplicas: number; availableReplicas: number; unavailableReplicas: number; progressing: [string, string, string] },
  ): void {
    const at = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const desired = deployment.spec.replicas ?? 1;
    const available = s.availableReplicas >= desired ? ['True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.'] : ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'];
    const condition = (type: string, [status, reason, message]: string[]) => ({ type, status, lastUpdateTime: at, lastTransitionTime: at, reason, message });
    // Zero counts are omitted, as the API server's omitempty does.
    const counts = Object.fromEntries(
      Object.entries({ replicas: s.replicas, updatedReplicas: s.updatedReplicas, readyReplicas: s.readyReplicas, availableReplicas: s.availableReplicas, unavailableReplicas: s.unavailableReplicas }).filter(([, v]) => v > 0),
    );
    deployment.status = { observedGeneration: s.observedGeneration, ...counts, conditions: [condition('Available', available), condition('Progressing', s.progressing)] };
    deployment.metadata.resourceVersion = this.nextVersion();
  }

  private replicaSetsOf(deployment: Obj): Obj[] {
    return [...this.objects.entries()]
      .filter(([k]) => k.startsWith(`replicasets/${deployment.metadata.namespace}/`))
      .map(([, rs]) => rs)
      .filter((rs) => rs.metadata.ownerReferences?.some((o: Obj) => o.uid === deployment.metadata.uid && o.controller));
  }

  private nextVersion(): string {
    this.resourceVersion += 1;
    return String(this.resourceVersion);
  }

  private send(res: http.ServerResponse, code: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }
}

function key(resource: string, namespace: string, name: string): string {
  return `${resource}/${namespace}/${name}`;
}

function status(code: number, reason: string, message: string, details?: Obj): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code };
}

function parseSelector(text: string): Record<string, string> {
  if (!text) return {};
  return Object.fromEntries(
    text.split(',').map((term) => {
      const [k, v] = term.split('=');
      if (k === undefined || v === undefined || term.includes('!')) throw new Error(`the fake supports equality selectors only, got ${term}`);
      return [k, v];
    }),
  );
}

function containerImages(template: Obj): string[] {
  return [...(template.spec?.containers ?? []), ...(template.spec?.initContainers ?? [])].map((c: Obj) => c.image);
}

function withoutHash(template: Obj): Obj {
  const copy = structuredClone(template);
  delete copy.metadata?.labels?.['pod-template-hash'];
  return copy;
}

function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Obj)[k])])) : v;
  return JSON.stringify(sort(value));
}

/** RFC 7386. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return structuredClone(patch);
  const result: Obj = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Obj) } : {};
  for (const [k, v] of Object.entries(patch as Obj)) {
    if (v === null) delete result[k];
    else result[k] = mergePatch(result[k], v);
  }
  return result;
}

/** Strategic merge for what the adapter sends: maps merge, lists of named objects merge by `name`, other lists are replaced. */
export function strategicMergePatch(target: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) {
    const named = (xs: unknown[]) => xs.every((x) => x !== null && typeof x === 'object' && typeof (x as Obj).name === 'string');
    if (Array.isArray(target) && named(patch) && named(target)) {
      const result = target.map((x) => structuredClone(x));
      for (const item of patch as Obj[]) {
        const at = result.findIndex((x) => x.name === item.name);
        if (at >= 0) result[at] = strategicMergePatch(result[at], item);
        else result.push(structuredClone(item));
      }
      return result;
    }
    return structuredClone(patch);
  }
  if (patch === null || typeof patch !== 'object') return patch;
  const result: Obj = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Obj) } : {};
  for (const [k, v] of Object.entries(patch as Obj)) {
    if (k.startsWith('$')) throw new Error(`the fake does not support directive ${k}`);
    if (v === null) delete result[k];
    else result[k] = strategicMergePatch(result[k], v);
  }
  return result;
}

/** RFC 6902 add, replace, remove and test. */
export function jsonPatch(target: Obj, operations: Obj[]): Obj {
  if (!Array.isArray(operations)) throw new Error('a JSON patch must be a list of operations');
  const doc = structuredClone(target);
  for (const op of operations) {
    const parts = String(op.path).split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = parts.pop()!;
    let parent: any = doc;
    for (const part of parts) {
      if (parent === null || typeof parent !== 'object' || !(part in parent)) throw new Error(`path ${op.path} does not exist`);
      parent = parent[part];
    }
    if (parent === null || typeof parent !== 'object') throw new Error(`path ${op.path} does not exist`);
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, structuredClone(op.value));
        else parent[last] = structuredClone(op.value);
        break;
      case 'replace':
        if (!(last in parent)) throw new Error(`replace of missing path ${op.path}`);
        parent[last] = structuredClone(op.value);
        break;
      case 'remove':
        if (!(last in parent)) throw new Error(`remove of missing path ${op.path}`);
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'test':
        if (canonical(parent[last]) !== canonical(op.value)) throw new Error(`test of ${op.path} failed`);
        break;
      default:
        throw new Error(`unsupported JSON patch operation ${op.op}`);
    }
  }
  return doc;
}

/**
 * What a healthy run-controller logs from its start (lines of test/support/runner-log-lines.ts):
 * registration succeeds at once and it polls every `intervalSeconds` without an error (a
 * successful poll without a run logs nothing).
 */
export function healthyControllerLog(intervalSeconds = 1): PodLogLine[] {
  return [
    { afterMs: 0, line: controllerLine.startup() },
    { afterMs: 5, line: controllerLine.registering() },
    { afterMs: 10, line: controllerLine.registered() },
    { afterMs: 12, line: controllerLine.running() },
    { afterMs: 12, line: controllerLine.interval(intervalSeconds) },
  ];
}

/** What a run-controller whose registration is refused logs: a failed attempt every `everyMs` (10 s in reality). */
export function refusedControllerLog(detail: string, everyMs = 30): PodLogLine[] {
  return [
    { afterMs: 0, line: controllerLine.startup() },
    ...Array.from({ length: 20 }, (_, i) => ({ afterMs: 5 + i * everyMs, line: controllerLine.registrationFailed(`controller registration failed: ${detail}`) })),
  ];
}
