/**
 * Registry authentication, as the distribution token spec and ECR do it:
 *
 * - {@link anonymousAuth}: public images on ghcr.io. On a `Bearer` challenge, an anonymous token
 *   is fetched from the challenge's realm, so no third-party credential is ever needed.
 * - {@link basicAuth} / {@link basicAuthFromEcrToken}: the mirror. ECR answers with a `Basic`
 *   challenge and takes the GetAuthorizationToken user and password directly; registries that
 *   answer with `Bearer` (ACR, Artifact Registry) get the same credential at their token realm.
 * - {@link staticBearerAuth}: a token obtained elsewhere (e.g. an OAuth access token).
 *
 * Providers return header values to the client and nothing else: no credential or token is ever
 * put into an error message or logged.
 */
import { RegistryError, TransportError, redactUrl } from './errors';
import { assertAllowedUrl, describeFetchError, discard, parseJson, readLimited } from './http';

export interface BearerChallenge {
  readonly scheme: 'Bearer';
  readonly realm: string;
  readonly service?: string;
  /** Space-separated scopes the registry asked for, e.g. `repository:meshcloud/tf-block-runner:pull`. */
  readonly scope?: string;
}

export interface BasicChallenge {
  readonly scheme: 'Basic';
  readonly realm?: string;
}

/** A parsed `WWW-Authenticate` header. */
export type AuthChallenge = BearerChallenge | BasicChallenge;

export interface AuthorizationRequest {
  /** The registry's challenge; undefined until the registry has answered 401 once. */
  readonly challenge?: AuthChallenge;
  /** Scopes the request needs, e.g. `repository:mirror/tf-block-runner:pull,push`. */
  readonly scopes: readonly string[];
  /** True when the registry rejected the header sent before: a cached token must not be reused. */
  readonly refresh: boolean;
  /** Timeout for any token request the provider makes. */
  readonly timeoutMs: number;
}

export interface AuthProvider {
  /** The `Authorization` header value for a request, or undefined to send none. */
  authorization(request: AuthorizationRequest): Promise<string | undefined>;
}

/**
 * Parses the first challenge of a `WWW-Authenticate` header. Returns undefined for schemes the kit
 * cannot answer and for a Bearer challenge without a realm.
 */
export function parseChallenge(header: string | null): AuthChallenge | undefined {
  const match = /^\s*(\w+)\s*(.*)$/s.exec(header ?? '');
  if (!match) return undefined;
  const params = new Map<string, string>();
  for (const [, key, quoted, bare] of match[2].matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params.set(key.toLowerCase(), quoted !== undefined ? quoted.replace(/\\(.)/g, '$1') : bare);
  }
  const scheme = match[1].toLowerCase();
  if (scheme === 'basic') return { scheme: 'Basic', realm: params.get('realm') };
  const realm = params.get('realm');
  if (scheme !== 'bearer' || !realm) return undefined;
  return { scheme: 'Bearer', realm, service: params.get('service'), scope: params.get('scope') };
}

/** No credential: answers Bearer challenges with anonymous tokens (public ghcr.io images). */
export function anonymousAuth(): AuthProvider {
  const tokens = new TokenCache(undefined);
  return {
    authorization: async (request) =>
      request.challenge?.scheme === 'Bearer' ? tokens.header(request.challenge, request) : undefined,
  };
}

/**
 * A user name and password: sent as `Basic` when the registry challenges with Basic (ECR), or used
 * to obtain a token when it challenges with Bearer. Nothing is sent before the first challenge, so
 * the password only ever goes to the scheme and realm the registry itself names.
 */
export function basicAuth(username: string, password: string): AuthProvider {
  const credential = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  const tokens = new TokenCache(credential);
  return {
    authorization: async (request) => {
      if (request.challenge?.scheme === 'Basic') return credential;
      if (request.challenge?.scheme === 'Bearer') return tokens.header(request.challenge, request);
      return undefined;
    },
  };
}

/**
 * {@link basicAuth} from an ECR `authorizationData[].authorizationToken`: base64 of `AWS:<password>`.
 */
export function basicAuthFromEcrToken(authorizationToken: string): AuthProvider {
  const decoded = Buffer.from(authorizationToken, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new Error('ECR authorization token does not decode to "<user>:<password>"; pass authorizationData[].authorizationToken unchanged');
  return basicAuth(decoded.slice(0, colon), decoded.slice(colon + 1));
}

/** A ready-made bearer token, sent with every request without waiting for a challenge. */
export function staticBearerAuth(token: string): AuthProvider {
  const header = `Bearer ${token}`;
  return { authorization: async () => header };
}

/** Token responses are tiny; anything bigger is not a token endpoint. */
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
/** The distribution token spec's default lifetime when `expires_in` is absent. */
const DEFAULT_TOKEN_SECONDS = 60;

interface CachedToken {
  readonly header: string;
  readonly expiresAt: number;
}

/**
 * Tokens per realm, service and scope set, kept until shortly before they expire so a promotion
 * asks the token endpoint once per repository and action instead of once per request.
 */
class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();

  constructor(private readonly credential: string | undefined) {}

  async header(challenge: BearerChallenge, request: AuthorizationRequest): Promise<string> {
    const scopes = [...new Set([...(challenge.scope?.split(' ') ?? []), ...request.scopes])].filter(Boolean).sort();
    const key = [challenge.realm, challenge.service ?? '', ...scopes].join('\n');
    const cached = this.tokens.get(key);
    if (cached && !request.refresh && cached.expiresAt > Date.now()) return cached.header;
    const fresh = await this.fetchToken(challenge, scopes, request.timeoutMs);
    this.tokens.set(key, fresh);
    return fresh.header;
  }

  private async fetchToken(challenge: BearerChallenge, scopes: readonly string[], timeoutMs: number): Promise<CachedToken> {
    const url = new URL(challenge.realm);
    assertAllowedUrl(url, 'token realm');
    if (challenge.service) url.searchParams.set('service', challenge.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const res = await this.send(url, timeoutMs);
    if (!res.ok) {
      await discard(res);
      throw new RegistryError('GET', redactUrl(url), res.status, undefined, 'the token endpoint refused to issue a token');
    }
    const body = parseJson(await readLimited(res.body, MAX_TOKEN_RESPONSE_BYTES, 'token response'), 'token response') as Record<string, unknown> | null;
    const token = typeof body?.token === 'string' && body.token ? body.token : body?.access_token;
    if (typeof token !== 'string' || !token) throw new Error(`token endpoint ${redactUrl(url)} answered without a token`);
    const seconds = typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    // Renew a little early (at most 30 s, at most half the lifetime) so a token does not expire mid-request.
    const margin = Math.min(30, seconds / 2);
    return { header: `Bearer ${token}`, expiresAt: Date.now() + (seconds - margin) * 1000 };
  }

  private async send(url: URL, timeoutMs: number): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.credential) headers.authorization = this.credential;
    try {
      return await fetch(url, { headers, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw new TransportError('GET', redactUrl(url), describeFetchError(err, timeoutMs));
    }
  }
}
