import { UpstreamReleaseSource } from '../../../../updater/adapters/oci/upstream-release-source';
import { makeTestImage, pushImage, startRegistry, type LocalRegistry } from '../../../support/oci-registry';
import { describeWith, dockerRegistry } from '../../../support/requirements';

const UPSTREAM = 'meshcloud/tf-block-runner';

describeWith([dockerRegistry], 'UpstreamReleaseSource against a docker-registry on loopback', () => {
  let upstream: LocalRegistry;

  beforeAll(async () => {
    upstream = await startRegistry();
    const image = makeTestImage({ layerBytes: 1024 });
    for (const tag of ['v1.2.0', 'v1.3.0', 'latest', 'main-3f2a1c']) await pushImage(upstream.url, UPSTREAM, image, tag);
  });

  afterAll(async () => {
    await upstream?.stop();
  });

  it('lists the release tags, following pages; the others are dropped as they are read (bounded memory)', async () => {
    const source = new UpstreamReleaseSource({ registryUrl: upstream.url, repository: UPSTREAM, listTags: { pageSize: 1 } });
    expect([...(await source.listTags())].sort()).toEqual(['v1.2.0', 'v1.3.0']);
  });

  it('fails at construction for an invalid repository name', () => {
    expect(() => new UpstreamReleaseSource({ registryUrl: upstream.url, repository: 'Meshcloud/Runner' })).toThrow(/is not a valid OCI repository name/);
  });
});
