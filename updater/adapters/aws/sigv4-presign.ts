/**
 * AWS Signature Version 4 query-string authentication (a presigned URL), as the EKS token needs it,
 * done by `@smithy/signature-v4` (the AWS SDK's own signer, a pinned direct dependency) over
 * `node:crypto`. Tests check it against AWS's published presigned-URL example.
 */
import { createHash, createHmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';

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
  /** Unencoded path, e.g. `/`. */
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
   * `UNSIGNED-PAYLOAD` for S3; otherwise the hash of the empty payload is signed.
   * @default - the hash of an empty payload, as every non-S3 presigned GET
   */
  readonly payloadHash?: 'UNSIGNED-PAYLOAD';
}

/** The SHA-256 / HMAC-SHA-256 constructor the signer takes, over node:crypto. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', typeof secret === 'string' ? secret : toBytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

const toBytes = (data: ArrayBuffer | ArrayBufferView): Uint8Array =>
  data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** The presigned URL (`https://host/path?...&X-Amz-Signature=...`). */
export async function presignUrl(request: PresignRequest): Promise<string> {
  const { credentials } = request;
  if (!credentials.accessKeyId || !credentials.secretAccessKey) throw new Error('AWS credentials are incomplete: accessKeyId and secretAccessKey are required to sign');
  if (!Number.isInteger(request.expiresSeconds) || request.expiresSeconds < 1 || request.expiresSeconds > 604_800) {
    throw new Error(`expiresSeconds ${request.expiresSeconds} must be a whole number of seconds from 1 to 604800`);
  }
  const signer = new SignatureV4({
    service: request.service,
    region: request.region,
    credentials: { ...credentials },
    sha256: NodeSha256,
    uriEscapePath: true,
    applyChecksum: false,
  });
  const headers: Record<string, string> = { host: request.host };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  if (request.payloadHash !== undefined) headers['x-amz-content-sha256'] = request.payloadHash;
  const signed = await signer.presign(
    { method: request.method.toUpperCase(), protocol: 'https:', hostname: request.host, path: request.path, query: { ...request.query }, headers },
    {
      expiresIn: request.expiresSeconds,
      signingDate: request.date,
      // The payload hash is signed as such, never sent as a header or query parameter.
      ...(request.payloadHash !== undefined ? { unhoistableHeaders: new Set(['x-amz-content-sha256']), unsignableHeaders: new Set(['x-amz-content-sha256']) } : {}),
    },
  );
  // Canonical order, with the signature last (as AWS's own presigned URLs have it).
  const { 'X-Amz-Signature': signature, ...rest } = (signed.query ?? {}) as Record<string, string>;
  const query = [
    ...Object.entries(rest)
      .map(([k, v]) => `${encodeRfc3986(k)}=${encodeRfc3986(String(v))}`)
      .sort(),
    `X-Amz-Signature=${signature}`,
  ].join('&');
  const path = request.path.split('/').map(encodeRfc3986).join('/') || '/';
  return `https://${request.host}${path}?${query}`;
}

/** Percent-encodes everything but the RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~). */
export function encodeRfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
