/**
 * The init steps of a read-only-root runner, run for real: `volume-init` as root with only
 * CAP_CHOWN, `seed` as uid 2000 without capabilities (setpriv), against a stand-in of the image's
 * paths in a temporary folder (a nix store with read-only directories and files, a HOME whose
 * profile links into the store, a CA bundle).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RUNNER_CONFIG_YAML, runnerVolumes, seedPaths, seedScript, volumeInitPaths, volumeInitScript, type SeedPaths, type VolumeInitPaths } from '../../../constructs/core/runner-volumes';
import { createSelfSignedCertificate } from '../../../cli/x509';
import { binary, describeWith, type Requirement } from '../../support/requirements';
import { TEST_CA_PEM, TEST_KNOWN_HOSTS } from '../../support/trust-material';

describe('runner volumes', () => {
  it('without extra CAs: scratch, runner files, nix and HOME; with them also the CA bundle, read-only for the runner', () => {
    expect(runnerVolumes({ extraCaCertificates: false }).map((v) => `${v.name}:${v.runnerPath}:${v.readOnlyForRunner ? 'ro' : 'rw'}`)).toEqual([
      'scratch:/tmp:rw',
      'runner-files:/run/runner-kit:ro',
      'nix:/nix:rw',
      'home:/home/meshcloud:rw',
    ]);
    expect(runnerVolumes({ extraCaCertificates: true }).at(-1)).toEqual({ name: 'ca-certificates', runnerPath: '/etc/ssl/certs', readOnlyForRunner: true, seedPath: '/seed/certs' });
  });

  it('volume-init hands the seeded volumes to uid 2000; seed reads the image paths and writes the volumes', () => {
    const volumes = runnerVolumes({ extraCaCertificates: true });
    expect(volumeInitPaths(volumes).seeded).toEqual(['/seed/nix', '/seed/home', '/seed/certs']);
    expect(seedPaths(volumes)).toEqual({ imageNix: '/nix', imageHome: '/home/meshcloud', imageCerts: '/etc/ssl/certs', nix: '/seed/nix', home: '/seed/home', certs: '/seed/certs' });
    for (const script of [volumeInitScript(volumeInitPaths(volumes)), seedScript(seedPaths(volumes), { sshKnownHosts: true })]) expect(script).not.toContain('${');
  });
});

const root: Requirement = { name: 'root', check: () => (process.getuid?.() === 0 ? undefined : 'not running as root (chown to uid 2000 needs it)') };
const setpriv = binary('setpriv', ['--version']);
const openssl = binary('openssl', ['version']);
const AS_ROOT_WITH_CHOWN = ['--bounding-set=-all,+chown', '--inh-caps=-all', '--no-new-privs'];
const AS_RUNNER = ['--reuid=2000', '--regid=2000', '--clear-groups', '--bounding-set=-all', '--inh-caps=-all', '--no-new-privs'];

describeWith([root, setpriv, openssl], 'volume-init and seed run for real (setpriv)', () => {
  let dir: string;
  let init: VolumeInitPaths;
  let seed: SeedPaths & { certs: string };
  let systemCa: string;
  beforeAll(async () => {
    // The image's bundle holds real CAs; one stands in for them.
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    systemCa = (await createSelfSignedCertificate({ subject: { commonName: 'stand-in public root CA' }, publicKey, privateKey, notBefore: new Date('2026-01-01'), notAfter: new Date('2036-01-01'), ca: true })).pem;
  });
  const run = (as: string[], script: string, env: Record<string, string>) =>
    spawnSync('setpriv', [...as, '/bin/sh', '-c', script], { env: { PATH: process.env.PATH!, ...env }, encoding: 'utf8' });
  const initOk = () => {
    const r = run(AS_ROOT_WITH_CHOWN, volumeInitScript(init), { RUNNER_CONFIG_YAML, RUNNER_API_CLIENT_SECRET: 'x', RUNNER_PRIVATE_KEY_PEM: '-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'runner-volumes-'));
    chmodSync(dir, 0o755);
    const d = (p: string) => path.join(dir, p);
    // Fargate volumes: empty, root-owned 0755.
    for (const v of ['scratch', 'files', 'seed-nix', 'seed-home', 'seed-certs']) mkdirSync(d(v), { mode: 0o755 });
    init = { scratch: d('scratch'), files: d('files'), seeded: [d('seed-nix'), d('seed-home'), d('seed-certs')] };
    seed = { imageNix: d('image/nix'), imageHome: d('image/home'), imageCerts: d('image/certs'), nix: d('seed-nix'), home: d('seed-home'), certs: d('seed-certs') };
    // The image: a single-user nix install owned by 2000, store paths read-only (0555 / 0444).
    const store = path.join(seed.imageNix, 'store', 'abc123-hello-2.12');
    mkdirSync(path.join(store, 'bin'), { recursive: true });
    writeFileSync(path.join(store, 'bin', 'hello'), '#!/bin/sh\necho hello\n', { mode: 0o555 });
    mkdirSync(path.join(seed.imageNix, 'var', 'nix', 'db'), { recursive: true });
    writeFileSync(path.join(seed.imageNix, 'var', 'nix', 'db', 'db.sqlite'), 'db', { mode: 0o644 });
    mkdirSync(path.join(seed.imageHome, '.local', 'state', 'nix', 'profiles'), { recursive: true });
    symlinkSync(store, path.join(seed.imageHome, '.local', 'state', 'nix', 'profiles', 'profile-1-link'));
    symlinkSync(path.join(seed.imageHome, '.local', 'state', 'nix', 'profiles', 'profile'), path.join(seed.imageHome, '.nix-profile'));
    mkdirSync(seed.imageCerts, { recursive: true });
    // Without a final line break, as our PEM writer makes it: the bundle must still come out whole.
    writeFileSync(path.join(seed.imageCerts, 'ca-certificates.crt'), systemCa, { mode: 0o644 });
    execFileSync('chown', ['-R', '2000:2000', path.join(dir, 'image/nix'), path.join(dir, 'image/home')]);
    chmodSync(path.join(store, 'bin'), 0o555);
    chmodSync(store, 0o555);
    chmodSync(path.join(seed.imageNix, 'store'), 0o1775);
  });
  afterEach(() => {
    execFileSync('chmod', ['-R', 'u+w', dir]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('volume-init writes the key (0400) and config (0444) owned by 2000 and hands every volume to 2000', () => {
    initOk();
    const keyFile = path.join(init.files, 'private-key.pem');
    expect(statSync(keyFile)).toMatchObject({ uid: 2000, gid: 2000 });
    expect(statSync(keyFile).mode & 0o777).toBe(0o400);
    expect(statSync(path.join(init.files, 'runner-config.yml')).mode & 0o777).toBe(0o444);
    expect(readFileSync(path.join(init.files, 'runner-config.yml'), 'utf8')).toBe(RUNNER_CONFIG_YAML);
    expect(statSync(init.scratch).mode & 0o777).toBe(0o700);
    for (const p of [init.scratch, ...init.seeded, path.join(init.scratch, 'runner/wd'), path.join(init.scratch, 'runner/tfbin')]) expect(statSync(p).uid).toBe(2000);
  });

  it('GIVEN an empty secret THEN volume-init fails naming it and writes no key', () => {
    const r = run(AS_ROOT_WITH_CHOWN, volumeInitScript(init), { RUNNER_CONFIG_YAML, RUNNER_API_CLIENT_SECRET: 'x', RUNNER_PRIVATE_KEY_PEM: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('secret RUNNER_PRIVATE_KEY_PEM is empty');
    expect(() => statSync(path.join(init.files, 'private-key.pem'))).toThrow();
  });

  it('seed, as uid 2000 without capabilities, copies the nix store (read-only paths kept) and HOME (links kept) into the volumes', () => {
    initOk();
    const r = run(AS_RUNNER, seedScript({ ...seed, certs: undefined } as SeedPaths, { sshKnownHosts: false }), {});
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const copied = path.join(seed.nix, 'store', 'abc123-hello-2.12');
    expect(statSync(copied)).toMatchObject({ uid: 2000 });
    expect(statSync(copied).mode & 0o777).toBe(0o555);
    expect(statSync(path.join(copied, 'bin', 'hello')).mode & 0o777).toBe(0o555);
    expect(readFileSync(path.join(seed.nix, 'var', 'nix', 'db', 'db.sqlite'), 'utf8')).toBe('db');
    expect(lstatSync(path.join(seed.home, '.nix-profile')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(path.join(seed.home, '.local', 'state', 'nix', 'profiles', 'profile-1-link'))).toBe(path.join(seed.imageNix, 'store', 'abc123-hello-2.12'));
    // The runner (uid 2000) can add to the store and its profiles.
    expect(run(AS_RUNNER, `mkdir ${seed.nix}/store/def456-new && touch ${seed.home}/.local/state/nix/profiles/profile-2-link`, {}).status).toBe(0);
  });

  it('control: without volume-init the volumes stay root-owned and seed cannot fill them', () => {
    const r = run(AS_RUNNER, seedScript({ ...seed, certs: undefined } as SeedPaths, { sshKnownHosts: false }), {});
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/Permission denied/);
  });

  it('GIVEN extra CAs and known hosts THEN seed builds the bundle (image bundle first) and appends the hosts to ~/.ssh/known_hosts', () => {
    initOk();
    const r = run(AS_RUNNER, seedScript(seed, { sshKnownHosts: true }), { KIT_EXTRA_CA_CERTIFICATES: TEST_CA_PEM, KIT_SSH_KNOWN_HOSTS: TEST_KNOWN_HOSTS });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const bundle = readFileSync(path.join(seed.certs, 'ca-certificates.crt'), 'utf8');
    expect(bundle).toBe(`${systemCa}\n${TEST_CA_PEM}\n`);
    expect(statSync(path.join(seed.certs, 'ca-certificates.crt')).mode & 0o777).toBe(0o644);
    expect(readFileSync(path.join(seed.certs, 'private-runner-kit-extra-ca.pem'), 'utf8')).toBe(`${TEST_CA_PEM}\n`);
    // OpenSSL reads the bundle: the extra CA verifies itself through it.
    for (const [name, pem] of [['extra.pem', TEST_CA_PEM], ['system.pem', systemCa]] as const) {
      writeFileSync(path.join(dir, name), pem);
      expect(spawnSync('openssl', ['verify', '-CAfile', path.join(seed.certs, 'ca-certificates.crt'), path.join(dir, name)], { encoding: 'utf8' }).stdout).toContain(': OK');
    }
    expect(readFileSync(path.join(seed.home, '.ssh', 'known_hosts'), 'utf8')).toBe(`${TEST_KNOWN_HOSTS}\n`);
    expect(statSync(path.join(seed.home, '.ssh')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(seed.home, '.ssh', 'known_hosts'))).toMatchObject({ uid: 2000 });
  });

  it('GIVEN the CA volume but no CAs THEN seed fails (an empty bundle volume would leave the runner without any trust store)', () => {
    initOk();
    const r = run(AS_RUNNER, seedScript(seed, { sshKnownHosts: false }), { KIT_EXTRA_CA_CERTIFICATES: '' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('KIT_EXTRA_CA_CERTIFICATES is empty');
  });
});
