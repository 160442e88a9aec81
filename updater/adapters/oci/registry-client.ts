/**
 * A client for one registry's OCI distribution API (ghcr.io, ECR, ACR, Artifact Registry, or a
 * local registry in tests): tags, manifests and blobs, with blob copies streamed from another
 * registry so a promotion never holds a layer in memory or on disk.
 *
 * Every request has a timeout. Calls that are safe to repeat are retried with backoff after 429,
 * 5xx or a network error; a streamed blob upload cannot be replayed, so its retry belongs to the
 * caller (see `promote`). Errors never contain credentials or query strings.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { anonymousAuth, parseChallenge, type AuthChallenge, type AuthProvider } from './auth';
import { assertDigest, digestOf, isDigest, verifyDigest, verifyingStream } from './digest';
import { DigestMismatchError, RegistryError, TransportError, isTransient, redactUrl } from './errors';
import { assertAllowedUrl, backoffDelay, describeFetchError, discard, parseJson, readLimited } from './http';
import { MANIFEST_ACCEPT, isManifestMediaType, normalizeMediaType, type ManifestMediaType } from './media-types';
import { readTagsList } from './tags-list';
import { assertReference, assertRepository } from './reference';

export interface OciRegistryClientOptions {
  /**
   * How to authenticate.
   * @default - anonymousAuth(): public images, anonymous tokens on a Bearer challenge
   */
  readonly auth?: AuthProvider;
  /**
   * Timeout of each request except blob transfers.
   * @default 30_000 ms - manifests and tag pages are small; a registry this slow is failing
   */
  readonly requestTimeoutMs?: number;
  /**
   * Timeout of one blob transfer, from request to last byte.
   * @default 600_000 ms - runner layers are hundreds of MB, and the updater's function may run 15 min
   */
  readonly blobTimeoutMs?: number;
  /**
   * Retries of a repeatable request after 429, 5xx or a network error.
   * @default 3
   */
  readonly retries?: number;
  /**
   * First retry delay; it doubles per retry, with jitter, unless the registry sends Retry-After.
   * @default 500 ms
   */
  readonly retryBaseDelayMs?: number;
}

/** A manifest as stored: its bytes are what the digest covers, so copies must keep them unchanged. */
export interface FetchedManifest {
  readonly mediaType: ManifestMediaType;
  readonly digest: string;
  readonly bytes: Buffer;
}

export interface ListTagsOptions {
  /**
   * Tags asked for per page (`?n=`); registries may send fewer.
   * @default 100
   */
  readonly pageSize?: number;
  /**
   * Pages followed before giving up, so a registry with a looping `Link` cannot keep the updater busy.
   * @default 50
   */
  readonly maxPages?: number;
  /**
   * Which tags to keep (e.g. release tags only); the others are read and dropped, never held.
   * @default - every tag
   */
  readonly keep?: (tag: string) => boolean;
  /**
   * Most tags kept before giving up: the updater's memory is bounded by it, not by the registry.
   * @default 10_000
   */
  readonly maxTags?: number;
}

/** Tags kept by default before `listTags` gives up (see `ListTagsOptions.maxTags`). */
export const DEFAULT_MAX_TAGS = 10_000;

/** How a blob reached the target: streamed from the source, or mounted from a sibling repository. */
export type BlobCopyOutcome = 'copied' | 'mounted';

type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';

interface RequestSpec {
  readonly method: Method;
  readonly url: URL;
  /** Token scopes the request needs (`repository:<name>:pull` or `:pull,push`). */
  readonly scopes: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Buffer | ReadableStream<Uint8Array>;
  /** Safe to send again after a transient failure (the body is replayable and the effect idempotent). */
  readonly repeatable: boolean;
  readonly timeoutMs?: number;
}

/** distribution's own manifest limit; anything bigger is not a runner image manifest. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_TAGS_PAGE_BYTES = 8 * 1024 * 1024;
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: readonly number[] = [301, 302, 303, 307, 308];
/** Cancelling an abandoned upload is a courtesy; it must not delay the caller's error. */
const CANCEL_TIMEOUT_MS = 5_000;

export class OciRegistryClient {
  /** The registry's origin, e.g. `https://ghcr.io` or `http://127.0.0.1:5000`. */
  readonly baseUrl: string;
  private readonly auth: AuthProvider;
  private readonly requestTimeoutMs: number;
  private readonly blobTimeoutMs: number;
  private readonly retries: number;
  private readonly retryBaseDelayMs: number;
  /**
   * The registry's last challenge, without its scope. Later requests authenticate up front with it
   * instead of collecting a 401 each, and a streamed upload, which cannot be re-sent, is never the
   * first request to meet the challenge.
   */
  private challenge: AuthChallenge | undefined;

