/**
 * Small HTTP helpers shared by the registry client and the auth providers: which URLs may be
 * contacted, bounded body reads, and backoff between retries.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { redactUrl } from './errors';

/**
 * True for hosts that never leave the machine. Plain `http` is allowed only for them (local test
 * registries); anything else would send manifests and credentials readable on the network.
 */
function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Throws unless `url` is `https`, or `http` to a loopback host, and carries no user info.
 * `what` names the URL's role in the error (registry, token realm, redirect).
 */
export function assertAllowedUrl(url: URL, what: string): void {
  if (url.username || url.password) {
    throw new Error(`${what} URL must not embed credentials; pass them through an auth provider instead`);
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return;
  if (url.protocol === 'http:') {
    throw new Error(
      `${what} ${redactUrl(url)} uses plain http to a non-loopback host; use https (http is allowed only for 127.0.0.1, ::1 and localhost)`,
    );
  }
  throw new Error(`${what} ${redactUrl(url)} has unsupported protocol "${url.protocol}"; use https`);
}

/**
 * Delay before retry number `attempt` (0-based): exponential from `baseMs` with jitter, capped at
 * 10 s. A `Retry-After` in seconds is honoured up to 30 s, since the registry knows its own limits.
 */
export function backoffDelay(attempt: number, baseMs: number, retryAfter?: string | null): number {
  const seconds = retryAfter ? Number(retryAfter) : NaN;
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 30_000);
  const exponential = Math.min(baseMs * 2 ** attempt, 10_000);
  return exponential / 2 + Math.random() * (exponential / 2);
}

/**
 * Runs `fn`, repeating it up to `retries` more times while `isRetryable(error)` holds, waiting
 * {@link backoffDelay} in between. The last error is rethrown unchanged.
 */
export async function retrying<T>(
  fn: () => Promise<T>,
  options: { readonly retries: number; readonly baseDelayMs: number; readonly isRetryable: (err: unknown) => boolean },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= options.retries || !options.isRetryable(err)) throw err;
      await sleep(backoffDelay(attempt, options.baseDelayMs));
    }
  }
}

/**
 * Reads a body into memory, failing once it exceeds `limit` bytes: manifests, token and
 * error bodies are small, and a registry must not be able to exhaust the updater's memory.
 */
export async function readLimited(body: ReadableStream<Uint8Array> | null, limit: number, what: string): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, total);
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new Error(`${what} is larger than ${limit} bytes; refusing to read it`);
    }
    chunks.push(value);
  }
}

/** Releases an unread response body so its connection returns to the pool. */
export async function discard(res: Response): Promise<void> {
  await res.body?.cancel().catch(() => undefined);
}

/** Parses JSON, naming `what` in the error instead of echoing the (possibly large) text. */
export function parseJson(bytes: Buffer, what: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${what} is not valid JSON`);
  }
}

/**
 * A one-line reason for a failed `fetch`: the timeout, or the underlying socket error. (The timeout
 * arrives as a DOMException, which in Node 20 is not an `instanceof Error`.)
 */
export function describeFetchError(err: unknown, timeoutMs: number): string {
  if (typeof err === 'object' && err !== null && 'name' in err && err.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  const cause = err instanceof Error ? err.cause : undefined;
  if (cause instanceof Error && cause.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}
