import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { run, shellQuote, type KeysDependencies, type KeysReport } from '../../cli/commands/keys';
import { secretVariableNames } from '../../constructs/aws/runner-secrets';
import { captureIo, EXAMPLE_CONFIG, makeTempDir, removeDir, REPO_ROOT } from './capture-io';

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_UUID = '3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f';
const BATCH_UUID = '0b7e4c2a-1f3d-4e5a-8b9c-7d6e5f4a3b2c';
const FIXED_NOW = new Date('2026-03-04T05:06:07.890Z');
const CERTIFICATE_RE = /-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+-----END CERTIFICATE-----\n/;

let dir: string;
let config: string;

/** The one real run: default dependencies, so a real RSA-4096 key and the real clock. */
const real = { code: -1, stdout: '', stderr: '', file: '', before: 0, after: 0 };
let privateKey: KeyObject;
let publicKey: KeyObject;

/** A second run reusing the real run's key pair with a fixed clock: --json, another runner, --days 30. */
const json = { code: -1, stdout: '', stderr: '', file: '' };

/** Every later run reuses the key pair generated once, keeping this file at one RSA-4096 generation. */
const reuse = (): KeysDependencies => ({ generateKeyPair: () => ({ publicKey, privateKey }), now: () => FIXED_NOW });

/** For runs that must stop before generating anything. */
const mustNotGenerate: KeysDependencies = {
  generateKeyPair: () => {
    throw new Error('a key was generated although the command should have stopped before');
  },
  now: () => FIXED_NOW,
};

function args(target: string, runner: string, out: string, ...rest: string[]): string[] {
  return ['--config', config, '--target', target, '--runner', runner, '--out', out, ...rest];
}

beforeAll(async () => {
  dir = makeTempDir('keys');
  config = path.join(dir, 'runner-kit.yaml');
  const example = parse(readFileSync(EXAMPLE_CONFIG, 'utf8')) as { targets: Record<string, { runners: Record<string, object> }> };
  const base = example.targets['ecsexample']!;
  const batch = { ...base.runners.default, uuid: BATCH_UUID, apiClientId: 'runner-batch', privateKeyVersion: 3 };
  writeFileSync(config, stringify({ targets: { prod: { ...base, runners: { default: base.runners.default, 'batchjobs': batch } }, staging: base } }));

  real.file = path.join(dir, 'secrets', 'prod-default.pem'); // "secrets" does not exist yet
  const c = captureIo({ cwd: dir });
  real.before = Date.now();
  real.code = await run(['--target', 'prod', '--runner', 'default', '--out', 'secrets/prod-default.pem', '--config', 'runner-kit.yaml'], c.io);
  real.after = Date.now();
  Object.assign(real, { stdout: c.stdout(), stderr: c.stderr() });
  privateKey = createPrivateKey(readFileSync(real.file));
  publicKey = createPublicKey(privateKey);

  json.file = path.join(dir, 'secrets', 'prod-batchjobs.pem');
  const j = captureIo({ cwd: dir });
  json.code = await run(args('prod', 'batchjobs', json.file, '--json', '--days', '30'), j.io, reuse());
  Object.assign(json, { stdout: j.stdout(), stderr: j.stderr() });
});

afterAll(() => removeDir(dir));

