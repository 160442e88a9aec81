/**
 * AWS Signature Version 4 for query-string authentication (a presigned URL), with `node:crypto`:
 * what the EKS token needs, and nothing else. The algorithm is AWS's published one
 * (docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html); tests check it against
 * AWS's documented presigned-URL example and against `@smithy/signature-v4`.
 *
 * The kit does not depend on `@smithy/signature-v4` directly: it is only a transitive dependency
 * of the AWS SDK clients, whose placement in node_modules can change with any SDK upgrade, and
 * presigning is about sixty lines.
 */
import { createHash, createHmac } from 'node:crypto';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Present for temporary credentials (a Lambda's role, an assumed role). */
  readonly sessionToken?: string;
}

export interface PresignRequest {
  readonly method: string;
  /** Host name (and port when not the default), e.g. `sts.eu-central-1.amazonaws.com`. */
  readonly host: string;
  /** Unencoded path, e.g. `/`; each segment is percent-encoded once (RFC 3986). */
  readonly path: string;
  /** Unencoded query parameters of the request itself (e.g. Action, Version). */
  readonly query?: Readonly<Record<string, string>>;
  /** Headers to sign besides `host` (the client must send them); names in any case. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly service: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** Signing time (X-Amz-Date). */
  readonly date: Date;
  /** X-Amz-Expires, 1 to 604800 seconds. */
  readonly expiresSeconds: number;
  /**
   * Hex SHA-256 of the payload, or `UNSIGNED-PAYLOAD` (S3).
   * @default - the hash of an empty payload, as every non-S3 presigned GET
   */
  readonly payloadHash?: string;
}

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
const EMPTY_SHA256 = createHash('sha256').update('').digest('hex');

/** The presigned URL (`https://host/path?...&X-Amz-Signature=...`). */
export function presignUrl(request: PresignRequest): string {
  const { credentials } = request;
  if (!credentials.accessKeyId || !credentials.secretAccessKey) throw new Error('AWS credentials are incomplete: accessKeyId and secretAccessKey are required to sign');
  if (!Number.isInteger(request.expiresSeconds) || request.expiresSeconds < 1 || request.expiresSeconds > 604_800) {
    throw new Error(`expiresSeconds ${request.expiresSeconds} must be a whole number of seconds from 1 to 604800`);
  }
  const amzDate = request.date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/${request.region}/${request.service}/aws4_request`;
  const headers: Record<string, string> = { host: request.host };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value.trim().replace(/\s+/g, ' ');
  const signedHeaders = Object.keys(headers).sort().join(';');

  const query: Record<string, string> = {
    ...request.query,
    'X-Amz-Algorithm': SIGV4_ALGORITHM,
    'X-Amz-Credential': `${credentials.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(request.expiresSeconds),
    'X-Amz-SignedHeaders': signedHeaders,
    ...(credentials.sessionToken ? { 'X-Amz-Security-Token': credentials.sessionToken } : {}),
  };
  const canonicalQuery = Object.entries(query)
    .map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalPath = request.path.split('/').map(encodeRfc3986).join('/') || '/';
  const canonicalHeaders = Object.keys(headers)
    .sort()
    .map((name) => `${name}:${headers[name]}\n`)
    .join('');
  const canonicalRequest = [request.method.toUpperCase(), canonicalPath, canonicalQuery, canonicalHeaders, signedHeaders, request.payloadHash ?? EMPTY_SHA256].join('\n');
  const stringToSign = [SIGV4_ALGORITHM, amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');

  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [request.region, request.service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return `https://${request.host}${canonicalPath}?${canonicalQuery}&X-Amz-Signature=${signature}`;
}

/** Percent-encodes everything but the RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
