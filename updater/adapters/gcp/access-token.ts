/**
 * OAuth access tokens for Google APIs, without a client library: the updater calls a handful of
 * REST methods and the OCI registry, and needs only a bearer token.
 *
 * - {@link metadataServerToken}: inside Cloud Run (the updater job), the instance's metadata server
 *   (`GCE_METADATA_HOST` overrides the host, as Google's own libraries honour it; answers must carry
 *   `Metadata-Flavor: Google`).
 * - {@link applicationDefaultToken}: on a deployer's machine, Application Default Credentials: the
 *   file `GOOGLE_APPLICATION_CREDENTIALS` names, or gcloud's
 *   `~/.config/gcloud/application_default_credentials.json` (an `authorized_user` refresh token, or a
 *   `service_account` key exchanged with a signed JWT).
 * - `GOOGLE_OAUTH_ACCESS_TOKEN`: a token obtained elsewhere (e.g. `gcloud auth print-access-token
 *   --impersonate-service-account=...`), as the Google provider accepts it.
 *
 * Tokens are cached until a minute before they expire. No token is ever logged or put in an error.
 */
import { createSign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';

export const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

export interface AccessTokenProvider {
  /** A bearer token valid for at least a minute. */
  token(): Promise<string>;
}

interface Fresh {
  readonly token: string;
  readonly expiresInSeconds: number;
}

function cached(fetchToken: () => Promise<Fresh>): AccessTokenProvider {
  let current: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;
  return {
    token: async () => {
      if (current !== undefined && current.expiresAt > Date.now()) return current.token;
      pending ??= fetchToken()
        .then((f) => {
          current = { token: f.token, expiresAt: Date.now() + Math.max(0, f.expiresInSeconds - 60) * 1000 };
          return f.token;
        })
        .finally(() => (pending = undefined));
      return pending;
    },
  };
}

async function tokenResponse(res: Response, source: string): Promise<Fresh> {
  const text = await res.text();
  if (!res.ok) throw new Error(`${source} refused to issue an access token (HTTP ${res.status})`);
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`${source} answered with something that is not JSON`);
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') throw new Error(`${source} answered without an access token`);
  return { token: body.access_token, expiresInSeconds: typeof body.expires_in === 'number' ? body.expires_in : 300 };
}

/** The metadata server's token of the instance's service account. */
export function metadataServerToken(env: NodeJS.ProcessEnv = process.env, timeoutMs = 10_000): AccessTokenProvider {
  const host = env.GCE_METADATA_HOST ?? 'metadata.google.internal';
  const url = `http://${host}/computeMetadata/v1/instance/service-accounts/default/token`;
  return cached(async () => {
    let res: Response;
    try {
      res = await fetch(url, { headers: { 'Metadata-Flavor': 'Google' }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new Error(`the metadata server at ${host} did not answer (${(error as Error).message}); outside Google Cloud, set GOOGLE_OAUTH_ACCESS_TOKEN or log in with gcloud auth application-default login`);
    }
    if (res.headers.get('metadata-flavor') !== 'Google') throw new Error(`${host} is not a Google metadata server (no Metadata-Flavor: Google header)`);
    return tokenResponse(res, `the metadata server at ${host}`);
  });
}

/** Application Default Credentials from a file (authorized_user or service_account). */
export function applicationDefaultToken(file: string, timeoutMs = 30_000): AccessTokenProvider {
  let credentials: Record<string, string>;
  try {
    credentials = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (error) {
    throw new Error(`cannot read Application Default Credentials from ${file}: ${(error as Error).message}`);
  }
  const tokenUri = credentials.token_uri ?? 'https://oauth2.googleapis.com/token';
  const post = async (body: URLSearchParams) => {
    const res = await fetch(tokenUri, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(timeoutMs) });
    return tokenResponse(res, `the token endpoint ${new URL(tokenUri).host}`);
  };
  if (credentials.type === 'authorized_user') {
    return cached(() => post(new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.refresh_token ?? '', client_id: credentials.client_id ?? '', client_secret: credentials.client_secret ?? '' })));
  }
  if (credentials.type === 'service_account') {
    return cached(() => {
      const now = Math.floor(Date.now() / 1000);
      const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const unsigned = `${b64({ alg: 'RS256', typ: 'JWT', ...(credentials.private_key_id ? { kid: credentials.private_key_id } : {}) })}.${b64({ iss: credentials.client_email, scope: CLOUD_PLATFORM_SCOPE, aud: tokenUri, iat: now, exp: now + 3600 })}`;
      const signature = createSign('RSA-SHA256').update(unsigned).sign(credentials.private_key ?? '').toString('base64url');
      return post(new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: `${unsigned}.${signature}` }));
    });
  }
  throw new Error(`${file} holds credentials of type ${JSON.stringify(credentials.type)}; the updater accepts authorized_user and service_account (or set GOOGLE_OAUTH_ACCESS_TOKEN, e.g. from gcloud auth print-access-token --impersonate-service-account=...)`);
}

/** The credentials the environment offers, in the order Google's tools use them. */
export function defaultTokenProvider(env: NodeJS.ProcessEnv = process.env): AccessTokenProvider {
  const fixed = env.GOOGLE_OAUTH_ACCESS_TOKEN;
  if (fixed !== undefined && fixed !== '') return { token: async () => fixed };
  const file = env.GOOGLE_APPLICATION_CREDENTIALS ?? path.join(env.CLOUDSDK_CONFIG ?? path.join(homedir(), '.config', 'gcloud'), 'application_default_credentials.json');
  if (env.GOOGLE_APPLICATION_CREDENTIALS !== undefined || (env.CLOUD_RUN_JOB === undefined && existsSync(file))) return applicationDefaultToken(file);
  return metadataServerToken(env);
}
