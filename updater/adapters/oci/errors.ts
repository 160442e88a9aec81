/**
 * Errors of the OCI adapter. Messages name the registry URL without its query string (upload
 * sessions and pre-signed storage redirects carry secrets there) and never include a credential,
 * an Authorization header or a token: callers log these messages as they are.
 */

/** The registry answered with a status the call does not accept. */
export class RegistryError extends Error {
  constructor(
    readonly method: string,
    /** Origin and path only, see {@link redactUrl}. */
    readonly url: string,
    readonly status: number,
    /** First `errors[].code` of an OCI error body (e.g. MANIFEST_UNKNOWN), when the registry sent one. */
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`${method} ${url} failed: HTTP ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`);
    this.name = 'RegistryError';
  }

  /** 429 and 5xx may succeed when repeated; every other status will not. */
  get transient(): boolean {
    return this.status === 429 || this.status >= 500;
  }
}

/** The request never got an answer: connection refused or reset, DNS, timeout. */
export class TransportError extends Error {
  constructor(
    readonly method: string,
    readonly url: string,
    reason: string,
  ) {
    super(`${method} ${url} failed: ${reason}`);
    this.name = 'TransportError';
  }
}

/** Content did not hash to the digest it was asked for or announced with: never store or trust it. */
export class DigestMismatchError extends Error {
  constructor(
    readonly what: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`${what}: expected ${expected} but the content hashes to ${actual}; refusing content that does not match its digest`);
    this.name = 'DigestMismatchError';
  }
}

/** An immutable mirror tag already names another digest. */
export class TagConflictError extends Error {
  constructor(
    readonly repository: string,
    readonly tag: string,
    readonly existingDigest: string,
    readonly wantedDigest: string,
  ) {
    super(
      `tag "${tag}" in ${repository} already points to ${existingDigest}, not ${wantedDigest}; ` +
        'mirror tags are immutable, so promote under a new tag instead of moving this one',
    );
    this.name = 'TagConflictError';
  }
}

/** True for failures worth repeating unchanged: network trouble, 429 and 5xx. */
export function isTransient(err: unknown): boolean {
  return err instanceof TransportError || (err instanceof RegistryError && err.transient);
}

/** True when the registry said the manifest, tag or blob does not exist. */
export function isNotFound(err: unknown): boolean {
  return err instanceof RegistryError && err.status === 404;
}

/** `origin + path` of a URL: drops the query (upload state, pre-signed signatures) and any fragment. */
export function redactUrl(url: URL | string): string {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  return `${parsed.origin}${parsed.pathname}`;
}
