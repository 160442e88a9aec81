/**
 * Self-signed X.509 v3 certificates for runner keys (RFC 5280), built with `@peculiar/x509` (a
 * maintained X.509 library over WebCrypto) and Node's own WebCrypto: no openssl binary and no
 * hand-written ASN.1.
 *
 * meshStack takes a runner's public key as an X.509 certificate in PEM and encrypts sensitive
 * inputs to it with RSA-OAEP, so the certificate is an end-entity one: not a CA, usable for
 * signatures and for key encipherment.
 */
import { createHash, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** Object identifiers the certificate carries (for readers of its bytes). */
export const OID = {
  commonName: '2.5.4.3',
  organizationalUnitName: '2.5.4.11',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
  subjectAltName: '2.5.29.17',
} as const;

/** A distinguished name reduced to what runner certificates carry. */
export interface CertificateSubject {
  /** CN, e.g. `runner prod/default`; at most 64 characters (RFC 5280 ub-common-name). */
  readonly commonName: string;
  /** OU, e.g. the runner's UUID in meshStack; omitted when undefined. */
  readonly organizationalUnit?: string;
}

export interface SelfSignedCertificateOptions {
  /** Subject and (being self-signed) issuer. */
  readonly subject: CertificateSubject;
  /** Key pair; the certificate certifies the public key and is signed with the private key. */
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /**
   * Serial number bytes (unsigned, big-endian).
   * @default - 16 random bytes with the top bit cleared: positive and at most 20 octets as RFC
   * 5280 4.1.2.2 demands, and unpredictable, so two certificates never share a serial
   */
  readonly serialNumber?: Uint8Array;
  /**
   * subjectAltName entries (a TLS server identity for tests: `{ ip: '127.0.0.1' }`, `{ dns: 'localhost' }`).
   * @default - none: runner certificates name the runner, not a host
   */
  readonly subjectAltNames?: readonly ({ readonly ip: string } | { readonly dns: string })[];
  /**
   * A CA certificate (basicConstraints CA:true, keyCertSign) instead of an end-entity one: what a
   * self-signed TLS server certificate needs so a client can trust it as its own CA.
   * @default false
   */
  readonly ca?: boolean;
}

export interface SelfSignedCertificate {
  readonly der: Buffer;
  readonly pem: string;
}

/** RFC 5280's upper bound for a common name; strict parsers reject longer ones. */
export const MAX_COMMON_NAME_LENGTH = 64;

const SIGNING: Record<string, webcrypto.RsaHashedImportParams | webcrypto.EcKeyImportParams> = {
  rsa: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  ec: { name: 'ECDSA', namedCurve: 'P-256' },
};

/** Builds the certificate and signs it (sha256WithRSAEncryption for RSA keys, ecdsa-with-SHA256 for P-256). */
export async function createSelfSignedCertificate(options: SelfSignedCertificateOptions): Promise<SelfSignedCertificate> {
  if (options.subject.commonName.length > MAX_COMMON_NAME_LENGTH) {
    throw new Error(`certificate common name "${options.subject.commonName}" is longer than ${MAX_COMMON_NAME_LENGTH} characters (RFC 5280)`);
  }
  const type = options.publicKey.asymmetricKeyType;
  if (type !== 'rsa' && !(type === 'ec' && options.ca)) throw new TypeError(`only RSA keys are supported, got ${String(type)}`);
  if (options.notAfter.getTime() <= options.notBefore.getTime()) throw new RangeError('notAfter must be later than notBefore');
  const algorithm = type === 'rsa' ? SIGNING.rsa! : SIGNING.ec!;
  const publicKey = await webcrypto.subtle.importKey('spki', options.publicKey.export({ type: 'spki', format: 'der' }), algorithm, true, ['verify']);
  const signingKey = await webcrypto.subtle.importKey('pkcs8', options.privateKey.export({ type: 'pkcs8', format: 'der' }), algorithm, false, ['sign']);
  const name = distinguishedName(options.subject);
  const usages = options.ca ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign : x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(options.ca ?? false, undefined, true),
    new x509.KeyUsagesExtension(usages, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  if (options.subjectAltNames !== undefined && options.subjectAltNames.length > 0) {
    extensions.push(new x509.SubjectAlternativeNameExtension(options.subjectAltNames.map((n) => ('ip' in n ? { type: 'ip' as const, value: n.ip } : { type: 'dns' as const, value: n.dns }))));
  }
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex(options.serialNumber ?? randomSerialNumber()),
    subject: name,
    issuer: name,
    notBefore: options.notBefore,
    notAfter: options.notAfter,
    signingAlgorithm: algorithm,
    publicKey,
    signingKey,
    extensions,
  });
  return { der: Buffer.from(certificate.rawData), pem: certificate.toString('pem') };
}

/** The serial as the library takes it (a DER INTEGER's hex): a leading 00 keeps a high first bit positive. */
function serialHex(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return (bytes[0]! & 0x80) !== 0 ? `00${hex}` : hex;
}

/** 16 random bytes with the top bit cleared, never all zero (a serial must be positive). */
export function randomSerialNumber(): Buffer {
  const bytes = randomBytes(16);
  bytes[0]! &= 0x7f;
  if (bytes.every((b) => b === 0)) bytes[15] = 1;
  return bytes;
}

/**
 * SHA-1 of the subjectPublicKey bits (the DER RSAPublicKey): RFC 5280 4.2.1.2 method (1), the
 * identifier tools such as openssl compute, so chains and key look-ups match.
 */
export function subjectKeyIdentifier(publicKey: KeyObject): Buffer {
  return createHash('sha1').update(publicKey.export({ type: 'pkcs1', format: 'der' })).digest();
}

/** SHA-256 of the DER SubjectPublicKeyInfo as colon-separated upper-case hex (openssl style). */
export function publicKeyFingerprintSha256(publicKey: KeyObject): string {
  const digest = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
  return digest.toUpperCase().match(/../g)!.join(':');
}

/** The name as structured data (OU first, then CN; one attribute per RDN, UTF8String): no string parsing of user text. */
function distinguishedName(subject: CertificateSubject): x509.JsonName {
  return [
    ...(subject.organizationalUnit !== undefined ? [{ [OID.organizationalUnitName]: [subject.organizationalUnit] }] : []),
    { [OID.commonName]: [subject.commonName] },
  ];
}
