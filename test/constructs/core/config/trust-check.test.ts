/** `trust`: extra CAs and SSH known hosts are exactly what they claim to be, or the config is refused with the fix. */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { createSelfSignedCertificate } from '../../../../cli/x509';
import { parseConfig } from '../../../../constructs/core/config/load';
import { knownHostsLineProblem } from '../../../../constructs/core/config/trust-check';
import { EXAMPLE_AWS_EKS } from '../../../support/eks';
import { EXAMPLE_AWS_ECS, type Json } from '../../../support/synth';
import { TEST_CA_PEM, TEST_KNOWN_HOSTS } from '../../../support/trust-material';

const issuesWith = (trust: unknown, file = EXAMPLE_AWS_ECS) => {
  const doc = parse(readFileSync(file, 'utf8')) as Json;
  doc.targets[Object.keys(doc.targets)[0]!].trust = trust;
  const r = parseConfig(stringify(doc), 'test');
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message} (fix: ${i.fix})`);
};

async function certificate(notBefore: Date, notAfter: Date): Promise<string> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return (await createSelfSignedCertificate({ subject: { commonName: 'Example Corp proxy CA' }, publicKey, privateKey, notBefore, notAfter, ca: true })).pem;
}

describe('config: trust', () => {
  it.each([EXAMPLE_AWS_ECS, EXAMPLE_AWS_EKS])('%s: CAs and known hosts are accepted, with CRLF line ends and comments too', (file) => {
    expect(issuesWith({ caCertificates: TEST_CA_PEM, sshKnownHosts: TEST_KNOWN_HOSTS }, file)).toEqual([]);
    expect(issuesWith({ caCertificates: `${TEST_CA_PEM}\n${TEST_CA_PEM}\n`.replace(/\n/g, '\r\n'), sshKnownHosts: `# our git server\n${TEST_KNOWN_HOSTS}\n\n@cert-authority *.example.com ${TEST_KNOWN_HOSTS.split(' ').slice(1).join(' ')}` }, file)).toEqual([]);
  });

  it('newlines stay refused in every other field', () => {
    const doc = parse(readFileSync(EXAMPLE_AWS_ECS, 'utf8')) as Json;
    doc.targets.ecsexample.runners.default.apiClientId = 'runner\nid';
    const r = parseConfig(stringify(doc), 'test');
    expect(r.ok ? [] : r.issues.map((i) => i.message)).toEqual([expect.stringContaining('control character U+000A')]);
  });

  it.each([
    ['a private key', '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----', /certificate 1 is a PRIVATE KEY, not a CERTIFICATE \(a private key must never go here/],
    ['no PEM at all', 'my-ca.crt', /holds no PEM certificate/],
    ['text around the blocks', `subject=CN = Example\n${TEST_CA_PEM}`, /has text outside the PEM blocks/],
    ['a damaged certificate', TEST_CA_PEM.replace('MIIBzjCC', 'MIIBzjXX'), /certificate 1 is not a parseable X.509 certificate/],
    ['non-ASCII text', `${TEST_CA_PEM}\n# Zertifikat für den Proxy`, /holds characters PEM never has/],
    ['more than 14 KiB', `${TEST_CA_PEM}\n`.repeat(21), /is 14448 bytes long; it takes at most 14336/],
    ['a tab', `${TEST_CA_PEM}\t`, /control character U\+0009/],
  ])('caCertificates with %s is refused', (_what, caCertificates, message) => {
    const issues = issuesWith({ caCertificates });
    expect(issues.join('\n')).toMatch(message);
    expect(issues.every((i) => i.startsWith('targets.ecsexample.trust.caCertificates: '))).toBe(true);
  });

  it('an expired and a not-yet-valid certificate are refused, naming the subject and the date', async () => {
    const expired = await certificate(new Date('2020-01-01'), new Date('2021-01-01'));
    const future = await certificate(new Date('2099-01-01'), new Date('2100-01-01'));
    const issues = issuesWith({ caCertificates: `${TEST_CA_PEM}\n${expired}\n${future}` }).join('\n');
    expect(issues).toMatch(/certificate 2 \(CN=Example Corp proxy CA\) expired on 2021-01-01T00:00:00.000Z .*fix: replace it with the CA's current certificate/);
    expect(issues).toMatch(/certificate 3 \(CN=Example Corp proxy CA\) is not valid before 2099-01-01T00:00:00.000Z/);
  });

  it.each([
    ['a missing key', 'git.example.com ssh-ed25519', /needs a host pattern, a key type and a key/],
    ['an unknown key type', 'git.example.com ssh-foo AAAA', /has key type "ssh-foo"/],
    ['a key that is not base64', 'git.example.com ssh-ed25519 not*base64', /has a key that is not base64/],
    ['a key of another type', `git.example.com ssh-rsa ${TEST_KNOWN_HOSTS.split(' ')[2]}`, /has a key that is not a ssh-rsa public key/],
    ['a @revoked marker', `@revoked ${TEST_KNOWN_HOSTS}`, /is a @revoked marker/],
    ['a quote in the host pattern', `"git.example.com" ${TEST_KNOWN_HOSTS.split(' ').slice(1).join(' ')}`, /characters a host name or pattern cannot hold/],
  ])('sshKnownHosts with %s is refused', (_what, line, message) => {
    const issues = issuesWith({ sshKnownHosts: `${TEST_KNOWN_HOSTS}\n${line}` });
    expect(issues).toEqual([expect.stringMatching(/^targets\.ecsexample\.trust\.sshKnownHosts: line 2 /)]);
    expect(issues[0]).toMatch(message);
  });

  it('sshKnownHosts with comments only, or over 8 KiB, is refused', () => {
    expect(issuesWith({ sshKnownHosts: '# nothing here' }).join('\n')).toMatch(/holds no known-hosts line/);
    expect(issuesWith({ sshKnownHosts: `${TEST_KNOWN_HOSTS}\n`.repeat(90) }).join('\n')).toMatch(/bytes long; it takes at most 8192/);
  });

  it('the known-hosts check reads real key blobs: the type inside the key must be the type named', () => {
    expect(knownHostsLineProblem(TEST_KNOWN_HOSTS)).toBeUndefined();
    expect(knownHostsLineProblem(`[git.example.com]:2222 ${TEST_KNOWN_HOSTS.split(' ').slice(1).join(' ')}`)).toBeUndefined();
    expect(knownHostsLineProblem('h ssh-ed25519 AAAA')).toMatch(/not a ssh-ed25519 public key/);
  });
});
