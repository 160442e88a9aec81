/**
 * The EKS bearer token: decoded, it must be the presigned STS GetCallerIdentity URL that EKS's
 * authenticator accepts (regional STS host, X-Amz-Expires=60, x-k8s-aws-id among the signed
 * headers, the session token signed along).
 */
import { createHash, createHmac } from 'node:crypto';
import { EKS_TOKEN_PREFIX, eksToken, eksTokenProvider, TOKEN_REUSE_MS } from '../../../../updater/adapters/aws/eks-token';

const CREDENTIALS = { accessKeyId: 'ASIAEXAMPLEEXAMPLE12', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////example==' };
const NOW = new Date('2026-11-22T10:00:00Z');
const options = { clusterName: 'acme-prod', region: 'eu-central-1', credentials: async () => CREDENTIALS, now: () => NOW };

function decode(token: string): URL {
  expect(token.startsWith(EKS_TOKEN_PREFIX)).toBe(true);
  const payload = token.slice(EKS_TOKEN_PREFIX.length);
  expect(payload).toMatch(/^[A-Za-z0-9_-]+$/); // base64url, no padding
  return new URL(Buffer.from(payload, 'base64url').toString('utf8'));
}

describe('eksToken', () => {
  it('decodes to a presigned GetCallerIdentity URL at the regional STS endpoint', async () => {
    const url = decode(await eksToken(options));
    expect(url.protocol).toBe('https:');
    expect(url.host).toBe('sts.eu-central-1.amazonaws.com');
    expect(url.pathname).toBe('/');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      Action: 'GetCallerIdentity',
      Version: '2011-06-15',
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': 'ASIAEXAMPLEEXAMPLE12/20261122/eu-central-1/sts/aws4_request',
      'X-Amz-Date': '20261122T100000Z',
      'X-Amz-Expires': '60',
      'X-Amz-SignedHeaders': 'host;x-k8s-aws-id',
      'X-Amz-Security-Token': CREDENTIALS.sessionToken,
      'X-Amz-Signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('signs the cluster name: the signature verifies with it and not with another', async () => {
    const url = decode(await eksToken(options));
    const signature = url.searchParams.get('X-Amz-Signature');
    const signatureFor = (cluster: string) => {
      const params = [...url.searchParams.entries()].filter(([k]) => k !== 'X-Amz-Signature').sort(([a], [b]) => (a < b ? -1 : 1));
      const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
      const canonical = ['GET', '/', query, `host:sts.eu-central-1.amazonaws.com\nx-k8s-aws-id:${cluster}\n`, 'host;x-k8s-aws-id', createHash('sha256').update('').digest('hex')].join('\n');
      const toSign = ['AWS4-HMAC-SHA256', '20261122T100000Z', '20261122/eu-central-1/sts/aws4_request', createHash('sha256').update(canonical).digest('hex')].join('\n');
      let key: Buffer = createHmac('sha256', `AWS4${CREDENTIALS.secretAccessKey}`).update('20261122').digest();
      for (const part of ['eu-central-1', 'sts', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
      return createHmac('sha256', key).update(toSign).digest('hex');
    };
    expect(signatureFor('acme-prod')).toBe(signature);
    expect(signatureFor('someone-else')).not.toBe(signature);
  });

  it('leaves out X-Amz-Security-Token for long-term credentials', async () => {
    const url = decode(await eksToken({ ...options, credentials: async () => ({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' }) }));
    expect(url.searchParams.has('X-Amz-Security-Token')).toBe(false);
  });

  it.each([
    ['cn-north-1', 'sts.cn-north-1.amazonaws.com.cn'],
    ['us-gov-west-1', 'sts.us-gov-west-1.amazonaws.com'],
  ])('uses the regional STS host in %s', async (region, host) => {
    expect(decode(await eksToken({ ...options, region })).host).toBe(host);
  });

  it.each([
    ['arn:aws:eks:eu-central-1:123456789012:cluster/acme-prod', 'eu-central-1', /clusterName "arn:aws:eks:.*" is not an EKS cluster name; pass the name/],
    ['acme-prod', 'Frankfurt', /region "Frankfurt" is not an AWS region/],
  ])('fails for cluster %s in region %s', async (clusterName, region, message) => {
    await expect(eksToken({ ...options, clusterName, region })).rejects.toThrow(message);
  });
});

describe('eksTokenProvider', () => {
  it('reuses a token for ten minutes, then signs a new one with fresh credentials', async () => {
    let clock = NOW.getTime();
    let calls = 0;
    const provider = eksTokenProvider({ ...options, now: () => new Date(clock), credentials: async () => (calls++, CREDENTIALS) });
    const first = await provider();
    clock += TOKEN_REUSE_MS - 1;
    expect(await provider()).toBe(first);
    clock += 1;
    const second = await provider();
    expect(second).not.toBe(first);
    expect(decode(second).searchParams.get('X-Amz-Date')).toBe('20261122T101000Z');
    expect(calls).toBe(2);
  });
});
