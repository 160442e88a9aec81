/**
 * The AWS API emulator (moto) on loopback, for the emulator tier. Started on a free port, bounded
 * in time by `timeout` even if the test process dies, stopped after the suite.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Requirement } from './requirements';

export const moto: Requirement = {
  name: 'moto',
  check: () => {
    const r = spawnSync('python3', ['-c', 'import moto.server'], { timeout: 30_000 });
    return r.status === 0 ? undefined : 'the AWS API emulator is not installed (python3 -m moto.server; pip install "moto[server]")';
  },
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface MotoServer {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts moto on 127.0.0.1; at most `maxSeconds` alive. */
export async function startMoto(maxSeconds = 1800): Promise<MotoServer> {
  const port = await freePort();
  // moto logs every request. Its output goes to a file, never a pipe: tests run terraform with
  // spawnSync, which blocks this process's event loop, so a pipe would fill and stall moto.
  const logDir = mkdtempSync(path.join(tmpdir(), 'moto-'));
  const logFile = path.join(logDir, 'moto.log');
  const fd = openSync(logFile, 'w');
  const proc: ChildProcess = spawn('timeout', [String(maxSeconds), 'python3', '-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', fd, fd],
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
  });
  closeSync(fd);
  const logTail = () => readFileSync(logFile, 'utf8').slice(-4000);
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const r = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`moto did not start on ${endpoint}: ${logTail()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    endpoint,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(logDir, { recursive: true, force: true });
          resolve();
        };
        if (proc.exitCode !== null) return done();
        proc.once('exit', done);
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}

/** Calls an AWS JSON-1.1 API on the emulator (it does not verify signatures). */
export async function awsJsonCall(endpoint: string, service: string, target: string, body: unknown, region = 'eu-central-1'): Promise<Record<string, unknown>> {
  const r = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': target,
      Authorization: `AWS4-HMAC-SHA256 Credential=emulator/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const json = (await r.json()) as Record<string, unknown>;
  if (!r.ok) throw new Error(`${target} failed: ${r.status} ${JSON.stringify(json)}`);
  return json;
}
