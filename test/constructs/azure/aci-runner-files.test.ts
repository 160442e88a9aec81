/**
 * The init step of a runner's container group (`fetch-secrets`), run here with `sh` against a
 * local stand-in for the instance metadata service and the Key Vault data plane: it asks for a
 * token of the runner's identity, reads the two secrets with it, and writes the key file and the
 * config file (all five settings of the runner, plus the client secret) where the runner reads them,
 * mode 0400, leaving nothing else behind; it refuses empty secrets with the fix, retries while the
 * vault is not reachable yet, and writes the trust material when configured.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { fetchSecretsScript, INIT_ENV, RUNNER_CONFIG_YAML } from '../../../constructs/azure/aci-runner-files';
import { binary, describeWith } from '../../support/requirements';
import { TEST_CA_PEM, TEST_KNOWN_HOSTS } from '../../support/trust-material';

const KEY_PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n';
/** A secret with every character YAML and the shell treat specially. */
const CLIENT_SECRET = `s3cr"et' $HOME \${x} \\n %{y} # : - \u00e9`;

describeWith([binary('sh', ['-c', 'true']), binary('curl'), binary('jq'), binary('base64')], 'fetch-secrets init step', () => {
  let server: Server;
  let base: string;
  let secrets: Record<string, string>;
  let vaultFailures = 0;
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url} metadata=${req.headers.metadata ?? ''} auth=${req.headers.authorization ?? ''}`);
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === '/metadata/identity/oauth2/token') {
        if (req.headers.metadata !== 'true' || url.searchParams.get('client_id') !== 'runner-client-id' || url.searchParams.get('resource') !== 'https://vault.azure.net') return void (res.writeHead(400), res.end());
        return void res.end(JSON.stringify({ access_token: 'vault-token', expires_in: '3600' }));
      }
      const m = /^\/secrets\/([a-z0-9-]+)$/.exec(url.pathname);
      if (m && url.searchParams.get('api-version') === '7.4') {
        if (vaultFailures > 0) return void (vaultFailures--, res.writeHead(503), res.end());
        if (req.headers.authorization !== 'Bearer vault-token') return void (res.writeHead(401), res.end());
        if (!(m[1]! in secrets)) return void (res.writeHead(404), res.end());
        return void res.end(JSON.stringify({ value: secrets[m[1]!], id: `https://kv/secrets/${m[1]}/v1` }));
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));
  beforeEach(() => {
    secrets = { 'default-api-client-secret': CLIENT_SECRET, 'default-private-key': Buffer.from(KEY_PEM).toString('base64') };
    vaultFailures = 0;
  });

  async function run(trust: { ca?: string; hosts?: string } = {}) {
    const dir = mkdtempSync(path.join(tmpdir(), 'fetch-secrets-'));
    const paths = { files: path.join(dir, 'files'), ...(trust.ca ? { extraCa: path.join(dir, 'ca') } : {}), ...(trust.hosts ? { ssh: path.join(dir, 'ssh') } : {}) };
    for (const p of Object.values(paths)) mkdirSync(p);
    const script = fetchSecretsScript(paths, { imdsUrl: `${base}/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net`, attempts: 3, delaySeconds: 0 });
    const child = spawn('sh', ['-c', script], {
      env: {
        PATH: process.env.PATH,
        [INIT_ENV.vaultUri]: `${base}/`,
        [INIT_ENV.clientId]: 'runner-client-id',
        [INIT_ENV.apiClientSecretName]: 'default-api-client-secret',
        [INIT_ENV.privateKeyName]: 'default-private-key',
        [INIT_ENV.runnerConfig]: RUNNER_CONFIG_YAML,
        ...(trust.ca ? { [INIT_ENV.caCertificates]: trust.ca } : {}),
        ...(trust.hosts ? { [INIT_ENV.sshKnownHosts]: trust.hosts } : {}),
      },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const status = await new Promise<number | null>((r) => child.on('close', r));
    return { dir, paths, status, out };
  }

  it('writes the key file and a config file the runner reads: all five settings and the client secret, exactly', async () => {
    const r = await run();
    try {
      expect(r.status).toBe(0);
      expect(readdirSync(r.paths.files).sort()).toEqual(['private-key.pem', 'runner-config.yml']);
      expect(readFileSync(path.join(r.paths.files, 'private-key.pem'), 'utf8')).toBe(KEY_PEM);
      const config = parse(readFileSync(path.join(r.paths.files, 'runner-config.yml'), 'utf8'));
      expect(config).toEqual({ workingDir: '/tmp/runner/wd', tfInstallDir: '/tmp/runner/tfbin', timeoutMins: 60, wsTimeoutMins: 5, initTimeoutMins: 3, api: { clientSecret: CLIENT_SECRET } });
      for (const f of ['private-key.pem', 'runner-config.yml']) expect(statSync(path.join(r.paths.files, f)).mode & 0o777).toBe(0o400);
      expect(r.out).not.toContain(CLIENT_SECRET);
      expect(r.out).not.toContain('MIIEvQ');
      expect(requests.filter((q) => q.includes('/secrets/'))).toEqual(expect.arrayContaining([expect.stringContaining('auth=Bearer vault-token')]));
    } finally {
      rmSync(r.dir, { recursive: true, force: true });
    }
  });

  it('GIVEN the vault is not reachable yet THEN it retries and succeeds', async () => {
    vaultFailures = 2;
    const r = await run();
    try {
      expect(r.status).toBe(0);
      expect(readdirSync(r.paths.files).sort()).toEqual(['private-key.pem', 'runner-config.yml']);
    } finally {
      rmSync(r.dir, { recursive: true, force: true });
    }
  });

  it('GIVEN an empty secret THEN it stops with the fix, and leaves no secret file behind', async () => {
    secrets['default-api-client-secret'] = '';
    const r = await run();
    try {
      expect(r.status).not.toBe(0);
      expect(r.out).toMatch(/secret default-api-client-secret is empty: deploy again with its TF_VAR_ input set and its version .* bumped/);
      expect(readdirSync(r.paths.files)).toEqual([]);
    } finally {
      rmSync(r.dir, { recursive: true, force: true });
    }
  });

  it('GIVEN a missing secret THEN it fails naming the secret and where it looked', async () => {
    delete secrets['default-private-key'];
    const r = await run();
    try {
      expect(r.status).not.toBe(0);
      expect(r.out).toMatch(/cannot read secret default-private-key from http:\/\/127\.0\.0\.1/);
      expect(readdirSync(r.paths.files)).not.toContain('private-key.pem');
    } finally {
      rmSync(r.dir, { recursive: true, force: true });
    }
  });

  it('GIVEN trust material THEN it writes the CA file where the entrypoint imports it from, and the known hosts', async () => {
    const r = await run({ ca: TEST_CA_PEM, hosts: TEST_KNOWN_HOSTS });
    try {
      expect(r.status).toBe(0);
      expect(readFileSync(path.join(r.paths.extraCa!, 'private-runner-kit-extra-ca.crt'), 'utf8')).toBe(`${TEST_CA_PEM}\n`);
      expect(readFileSync(path.join(r.paths.ssh!, 'known_hosts'), 'utf8')).toBe(`${TEST_KNOWN_HOSTS}\n`);
    } finally {
      rmSync(r.dir, { recursive: true, force: true });
    }
  });
});
