/**
 * Self-signed X.509 v3 certificates for runner keys (RFC 5280), built with the DER encoder in
 * `der.ts` and signed with Node's crypto: no openssl binary and no extra dependency.
 *
 * meshStack takes a runner's public key as an X.509 certificate in PEM and encrypts sensitive
 * inputs to it with RSA-OAEP, so the certificate is an end-entity one: not a CA, usable for
 * signatures and for key encipherment.
 */
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import { bitString, boolean, explicit, integer, namedBits, nullValue, octetString, oid, sequence, set, toPem, utf8String, x509Time } from './der';

/** Object identifiers used in the certificate. */
export const OID = {
  commonName: '2.5.4.3',
  organizationalUnitName: '2.5.4.11',
  sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectKeyIdentifier: '2.5.29.14',
} as const;

/** KeyUsage bit numbers (RFC 5280 4.2.1.3). */
const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2 } as const;

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
  /** RSA key pair; the certificate certifies the public key and is signed with the private key. */
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
}

export interface SelfSignedCertificate {
  readonly der: Buffer;
  readonly pem: string;
}

/** Builds the TBSCertificate, signs it with sha256WithRSAEncryption and returns DER and PEM. */
/** RFC 5280's upper bound for a common name; strict parsers reject longer ones. */
export const MAX_COMMON_NAME_LENGTH = 64;

export function createSelfSignedCertificate(options: SelfSignedCertificateOptions): SelfSignedCertificate {
  if (options.subject.commonName.length > MAX_COMMON_NAME_LENGTH) {
    throw new Error(`certificate common name "${options.subject.commonName}" is longer than ${MAX_COMMON_NAME_LENGTH} characters (RFC 5280)`);
  }
  if (options.publicKey.asymmetricKeyType !== 'rsa') throw new TypeError(`only RSA keys are supported, got ${String(options.publicKey.asymmetricKeyType)}`);
  if (options.notAfter.getTime() <= options.notBefore.getTime()) throw new RangeError('notAfter must be later than notBefore');
  const tbs = tbsCertificate(options);
  const signature = sign('sha256', tbs, options.privateKey);
  const der = sequence(tbs, signatureAlgorithm(), bitString(signature));
  return { der, pem: toPem('CERTIFICATE', der) };
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

function tbsCertificate(o: SelfSignedCertificateOptions): Buffer {
  const name = distinguishedName(o.subject);
  return sequence(
    explicit(0, integer(2)), // version v3
    integer(o.serialNumber ?? randomSerialNumber()),
    signatureAlgorithm(),
    name, // issuer: self-signed
    sequence(x509Time(o.notBefore), x509Time(o.notAfter)),
    name, // subject
    o.publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(...extensions(o.publicKey))),
  );
}

/** AlgorithmIdentifier for sha256WithRSAEncryption; parameters MUST be NULL (RFC 4055 section 5). */
function signatureAlgorithm(): Buffer {
  return sequence(oid(OID.sha256WithRSAEncryption), nullValue());
}

/** RDNSequence, most general attribute first (OU, then CN), one attribute per RDN. */
function distinguishedName(subject: CertificateSubject): Buffer {
  const rdns: Buffer[] = [];
  if (subject.organizationalUnit !== undefined) rdns.push(attribute(OID.organizationalUnitName, subject.organizationalUnit));
  rdns.push(attribute(OID.commonName, subject.commonName));
  return sequence(...rdns);
}

function attribute(type: string, value: string): Buffer {
  return set(sequence(oid(type), utf8String(value)));
}

/**
 * The v3 extensions: basicConstraints CA:false (critical; cA's default FALSE is omitted, as DER
 * requires), keyUsage digitalSignature + keyEncipherment (critical), subjectKeyIdentifier.
 */
function extensions(publicKey: KeyObject): Buffer[] {
  return [
    extension(OID.basicConstraints, true, sequence()),
    extension(OID.keyUsage, true, namedBits([KEY_USAGE.digitalSignature, KEY_USAGE.keyEncipherment])),
    extension(OID.subjectKeyIdentifier, false, octetString(subjectKeyIdentifier(publicKey))),
  ];
}

/** Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE (omitted when false), extnValue }. */
function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), boolean(true), octetString(value)) : sequence(oid(id), octetString(value));
}
