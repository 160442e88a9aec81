import { execFile } from 'node:child_process';
import type * as http from 'node:http';
import { promisify } from 'node:util';
import { DigestMismatchError, OciRegistryClient, TagConflictError, promote, type PromoteOptions } from '../../../../updater/adapters/oci';
import {
  OCI_INDEX,
  OCI_MANIFEST,
  forward,
  makeTestImage,
  manifestStatus,
  pushImage,
  sha256,
  startHttpServer,
  startRegistry,
  type LocalRegistry,
  type LoopbackServer,
  type TestImage,
} from '../../../support/oci-registry';
import { describeWith, dockerRegistry, skopeo } from '../../../support/requirements';

const UPSTREAM = 'meshcloud/tf-block-runner';
const MIRROR = 'mirror/tf-block-runner';
const LAYER_BYTES = 512 * 1024;
/** Fast retries: the behaviour is under test, not the production delays. */
const FAST = { retryBaseDelayMs: 5 } as const;

describeWith([dockerRegistry], 'promote between two docker-registry instances on loopback', () => {
  let upstream: LocalRegistry;
  let mirror: LocalRegistry;
  let image: TestImage;
  let source: OciRegistryClient;
  let target: OciRegistryClient;
  const servers: LoopbackServer[] = [];

  /** A proxy in front of the upstream registry; `intercept` may answer a request itself (true). */
  async function upstreamProxy(intercept: (req: http.IncomingMessage, res: http.ServerResponse) => boolean): Promise<OciRegistryClient> {
    const server = await startHttpServer((req, res) => {
      if (!intercept(req, res)) forward(req, res, upstream.url);
    });
    servers.push(server);
    return new OciRegistryClient(server.url, FAST);
  }

  function allPlatforms(targetRepository: string, tag?: string): PromoteOptions {
    return {
      source: { client: source, repository: UPSTREAM, reference: 'v1.3.0' },
      target: { client: target, repository: targetRepository, tag },
      platforms: 'all',
    };
  }

  beforeAll(async () => {
    [upstream, mirror] = await Promise.all([startRegistry(), startRegistry()]);
    image = makeTestImage({ layerBytes: LAYER_BYTES });
    await pushImage(upstream.url, UPSTREAM, image, 'v1.3.0');
    source = new OciRegistryClient(upstream.url, FAST);
    target = new OciRegistryClient(mirror.url, FAST);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await Promise.all([upstream?.stop(), mirror?.stop()]);
  });

  describe('all platforms', () => {
    it('copies every manifest and blob and the index unchanged, so the digest is the source\'s', async () => {
      const result = await promote(allPlatforms(MIRROR, 'v1.3.0'));
      expect(result).toEqual({
        digest: image.index.digest,
        mediaType: OCI_INDEX,
        blobsCopied: 6,
        blobsMounted: 0,
        blobsSkipped: 0,
        manifestsCopied: 3,
        manifestsSkipped: 0,
      });
      expect(await target.resolveDigest(MIRROR, 'v1.3.0')).toBe(image.index.digest);
      for (const blob of image.blobs) expect(await target.blobExists(MIRROR, blob.digest)).toBe(true);
    });

    it('is idempotent: a second run skips every blob and manifest and accepts the identical tag', async () => {
      expect(await promote(allPlatforms(MIRROR, 'v1.3.0'))).toEqual({
        digest: image.index.digest,
        mediaType: OCI_INDEX,
        blobsCopied: 0,
        blobsMounted: 0,
        blobsSkipped: 6,
        manifestsCopied: 0,
        manifestsSkipped: 3,
      });
    });

    describeWith([skopeo], 'a third-party client', () => {
      it('skopeo reads the promoted tag with the same digest', async () => {
        const { stdout } = await promisify(execFile)(
          'skopeo',
          ['inspect', '--tls-verify=false', '--raw', `docker://${mirror.hostPort}/${MIRROR}:v1.3.0`],
          { encoding: 'buffer', timeout: 20_000 },
        );
        expect(sha256(stdout)).toBe(image.index.digest);
      });
    });

    it('mounts blobs from a sibling repository of the same registry instead of streaming them', async () => {
      const result = await promote({
        source: { client: target, repository: MIRROR, reference: image.index.digest },
        target: { client: target, repository: 'mirror/copy' },
        platforms: 'all',
      });
      expect(result).toMatchObject({ digest: image.index.digest, blobsCopied: 0, blobsMounted: 6, manifestsCopied: 3 });
    });
  });

  describe('one platform', () => {
    it('copies only the platform manifest and its blobs; the digest is the child\'s', async () => {
      const arm64 = image.manifests[1];
      const result = await promote({
        source: { client: source, repository: UPSTREAM, reference: image.index.digest },
        target: { client: target, repository: 'mirror/arm64-only', tag: 'v1.3.0' },
        platforms: [{ os: 'linux', architecture: 'arm64' }],
      });
      expect(result).toEqual({
        digest: arm64.digest,
        mediaType: OCI_MANIFEST,
        blobsCopied: 3,
        blobsMounted: 0,
        blobsSkipped: 0,
        manifestsCopied: 1,
        manifestsSkipped: 0,
      });
      expect(await target.resolveDigest('mirror/arm64-only', 'v1.3.0')).toBe(arm64.digest);
      expect(await manifestStatus(mirror.url, 'mirror/arm64-only', image.manifests[0].digest)).toBe(404);
      expect(await manifestStatus(mirror.url, 'mirror/arm64-only', image.index.digest)).toBe(404);
    });

    it('fails when the source has no manifest for the platform, naming what it offers', async () => {
      await expect(promote({ ...allPlatforms('mirror/s390x'), platforms: [{ os: 'linux', architecture: 's390x' }] })).rejects.toThrow(
        `${upstream.url}/${UPSTREAM}:v1.3.0 has no manifest for linux/s390x; it offers linux/amd64, linux/arm64/v8`,
      );
    });

    it('fails when more than one platform is asked for', async () => {
      const platforms = [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ];
      await expect(promote({ ...allPlatforms('mirror/two'), platforms })).rejects.toThrow(
        "platforms must be 'all' or exactly one platform, got 2; an index over a subset would get a new digest that no upstream signature covers",
      );
    });
  });

  describe('immutable tags', () => {
    it('fails when the tag already points to another digest, and leaves it unchanged', async () => {
      const arm64 = image.manifests[1];
      const err = await promote({
        source: { client: source, repository: UPSTREAM, reference: 'v1.3.0' },
        target: { client: target, repository: MIRROR, tag: 'v1.3.0' },
        platforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }],
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TagConflictError);
      expect((err as Error).message).toBe(
        `tag "v1.3.0" in ${mirror.url}/${MIRROR} already points to ${image.index.digest}, not ${arm64.digest}; ` +
          'mirror tags are immutable, so promote under a new tag instead of moving this one',
      );
      expect(await target.resolveDigest(MIRROR, 'v1.3.0')).toBe(image.index.digest);
    });

    /**
     * The mirror as ECR behaves after a concurrent run tagged first: the pre-check HEAD still says
     * 404, and the PUT of the tag is refused with 400 ImageTagAlreadyExistsException.
     */
    async function ecrAfterConcurrentTagging(): Promise<{ client: OciRegistryClient; tagPuts: () => number }> {
      const tagPath = `/v2/${MIRROR}/manifests/v1.3.0`;
      let tagHeads = 0;
      let tagPuts = 0;
      const server = await startHttpServer((req, res) => {
        if (req.url === tagPath && req.method === 'HEAD' && tagHeads++ === 0) {
          res.writeHead(404);
          res.end();
          return;
        }
        if (req.url === tagPath && req.method === 'PUT') {
          tagPuts++;
          req.resume();
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ code: 'ImageTagAlreadyExistsException', message: "tag 'v1.3.0' already exists" }] }));
          return;
        }
        forward(req, res, mirror.url);
      });
      servers.push(server);
      return { client: new OciRegistryClient(server.url, FAST), tagPuts: () => tagPuts };
    }

    it('treats a refused tag PUT as success when the tag now names the same digest (ECR, concurrent run)', async () => {
      const ecr = await ecrAfterConcurrentTagging();
      const result = await promote({ ...allPlatforms(MIRROR), target: { client: ecr.client, repository: MIRROR, tag: 'v1.3.0' } });
      expect(result.digest).toBe(image.index.digest);
      expect(ecr.tagPuts()).toBe(1);
    });

    it('fails with a tag conflict when a refused tag PUT left the tag on another digest', async () => {
      const ecr = await ecrAfterConcurrentTagging();
      const promotion = promote({
        source: { client: source, repository: UPSTREAM, reference: 'v1.3.0' },
        target: { client: ecr.client, repository: MIRROR, tag: 'v1.3.0' },
        platforms: [{ os: 'linux', architecture: 'amd64' }],
      });
      await expect(promotion).rejects.toThrow(TagConflictError);
      expect(ecr.tagPuts()).toBe(1);
    });
  });

  describe('integrity', () => {
    it('fails when the source streams other bytes for a blob, and the mirror never stores them', async () => {
      const layer = image.manifests[0].layers[0];
      const lying = await upstreamProxy((req, res) => {
        if (req.method !== 'GET' || req.url !== `/v2/${UPSTREAM}/blobs/${layer.digest}`) return false;
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(layer.bytes.length) });
        res.end(Buffer.alloc(layer.bytes.length, 7));
        return true;
      });
      const err = await promote({
        ...allPlatforms('mirror/corrupt'),
        source: { client: lying, repository: UPSTREAM, reference: 'v1.3.0' },
        retries: 0,
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DigestMismatchError);
      expect((err as Error).message).toMatch(`blob streamed from the source: expected ${layer.digest} but the content hashes to sha256:`);
      expect(await target.blobExists('mirror/corrupt', layer.digest)).toBe(false);
    });
  });

  describe('interruptions', () => {
    const cutPath = () => `/v2/${UPSTREAM}/blobs/${image.manifests[1].layers[1].digest}`;

    it('retries a blob whose stream is cut mid-way and completes the copy', async () => {
      let gets = 0;
      const flaky = await upstreamProxy((req, res) => {
        if (req.method !== 'GET' || req.url !== cutPath()) return false;
        gets++;
        forward(req, res, upstream.url, gets === 1 ? { cutAfterBytes: LAYER_BYTES / 2 } : {});
        return true;
      });
      const result = await promote({ ...allPlatforms('mirror/interrupted', 'v1.3.0'), source: { client: flaky, repository: UPSTREAM, reference: 'v1.3.0' } });
      expect(result).toMatchObject({ digest: image.index.digest, blobsCopied: 6, blobsSkipped: 0, manifestsCopied: 3 });
      expect(gets).toBe(2);
      expect(await target.resolveDigest('mirror/interrupted', 'v1.3.0')).toBe(image.index.digest);
    });

    it('fails after the bounded retries, and a re-run completes what the failed run left', async () => {
      let gets = 0;
      const broken = await upstreamProxy((req, res) => {
        if (req.method !== 'GET' || req.url !== cutPath()) return false;
        gets++;
        forward(req, res, upstream.url, { cutAfterBytes: LAYER_BYTES / 2 });
        return true;
      });
      const failed = promote({
        ...allPlatforms('mirror/resumed', 'v1.3.0'),
        source: { client: broken, repository: UPSTREAM, reference: 'v1.3.0' },
        retries: 1,
      });
      await expect(failed).rejects.toThrow(/^GET http:\/\/127\.0\.0\.1:\d+\/v2\/meshcloud\/tf-block-runner\/blobs\/sha256:[0-9a-f]{64} failed: source stream failed: /);
      expect(gets).toBe(2);
      expect(await manifestStatus(mirror.url, 'mirror/resumed', 'v1.3.0')).toBe(404);

      expect(await promote(allPlatforms('mirror/resumed', 'v1.3.0'))).toEqual({
        digest: image.index.digest,
        mediaType: OCI_INDEX,
        blobsCopied: 1,
        blobsMounted: 0,
        blobsSkipped: 5,
        manifestsCopied: 2,
        manifestsSkipped: 1,
      });
    });
  });
});
