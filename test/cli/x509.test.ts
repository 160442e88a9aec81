import { createHash, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { createSelfSignedCertificate, OID, publicKeyFingerprintSha256, randomSerialNumber, subjectKeyIdentifier, type SelfSignedCertificateOptions } from '../../cli/x509';
import { children, oid, readOne, TAG, type Tlv } from './der-reader';

// The certificate format does not depend on the key size; 2048 bits keep this file fast. The
// RSA-4096 size of runner keys is asserted in keys.test.ts.
let publicKey: KeyObject;
let privateKey: KeyObject;
let options: SelfSignedCertificateOptions;
let der: Buffer;
let cert: X509Certificate;

const NOT_BEFORE = new Date('2026-01-02T03:04:05Z');
const NOT_AFTER = new Date('2036-01-02T03:04:05Z');
const UUID = '3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f';

beforeAll(async () => {
  ({ publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 }));
  options = { subject: { commonName: 'meshstack-runner prod/default', organizationalUnit: UUID }, publicKey, privateKey, notBefore: NOT_BEFORE, notAfter: NOT_AFTER };
  der = (await createSelfSignedCertificate(options)).der;
  cert = new X509Certificate(der);
});

/** The TBSCertificate's fields, by position (version, serial, signature, issuer, validity, subject, spki, extensions). */
function tbsFields(certificate: Buffer): Tlv[] {
  return children(children(readOne(certificate))[0]!);
}

/** Extensions as { oid hex -> { critical, value } }. */
function extensionsOf(certificate: Buffer): Map<string, { critical: boolean; value: Buffer }> {
  const wrapper = tbsFields(certificate)[7]!;
  expect(wrapper.tag).toBe(0xa3);
  const result = new Map<string, { critical: boolean; value: Buffer }>();
  for (const ext of children(children(wrapper)[0]!)) {
    const parts = children(ext);
    const id = Buffer.concat([Buffer.from([parts[0]!.tag, parts[0]!.content.length]), parts[0]!.content]).toString('hex');
    const critical = parts.length === 3 && parts[1]!.tag === TAG.BOOLEAN && parts[1]!.content[0] === 0xff;
    result.set(id, { critical, value: parts.at(-1)!.content });
  }
  return result;
}