  /**
   * @param baseUrl the registry origin; `https`, or `http` only for loopback hosts (local registries)
   */
  constructor(baseUrl: string, options: OciRegistryClientOptions = {}) {
    const url = parseBaseUrl(baseUrl);
    this.baseUrl = url.origin;
    this.auth = options.auth ?? anonymousAuth();
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
    this.blobTimeoutMs = options.blobTimeoutMs ?? 600_000;
    this.retries = options.retries ?? 3;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
  }

  /**
   * The tags of `repository` that `keep` accepts, following `Link: <...>; rel="next"` pages up to
   * `maxPages`. Each page is read as a stream and each tag handed over as it arrives, so memory holds
   * the kept tags (at most `maxTags`) and one tag being read, whatever the registry sends: one page
   * of 130,000 tags or many pages of long junk tags (test/updater/adapters/oci/tags-list.test.ts).
   * Strings longer than a tag can be (128 characters) are skipped.
   */
  async listTags(repository: string, options: ListTagsOptions = {}): Promise<string[]> {
    assertRepository(repository);
    const pageSize = options.pageSize ?? 100;
    const maxPages = options.maxPages ?? 50;
    const maxTags = options.maxTags ?? DEFAULT_MAX_TAGS;
    const keep = options.keep ?? (() => true);
    if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new Error(`pageSize must be a positive integer, got ${pageSize}`);
    const tags: string[] = [];
    const collect = (tag: string) => {
      if (!keep(tag)) return;
      if (tags.length >= maxTags) throw new Error(`${this.baseUrl}/${repository} has more than ${maxTags} tags to keep; refusing to hold more`);
      tags.push(tag);
    };
    let url: URL | undefined = this.url(`/v2/${repository}/tags/list`);
    url.searchParams.set('n', String(pageSize));
    for (let page = 1; url; page++) {
      if (page > maxPages) {
        throw new Error(`${this.baseUrl}/${repository} has more than ${maxPages} pages of tags (page size ${pageSize}); raise maxPages or pageSize`);
      }
      const spec: RequestSpec = { method: 'GET', url, scopes: [pullScope(repository)], headers: { accept: 'application/json' }, repeatable: true };
      const res = await this.call(spec, [200]);
      await readTagsList(res.body, MAX_TAGS_PAGE_BYTES, `tags list of ${repository}`, collect);
      url = this.nextPage(res.headers.get('link'), url);
    }
    return tags;
  }

  /**
   * The digest `reference` (tag or digest) names, from a HEAD's `Docker-Content-Digest`; registries
   * that omit the header cost a GET, hashed locally. Throws a 404 {@link RegistryError} when absent.
   */
  async resolveDigest(repository: string, reference: string): Promise<string> {
    assertRepository(repository);
    assertReference(reference);
    const url = this.url(`/v2/${repository}/manifests/${reference}`);
    const res = await this.call({ method: 'HEAD', url, scopes: [pullScope(repository)], headers: { accept: MANIFEST_ACCEPT }, repeatable: true }, [200]);
    await discard(res);
    const announced = res.headers.get('docker-content-digest');
    if (announced === null || !isDigest(announced)) return (await this.getManifest(repository, reference)).digest;
    if (isDigest(reference) && announced !== reference) {
      throw new DigestMismatchError(`${this.baseUrl}/${repository}@${reference} (Docker-Content-Digest)`, reference, announced);
    }
    return announced;
  }

  /**
   * The manifest `reference` names, exactly as stored. Its bytes are checked against the digest when
   * the reference is one, and against `Docker-Content-Digest` when the registry sends it, so a lying
   * registry or proxy is caught before anything is copied.
   */
  async getManifest(repository: string, reference: string): Promise<FetchedManifest> {
    assertRepository(repository);
    assertReference(reference);
    const url = this.url(`/v2/${repository}/manifests/${reference}`);
    const res = await this.call({ method: 'GET', url, scopes: [pullScope(repository)], headers: { accept: MANIFEST_ACCEPT }, repeatable: true }, [200]);
    const bytes = await readLimited(res.body, MAX_MANIFEST_BYTES, `manifest ${repository}:${reference}`);
    const digest = digestOf(bytes);
    const where = `manifest ${this.baseUrl}/${repository}@${reference}`;
    if (isDigest(reference) && digest !== reference) throw new DigestMismatchError(where, reference, digest);
    const announced = res.headers.get('docker-content-digest');
    if (announced !== null && isDigest(announced) && announced !== digest) throw new DigestMismatchError(`${where} (Docker-Content-Digest)`, announced, digest);
    return { mediaType: manifestMediaType(res.headers.get('content-type'), bytes, where), digest, bytes };
  }

