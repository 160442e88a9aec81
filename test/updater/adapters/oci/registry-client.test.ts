import type * as http from 'node:http';
import {
  DigestMismatchError,
  OciRegistryClient,
  RegistryError,
  anonymousAuth,
  basicAuth,
  basicAuthFromEcrToken,
  isNotFound,
  parseChallenge,
  staticBearerAuth,
} from '../../../../updater/adapters/oci';
import {
  OCI_INDEX,
  OCI_MANIFEST,
  forward,
  makeTestImage,
  pushImage,
  pushManifest,
  startHttpServer,
  startRegistry,
  type LocalRegistry,
  type LoopbackServer,
  type TestImage,
} from '../../../support/oci-registry';
import { describeWith, dockerRegistry } from '../../../support/requirements';

const REPO = 'meshcloud/tf-block-runner';
/** Fast retries: the behaviour is under test, not the production delays. */
const FAST = { retryBaseDelayMs: 5 } as const;

describe('OciRegistryClient URL policy', () => {
  it.each(['https://ghcr.io', 'http://127.0.0.1:5000', 'http://localhost:5000', 'http://[::1]:5000', 'https://ghcr.io/'])(
    'accepts %s',
    (url) => {
      expect(new OciRegistryClient(url).baseUrl).toBe(url.replace(/\/$/, ''));
    },
  );

  it('fails when http:// points at a non-loopback host', () => {
    expect(() => new OciRegistryClient('http://registry.example.com')).toThrow(
      'registry http://registry.example.com/ uses plain http to a non-loopback host; use https (http is allowed only for 127.0.0.1, ::1 and localhost)',
    );
  });

  it('fails when the URL embeds credentials, a path or another protocol', () => {
    expect(() => new OciRegistryClient('https://user:secret@ghcr.io')).toThrow(/must not embed credentials/);
    expect(() => new OciRegistryClient('https://ghcr.io/v2/meshcloud')).toThrow(/must be an origin/);
    expect(() => new OciRegistryClient('ftp://ghcr.io')).toThrow(/unsupported protocol "ftp:"/);
  });

  it('fails before any request when a repository name or reference is invalid', async () => {
    const client = new OciRegistryClient('https://ghcr.io');
    await expect(client.getManifest('Meshcloud/Runner', 'v1')).rejects.toThrow(/not a valid OCI repository name/);
    await expect(client.getManifest(REPO, '../../etc')).rejects.toThrow(/neither a tag .* nor a sha256 digest/);
  });
});

describe('auth challenges and providers', () => {
  it('parses the Bearer challenge ghcr.io sends, with a comma inside the quoted scope', () => {
    expect(parseChallenge('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:a/b:pull,push"')).toEqual({
      scheme: 'Bearer',
      realm: 'https://ghcr.io/token',
      service: 'ghcr.io',
      scope: 'repository:a/b:pull,push',
    });
  });

  it('parses ECR\'s Basic challenge and ignores schemes it cannot answer', () => {
    expect(parseChallenge('Basic realm="https://1.dkr.ecr.eu-west-1.amazonaws.com/",service="ecr.amazonaws.com"')).toEqual({
      scheme: 'Basic',
      realm: 'https://1.dkr.ecr.eu-west-1.amazonaws.com/',
    });
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
    expect(parseChallenge('Bearer service="x"')).toBeUndefined();
    expect(parseChallenge(null)).toBeUndefined();
  });

  it('fails when a token realm uses http to a non-loopback host (credentials would travel in clear)', async () => {
    const request = { challenge: { scheme: 'Bearer', realm: 'http://auth.example.com/token' } as const, scopes: [], refresh: false, timeoutMs: 1000 };
    await expect(basicAuth('robot', 'hunter2').authorization(request)).rejects.toThrow(/token realm http:\/\/auth.example.com\/token uses plain http/);
  });

  it('fails when an ECR token does not decode to user:password', () => {
    expect(() => basicAuthFromEcrToken(Buffer.from('no-colon').toString('base64'))).toThrow(/does not decode to "<user>:<password>"/);
  });
});

