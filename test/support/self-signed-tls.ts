/**
 * A throw-away TLS identity for loopback HTTPS servers: a self-signed certificate for IP
 * 127.0.0.1 (and localhost), made with the `openssl` binary, since Node's crypto cannot create
 * X.509 certificates and the kit's own encoder (cli/x509.ts) writes no subjectAltName, which TLS
 * host-name checks need. `undefined` when no `openssl` is on PATH; callers skip then.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface TlsIdentity {
  /** PEM private key of the server. */
  readonly key: string;
  /** PEM certificate: the server's, and the CA a client must trust. */
  readonly cert: string;
}

export function selfSignedLoopbackCertificate(): TlsIdentity | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'loopback-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
        '-subj', '/CN=fake-kube-apiserver',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
        '-addext', 'basicConstraints=critical,CA:TRUE',
        '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore', timeout: 10_000 },
    );
    return { key: readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