  /**
   * Stores manifest `bytes` under `reference` (its digest, or a tag) and returns their digest. PUT of
   * the same bytes is idempotent, so it is retried like a read. Tag immutability is the caller's
   * concern: see `promote`.
   */
  async putManifest(repository: string, reference: string, bytes: Buffer, mediaType: ManifestMediaType): Promise<string> {
    assertRepository(repository);
    assertReference(reference);
    const digest = digestOf(bytes);
    if (isDigest(reference) && reference !== digest) throw new DigestMismatchError(`manifest to store as ${reference}`, reference, digest);
    const url = this.url(`/v2/${repository}/manifests/${reference}`);
    const spec: RequestSpec = { method: 'PUT', url, scopes: [pushScope(repository)], headers: { 'content-type': mediaType }, body: bytes, repeatable: true };
    const res = await this.call(spec, [200, 201]);
    await discard(res);
    const stored = res.headers.get('docker-content-digest');
    if (stored !== null && isDigest(stored) && stored !== digest) {
      throw new DigestMismatchError(`manifest stored in ${this.baseUrl}/${repository} (Docker-Content-Digest)`, digest, stored);
    }
    return digest;
  }

  /** Whether `repository` already holds the blob (HEAD), so a copy can skip it. */
  async blobExists(repository: string, digest: string): Promise<boolean> {
    assertRepository(repository);
    assertDigest(digest, 'blob digest');
    const spec: RequestSpec = { method: 'HEAD', url: this.blobUrl(repository, digest), scopes: [pullScope(repository)], repeatable: true };
    const res = await this.request(spec);
    await discard(res);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    throw await this.failure(spec, res);
  }

  /** A small blob (an image config) read into memory, at most `maxBytes`, digest verified. */
  async getBlob(repository: string, digest: string, maxBytes: number): Promise<Buffer> {
    assertRepository(repository);
    assertDigest(digest, 'blob digest');
    const bytes = await readLimited(await this.openBlob(repository, digest), maxBytes, `blob ${digest}`);
    verifyDigest(bytes, digest, `blob ${this.baseUrl}/${repository}@${digest}`);
    return bytes;
  }

  /**
   * Copies blob `digest` of `size` bytes from `fromRepo` on `from` into `toRepo` here. On the same
   * registry it first asks for a cross-repository mount (no bytes move); otherwise, or when the mount
   * is refused, the source body is streamed into a monolithic upload, its size and sha256 checked on
   * the way. One attempt: a failed upload is cancelled and the error thrown for the caller to retry.
   */
  async copyBlob(from: OciRegistryClient, fromRepo: string, toRepo: string, digest: string, size: number): Promise<BlobCopyOutcome> {
    assertRepository(fromRepo);
    assertRepository(toRepo);
    assertDigest(digest, 'blob digest');
    if (!Number.isSafeInteger(size) || size < 0) throw new Error(`blob ${digest}: size must be a non-negative integer, got ${size}`);
    const session = await this.startUpload(toRepo, from.baseUrl === this.baseUrl ? { fromRepo, digest } : undefined);
    if (session === 'mounted') return 'mounted';
    try {
      await this.streamUpload(session, toRepo, from, fromRepo, digest, size);
      return 'copied';
    } catch (err) {
      await this.cancelUpload(session, toRepo);
      throw err;
    }
  }

  /**
   * POSTs a new upload session and returns its URL, or `'mounted'` when a requested cross-repository
   * mount succeeded (201). A refused mount (202) is an ordinary session. Repeating the POST after a
   * transient failure at worst leaves an empty session, which the registry expires.
   */
  private async startUpload(repository: string, mount?: { readonly fromRepo: string; readonly digest: string }): Promise<URL | 'mounted'> {
    const url = this.url(`/v2/${repository}/blobs/uploads/`);
    const scopes = [pushScope(repository)];
    if (mount) {
      url.searchParams.set('mount', mount.digest);
      url.searchParams.set('from', mount.fromRepo);
      scopes.push(pullScope(mount.fromRepo));
    }
    const res = await this.call({ method: 'POST', url, scopes, repeatable: true }, mount ? [201, 202] : [202]);
    await discard(res);
    if (res.status === 201) return 'mounted';
    const location = res.headers.get('location');
    if (!location) throw new Error(`POST ${redactUrl(url)} opened an upload session without a Location header`);
    return new URL(location, url);
  }