describe('createSelfSignedCertificate', () => {
  it('produces a certificate Node (OpenSSL) parses, self-signed and matching the private key', () => {
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(privateKey)).toBe(true);
    expect(cert.publicKey.export({ type: 'spki', format: 'der' })).toEqual(publicKey.export({ type: 'spki', format: 'der' }));
  });

  it('names the runner in the subject (OU = UUID, CN) and, being self-signed, the issuer', () => {
    expect(cert.subject.split('\n')).toEqual([`OU=${UUID}`, 'CN=meshstack-runner prod/default']);
    expect(cert.issuer).toBe(cert.subject);
  });

  it('is a v3 end-entity certificate signed with sha256WithRSAEncryption (NULL parameters)', () => {
    const [version, , signature] = tbsFields(der);
    expect(version!.tag).toBe(0xa0);
    expect(children(version!)[0]!.content).toEqual(Buffer.from([2]));
    expect(signature!.content.toString('hex')).toBe(`${oid(OID.sha256WithRSAEncryption).toString('hex')}0500`);
    expect(children(readOne(der))[1]!.content).toEqual(signature!.content);
    expect(cert.ca).toBe(false);
  });

  it('holds the validity given, to the second', () => {
    expect(new Date(cert.validFrom)).toEqual(NOT_BEFORE);
    expect(new Date(cert.validTo)).toEqual(NOT_AFTER);
  });

  it('has basicConstraints CA:false and keyUsage digitalSignature + keyEncipherment, both critical', () => {
    const ext = extensionsOf(der);
    expect(ext.get(oid(OID.basicConstraints).toString('hex'))).toEqual({ critical: true, value: Buffer.from('3000', 'hex') });
    expect(ext.get(oid(OID.keyUsage).toString('hex'))).toEqual({ critical: true, value: Buffer.from('030205a0', 'hex') });
  });

  it('has a non-critical subjectKeyIdentifier: SHA-1 of the subjectPublicKey bits (RFC 5280 method 1)', () => {
    const spki = tbsFields(der)[6]!;
    const subjectPublicKeyBits = children(spki)[1]!.content.subarray(1); // skip the unused-bits byte
    const expected = createHash('sha1').update(subjectPublicKeyBits).digest();
    const ext = extensionsOf(der).get(oid(OID.subjectKeyIdentifier).toString('hex'));
    expect(ext).toEqual({ critical: false, value: Buffer.concat([Buffer.from([0x04, 20]), expected]) });
    expect(subjectKeyIdentifier(publicKey)).toEqual(expected);
  });

  it('GIVEN notAfter in 2050 or later THEN it is written as GeneralizedTime and still parses', async () => {
    const later = (await createSelfSignedCertificate({ ...options, notAfter: new Date('2055-07-08T09:10:11Z') })).der;
    const [from, to] = children(tbsFields(later)[4]!);
    expect([from!.tag, to!.tag]).toEqual([TAG.UTC_TIME, TAG.GENERALIZED_TIME]);
    expect(new Date(new X509Certificate(later).validTo)).toEqual(new Date('2055-07-08T09:10:11Z'));
  });

  it('GIVEN any positive serial THEN Node reads back the same number', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 20 }), async (bytes) => {
        fc.pre(bytes.some((b) => b !== 0));
        const parsed = new X509Certificate((await createSelfSignedCertificate({ ...options, serialNumber: bytes })).der);
        return BigInt(`0x${parsed.serialNumber}`) === BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
      }),
      { numRuns: 25 },
    );
  });

  it('uses a fresh random serial for every certificate by default', async () => {
    expect((await createSelfSignedCertificate(options)).der).not.toEqual((await createSelfSignedCertificate(options)).der);
  });

  it('fails when notAfter is not after notBefore', async () => {
    await expect(createSelfSignedCertificate({ ...options, notAfter: NOT_BEFORE })).rejects.toThrow(/notAfter must be later/);
  });

  it('fails when the key is not RSA', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expect(createSelfSignedCertificate({ ...options, ...ec })).rejects.toThrow(/only RSA keys/);
  });

  it('GIVEN subjectAltNames and ca THEN a TLS client trusting it as its CA accepts it for 127.0.0.1 (what loopback fakes need)', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const tls = await createSelfSignedCertificate({ ...options, ...ec, ca: true, subjectAltNames: [{ ip: '127.0.0.1' }, { dns: 'localhost' }] });
    const parsed = new X509Certificate(tls.der);
    expect(parsed.ca).toBe(true);
    expect(parsed.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(parsed.checkHost('localhost')).toBe('localhost');
    expect(parsed.verify(parsed.publicKey)).toBe(true);
  });
});

describe('randomSerialNumber', () => {
  it('is 16 bytes with the top bit cleared (positive, no 0x00 padding needed)', () => {
    for (let i = 0; i < 50; i++) {
      const serial = randomSerialNumber();
      expect(serial).toHaveLength(16);
      expect(serial[0]! & 0x80).toBe(0);
    }
  });
});

describe('publicKeyFingerprintSha256', () => {
  it('is the SHA-256 of the DER SubjectPublicKeyInfo as colon-separated upper-case hex', () => {
    const fingerprint = publicKeyFingerprintSha256(publicKey);
    expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const digest = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
    expect(fingerprint.replace(/:/g, '').toLowerCase()).toBe(digest);
  });
});

describe('common name length', () => {
  it('refuses a common name longer than RFC 5280 allows', async () => {
    await expect(createSelfSignedCertificate({ ...options, subject: { ...options.subject, commonName: 'x'.repeat(65) } })).rejects.toThrow(/longer than 64/);
  });
});