describeWith([dockerRegistry], 'OciRegistryClient against docker-registry on loopback', () => {
  let registry: LocalRegistry;
  let image: TestImage;
  let client: OciRegistryClient;
  const servers: LoopbackServer[] = [];
  const releaseCandidates = Array.from({ length: 12 }, (_, i) => `rc-${String(i + 1).padStart(2, '0')}`);
  const allTags = ['amd64-only', 'v1.3.0', ...releaseCandidates].sort();

  /** A loopback server for one test, stopped in afterAll. */
  async function serve(handler: http.RequestListener): Promise<LoopbackServer> {
    const server = await startHttpServer(handler);
    servers.push(server);
    return server;
  }

  beforeAll(async () => {
    registry = await startRegistry();
    image = makeTestImage();
    await pushImage(registry.url, REPO, image, 'v1.3.0');
    const amd64 = image.manifests[0];
    for (const tag of ['amd64-only', ...releaseCandidates]) await pushManifest(registry.url, REPO, tag, amd64.bytes, amd64.mediaType);
    client = new OciRegistryClient(registry.url, FAST);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await registry?.stop();
  });

  describe('listTags', () => {
    it('lists every tag (docker-registry 2.8 ignores ?n= and answers in one page)', async () => {
      expect((await client.listTags(REPO, { pageSize: 5 })).sort()).toEqual(allTags);
    });

    it('follows Link rel="next" pages of ?n= size, as ghcr.io and distribution 3 paginate', async () => {
      const pageSizes: string[] = [];
      const paginating = await serve((req, res) => {
        const url = new URL(req.url ?? '/', 'http://proxy');
        if (!url.pathname.endsWith('/tags/list')) return forward(req, res, registry.url);
        pageSizes.push(url.searchParams.get('n') ?? '');
        void paginate(registry.url, url, res);
      });
      const tags = await new OciRegistryClient(paginating.url, FAST).listTags(REPO, { pageSize: 5 });
      expect(tags).toEqual(allTags);
      expect(pageSizes).toEqual(['5', '5', '5']);
    });

    it('fails after maxPages when the registry keeps linking to more pages', async () => {
      const looping = await serve((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', link: `<${req.url}>; rel="next"` });
        res.end(JSON.stringify({ name: REPO, tags: ['a'] }));
      });
      await expect(new OciRegistryClient(looping.url, FAST).listTags(REPO, { maxPages: 3 })).rejects.toThrow(
        `${looping.url}/${REPO} has more than 3 pages of tags (page size 100); raise maxPages or pageSize`,
      );
    });
  });

  describe('manifests and blobs', () => {
    it('resolves the digest of a single-platform manifest', async () => {
      expect(await client.resolveDigest(REPO, 'amd64-only')).toBe(image.manifests[0].digest);
    });

    it('resolves the digest of an index (the Accept header lists OCI index types)', async () => {
      expect(await client.resolveDigest(REPO, 'v1.3.0')).toBe(image.index.digest);
    });

    it('gets an index with its media type, digest and unchanged bytes', async () => {
      const index = await client.getManifest(REPO, 'v1.3.0');
      expect(index.mediaType).toBe(OCI_INDEX);
      expect(index.digest).toBe(image.index.digest);
      expect(index.bytes.equals(image.index.bytes)).toBe(true);
    });

    it('gets a platform manifest by digest', async () => {
      const arm64 = image.manifests[1];
      const manifest = await client.getManifest(REPO, arm64.digest);
      expect(manifest).toEqual({ mediaType: OCI_MANIFEST, digest: arm64.digest, bytes: arm64.bytes });
    });

    it('fails with a 404 RegistryError naming the registry code when the tag does not exist', async () => {
      const err = await client.getManifest(REPO, 'v9.9.9').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegistryError);
      expect(isNotFound(err)).toBe(true);
      expect((err as RegistryError).code).toBe('MANIFEST_UNKNOWN');
      expect((err as Error).message).toMatch(`GET ${registry.url}/v2/${REPO}/manifests/v9.9.9 failed: HTTP 404 MANIFEST_UNKNOWN`);
    });

    it('reports whether a blob exists', async () => {
      expect(await client.blobExists(REPO, image.blobs[0].digest)).toBe(true);
      expect(await client.blobExists(REPO, `sha256:${'0'.repeat(64)}`)).toBe(false);
    });
  });

  describe('integrity', () => {
    it('fails when a registry serves other bytes for a digest', async () => {
      const [amd64, arm64] = image.manifests;
      const lying = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': OCI_MANIFEST });
        res.end(arm64.bytes);
      });
      const err = await new OciRegistryClient(lying.url, FAST).getManifest(REPO, amd64.digest).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DigestMismatchError);
      expect((err as Error).message).toBe(
        `manifest ${lying.url}/${REPO}@${amd64.digest}: expected ${amd64.digest} but the content hashes to ${arm64.digest}; refusing content that does not match its digest`,
      );
    });

    it('fails when the bytes of a tag do not match the Docker-Content-Digest the registry announces', async () => {
      const [amd64, arm64] = image.manifests;
      const lying = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': amd64.digest });
        res.end(arm64.bytes);
      });
      await expect(new OciRegistryClient(lying.url, FAST).getManifest(REPO, 'v1.3.0')).rejects.toThrow(DigestMismatchError);
    });
  });

  describe('retries', () => {
    it('retries 503 and 429 on reads, then succeeds', async () => {
      const statuses = [503, 429];
      const flaky = await serve((req, res) => {
        const status = statuses.shift();
        if (status === undefined) return forward(req, res, registry.url);
        res.writeHead(status, { 'retry-after': '0' });
        res.end();
      });
      expect(await new OciRegistryClient(flaky.url, FAST).resolveDigest(REPO, 'v1.3.0')).toBe(image.index.digest);
      expect(statuses).toEqual([]);
    });

    it('gives up after the configured retries and reports the last status', async () => {
      let requests = 0;
      const down = await serve((_req, res) => {
        requests++;
        res.writeHead(502);
        res.end();
      });
      await expect(new OciRegistryClient(down.url, { ...FAST, retries: 2 }).resolveDigest(REPO, 'v1.3.0')).rejects.toThrow(/HTTP 502/);
      expect(requests).toBe(3);
    });

    it('times out a request the registry never answers', async () => {
      const silent = await serve(() => undefined);
      await expect(new OciRegistryClient(silent.url, { ...FAST, retries: 0, requestTimeoutMs: 200 }).resolveDigest(REPO, 'v1.3.0')).rejects.toThrow(
        `HEAD ${silent.url}/v2/${REPO}/manifests/v1.3.0 failed: timed out after 200 ms`,
      );
    });

    it('does not retry a 404', async () => {
      let requests = 0;
      const counting = await serve((req, res) => {
        requests++;
        forward(req, res, registry.url);
      });
      await expect(new OciRegistryClient(counting.url, FAST).resolveDigest(REPO, 'nope')).rejects.toThrow(/HTTP 404/);
      expect(requests).toBe(1);
    });
  });

  describe('authentication', () => {
    const TOKEN = 'tok-7f3a9c-never-print-me';
    const PASSWORD = 'ecr-password-never-print-me';

    interface AuthLog {
      readonly tokenRequests: { scope: string[]; service: string | null; authorization?: string }[];
      unauthorized: number;
    }

    /**
     * A registry in front of the real one that wants `Bearer <TOKEN>` (anonymous token flow, as
     * ghcr.io) or Basic `AWS:<PASSWORD>` (as ECR). Repositories under `private/` are refused even
     * with the right credential, as a registry does for a token without access.
     */
    async function authProxy(scheme: 'Bearer' | 'Basic'): Promise<{ server: LoopbackServer; log: AuthLog }> {
      const log: AuthLog = { tokenRequests: [], unauthorized: 0 };
      const accepted = scheme === 'Bearer' ? `Bearer ${TOKEN}` : `Basic ${Buffer.from(`AWS:${PASSWORD}`).toString('base64')}`;
      const server = await serve((req, res) => {
        const url = new URL(req.url ?? '/', 'http://proxy');
        if (url.pathname === '/token') {
          log.tokenRequests.push({ scope: url.searchParams.getAll('scope'), service: url.searchParams.get('service'), authorization: req.headers.authorization });
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end(JSON.stringify({ token: TOKEN, expires_in: 300 }));
        }
        const repository = /^\/v2\/(.+)\/(?:manifests|blobs|tags)\//.exec(url.pathname)?.[1];
        if (req.headers.authorization === accepted && !repository?.startsWith('private/')) return forward(req, res, registry.url);
        log.unauthorized++;
        const challenge =
          scheme === 'Basic'
            ? 'Basic realm="loopback"'
            : `Bearer realm="${server.url}/token",service="loopback-registry"${repository ? `,scope="repository:${repository}:pull"` : ''}`;
        res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': challenge });
        res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      });
      return { server, log };
    }

    function expectNoSecretIn(err: unknown): void {
      const text = `${String(err)} ${(err as Error).stack ?? ''} ${JSON.stringify(err)}`;
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(Buffer.from(`AWS:${PASSWORD}`).toString('base64'));
    }

    it('answers a Bearer challenge with an anonymous token for the challenged scope, cached per scope', async () => {
      const { server, log } = await authProxy('Bearer');
      const anonymous = new OciRegistryClient(server.url, { ...FAST, auth: anonymousAuth() });
      expect((await anonymous.getManifest(REPO, 'v1.3.0')).digest).toBe(image.index.digest);
      expect(await anonymous.resolveDigest(REPO, 'v1.3.0')).toBe(image.index.digest);
      expect(await anonymous.blobExists(REPO, image.blobs[0].digest)).toBe(true);
      expect(log.tokenRequests).toEqual([{ scope: [`repository:${REPO}:pull`], service: 'loopback-registry', authorization: undefined }]);
      expect(log.unauthorized).toBe(1);
    });

    it('fails without revealing the token when the token grants no access', async () => {
      const { server } = await authProxy('Bearer');
      const err = await new OciRegistryClient(server.url, FAST).getManifest('private/runner', 'v1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegistryError);
      expect((err as RegistryError).status).toBe(401);
      expect((err as Error).message).toBe(`GET ${server.url}/v2/private/runner/manifests/v1 failed: HTTP 401 UNAUTHORIZED: authentication required`);
      expectNoSecretIn(err);
    });

    it('sends a basic credential to the token realm when the registry challenges with Bearer', async () => {
      const { server, log } = await authProxy('Bearer');
      const robot = new OciRegistryClient(server.url, { ...FAST, auth: basicAuth('robot', PASSWORD) });
      expect(await robot.resolveDigest(REPO, 'v1.3.0')).toBe(image.index.digest);
      expect(log.tokenRequests.map((r) => r.authorization)).toEqual([`Basic ${Buffer.from(`robot:${PASSWORD}`).toString('base64')}`]);
    });

    it('answers ECR\'s Basic challenge with the GetAuthorizationToken credential, then authenticates up front', async () => {
      const { server, log } = await authProxy('Basic');
      const ecr = new OciRegistryClient(server.url, { ...FAST, auth: basicAuthFromEcrToken(Buffer.from(`AWS:${PASSWORD}`).toString('base64')) });
      expect(await ecr.resolveDigest(REPO, 'v1.3.0')).toBe(image.index.digest);
      expect(await ecr.blobExists(REPO, image.blobs[0].digest)).toBe(true);
      expect((await ecr.listTags(REPO)).length).toBe(allTags.length);
      expect(log.unauthorized).toBe(1);
    });

    it('fails without revealing the password when ECR rejects the credential', async () => {
      const { server } = await authProxy('Basic');
      const wrong = new OciRegistryClient(server.url, { ...FAST, auth: basicAuth('AWS', `${PASSWORD}-stale`) });
      const err = await wrong.resolveDigest(REPO, 'v1.3.0').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RegistryError);
      expect((err as RegistryError).status).toBe(401);
      expectNoSecretIn(err);
    });

    it('sends a static bearer token without waiting for a challenge', async () => {
      const { server, log } = await authProxy('Bearer');
      const preauthorized = new OciRegistryClient(server.url, { ...FAST, auth: staticBearerAuth(TOKEN) });
      expect(await preauthorized.resolveDigest(REPO, 'v1.3.0')).toBe(image.index.digest);
      expect(log).toEqual({ tokenRequests: [], unauthorized: 0 });
    });
  });
});

/** Serves one `?n=&last=` page of the real registry's (unpaginated) tag list with a Link to the next. */
async function paginate(registryUrl: string, url: URL, res: http.ServerResponse): Promise<void> {
  const all = (await (await fetch(`${registryUrl}${url.pathname}`)).json()) as { name: string; tags: string[] };
  const n = Number(url.searchParams.get('n'));
  const last = url.searchParams.get('last');
  const rest = all.tags.sort().filter((t) => last === null || t > last);
  const page = rest.slice(0, n);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (rest.length > n) headers.link = `<${url.pathname}?n=${n}&last=${page[page.length - 1]}>; rel="next"`;
  res.writeHead(200, headers);
  res.end(JSON.stringify({ name: all.name, tags: page }));
}
