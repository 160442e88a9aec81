/**
 * A small JSON client for the Google REST APIs the updater calls (Cloud Run Admin v2, Cloud
 * Logging v2, Cloud Storage JSON v1), with a bearer token from an {@link AccessTokenProvider}.
 * Every request has a timeout; reads (GET, and POSTs that only read) are retried after 429, 5xx
 * or a network error. Errors name the method, the path and Google's own message, never a token.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { AccessTokenProvider } from './access-token';

/** Where each API is (tests: a fake on loopback). */
export interface GoogleEndpoints {
  readonly run: string;
  readonly logging: string;
  readonly storage: string;
  /** GKE (the cluster's DNS endpoint). */
  readonly container: string;
}

export const GOOGLE_ENDPOINTS: GoogleEndpoints = { run: 'https://run.googleapis.com', logging: 'https://logging.googleapis.com', storage: 'https://storage.googleapis.com', container: 'https://container.googleapis.com' };

export class GoogleApiError extends Error {
  override readonly name = 'GoogleApiError';
  constructor(
    readonly method: string,
    readonly where: string,
    readonly status: number,
    readonly reason: string,
  ) {
    super(`${method} ${where} failed: HTTP ${status}${reason ? `: ${reason}` : ''}`);
  }
}

export const isNotFound = (error: unknown): boolean => error instanceof GoogleApiError && error.status === 404;

export interface GoogleApiOptions {
  readonly tokens: AccessTokenProvider;
  /** @default 30_000 */
  readonly timeoutMs?: number;
  /** @default 3 */
  readonly retries?: number;
}

export class GoogleApi {
  constructor(private readonly o: GoogleApiOptions) {}

  /** A JSON request; `read` marks it safe to repeat. Returns the parsed body (undefined for an empty one). */
  async json<T>(method: string, url: string, options: { readonly body?: unknown; readonly read?: boolean; readonly rawBody?: { readonly contentType: string; readonly bytes: Buffer } } = {}): Promise<T> {
    const res = await this.send(method, url, options);
    const text = await res.text();
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** The body as text (object downloads). */
  async text(method: string, url: string): Promise<string> {
    return (await this.send(method, url, { read: true })).text();
  }

  private async send(method: string, url: string, options: { readonly body?: unknown; readonly read?: boolean; readonly rawBody?: { readonly contentType: string; readonly bytes: Buffer } }): Promise<Response> {
    const where = new URL(url).pathname;
    const retries = options.read === true || method === 'GET' ? (this.o.retries ?? 3) : 0;
    for (let attempt = 0; ; attempt++) {
      const token = await this.o.tokens.token();
      const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'application/json' };
      let body: string | Buffer | undefined;
      if (options.rawBody !== undefined) {
        headers['content-type'] = options.rawBody.contentType;
        body = options.rawBody.bytes;
      } else if (options.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(options.body);
      }
      let res: Response | undefined;
      let failure: string | undefined;
      try {
        res = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), redirect: 'error', signal: AbortSignal.timeout(this.o.timeoutMs ?? 30_000) });
      } catch (error) {
        failure = (error as Error).message;
      }
      const retryable = res === undefined || res.status === 429 || res.status >= 500;
      if (res?.ok) return res;
      if (!retryable || attempt >= retries) {
        if (res === undefined) throw new GoogleApiError(method, where, 0, `no answer (${failure})`);
        throw new GoogleApiError(method, where, res.status, await reasonOf(res));
      }
      await res?.text().catch(() => undefined);
      await sleep(Math.min(8_000, 300 * 2 ** attempt));
    }
  }
}

async function reasonOf(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; status?: unknown } };
    const message = typeof body.error?.message === 'string' ? body.error.message : '';
    return [typeof body.error?.status === 'string' ? body.error.status : '', message].filter(Boolean).join(' ').slice(0, 500);
  } catch {
    return text.slice(0, 200);
  }
}
