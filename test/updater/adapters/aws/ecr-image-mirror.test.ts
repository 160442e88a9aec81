/**
 * EcrImageMirror between two docker-registry instances on loopback (upstream and mirror), with the
 * ECR credential from the AWS API emulator's GetAuthorizationToken and `registryUrlOverride`
 * pointing at the local mirror.
 */
import { ECRClient } from '@aws-sdk/client-ecr';
import { EcrImageMirror, type EcrImageMirrorOptions } from '../../../../updater/adapters/aws/ecr-image-mirror';
import { OciRegistryClient, TagConflictError } from '../../../../updater/adapters/oci';
import { moto, type MotoServer, startMoto } from '../../../support/moto';
import {
  forward,
  makeTestImage,
  pushImage,
  startHttpServer,
  startRegistry,
  type LocalRegistry,
  type LoopbackServer,
  type TestImage,
} from '../../../support/oci-registry';
import { describeWith, dockerRegistry } from '../../../support/requirements';
import { emulatorClientConfig } from './emulator-clients';

const UPSTREAM = 'meshcloud/tf-block-runner';
const MIRROR = 'private-runner-kit/acme-prod/tf-block-runner';
/** What moto's GetAuthorizationToken issues for its default account: base64 of `AWS:<password>`. */
const ECR_HOST = '123456789012.dkr.ecr.eu-central-1.amazonaws.com';
const ECR_BASIC = `Basic ${Buffer.from('AWS:123456789012-auth-token').toString('base64')}`;
const FAST = { retryBaseDelayMs: 5 } as const;

describeWith([dockerRegistry, moto], 'EcrImageMirror with loopback registries and the emulator\'s ECR token', () => {
  let server: MotoServer;
  let ecr: ECRClient;
  let upstream: LocalRegistry;
  let mirror: LocalRegistry;
  let v130: TestImage;
  const proxies: LoopbackServer[] = [];

  const mirrorFor = (overrides: Partial<EcrImageMirrorOptions> = {}) =>
    new EcrImageMirror({
      ecr,
      upstream: { registryUrl: upstream.url, repository: UPSTREAM },
      mirrorRepository: MIRROR,
      registryUrlOverride: mirror.url,
      clientOptions: FAST,
      ...overrides,
    });

  beforeAll(async () => {
    [server, upstream, mirror] = await Promise.all([startMoto(), startRegistry(), startRegistry()]);
    ecr = new ECRClient(emulatorClientConfig(server.endpoint));
    v130 = makeTestImage({ layerBytes: 32 * 1024 });
    await pushImage(upstream.url, UPSTREAM, v130, 'v1.3.0');
  });

  afterAll(async () => {
    await Promise.all(proxies.map((p) => p.stop()));
    await Promise.all([server?.stop(), upstream?.stop(), mirror?.stop()]);
  });

  it('promotes a release by digest, tags it with its version, and references it in the mirror', async () => {
    const m = mirrorFor();
    const digest = await m.promote('v1.3.0');
    expect(digest).toBe(v130.index.digest);
    expect(await new OciRegistryClient(mirror.url).resolveDigest(MIRROR, 'v1.3.0')).toBe(v130.index.digest);
    expect(m.imageReference(digest)).toBe(`${mirror.hostPort}/${MIRROR}@${v130.index.digest}`);
  });

  it('is idempotent: promoting the same release again returns the same digest', async () => {
    await expect(mirrorFor().promote('v1.3.0')).resolves.toBe(v130.index.digest);
  });

  it('refuses to move an immutable tag to another digest', async () => {
    const other = makeTestImage({ layerBytes: 1024 });
    await pushImage(upstream.url, UPSTREAM, other, 'v1.5.0');
    await pushImage(mirror.url, MIRROR, makeTestImage({ layerBytes: 1024 }), 'v1.5.0');
    await expect(mirrorFor().promote('v1.5.0')).rejects.toBeInstanceOf(TagConflictError);
  });

  it('sends the ECR credential when the mirror challenges for Basic auth, as ECR does', async () => {
    const seen: (string | undefined)[] = [];
    const proxy = await startHttpServer((req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization !== ECR_BASIC) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="https://123456789012.dkr.ecr.eu-central-1.amazonaws.com/",service="ecr.amazonaws.com"' });
        res.end();
        return;
      }
      forward(req, res, mirror.url);
    });
    proxies.push(proxy);
    const image = makeTestImage({ layerBytes: 1024 });
    await pushImage(upstream.url, UPSTREAM, image, 'v1.6.0');
    await expect(mirrorFor({ registryUrlOverride: proxy.url }).promote('v1.6.0')).resolves.toBe(image.index.digest);
    expect(seen[0]).toBeUndefined();
    expect(seen.slice(1).every((h) => h === ECR_BASIC)).toBe(true);
  });

  it('connect() learns the registry host from GetAuthorizationToken, so imageReference works before any promotion', async () => {
    const m = await EcrImageMirror.connect({ ecr, upstream: { registryUrl: 'https://ghcr.io', repository: UPSTREAM }, mirrorRepository: MIRROR });
    expect(m.imageReference(v130.index.digest)).toBe(`${ECR_HOST}/${MIRROR}@${v130.index.digest}`);
  });

  it('without connect() or registryHost, imageReference before a promotion fails with the fix', () => {
    const m = new EcrImageMirror({ ecr, upstream: { registryUrl: 'https://ghcr.io', repository: UPSTREAM }, mirrorRepository: MIRROR });
    expect(() => m.imageReference(v130.index.digest)).toThrow(/registry host of mirror .* is not known before the first promote\(\); set registryHost/);
  });

  it('fails before pushing when GetAuthorizationToken names another registry than registryHost', async () => {
    const m = new EcrImageMirror({ ecr, upstream: { registryUrl: upstream.url, repository: UPSTREAM }, mirrorRepository: MIRROR, registryHost: '210987654321.dkr.ecr.eu-central-1.amazonaws.com' });
    await expect(m.promote('v1.3.0')).rejects.toThrow(`ECR GetAuthorizationToken names registry ${ECR_HOST}, but registryHost is 210987654321.dkr.ecr.eu-central-1.amazonaws.com`);
    expect(m.imageReference(v130.index.digest)).toBe(`210987654321.dkr.ecr.eu-central-1.amazonaws.com/${MIRROR}@${v130.index.digest}`);
  });

  it.each([
    [{ mirrorRepository: 'Private/Runner' }, /repository "Private\/Runner" is not a valid OCI repository name/],
    [{ registryHost: 'https://123456789012.dkr.ecr.eu-central-1.amazonaws.com' }, /registryHost .* is not a registry host; use host\[:port\] without scheme or path/],
  ])('fails at construction for %j', (overrides, message) => {
    expect(() => mirrorFor(overrides)).toThrow(message);
  });

  it('fails for a version that is not a tag, and for a digest that is not one', async () => {
    await expect(mirrorFor().promote('v1.3.0 ')).rejects.toThrow('version "v1.3.0 " is not a valid tag');
    expect(() => mirrorFor().imageReference('v1.3.0')).toThrow(/mirror image digest "v1.3.0" is not a sha256 digest/);
  });
});
