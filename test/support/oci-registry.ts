/**
 * Real OCI registries on loopback for the registry-adapter tests: Debian's `docker-registry`
 * (distribution 2.8) with filesystem storage in a temp dir, plus tiny HTTP servers to put in front
 * of it (proxies that cut connections, issue auth challenges or lie). Test images are built and
 * pushed here with plain `fetch`, never with the client under test, so a bug in the client cannot
 * hide itself.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const READY_TIMEOUT_MS = 10_000;

export interface LocalRegistry {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  /** e.g. `127.0.0.1:41234`, for `docker://` references. */
  readonly hostPort: string;
  /** Kills the registry and removes its storage. */
  stop(): Promise<void>;
}

/** A port free right now on 127.0.0.1 (docker-registry cannot bind port 0 and report it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `docker-registry serve` on a free loopback port, without auth, deletes enabled, and waits
 * until `GET /v2/` answers. Retried twice, since another process may take the port between
 * {@link freePort} and the registry's bind.
 */
export async function startRegistry(): Promise<LocalRegistry> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRegistryOnce();
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
}

async function startRegistryOnce(): Promise<LocalRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oci-registry-'));
  const port = await freePort();
  const configFile = path.join(dir, 'config.yml');
  await writeFile(configFile, registryConfig(path.join(dir, 'data'), port));
  const child = spawn('docker-registry', ['serve', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (running()) {
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000, undefined, { ref: false })]);
      if (running()) child.kill('SIGKILL');
    }
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(url, running, () => stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { url, hostPort: `127.0.0.1:${port}`, stop };
}

function registryConfig(dataDir: string, port: number): string {
  return [
    'version: 0.1',
    'log:',
    '  level: error',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${dataDir}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    '',
  ].join('\n');
}

async function waitUntilReady(url: string, running: () => boolean, stderr: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!running()) throw new Error(`docker-registry exited before answering: ${stderr()}`);
    const ok = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1_000) }).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`docker-registry at ${url} did not answer GET /v2/ within ${READY_TIMEOUT_MS} ms: ${stderr()}`);
}

// ---------------------------------------------------------------------------------------------
// Test images

export function sha256(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export interface TestBlob {
  readonly digest: string;
  readonly bytes: Buffer;
  readonly mediaType: string;
}

export interface TestPlatform {
  readonly os: string;
  readonly architecture: string;
  readonly variant?: string;
}

export interface TestManifest {
  readonly platform: TestPlatform;
  readonly digest: string;
  readonly bytes: Buffer;
  readonly mediaType: string;
  readonly config: TestBlob;
  readonly layers: readonly TestBlob[];
}

export interface TestImage {
  /** The OCI index over all platform manifests. */
  readonly index: { readonly digest: string; readonly bytes: Buffer; readonly mediaType: string };
  readonly manifests: readonly TestManifest[];
  /** Every config and layer blob, each once. */
  readonly blobs: readonly TestBlob[];
}

export interface TestImageOptions {
  /** @default linux/amd64 and linux/arm64/v8, like the runner images */
  readonly platforms?: readonly TestPlatform[];
  /** @default 2 */
  readonly layersPerPlatform?: number;
  /** Random bytes per layer. @default 64 KiB */
  readonly layerBytes?: number;
}

/** A multi-arch image of random layers, an OCI config and manifest per platform, and an OCI index. */
export function makeTestImage(options: TestImageOptions = {}): TestImage {
  const platforms = options.platforms ?? [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
  ];
  const manifests = platforms.map((p) => makeManifest(p, options.layersPerPlatform ?? 2, options.layerBytes ?? 64 * 1024));
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: manifests.map((m) => ({ mediaType: m.mediaType, digest: m.digest, size: m.bytes.length, platform: m.platform })),
    }),
  );
  return {
    index: { digest: sha256(index), bytes: index, mediaType: OCI_INDEX },
    manifests,
    blobs: manifests.flatMap((m) => [m.config, ...m.layers]),
  };
}

