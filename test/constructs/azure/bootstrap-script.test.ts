/**
 * The deploy's first promotion on Azure (the deployment script's Python program), run here with a
 * fake `az` on PATH and a local registry that answers as ghcr.io does (a Bearer challenge, an
 * anonymous token, the manifest with its digest): it resolves the release tag to the digest of the
 * bytes it received, imports exactly that digest (tagged; untagged when the tag exists), retries
 * while a role assignment propagates, and writes the output the container groups reference.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bootstrapScriptContent, BOOTSTRAP_PLAN_ENV, type BootstrapPlan } from '../../../constructs/azure/bootstrap-script';
import { binary, describeWith } from '../../support/requirements';

const MANIFEST = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [] }));
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;

describeWith([binary('python3'), binary('bash')], 'bootstrap deployment script', () => {
  let server: Server;
  let registry: string;
  let dir: string;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      if (req.url?.startsWith('/token')) return void res.end(JSON.stringify({ token: 'anonymous-token' }));
      if (req.url === '/v2/meshcloud/tf-block-runner/manifests/v1.3.0') {
        if (req.headers.authorization !== 'Bearer anonymous-token') {
          res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${base}/token",service="registry.test",scope="repository:meshcloud/tf-block-runner:pull"` });
          return void res.end();
        }
        res.writeHead(200, { 'Content-Type': 'application/vnd.oci.image.index.v1+json', 'Docker-Content-Digest': DIGEST });
        return void res.end(MANIFEST);
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    registry = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    dir = mkdtempSync(path.join(tmpdir(), 'bootstrap-'));
    // A fake `az`: records each call; fails the first FAKE_AZ_FAILURES calls like a role not yet propagated,
    // and a tagged import when FAKE_AZ_TAG_EXISTS is set, as NoForce does.
    writeFileSync(
      path.join(dir, 'az'),
      [
        '#!/bin/bash',
        'echo "$*" >> "$FAKE_AZ_LOG"',
        'n=$(wc -l < "$FAKE_AZ_LOG")',
        'if [ "$n" -le "${FAKE_AZ_FAILURES:-0}" ]; then echo "(AuthorizationFailed) The client does not have authorization to perform action importImage" >&2; exit 1; fi',
        'if [ -n "${FAKE_AZ_TAG_EXISTS:-}" ] && [[ " $* " == *" --image "* ]]; then echo "(TagAlreadyExists) Tag already exists" >&2; exit 1; fi',
        'exit 0',
      ].join('\n'),
    );
    chmodSync(path.join(dir, 'az'), 0o755);
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const plan = (): BootstrapPlan => ({
    registry: 'rkprod12345678',
    loginServer: 'rkprod12345678.azurecr.io',
    runners: [
      { name: 'default', upstreamRegistry: registry, upstreamRepository: 'meshcloud/tf-block-runner', version: 'v1.3.0', mirrorRepository: 'prod/tf-block-runner' },
      { name: 'second', upstreamRegistry: registry, upstreamRepository: 'meshcloud/tf-block-runner', version: 'v1.3.0', mirrorRepository: 'prod/tf-block-runner' },
    ],
  });

  /** Runs the script (asynchronously: the registry answers from this process). */
  async function run(env: Record<string, string>, p: BootstrapPlan = plan()) {
    const out = path.join(dir, `out-${seen.length}-${Math.random()}.json`);
    const log = path.join(dir, `az-${Math.random()}.log`);
    writeFileSync(log, '');
    const child = spawn('bash', ['-c', bootstrapScriptContent()], {
      env: { PATH: `${dir}:${process.env.PATH}`, HOME: dir, [BOOTSTRAP_PLAN_ENV]: JSON.stringify(p), AZ_SCRIPTS_OUTPUT_PATH: out, FAKE_AZ_LOG: log, KIT_AZ_DELAY_SECONDS: '0', KIT_AZ_ATTEMPTS: '4', ...env },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const r = { status, stderr };
    const calls = readFileSync(log, 'utf8').trim().split('\n').filter((l) => l !== '');
    let output: unknown;
    try {
      output = JSON.parse(readFileSync(out, 'utf8'));
    } catch {
      output = undefined;
    }
    return { status: r.status, stderr: r.stderr, calls, output };
  }

  it('GIVEN a public release THEN it imports exactly the digest it resolved, once per image, and outputs the by-digest references', async () => {
    const r = await run({});
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([`acr import --name rkprod12345678 --source 127.0.0.1:${registry.split(':')[2]}/meshcloud/tf-block-runner@${DIGEST} --image prod/tf-block-runner:v1.3.0`]);
    const image = `rkprod12345678.azurecr.io/prod/tf-block-runner@${DIGEST}`;
    expect(r.output).toEqual({ runners: { default: { image, to: 'v1.3.0', digest: DIGEST }, second: { image, to: 'v1.3.0', digest: DIGEST } } });
    expect(seen.some((l) => l.includes('scope=repository%3Ameshcloud%2Ftf-block-runner%3Apull') && l.includes('service=registry.test'))).toBe(true);
  });

  it('GIVEN the tag exists in the mirror THEN the digest is imported untagged (mirror tags never move)', async () => {
    const r = await run({ FAKE_AZ_TAG_EXISTS: '1' });
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([expect.stringContaining('--image prod/tf-block-runner:v1.3.0'), expect.stringMatching(/--repository prod\/tf-block-runner$/)]);
    expect(r.stderr).toMatch(/exists in the mirror \(tags never move\)/);
  });

  it('GIVEN the identity\'s role has not reached ARM yet THEN it retries, and succeeds once it has', async () => {
    const r = await run({ FAKE_AZ_FAILURES: '2' });
    expect(r.status).toBe(0);
    expect(r.calls).toHaveLength(3);
    expect(r.stderr).toMatch(/role assignments take minutes/);
  });

  it('GIVEN a release that does not exist THEN it fails the deploy, imports nothing and writes no output', async () => {
    const p = plan();
    const r = await run({}, { ...p, runners: [{ ...p.runners[0]!, version: 'v9.9.9' }] });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/cannot read meshcloud\/tf-block-runner:v9\.9\.9 .*HTTP 404/);
    expect(r.calls).toEqual([]);
    expect(r.output).toBeUndefined();
  });

  it('GIVEN ARM keeps refusing THEN it fails with the reason after its attempts', async () => {
    const r = await run({ FAKE_AZ_FAILURES: '99' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/az acr import failed: \(AuthorizationFailed\)/);
    expect(r.calls).toHaveLength(4);
  });

  it('is plain Python 3 without third-party modules', () => {
    expect(execFileSync('python3', ['-c', 'import sys; print(sys.version_info[0])'], { encoding: 'utf8' }).trim()).toBe('3');
    expect(bootstrapScriptContent()).not.toMatch(/^import (requests|yaml)/m);
  });
});
