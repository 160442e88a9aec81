/**
 * A minimal client for the Kubernetes REST API: GET, PUT and the three PATCH flavours, JSON in and
 * out, over `node:https` (or `node:http` to loopback, for tests). No dependency: the updater needs
 * five calls, not a generated client, and Node 20's `fetch` cannot trust a cluster's private CA
 * without undici's Agent, which is not a dependency of the kit.
 *
 * - The bearer token comes from an async provider called for every request, so a short-lived
 *   token (an EKS token lives 15 minutes) is refreshed by the provider, not by the caller.
 * - `caPem` replaces the system trust store for this client: the API server of a private cluster
 *   is certified by the cluster's own CA, and nothing else should be trusted for it.
 * - Every request has a deadline; the answer is read up to a size limit.
 * - Errors carry the HTTP status and the Kubernetes Status `reason` and `message` (what kubectl
 *   prints), never the token.
 *
 * Optimistic concurrency is the caller's: send `metadata.resourceVersion` in a PUT body or in a
 * patch, and the API server answers 409 Conflict when the object changed since it was read.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { assertAllowedUrl } from '../oci/http';
import type { Status } from './api-objects';

/** Returns a bearer token; called before every request. */
export type TokenProvider = () => Promise<string>;

export interface KubernetesClientOptions {
  /**
   * The API server URL, e.g. `https://0A1B2C3D4E5F.gr7.eu-central-1.eks.amazonaws.com` (a path
   * prefix, as some proxies use, is kept). `https`, or `http` to a loopback address for tests.
   */
  readonly server: string;
  /** @default - no Authorization header (only useful against a test server) */
  readonly token?: TokenProvider;
  /**
   * The cluster CA certificate(s), PEM, e.g. an EKS cluster's `certificateAuthority.data` decoded
   * from base64. Replaces the system trust store for this client.
   * @default - the system trust store (an API server with a publicly trusted certificate)
   */
  readonly caPem?: string;
  /**
   * Deadline of one request, from sending it to the last byte of the answer.
   * @default 15_000 ms - the calls are small; an API server that takes longer is in trouble
   */
  readonly timeoutMs?: number;
  /**
   * Largest answer read.
   * @default 8 MiB - a Deployment, a ConfigMap (at most 1 MiB) or a few ReplicaSets
   */
  readonly maxResponseBytes?: number;
  /** @default 'private-runner-kit-updater' */
  readonly userAgent?: string;
}

/** The patch flavours the API server accepts, by Content-Type. */
export const PATCH_CONTENT_TYPES = {
  /** RFC 7386: objects merge, `null` deletes, lists are replaced whole. */
  merge: 'application/merge-patch+json',
  /** Kubernetes' own: like merge, but lists such as `containers` merge by their key (`name`). */
  'strategic-merge': 'application/strategic-merge-patch+json',
  /** RFC 6902: a list of operations (`replace`, `add`, `remove`, `test`) on JSON pointers. */
  json: 'application/json-patch+json',
} as const;
export type PatchType = keyof typeof PATCH_CONTENT_TYPES;