function makeManifest(platform: TestPlatform, layerCount: number, layerBytes: number): TestManifest {
  const layers = Array.from({ length: layerCount }, () => blob(randomBytes(layerBytes), OCI_LAYER));
  const config = blob(
    Buffer.from(JSON.stringify({ ...platform, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) }, config: {} })),
    OCI_CONFIG,
  );
  const bytes = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: descriptor(config),
      layers: layers.map(descriptor),
    }),
  );
  return { platform, digest: sha256(bytes), bytes, mediaType: OCI_MANIFEST, config, layers };
}

function blob(bytes: Buffer, mediaType: string): TestBlob {
  return { digest: sha256(bytes), bytes, mediaType };
}

function descriptor(b: TestBlob): { mediaType: string; digest: string; size: number } {
  return { mediaType: b.mediaType, digest: b.digest, size: b.bytes.length };
}

/** Uploads one blob monolithically (POST, then PUT ?digest=). */
export async function pushBlob(registryUrl: string, repository: string, bytes: Buffer): Promise<void> {
  const start = await fetch(`${registryUrl}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  expectStatus(start, 202, 'start blob upload');
  const location = new URL(start.headers.get('location') ?? '', registryUrl);
  location.searchParams.set('digest', sha256(bytes));
  const put = await fetch(location, { method: 'PUT', body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  expectStatus(put, 201, 'finish blob upload');
}

export async function pushManifest(registryUrl: string, repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<void> {
  const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': mediaType },
  });
  expectStatus(res, 201, `put manifest ${repository}:${reference}`);
}

/** Pushes blobs, platform manifests and the index (by digest), then tags the index if asked. */
export async function pushImage(registryUrl: string, repository: string, image: TestImage, tag?: string): Promise<void> {
  for (const b of image.blobs) await pushBlob(registryUrl, repository, b.bytes);
  for (const m of image.manifests) await pushManifest(registryUrl, repository, m.digest, m.bytes, m.mediaType);
  await pushManifest(registryUrl, repository, image.index.digest, image.index.bytes, image.index.mediaType);
  if (tag) await pushManifest(registryUrl, repository, tag, image.index.bytes, image.index.mediaType);
}

/** HEAD of a manifest with every manifest type accepted: its status (200 or 404). */
export async function manifestStatus(registryUrl: string, repository: string, reference: string): Promise<number> {
  const res = await fetch(`${registryUrl}/v2/${repository}/manifests/${reference}`, {
    method: 'HEAD',
    headers: { accept: [OCI_INDEX, OCI_MANIFEST].join(', ') },
  });
  return res.status;
}

function expectStatus(res: Response, status: number, what: string): void {
  void res.body?.cancel();
  if (res.status !== status) throw new Error(`${what}: expected HTTP ${status}, got ${res.status}`);
}

// ---------------------------------------------------------------------------------------------
// Loopback servers in front of a registry

export interface LoopbackServer {
  /** e.g. `http://127.0.0.1:41235` */
  readonly url: string;
  stop(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 with a random port. */
export function startHttpServer(handler: http.RequestListener): Promise<LoopbackServer> {
  const server = http.createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export interface ForwardOptions {
  /** Send the upstream status, headers and this many body bytes, then cut the connection. */
  readonly cutAfterBytes?: number;
}

/**
 * Forwards `req` to `upstreamUrl` unchanged, Host header included, so the registry builds its
 * Location and Link URLs for the proxy and clients keep talking through it.
 */
export function forward(req: http.IncomingMessage, res: http.ServerResponse, upstreamUrl: string, options: ForwardOptions = {}): void {
  const upstream = new URL(upstreamUrl);
  const proxied = http.request(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      if (options.cutAfterBytes === undefined) {
        answer.pipe(res);
        return;
      }
      cutAfter(answer, res, options.cutAfterBytes);
    },
  );
  proxied.on('error', () => res.destroy());
  req.pipe(proxied);
}

/** Relays `limit` bytes of `answer`, then destroys both connections once they are flushed. */
function cutAfter(answer: http.IncomingMessage, res: http.ServerResponse, limit: number): void {
  let relayed = 0;
  answer.on('data', (chunk: Buffer) => {
    if (relayed >= limit) return;
    const part = chunk.subarray(0, limit - relayed);
    relayed += part.length;
    res.write(part, () => {
      if (relayed < limit) return;
      answer.destroy();
      res.socket?.destroy();
    });
  });
}
