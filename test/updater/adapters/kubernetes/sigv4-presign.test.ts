/**
 * SigV4 query-string signing, checked against AWS's published example (Amazon S3 API reference,
 * "Authenticating Requests: Using Query Parameters", example presigned URL) and against
 * `@smithy/signature-v4`, the AWS SDK's own signer, when it is resolvable.
 */
import { createHash } from 'node:crypto';
import { encodeRfc3986, presignUrl } from '../../../../updater/adapters/kubernetes/sigv4-presign';

const EXAMPLE_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

/** `@smithy/signature-v4` when the installed SDK brings it (a transitive dependency, never imported by the kit). */
function smithySigner(): (new (init: object) => { presign(request: object, options: object): Promise<{ query: Record<string, string> }> }) | undefined {
  try {
    return (require('@smithy/signature-v4') as { SignatureV4: never }).SignatureV4;
  } catch {
    return undefined;
  }
}

/** The Sha256 constructor smithy expects, over node:crypto. */
class NodeSha256 {
  private readonly hash;
  constructor(secret?: string | Uint8Array) {
    this.hash = secret === undefined ? createHash('sha256') : require('node:crypto').createHmac('sha256', secret);
  }
  update(data: string | Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

describe('presignUrl', () => {
  it('reproduces AWS\'s published presigned-URL example', () => {
    const url = presignUrl({
      method: 'GET',
      host: 'examplebucket.s3.amazonaws.com',
      path: '/test.txt',
      service: 's3',
      region: 'us-east-1',
      credentials: EXAMPLE_CREDENTIALS,
      date: new Date('2013-05-24T00:00:00Z'),
      expiresSeconds: 86400,
      payloadHash: 'UNSIGNED-PAYLOAD',
    });
    expect(url).toBe(
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
        '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z' +
        '&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );
  });

  const SignatureV4 = smithySigner();
  (SignatureV4 ? it : it.skip)('signs an STS request with a session token and an extra header exactly as @smithy/signature-v4 does', async () => {
    const credentials = { ...EXAMPLE_CREDENTIALS, sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaDGV1LWNlbnRyYWwtMSJHMEUCIQ+example/token==' };
    const date = new Date('2026-11-22T10:00:00Z');
    const ours = new URL(
      presignUrl({
        method: 'GET',
        host: 'sts.eu-central-1.amazonaws.com',
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { 'x-k8s-aws-id': 'acme-prod' },
        service: 'sts',
        region: 'eu-central-1',
        credentials,
        date,
        expiresSeconds: 60,
      }),
    );
    const signer = new SignatureV4!({ service: 'sts', region: 'eu-central-1', credentials, sha256: NodeSha256, uriEscapePath: true });
    const theirs = await signer.presign(
      {
        method: 'GET',
        protocol: 'https:',
        hostname: 'sts.eu-central-1.amazonaws.com',
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { host: 'sts.eu-central-1.amazonaws.com', 'x-k8s-aws-id': 'acme-prod' },
      },
      { expiresIn: 60, signingDate: date },
    );
    expect(Object.fromEntries(ours.searchParams)).toEqual(theirs.query);
  });
  if (!SignatureV4) it('cross-check with @smithy/signature-v4 skipped: the package is not resolvable from node_modules', () => undefined);

  it.each([0, 604_801, 1.5])('fails for expiresSeconds %s', (expiresSeconds) => {
    expect(() => presignUrl({ method: 'GET', host: 'h', path: '/', service: 'sts', region: 'eu-central-1', credentials: EXAMPLE_CREDENTIALS, date: new Date(), expiresSeconds })).toThrow(
      /must be a whole number of seconds from 1 to 604800/,
    );
  });

  it('fails for incomplete credentials', () => {
    expect(() => presignUrl({ method: 'GET', host: 'h', path: '/', service: 'sts', region: 'r', credentials: { accessKeyId: '', secretAccessKey: 'x' }, date: new Date(), expiresSeconds: 60 })).toThrow(
      'AWS credentials are incomplete',
    );
  });
});

describe('encodeRfc3986', () => {
  it.each([
    ['a-z_A.Z~0', 'a-z_A.Z~0'],
    ['a/b', 'a%2Fb'],
    ['x y+z=', 'x%20y%2Bz%3D'],
    ["!'()*", '%21%27%28%29%2A'],
  ])('%s -> %s', (input, output) => expect(encodeRfc3986(input)).toBe(output));
});