  /**
   * Completes upload `session` with one PUT whose body is the source blob's response body, piped
   * through size and digest verification. When the source side fails, that cause is reported (as a
   * transient {@link TransportError}, or the {@link DigestMismatchError}) instead of the upload's
   * generic "fetch failed".
   */
  private async streamUpload(session: URL, toRepo: string, from: OciRegistryClient, fromRepo: string, digest: string, size: number): Promise<void> {
    const verified = verifyingStream(await from.openBlob(fromRepo, digest), digest, size);
    const url = new URL(session);
    url.searchParams.set('digest', digest);
    const spec: RequestSpec = {
      method: 'PUT',
      url,
      scopes: [pushScope(toRepo)],
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: verified.stream,
      repeatable: false,
      timeoutMs: this.blobTimeoutMs,
    };
    try {
      await discard(await this.call(spec, [201]));
    } catch (err) {
      const cause = verified.failure();
      if (cause === undefined) throw err;
      if (cause instanceof DigestMismatchError) throw cause;
      throw new TransportError('GET', redactUrl(from.blobUrl(fromRepo, digest)), `source stream failed: ${describeFetchError(cause, this.blobTimeoutMs)}`);
    }
  }

  /** Best-effort DELETE of an abandoned upload session, so failed attempts do not pile up. */
  private async cancelUpload(session: URL, repository: string): Promise<void> {
    const spec: RequestSpec = { method: 'DELETE', url: session, scopes: [pushScope(repository)], repeatable: false, timeoutMs: CANCEL_TIMEOUT_MS };
    await this.request(spec).then(discard, () => undefined);
  }

  /** The response body of a blob GET (redirects to storage followed, no content coding). */
  private async openBlob(repository: string, digest: string): Promise<ReadableStream<Uint8Array>> {
    const spec: RequestSpec = {
      method: 'GET',
      url: this.blobUrl(repository, digest),
      scopes: [pullScope(repository)],
      headers: { 'accept-encoding': 'identity' },
      repeatable: true,
      timeoutMs: this.blobTimeoutMs,
    };
    const res = await this.call(spec, [200]);
    if (!res.body) throw new Error(`GET ${redactUrl(spec.url)} answered 200 without a body`);
    return res.body;
  }

  /** {@link request}, then throws a {@link RegistryError} unless the status is one of `accepted`. */
  private async call(spec: RequestSpec, accepted: readonly number[]): Promise<Response> {
    const res = await this.request(spec);
    if (accepted.includes(res.status)) return res;
    throw await this.failure(spec, res);
  }

