/**
 * A throw-away TLS identity for loopback HTTPS servers (the fake Kubernetes API, the fake cloud
 * APIs): a self-signed CA certificate for IP 127.0.0.1 and localhost on a P-256 key, made with the
 * kit's own certificate code (`cli/x509.ts`, on @peculiar/x509): no openssl binary needed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createSelfSignedCertificate } from '../../cli/x509';

export interface TlsIdentity {
  /** PEM private key of the server. */
  readonly key: string;
  /** PEM certificate: the server's, and the CA a client must trust. */
  readonly cert: string;
}

export async function selfSignedLoopbackCertificate(): Promise<TlsIdentity> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const now = Date.now();
  const certificate = await createSelfSignedCertificate({
    subject: { commonName: 'private-runner-kit loopback test server' },
    publicKey,
    privateKey,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 24 * 3600_000),
    ca: true,
    subjectAltNames: [{ ip: '127.0.0.1' }, { dns: 'localhost' }],
  });
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, cert: certificate.pem };
}
