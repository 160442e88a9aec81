/**
 * The writable-root prelude (Cloud Run), run for real with /bin/sh against stand-in paths: it
 * writes the kit's config file, puts the extra CAs where the image's entrypoint looks, appends the
 * known hosts, refuses a missing key or an empty client secret, and execs the entrypoint with the
 * kit's own variables gone.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RUNNER_CONFIG_YAML } from '../../../constructs/core/runner-volumes';
import { EXTRA_CA_CRT_NAME, WRITABLE_ROOT_PATHS, writableRootPrelude, type WritableRootPaths } from '../../../constructs/core/runner-writable-root';
import { TEST_CA_PEM, TEST_KNOWN_HOSTS } from '../../support/trust-material';

describe('writable-root prelude', () => {
  let dir: string;
  let paths: WritableRootPaths;
  let home: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'writable-root-'));
    home = path.join(dir, 'home');
    for (const d of ['key', 'ca', 'tmp', 'home']) mkdirSync(path.join(dir, d));
    writeFileSync(path.join(dir, 'key', 'private-key.pem'), '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n');
    // The entrypoint stand-in reports what the runner would see.
    writeFileSync(path.join(dir, 'entrypoint.sh'), '#!/bin/sh\necho "entrypoint $1 config=${RUNNER_CONFIG_YAML:-unset} ca=${KIT_EXTRA_CA_CERTIFICATES:-unset}"\n', { mode: 0o755 });
    paths = { configFile: path.join(dir, 'tmp', 'runner-kit', 'runner-config.yml'), privateKeyFile: path.join(dir, 'key', 'private-key.pem'), localCaDir: path.join(dir, 'ca'), scratch: path.join(dir, 'tmp'), entrypoint: [path.join(dir, 'entrypoint.sh'), '/app/tfrunner'] };
  });
  const run = (o: { extraCaCertificates: boolean; sshKnownHosts: boolean }, env: Record<string, string>) =>
    spawnSync('/bin/sh', ['-c', writableRootPrelude(o, paths)], { env: { PATH: process.env.PATH!, HOME: home, RUNNER_CONFIG_YAML, RUNNER_API_CLIENT_SECRET: 's3cret', ...env }, encoding: 'utf8' });

  it('uses the image\'s paths in the deployed form, and no ${ (Terraform would read it)', () => {
    expect(WRITABLE_ROOT_PATHS).toEqual({ configFile: '/tmp/runner-kit/runner-config.yml', privateKeyFile: '/run/runner-kit-key/private-key.pem', localCaDir: '/usr/local/share/ca-certificates', scratch: '/tmp', entrypoint: ['/app/entrypoint.sh', '/app/tfrunner'] });
    expect(writableRootPrelude({ extraCaCertificates: true, sshKnownHosts: true })).not.toContain('${');
  });

  it('writes the config file (all five keys) and the trust material, then execs the entrypoint without the kit\'s variables', () => {
    const r = run({ extraCaCertificates: true, sshKnownHosts: true }, { KIT_EXTRA_CA_CERTIFICATES: TEST_CA_PEM, KIT_SSH_KNOWN_HOSTS: TEST_KNOWN_HOSTS });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('entrypoint /app/tfrunner config=unset ca=unset');
    expect(readFileSync(paths.configFile, 'utf8')).toBe(RUNNER_CONFIG_YAML);
    for (const key of ['workingDir', 'tfInstallDir', 'timeoutMins', 'wsTimeoutMins', 'initTimeoutMins']) expect(RUNNER_CONFIG_YAML).toContain(`${key}: `);
    expect(statSync(paths.configFile).mode & 0o777).toBe(0o444);
    expect(readFileSync(path.join(paths.localCaDir, EXTRA_CA_CRT_NAME), 'utf8')).toBe(`${TEST_CA_PEM}\n`);
    expect(readFileSync(path.join(home, '.ssh', 'known_hosts'), 'utf8')).toBe(`${TEST_KNOWN_HOSTS}\n`);
    expect(statSync(path.join(dir, 'tmp', 'runner', 'tfbin')).isDirectory()).toBe(true);
  });

  it('without trust material it writes no CA file (the entrypoint then skips update-ca-certificates)', () => {
    const r = run({ extraCaCertificates: false, sshKnownHosts: false }, {});
    expect(r.status).toBe(0);
    expect(() => statSync(path.join(paths.localCaDir, EXTRA_CA_CRT_NAME))).toThrow();
  });

  it.each<[string, Record<string, string>, () => void, RegExp]>([
    ['the key file is empty', {}, () => writeFileSync(path.join(dir, 'key', 'private-key.pem'), ''), /private key file .* is missing or empty/],
    ['the client secret is empty', { RUNNER_API_CLIENT_SECRET: '' }, () => undefined, /RUNNER_API_CLIENT_SECRET is empty/],
    ['the CAs are configured but empty', { KIT_EXTRA_CA_CERTIFICATES: '' }, () => undefined, /KIT_EXTRA_CA_CERTIFICATES is empty/],
  ])('GIVEN %s THEN it stops before the runner starts (it would fall back to the sample key)', (_name, env, prepare, message) => {
    prepare();
    const r = run({ extraCaCertificates: 'KIT_EXTRA_CA_CERTIFICATES' in env, sshKnownHosts: false }, env);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toContain('entrypoint');
  });
});
