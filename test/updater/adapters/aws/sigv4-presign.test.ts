/**
 * SigV4 query-string signing (by `@smithy/signature-v4`), checked against AWS's published example
 * (Amazon S3 API reference, "Authenticating Requests: Using Query Parameters", example presigned URL).
 */
import { encodeRfc3986, presignUrl } from '../../../../updater/adapters/aws/sigv4-presign';

const EXAMPLE_CREDENTIALS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };

describe('presignUrl', () => {
  it('reproduces AWS\'s published presigned-URL example', async () => {
    const url = await presignUrl({
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

  it('signs an STS request with a session token and an extra header: every signed part lands in the URL', async () => {
    const credentials = { ...EXAMPLE_CREDENTIALS, sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaDGV1LWNlbnRyYWwtMSJHMEUCIQ+example/token==' };
    const url = new URL(
      await presignUrl({
        method: 'GET',
        host: 'sts.eu-central-1.amazonaws.com',
        path: '/',
        query: { Action: 'GetCallerIdentity', Version: '2011-06-15' },
        headers: { 'x-k8s-aws-id': 'acme-prod' },
        service: 'sts',
        region: 'eu-central-1',
        credentials,
        date: new Date('2026-11-22T10:00:00Z'),
        expiresSeconds: 60,
      }),
    );
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'AKIAIOSFODNN7EXAMPLE/20261122/eu-central-1/sts/aws4_request',
      'X-Amz-Date': '20261122T100000Z',
      'X-Amz-Expires': '60',
      'X-Amz-Security-Token': credentials.sessionToken,
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it.each([0, 604_801, 1.5])('fails for expiresSeconds %s', async (expiresSeconds) => {
    await expect(presignUrl({ method: 'GET', host: 'h', path: '/', service: 'sts', region: 'eu-central-1', credentials: EXAMPLE_CREDENTIALS, date: new Date(), expiresSeconds })).rejects.toThrow(
      /must be a whole number of seconds from 1 to 604800/,
    );
  });

  it('fails for incomplete credentials', async () => {
    await expect(presignUrl({ method: 'GET', host: 'h', path: '/', service: 'sts', region: 'r', credentials: { accessKeyId: '', secretAccessKey: 'x' }, date: new Date(), expiresSeconds: 60 })).rejects.toThrow(
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