describe('runner-kit keys, human output', () => {
  it('exits 0 with nothing on stderr', () => {
    expect(real.stderr).toBe('');
    expect(real.code).toBe(0);
  });

  it('writes an RSA-4096 private key as PKCS#8 PEM, readable by the owner only (0600), in a new 0700 directory', () => {
    expect(privateKey.asymmetricKeyType).toBe('rsa');
    expect(privateKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(readFileSync(real.file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(statSync(real.file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(real.file)).mode & 0o777).toBe(0o700);
  });

  it('prints a self-signed certificate that parses, verifies and matches the private key', () => {
    const cert = new X509Certificate(CERTIFICATE_RE.exec(real.stdout)![0]);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(privateKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
  });

  it('names the runner in the certificate subject: CN with target/runner, OU with the runner UUID', () => {
    const cert = new X509Certificate(CERTIFICATE_RE.exec(real.stdout)![0]);
    expect(cert.subject).toContain('CN=runner prod/default');
    expect(cert.subject).toContain(`OU=${DEFAULT_UUID}`);
  });

  it('is valid from 5 minutes ago for the default 3650 days', () => {
    const cert = new X509Certificate(CERTIFICATE_RE.exec(real.stdout)![0]);
    const floorToSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;
    const validFrom = new Date(cert.validFrom).getTime();
    const validTo = new Date(cert.validTo).getTime();
    expect(validFrom).toBeGreaterThanOrEqual(floorToSecond(real.before - 5 * 60_000));
    expect(validFrom).toBeLessThanOrEqual(real.after - 5 * 60_000);
    expect(validTo).toBeGreaterThanOrEqual(floorToSecond(real.before + 3650 * DAY_MS));
    expect(validTo).toBeLessThanOrEqual(real.after + 3650 * DAY_MS);
  });

  it('prints the exact commands handing both secrets to cdktf deploy, then unsetting them', () => {
    const vars = secretVariableNames('default');
    expect(real.stdout).toContain(
      [
        `  cd ${REPO_ROOT}`,
        `  export TF_VAR_${vars.privateKey}="$(cat ${real.file})"`,
        `  read -rs TF_VAR_${vars.apiClientSecret} && export TF_VAR_${vars.apiClientSecret}`,
        `  RUNNER_KIT_CONFIG=${config} npx cdktf deploy prod`,
        `  unset TF_VAR_${vars.privateKey} TF_VAR_${vars.apiClientSecret}`,
      ].join('\n'),
    );
  });

  it('says when the values are sent (first deploy, privateKeyVersion bump) and what replacing a key breaks', () => {
    expect(real.stdout).toContain('privateKeyVersion changes (now 1: targets.prod.runners.default.privateKeyVersion)');
    expect(real.stdout).toContain('set privateKeyVersion: 2 in');
    expect(real.stdout).toContain('undecryptable');
    expect(real.stdout).toContain('stops at plan, before anything changes, naming it');
  });

  it('never prints the private key', () => {
    expect(real.stdout).not.toContain('PRIVATE KEY');
    expectNoPartOfPrivateKey(real.stdout);
  });
});

describe('runner-kit keys --json', () => {
  let report: KeysReport;
  beforeAll(() => {
    report = JSON.parse(json.stdout) as KeysReport;
  });

  it('exits 0 and prints exactly the documented fields', () => {
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(Object.keys(report).sort()).toEqual(['certificatePem', 'deployStacks', 'notAfter', 'privateKeyFile', 'publicKeyFingerprintSha256', 'runner', 'runnerUuid', 'target', 'tfVars']);
    expect(report.deployStacks).toEqual(['prod']);
    expect(report).toMatchObject({ target: 'prod', runner: 'batchjobs', runnerUuid: BATCH_UUID, privateKeyFile: json.file });
  });

  it('names the Terraform variables the AWS secrets construct declares for this runner', () => {
    expect(report.tfVars).toEqual({ privateKey: 'runner_batchjobs_private_key', apiClientSecret: 'runner_batchjobs_api_client_secret' });
    const { apiClientSecret, privateKey } = secretVariableNames('batchjobs');
    expect(report.tfVars).toEqual({ apiClientSecret, privateKey });
  });

  it('reports notAfter = now + --days (whole seconds), as the certificate holds it', () => {
    const cert = new X509Certificate(report.certificatePem);
    expect(report.notAfter).toBe('2026-04-03T05:06:07Z');
    expect(new Date(cert.validTo).toISOString()).toBe('2026-04-03T05:06:07.000Z');
    expect(new Date(cert.validFrom).toISOString()).toBe('2026-03-04T05:01:07.000Z');
  });

  it('carries a certificate for the runner and the fingerprint of its public key', () => {
    const cert = new X509Certificate(report.certificatePem);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(json.file)))).toBe(true);
    expect(cert.subject).toContain('CN=runner prod/batchjobs');
    expect(cert.subject).toContain(`OU=${BATCH_UUID}`);
    expect(report.publicKeyFingerprintSha256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it('writes the key file with mode 0600 and never puts the private key in the output', () => {
    expect(statSync(json.file).mode & 0o777).toBe(0o600);
    expect(json.stdout).not.toContain('PRIVATE KEY');
    expectNoPartOfPrivateKey(json.stdout);
  });

  it('GIVEN a runner with privateKeyVersion 3 THEN the human notes ask for 4 on rotation', async () => {
    const c = captureIo({ cwd: dir });
    expect(await run(args('prod', 'batchjobs', path.join(dir, 'rotation.pem')), c.io, reuse())).toBe(0);
    expect(c.stdout()).toContain('(now 3: targets.prod.runners.batchjobs.privateKeyVersion)');
    expect(c.stdout()).toContain('set privateKeyVersion: 4 in');
  });
});

describe('runner-kit keys, output file', () => {
  it('GIVEN a write that fails part-way (a full disk) THEN no file is left at --out, and a retry succeeds', async () => {
    const file = path.join(dir, 'full-disk', 'key.pem');
    const failing: KeysDependencies = {
      ...reuse(),
      keyFile: {
        writeAll: (fd, data) => {
          writeSync(fd, data, 0, 100);
          throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        },
      },
    };
    const c = captureIo();
    expect(await run(args('prod', 'default', file), c.io, failing)).toBe(1);
    expect(c.stderr()).toContain(`cannot write the private key to ${file}: ENOSPC: no space left on device, write; nothing was written there`);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(path.dirname(file))).toEqual([]); // the temporary file is gone too
    const retry = captureIo();
    expect(await run(args('prod', 'default', file), retry.io, reuse())).toBe(0);
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('GIVEN a real file-size limit (ulimit -f) that cuts the write THEN the command leaves no truncated key behind', () => {
    const out = path.join(dir, 'limited', 'key.pem');
    const r = spawnSync('bash', ['-c', `ulimit -f 2; exec node ${JSON.stringify(path.join(REPO_ROOT, 'bin', 'runner-kit.js'))} keys --config ${JSON.stringify(config)} --target prod --runner default --out ${JSON.stringify(out)}`], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`cannot write the private key to ${out}: EFBIG`);
    expect(readdirSync(path.dirname(out))).toEqual([]);
  }, 60_000);

  it.each([
    ['a path ending in /', (d: string) => `${d}/keys/`, /names a directory \(it ends in a path separator/],
    ['an existing directory', (d: string) => d, /is an existing directory/],
    ['"."', () => '.', /names a directory/],
  ])('GIVEN --out naming %s THEN it says so (not "refusing to overwrite"), and generates nothing', async (_what, out, message) => {
    const c = captureIo({ cwd: dir });
    expect(await run(args('prod', 'default', out(dir)), c.io, mustNotGenerate)).toBe(1);
    expect(c.stderr()).toMatch(message);
    expect(c.stderr()).toMatch(/name the key file itself, e\.g\. .*prod-default\.pem/);
    expect(c.stderr()).not.toContain('refusing to overwrite');
  });

  it('fails when the file exists: exit 1, the file untouched, no key generated', async () => {
    const existing = path.join(dir, 'existing.pem');
    writeFileSync(existing, 'the key a runner uses now');
    const c = captureIo();
    expect(await run(args('prod', 'default', existing), c.io, mustNotGenerate)).toBe(1);
    expect(c.stderr()).toContain(`refusing to overwrite ${existing}`);
    expect(readFileSync(existing, 'utf8')).toBe('the key a runner uses now');
  });

  it('fails when the file appears while the key is generated (the write itself refuses to overwrite)', async () => {
    const racing = path.join(dir, 'racing.pem');
    const deps: KeysDependencies = {
      ...reuse(),
      generateKeyPair: () => {
        writeFileSync(racing, 'written meanwhile');
        return { publicKey, privateKey };
      },
    };
    const c = captureIo();
    expect(await run(args('prod', 'default', racing), c.io, deps)).toBe(1);
    expect(c.stderr()).toContain(`refusing to overwrite ${racing}`);
    expect(readFileSync(racing, 'utf8')).toBe('written meanwhile');
    expect(c.stdout()).toBe('');
  });

  describe('inside a git repository', () => {
    let repo: string;
    beforeAll(() => {
      repo = path.join(dir, 'repo');
      mkdirSync(path.join(repo, '.git'), { recursive: true });
    });

    it('fails for a path below the repository, creating nothing', async () => {
      const c = captureIo();
      expect(await run(args('prod', 'default', path.join(repo, 'sub', 'deeper', 'key.pem')), c.io, mustNotGenerate)).toBe(1);
      expect(c.stderr()).toBe(
        `runner-kit keys: refusing to write a private key into the git repository at ${repo}; write it outside, e.g. ~/.meshstack/prod-default.pem\n`,
      );
      expect(existsSync(path.join(repo, 'sub'))).toBe(false);
    });

    it('fails for a relative path when the working directory is the repository', async () => {
      const c = captureIo({ cwd: repo });
      expect(await run(args('prod', 'default', 'key.pem'), c.io, mustNotGenerate)).toBe(1);
      expect(c.stderr()).toContain(`the git repository at ${repo};`);
    });

    it('fails for a symlinked directory pointing into the repository', async () => {
      const link = path.join(dir, 'link-into-repo');
      symlinkSync(repo, link);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      const c = captureIo();
      expect(await run(args('prod', 'default', path.join(link, 'key.pem')), c.io, mustNotGenerate)).toBe(1);
      expect(c.stderr()).toContain(`the git repository at ${repo};`);
    });

    it('fails for a worktree or submodule, where .git is a file', async () => {
      const worktree = path.join(dir, 'worktree');
      mkdirSync(worktree);
      writeFileSync(path.join(worktree, '.git'), 'gitdir: /elsewhere/.git/worktrees/x\n');
      const c = captureIo();
      expect(await run(args('prod', 'default', path.join(worktree, 'key.pem')), c.io, mustNotGenerate)).toBe(1);
      expect(c.stderr()).toContain(`the git repository at ${worktree};`);
    });
  });

  it('GIVEN --out ~/... THEN it expands to $HOME and creates the private directory', async () => {
    const home = path.join(dir, 'home');
    const c = captureIo({ env: { HOME: home } });
    expect(await run(args('staging', 'default', '~/.meshstack/staging-default.pem', '--json'), c.io, reuse())).toBe(0);
    const file = path.join(home, '.meshstack', 'staging-default.pem');
    expect(JSON.parse(c.stdout()).privateKeyFile).toBe(file);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('GIVEN a path with spaces and quotes THEN the printed export line loads exactly the key file in bash', async () => {
    const odd = path.join(dir, "it's a dir", 'key $1.pem');
    const c = captureIo();
    expect(await run(args('prod', 'default', odd), c.io, reuse())).toBe(0);
    const exportLine = c.stdout().split('\n').find((l) => l.startsWith('  export TF_VAR_runner_default_private_key='))!;
    const shell = spawnSync('bash', ['-c', `${exportLine}\nprintf %s "$TF_VAR_runner_default_private_key"`], { encoding: 'utf8' });
    expect(shell.status).toBe(0);
    expect(shell.stdout).toBe(readFileSync(odd, 'utf8').trimEnd());
  });
});

describe('runner-kit keys, config and names', () => {
  it('fails when the target is unknown, listing the targets', async () => {
    const c = captureIo({ cwd: dir });
    expect(await run(args('prod-eu', 'default', path.join(dir, 'x.pem')), c.io, mustNotGenerate)).toBe(1);
    expect(c.stderr()).toBe('runner-kit keys: target "prod-eu" is not in runner-kit.yaml; targets there: prod, staging\n');
  });

  it('fails when the runner is unknown, listing the runners of the target', async () => {
    const c = captureIo({ cwd: dir });
    expect(await run(args('prod', 'batch', path.join(dir, 'x.pem')), c.io, mustNotGenerate)).toBe(1);
    expect(c.stderr()).toBe('runner-kit keys: runner "batch" is not in target "prod" of runner-kit.yaml; runners there: default, batchjobs\n');
  });

  it('treats inherited property names as unknown names, not as targets', async () => {
    const c = captureIo({ cwd: dir });
    expect(await run(args('constructor', 'default', path.join(dir, 'x.pem')), c.io, mustNotGenerate)).toBe(1);
    expect(c.stderr()).toContain('target "constructor" is not in');
  });

  it('fails when the config is invalid, listing every problem', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, readFileSync(config, 'utf8').replace('eu-central-1', 'mars-1').replace(DEFAULT_UUID, 'not-a-uuid'));
    const c = captureIo();
    expect(await run(['--config', bad, '--target', 'prod', '--runner', 'default', '--out', path.join(dir, 'x.pem')], c.io, mustNotGenerate)).toBe(1);
    expect(c.stderr()).toMatch(/problems found, no key was generated:/);
    expect(c.stderr()).toContain('targets.prod.region: got "mars-1"');
    expect(c.stderr()).toContain('targets.prod.runners.default.uuid: got "not-a-uuid"');
    expect(existsSync(path.join(dir, 'x.pem'))).toBe(false);
  });

  it('GIVEN --json and an error THEN stdout stays empty and stderr says why', async () => {
    const c = captureIo({ cwd: dir });
    expect(await run(args('nope', 'default', path.join(dir, 'x.pem'), '--json'), c.io, mustNotGenerate)).toBe(1);
    expect(c.stdout()).toBe('');
    expect(c.stderr()).toContain('target "nope"');
  });
});

describe('runner-kit keys, command line', () => {
  it('--help prints the usage and exits 0, even without the required options', async () => {
    const c = captureIo();
    expect(await run(['--help'], c.io, mustNotGenerate)).toBe(0);
    expect(c.stdout()).toMatch(/^Usage: runner-kit keys --target NAME --runner NAME --out FILE/);
  });

  it.each<[string, string[], RegExp]>([
    ['no options', [], /missing --target, --runner, --out/],
    ['no --out', ['--target', 'prod', '--runner', 'default'], /missing --out/],
    ['an empty --target', ['--target', '', '--runner', 'default', '--out', 'x.pem'], /missing --target/],
    ['--days 0', ['--target', 'prod', '--runner', 'default', '--out', 'x.pem', '--days', '0'], /--days must be a whole number of days from 1 to 36500, got "0"/],
    ['--days 1.5', ['--target', 'prod', '--runner', 'default', '--out', 'x.pem', '--days', '1.5'], /got "1.5"/],
    ['--days 36501', ['--target', 'prod', '--runner', 'default', '--out', 'x.pem', '--days', '36501'], /got "36501"/],
    ['--days ten', ['--target', 'prod', '--runner', 'default', '--out', 'x.pem', '--days', 'ten'], /got "ten"/],
    ['an unknown option', ['--target', 'prod', '--runner', 'default', '--out', 'x.pem', '--day', '30'], /unknown option --day; known options: --target, --runner, --out, --config, --days, --json, --help/],
  ])('fails with exit 2 when given %s', async (_what, argv, message) => {
    const c = captureIo({ cwd: dir });
    expect(await run(argv, c.io, mustNotGenerate)).toBe(2);
    expect(c.stderr()).toMatch(message);
    expect(c.stderr()).toContain("Run 'runner-kit keys --help' for usage.");
  });
});

describe('shellQuote', () => {
  it.each<[string, string]>([
    ['/home/me/.meshstack/prod-default.pem', '/home/me/.meshstack/prod-default.pem'],
    ['/tmp/a b', "'/tmp/a b'"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
  ])('%s -> %s', (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });
});

/**
 * No part of the private key's secret material appears in the output. The PKCS#8 body also holds
 * the public modulus, which the certificate legitimately prints, so the check looks for the
 * private exponent and primes (d, p, q) in every base64 alignment, and for the PEM label.
 */
function expectNoPartOfPrivateKey(output: string): void {
  expect(output).not.toContain('PRIVATE KEY-----');
  const jwk = createPrivateKey(readFileSync(real.file, 'utf8')).export({ format: 'jwk' });
  const flat = output.replace(/\s/g, '');
  for (const part of [jwk.d!, jwk.p!, jwk.q!]) {
    const bytes = Buffer.from(part, 'base64url');
    for (let shift = 0; shift < 3; shift++) {
      const b64 = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64');
      // skip the first 4 characters, which mix in the padding bytes
      for (let i = 4; i + 40 <= b64.length; i += 40) expect(flat).not.toContain(b64.slice(i, i + 40));
    }
  }
}

describe('runner-kit keys for a Kubernetes (EKS) target', () => {
  it('also names the certificate variable run-controller needs, and the cluster stack to deploy', async () => {
    const eksDir = makeTempDir('keys-eks');
    try {
      const c = captureIo({ cwd: eksDir });
      const file = path.join(eksDir, 'eks-default.pem');
      const code = await run(['--target', 'eksexample', '--runner', 'default', '--out', file, '--config', path.join(REPO_ROOT, 'examples', 'aws-eks.yaml'), '--json'], c.io);
      expect(code).toBe(0);
      const eks = JSON.parse(c.stdout());
      expect(eks.tfVars).toEqual({ privateKey: 'runner_default_private_key', apiClientSecret: 'runner_default_api_client_secret', certificate: 'runner_default_certificate' });
      expect(eks.deployStacks).toEqual(['eksexample-cluster']);
      const human = captureIo({ cwd: eksDir });
      await run(['--target', 'eksexample', '--runner', 'default', '--out', path.join(eksDir, 'second.pem'), '--config', path.join(REPO_ROOT, 'examples', 'aws-eks.yaml')], human.io);
      expect(human.stdout()).toContain("export TF_VAR_runner_default_certificate='-----BEGIN CERTIFICATE-----");
      expect(human.stdout()).toContain('npx cdktf deploy eksexample-cluster');
    } finally {
      removeDir(eksDir);
    }
  }, 60_000);
});

describe('runner-kit keys for a GKE target', () => {
  it('names the certificate variable, and both stacks to deploy with the variables set (both write the credentials)', async () => {
    const dir = makeTempDir('keys-gke');
    try {
      const c = captureIo({ cwd: dir });
      const code = await run(['--target', 'gkeexample', '--runner', 'default', '--out', path.join(dir, 'gke-default.pem'), '--config', path.join(REPO_ROOT, 'examples', 'gcp-gke.yaml'), '--json'], c.io);
      expect(code).toBe(0);
      const gke = JSON.parse(c.stdout());
      expect(gke.tfVars).toEqual({ privateKey: 'runner_default_private_key', apiClientSecret: 'runner_default_api_client_secret', certificate: 'runner_default_certificate' });
      expect(gke.deployStacks).toEqual(['gkeexample-cluster', 'gkeexample-workload']);
    } finally {
      removeDir(dir);
    }
  }, 60_000);
});
