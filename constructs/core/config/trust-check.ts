/**
 * Checks of `trust`: the extra CA certificates and SSH known hosts the runners trust. Both are
 * public (no secret), but they decide whom the runners believe, so each must be exactly what it
 * claims: every PEM block a parseable X.509 certificate that has not expired, every known-hosts
 * line a host pattern and a well-formed public key. Sizes are bounded: the material rides in the
 * runner's task or pod definition (ECS allows 64 KiB for the whole task definition).
 */
import type { X509Certificate } from '@peculiar/x509';
import type { Add } from './semantic';

/**
 * Most CA text accepted (ASCII PEM: about 7 RSA-4096 or 20 P-256 CA certificates). With the known hosts
 * it must leave an ECS task definition within 64 KiB (`constructs/aws/config-limits.ts`).
 */
export const MAX_CA_CERTIFICATES_BYTES = 14 * 1024;
/** Most known-hosts text accepted (about 40 ed25519 lines). */
export const MAX_KNOWN_HOSTS_BYTES = 8 * 1024;
export const MAX_KNOWN_HOSTS_LINES = 100;

const PEM_BLOCK_RE = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)\r?\n?-----END \1-----/g;
const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;

type Loose = Record<string, unknown>;

export function checkTrust(trust: Loose, add: Add, now: Date = new Date()): void {
  if (typeof trust.caCertificates === 'string') checkCaCertificates(trust.caCertificates, add, now);
  if (typeof trust.sshKnownHosts === 'string') checkKnownHosts(trust.sshKnownHosts, add);
}

function checkCaCertificates(text: string, add: Add, now: Date): void {
  const field = 'trust.caCertificates';
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  if (!/^[\x20-\x7e\r\n]*$/.test(text)) {
    add(field, shown, 'holds characters PEM never has (non-ASCII or control characters)', 'paste the certificates as exported: -----BEGIN CERTIFICATE----- blocks of base64');
    return;
  }
  if (Buffer.byteLength(text) > MAX_CA_CERTIFICATES_BYTES) {
    add(field, `${Buffer.byteLength(text)} bytes`, `is ${Buffer.byteLength(text)} bytes long; it takes at most ${MAX_CA_CERTIFICATES_BYTES} (it rides in the runner's task definition)`, 'list only the CAs the runners need (your private git server\'s and your proxy\'s issuing CAs)');
    return;
  }
  const blocks = [...text.matchAll(PEM_BLOCK_RE)];
  const outside = text.replace(PEM_BLOCK_RE, '').trim();
  if (blocks.length === 0) {
    add(field, shown, 'holds no PEM certificate', 'paste one or more -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE----- blocks');
    return;
  }
  if (outside !== '') {
    add(field, outside.length > 80 ? `${outside.slice(0, 77)}...` : outside, 'has text outside the PEM blocks', 'keep only -----BEGIN CERTIFICATE----- ... -----END CERTIFICATE----- blocks');
  }
  blocks.forEach((b, i) => {
    const at = `certificate ${i + 1}`;
    if (b[1] !== 'CERTIFICATE') {
      add(field, `-----BEGIN ${b[1]}-----`, `${at} is a ${b[1]}, not a CERTIFICATE${/PRIVATE KEY/.test(b[1]!) ? ' (a private key must never go here: it would be readable by anyone who can read the task definition)' : ''}`, 'keep only -----BEGIN CERTIFICATE----- blocks');
      return;
    }
    let cert: X509Certificate;
    try {
      // Loaded only when CAs are configured: validation stays fast without them.
      const x509 = require('@peculiar/x509') as typeof import('@peculiar/x509');
      cert = new x509.X509Certificate(b[0]);
    } catch (e) {
      add(field, `${at}`, `${at} is not a parseable X.509 certificate (${(e as Error).message})`, 'export the CA certificate again as PEM (openssl x509 -in ca.crt -out ca.pem)');
      return;
    }
    if (cert.notAfter.getTime() <= now.getTime()) {
      add(field, `${at}: ${cert.subject}`, `${at} (${cert.subject}) expired on ${cert.notAfter.toISOString()}`, 'replace it with the CA\'s current certificate');
    } else if (cert.notBefore.getTime() > now.getTime()) {
      add(field, `${at}: ${cert.subject}`, `${at} (${cert.subject}) is not valid before ${cert.notBefore.toISOString()}`, 'use a certificate that is valid now');
    }
  });
}

function checkKnownHosts(text: string, add: Add): void {
  const field = 'trust.sshKnownHosts';
  if (!/^[\x20-\x7e\r\n]*$/.test(text)) {
    add(field, text.length > 80 ? `${text.slice(0, 77)}...` : text, 'holds non-ASCII or control characters', 'paste lines as `ssh-keyscan <host>` prints them');
    return;
  }
  if (Buffer.byteLength(text) > MAX_KNOWN_HOSTS_BYTES) {
    add(field, `${Buffer.byteLength(text)} bytes`, `is ${Buffer.byteLength(text)} bytes long; it takes at most ${MAX_KNOWN_HOSTS_BYTES}`, 'list only the hosts the runners clone from');
    return;
  }
  const lines = text.split(/\r?\n/).map((l, i) => ({ line: l.trim(), n: i + 1 })).filter((l) => l.line !== '' && !l.line.startsWith('#'));
  if (lines.length === 0) {
    add(field, text, 'holds no known-hosts line', 'paste lines as `ssh-keyscan <host>` prints them, e.g. "git.example.com ssh-ed25519 AAAAC3Nza..."');
    return;
  }
  if (lines.length > MAX_KNOWN_HOSTS_LINES) add(field, `${lines.length} lines`, `has more than ${MAX_KNOWN_HOSTS_LINES} lines`, 'list only the hosts the runners clone from');
  for (const { line, n } of lines) {
    const problem = knownHostsLineProblem(line);
    if (problem !== undefined) add(field, `line ${n}: ${line.length > 80 ? `${line.slice(0, 77)}...` : line}`, `line ${n} ${problem}`, 'use lines as `ssh-keyscan <host>` prints them: host[,host...] key-type base64-key');
  }
}

/** Why a known_hosts line (OpenSSH sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT") is malformed, or undefined. */
export function knownHostsLineProblem(line: string): string | undefined {
  const fields = line.split(/\s+/);
  if (fields[0] === '@revoked') return 'is a @revoked marker: the kit only adds trusted keys';
  const [hosts, type, key] = fields[0] === '@cert-authority' ? fields.slice(1) : fields;
  if (hosts === undefined || type === undefined || key === undefined) return 'needs a host pattern, a key type and a key';
  if (!/^[A-Za-z0-9.*?!\-_:,[\]|=+/]+$/.test(hosts)) return `has host pattern "${hosts}" with characters a host name or pattern cannot hold`;
  if (!(KEY_TYPES as readonly string[]).includes(type)) return `has key type "${type}" (accepted: ${KEY_TYPES.join(', ')})`;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) return 'has a key that is not base64';
  // The key blob starts with its own type as an SSH string (uint32 length + bytes, RFC 4253 6.6).
  const blob = Buffer.from(key, 'base64');
  const length = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (length < 0 || blob.subarray(4, 4 + length).toString('latin1') !== type) return `has a key that is not a ${type} public key`;
  return undefined;
}
