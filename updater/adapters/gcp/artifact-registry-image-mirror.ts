/**
 * A package of the target's Artifact Registry repository as the updater's {@link ImageMirror}:
 * Artifact Registry cannot import from ghcr.io, so a release is copied in by digest through the
 * OCI distribution API (`updater/adapters/oci`), upstream read anonymously, the mirror written with
 * an OAuth access token (user `oauth2accesstoken`, which Artifact Registry accepts as a password at
 * its token realm). Tags are immutable there; a tag already on the same digest is success.
 */
import type { ImageMirror } from '../../core/ports';
import { basicAuth } from '../oci/auth';
import { assertDigest } from '../oci/digest';
import type { Platform } from '../oci/media-types';
import { promote } from '../oci/promote';
import { OciRegistryClient } from '../oci/registry-client';
import type { AccessTokenProvider } from './access-token';

export interface ArtifactRegistryImageMirrorOptions {
  readonly tokens: AccessTokenProvider;
  /** Upstream registry origin (`https://ghcr.io`) and repository (`meshcloud/tf-block-runner`). */
  readonly upstream: { readonly registryUrl: string; readonly repository: string };
  /** `<region>-docker.pkg.dev/<project>/<repository>/<package>`, without scheme. */
  readonly packageUrl: string;
  /** Push to this origin instead (tests: a registry on loopback); references still name `packageUrl`. */
  readonly registryUrlOverride?: string;
  /** One platform to copy (the updater's runtime: linux/amd64). @default 'all' - the upstream index as is */
  readonly platform?: Platform;
  /** Tag the promoted digest with the version. @default true */
  readonly tag?: boolean;
}

export class ArtifactRegistryImageMirror implements ImageMirror {
  private readonly host: string;
  private readonly repository: string;

  constructor(private readonly o: ArtifactRegistryImageMirrorOptions) {
    const slash = o.packageUrl.indexOf('/');
    if (slash <= 0 || !/^[a-z0-9.-]+(:\d+)?$/.test(o.packageUrl.slice(0, slash))) throw new Error(`packageUrl "${o.packageUrl}" is not <host>/<project>/<repository>/<package>`);
    this.host = o.packageUrl.slice(0, slash);
    this.repository = o.packageUrl.slice(slash + 1);
  }

  async promote(version: string): Promise<string> {
    const token = await this.o.tokens.token();
    const target = new OciRegistryClient(this.o.registryUrlOverride ?? `https://${this.host}`, { auth: basicAuth('oauth2accesstoken', token) });
    const source = new OciRegistryClient(this.o.upstream.registryUrl);
    const result = await promote({
      source: { client: source, repository: this.o.upstream.repository, reference: version },
      target: { client: target, repository: this.repository, ...(this.o.tag === false ? {} : { tag: version }) },
      platforms: this.o.platform !== undefined ? [this.o.platform] : 'all',
    });
    return result.digest;
  }

  imageReference(digest: string): string {
    assertDigest(digest, 'mirror image digest');
    return `${this.o.packageUrl}@${digest}`;
  }
}