/** The API server answered with a status other than 2xx. */
export class KubernetesApiError extends Error {
  constructor(
    readonly method: string,
    /** Path and query, without the server. */
    readonly path: string,
    readonly status: number,
    /** The Status object's `reason` (NotFound, Conflict, Forbidden, ...), when the body was one. */
    readonly reason: string | undefined,
    detail: string,
  ) {
    super(`${method} ${path} failed: HTTP ${status}${reason ? ` ${reason}` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'KubernetesApiError';
  }
}

/** The request got no answer: connection refused or reset, TLS failure, timeout, token provider failure. */
export class KubernetesTransportError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    reason: string,
  ) {
    super(`${method} ${path} failed: ${reason}`);
    this.name = 'KubernetesTransportError';
  }
}

export function isConflict(err: unknown): boolean {
  return err instanceof KubernetesApiError && err.status === 409;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof KubernetesApiError && err.status === 404;
}

/** Worth asking again unchanged: no answer, 429 or 5xx. */
export function isTransientKubernetesError(err: unknown): boolean {
  return err instanceof KubernetesTransportError || (err instanceof KubernetesApiError && (err.status === 429 || err.status >= 500));
}

/** A DNS-1123 subdomain: namespaces and the object names the updater addresses. */
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function checkName(what: string, value: string): string {
  if (!NAME.test(value)) {
    throw new Error(`${what} "${value}" is not a valid Kubernetes name: use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit`);
  }
  return value;
}

/** API paths of the objects the updater uses; names are validated before they become a path. */
export const apiPaths = {
  deployment: (namespace: string, name: string) => `/apis/apps/v1/namespaces/${checkName('namespace', namespace)}/deployments/${checkName('Deployment name', name)}`,
  replicaSets: (namespace: string) => `/apis/apps/v1/namespaces/${checkName('namespace', namespace)}/replicasets`,
  configMap: (namespace: string, name: string) => `/api/v1/namespaces/${checkName('namespace', namespace)}/configmaps/${checkName('ConfigMap name', name)}`,
  /** Pods (listed by label) and one pod's log: the meshStack signal reads the controller's log (`pods/log`). */
  pods: (namespace: string) => `/api/v1/namespaces/${checkName('namespace', namespace)}/pods`,
  podLog: (namespace: string, name: string) => `/api/v1/namespaces/${checkName('namespace', namespace)}/pods/${checkName('pod name', name)}/log`,
};

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  readonly contentType?: string;
  /** The answer is text (a log), returned as a string instead of parsed JSON. */
  readonly text?: boolean;
}

export class KubernetesClient {
  private readonly base: URL;
  private readonly token: TokenProvider | undefined;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly userAgent: string;
  private readonly agent: http.Agent;

  constructor(options: KubernetesClientOptions) {
    let base: URL;
    try {
      base = new URL(options.server);
    } catch {
      throw new Error(`server "${options.server}" is not a URL; use the API server endpoint, e.g. https://0A1B2C3D4E5F.gr7.eu-central-1.eks.amazonaws.com`);
    }
    assertAllowedUrl(base, 'Kubernetes API server');
    if (base.search || base.hash) throw new Error(`server "${options.server}" must not carry a query or fragment`);
    const timeoutMs = options.timeoutMs ?? 15_000;
    if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new Error(`timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
    if (options.caPem !== undefined && !options.caPem.includes('-----BEGIN CERTIFICATE-----')) {
      throw new Error('caPem holds no PEM certificate ("-----BEGIN CERTIFICATE-----"); pass the cluster CA as PEM text (decode base64 certificate-authority-data first)');
    }
    this.base = base;
    this.token = options.token;
    this.timeoutMs = timeoutMs;
    this.maxResponseBytes = options.maxResponseBytes ?? 8 * 1024 * 1024;
    this.userAgent = options.userAgent ?? 'private-runner-kit-updater';
    this.agent = base.protocol === 'https:' ? new https.Agent({ keepAlive: true, ...(options.caPem !== undefined ? { ca: options.caPem } : {}) }) : new http.Agent({ keepAlive: true });
  }

  get<T>(path: string, query?: Readonly<Record<string, string>>): Promise<T> {
    return this.request<T>('GET', path, { query });
  }

  /** GET of a plain-text answer (a pod's log), as a string. */
  getText(path: string, query?: Readonly<Record<string, string>>): Promise<string> {
    return this.request<string>('GET', path, { query, text: true });
  }

  /** Replaces the object; put `metadata.resourceVersion` in `body` to fail with 409 on a concurrent change. */
  put<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PUT', path, { body, contentType: 'application/json' });
  }

  /** Patches the object; a `metadata.resourceVersion` in the patch is a precondition (409 when stale). */
  patch<T>(path: string, body: unknown, type: PatchType): Promise<T> {
    return this.request<T>('PATCH', path, { body, contentType: PATCH_CONTENT_TYPES[type] });
  }

  /** Frees the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    if (!path.startsWith('/')) throw new Error(`API path "${path}" must start with "/"`);
    const url = new URL(this.base.href);
    url.pathname = `${this.base.pathname.replace(/\/+$/, '')}${path}`;
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
    const shown = `${path}${url.search}`;

    const headers: Record<string, string> = { Accept: options.text ? 'text/plain, */*' : 'application/json', 'User-Agent': this.userAgent };
    if (this.token) {
      let token: string;
      try {
        token = await this.token();
      } catch (err) {
        throw new KubernetesTransportError(method, shown, `could not get a bearer token: ${messageOf(err)}`);
      }
      if (!token || /[\r\n]/.test(token)) throw new KubernetesTransportError(method, shown, 'the token provider returned an empty or multi-line token');
      headers.Authorization = `Bearer ${token}`;
    }
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.from(JSON.stringify(options.body), 'utf8');
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(payload.length);
    }

    const { status, body } = await this.send(method, url, shown, headers, payload);
    if (status >= 200 && status < 300) {
      if (options.text) return body.toString('utf8') as T;
      if (body.length === 0) return undefined as T;
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch {
        throw new KubernetesApiError(method, shown, status, undefined, 'the answer is not JSON');
      }
    }
    const { reason, detail } = describeErrorBody(body);
    throw new KubernetesApiError(method, shown, status, reason, detail);
  }

  private send(method: string, url: URL, shown: string, headers: Record<string, string>, payload: Buffer | undefined): Promise<{ status: number; body: Buffer }> {
    const transport = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (reason: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new KubernetesTransportError(method, shown, reason));
      };
      const req = transport.request(url, { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        let total = 0;
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > this.maxResponseBytes) {
            fail(`the answer is larger than ${this.maxResponseBytes} bytes; refusing to read it`);
            req.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks, total) });
        });
        res.on('error', (err) => fail(messageOf(err)));
      });
      const timer = setTimeout(() => {
        fail(`timed out after ${this.timeoutMs} ms`);
        req.destroy();
      }, this.timeoutMs);
      req.on('error', (err) => fail(transportReason(err)));
      req.end(payload);
    });
  }
}

/** Reason and message of a Status body; the start of anything else (a proxy's HTML page). */
function describeErrorBody(body: Buffer): { reason: string | undefined; detail: string } {
  const text = body.toString('utf8');
  try {
    const parsed = JSON.parse(text) as Partial<Status>;
    if (parsed && parsed.kind === 'Status') {
      const causes = (parsed.details?.causes ?? []).map((c) => c.message).filter((m): m is string => !!m && !(parsed.message ?? '').includes(m));
      return { reason: parsed.reason, detail: [parsed.message ?? '', ...causes].filter(Boolean).join('; ') };
    }
  } catch {
    // not JSON: fall through
  }
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return { reason: undefined, detail: snippet };
}

function transportReason(err: Error & { code?: string }): string {
  const code = err.code ?? '';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return `TLS verification failed (${code}: ${err.message}); pass the cluster's CA certificate as caPem`;
  }
  return err.message || code || 'connection failed';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