  /** Sends `spec`, repeating a repeatable request after 429, 5xx or a network error, with backoff. */
  private async request(spec: RequestSpec): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      const mayRetry = spec.repeatable && attempt < this.retries;
      let res: Response;
      try {
        res = await this.sendAuthorized(spec);
      } catch (err) {
        if (!mayRetry || !isTransient(err)) throw err;
        await sleep(backoffDelay(attempt, this.retryBaseDelayMs));
        continue;
      }
      if (!mayRetry || (res.status !== 429 && res.status < 500)) return res;
      await discard(res);
      await sleep(backoffDelay(attempt, this.retryBaseDelayMs, res.headers.get('retry-after')));
    }
  }

  /**
   * Sends `spec` with the credential for the last known challenge; on a 401 with a challenge the
   * provider can answer, sends it once more with the new credential. A streamed body cannot be
   * re-sent, so its 401 is returned as is.
   */
  private async sendAuthorized(spec: RequestSpec): Promise<Response> {
    const sent = await this.authorization(spec, this.challenge, false);
    const res = await this.send(spec, sent);
    if (res.status !== 401 || spec.body instanceof ReadableStream) return res;
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    if (challenge === undefined) return res;
    this.challenge = challenge.scheme === 'Bearer' ? { ...challenge, scope: undefined } : challenge;
    const retry = await this.authorization(spec, challenge, sent !== undefined);
    if (retry === undefined || retry === sent) return res;
    await discard(res);
    return this.send(spec, retry);
  }

  private authorization(spec: RequestSpec, challenge: AuthChallenge | undefined, refresh: boolean): Promise<string | undefined> {
    return this.auth.authorization({ challenge, scopes: spec.scopes, refresh, timeoutMs: this.requestTimeoutMs });
  }

  /**
   * One HTTP exchange, following redirects of body-less requests. The Authorization header goes
   * only to this registry's origin: blob storage redirects (S3, CDNs) carry pre-signed URLs and
   * reject, or could leak, a second credential.
   */
  private async send(spec: RequestSpec, authorization: string | undefined): Promise<Response> {
    const timeoutMs = spec.timeoutMs ?? this.requestTimeoutMs;
    let url = spec.url;
    for (let hop = 0; ; hop++) {
      assertAllowedUrl(url, hop === 0 ? 'registry' : 'redirect target');
      const headers: Record<string, string> = { ...spec.headers };
      if (authorization !== undefined && url.origin === this.baseUrl) headers.authorization = authorization;
      let res: Response;
      try {
        res = await fetch(url, { method: spec.method, headers, body: spec.body, duplex: 'half', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        throw new TransportError(spec.method, redactUrl(url), describeFetchError(err, timeoutMs));
      }
      const location = res.headers.get('location');
      if (spec.body !== undefined || !REDIRECT_STATUSES.includes(res.status) || location === null) return res;
      await discard(res);
      if (hop >= MAX_REDIRECTS) throw new Error(`${spec.method} ${redactUrl(spec.url)} redirected more than ${MAX_REDIRECTS} times`);
      url = new URL(location, url);
    }
  }

  /** A {@link RegistryError} from a refused response, with the registry's OCI error code and message. */
  private async failure(spec: RequestSpec, res: Response): Promise<RegistryError> {
    const body = await readLimited(res.body, MAX_ERROR_BODY_BYTES, 'error body').catch(() => Buffer.alloc(0));
    const { code, message } = parseRegistryError(body);
    return new RegistryError(spec.method, redactUrl(spec.url), res.status, code, message);
  }

  /** The `rel="next"` target of a `Link` header; only this registry's origin is followed. */
  private nextPage(link: string | null, current: URL): URL | undefined {
    const target = /<([^>]*)>[^,]*?;\s*rel="?next"?/i.exec(link ?? '')?.[1];
    if (target === undefined) return undefined;
    const next = new URL(target, current);
    if (next.origin !== this.baseUrl) throw new Error(`tags list of ${this.baseUrl} links to another origin (${next.origin}); not following it`);
    return next;
  }

  private url(path: string): URL {
    return new URL(path, this.baseUrl);
  }

  private blobUrl(repository: string, digest: string): URL {
    return this.url(`/v2/${repository}/blobs/${digest}`);
  }
}

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

/** Validates a registry base URL: an origin only, https or loopback http. */
function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`registry URL "${baseUrl}" is not a URL; use an origin such as https://ghcr.io`);
  }
  assertAllowedUrl(url, 'registry');
  if (url.pathname !== '/' || url.search || url.hash) {
    throw new Error(`registry URL ${redactUrl(url)} must be an origin such as https://ghcr.io, without path or query`);
  }
  return url;
}

/**
 * The manifest's media type: the Content-Type when it is a manifest type, else the body's
 * `mediaType` field (some registries serve OCI manifests as application/json).
 */
function manifestMediaType(contentType: string | null, bytes: Buffer, where: string): ManifestMediaType {
  const header = normalizeMediaType(contentType);
  if (isManifestMediaType(header)) return header;
  const declared = (parseJson(bytes, where) as { mediaType?: unknown } | null)?.mediaType;
  if (typeof declared === 'string' && isManifestMediaType(declared)) return declared;
  throw new Error(`${where} has unsupported media type "${header}"; supported: ${MANIFEST_ACCEPT}`);
}

/** The first `errors[]` entry of an OCI error body; empty when the body is not one. */
function parseRegistryError(body: Buffer): { code?: string; message: string } {
  try {
    const first = (JSON.parse(body.toString('utf8')) as { errors?: { code?: unknown; message?: unknown }[] }).errors?.[0];
    return {
      code: typeof first?.code === 'string' ? first.code : undefined,
      message: typeof first?.message === 'string' ? first.message.slice(0, 500) : '',
    };
  } catch {
    return { message: '' };
  }
}
