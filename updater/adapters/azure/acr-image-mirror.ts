/**
 * The kit's Azure Container Registry as the updater's {@link ImageMirror}: a release is promoted by
 * resolving its tag to a digest at the (public) upstream registry, then asking ARM to import
 * exactly that digest into the mirror (`importImage`, mode NoForce): a server-side copy of the whole
 * image index, so the mirror digest equals upstream's (upstream signatures still apply), no
 * registry credential exists anywhere, and the updater needs no network path to the registry.
 *
 * Mirror tags never move: NoForce refuses an existing tag. Then (a repeated or interrupted
 * promotion, or upstream moved its tag) the digest is imported untagged, which is idempotent; what
 * runs is always referenced by digest (`<login server>/<repository>@sha256:...`).
 */
import type { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import type { ImageMirror } from '../../core/ports';
import { assertDigest } from '../oci/digest';
import { assertRepository, isTag } from '../oci/reference';
import { anonymousAuth } from '../oci/auth';
import { OciRegistryClient, type OciRegistryClientOptions } from '../oci/registry-client';

export interface AcrImageMirrorOptions {
  readonly acr: ContainerRegistryManagementClient;
  readonly resourceGroup: string;
  /** The registry's name (ARM) and login server (image references). */
  readonly registry: { readonly name: string; readonly loginServer: string };
  /** The public upstream repository; read anonymously to resolve tags. */
  readonly upstream: { readonly registryUrl: string; readonly repository: string };
  readonly mirrorRepository: string;
  /** Time between two polls of ARM's import operation. @default 5000 */
  readonly pollIntervalMs?: number;
  /** Timeouts and retries of the upstream client. */
  readonly clientOptions?: Omit<OciRegistryClientOptions, 'auth'>;
}

export class AcrImageMirror implements ImageMirror {
  private readonly upstreamClient: OciRegistryClient;

  constructor(private readonly o: AcrImageMirrorOptions) {
    assertRepository(o.upstream.repository);
    assertRepository(o.mirrorRepository);
    if (!/^[A-Za-z0-9.-]+(:\d+)?$/.test(o.registry.loginServer)) throw new Error(`registry login server "${o.registry.loginServer}" is not a host name, e.g. rkprod1234abcd.azurecr.io`);
    this.upstreamClient = new OciRegistryClient(o.upstream.registryUrl, { ...o.clientOptions, auth: anonymousAuth() });
  }

  /** Imports upstream `version` by digest; returns the digest (the same the mirror now holds). */
  async promote(version: string): Promise<string> {
    if (!isTag(version)) throw new Error(`version "${version}" is not a valid tag; expected an upstream release tag such as v1.3.0`);
    const digest = await this.upstreamClient.resolveDigest(this.o.upstream.repository, version);
    const source = { registryUri: new URL(this.o.upstream.registryUrl).host, sourceImage: `${this.o.upstream.repository}@${digest}` };
    const poll = { updateIntervalInMs: this.o.pollIntervalMs ?? 5000 };
    try {
      await this.o.acr.registries.importImage(this.o.resourceGroup, this.o.registry.name, { source, targetTags: [`${this.o.mirrorRepository}:${version}`], mode: 'NoForce' }, poll);
    } catch (tagged) {
      // The tag exists (NoForce): make sure the digest is there, leave the tag alone.
      try {
        await this.o.acr.registries.importImage(this.o.resourceGroup, this.o.registry.name, { source, untaggedTargetRepositories: [this.o.mirrorRepository], mode: 'NoForce' }, poll);
      } catch (untagged) {
        throw new Error(`importing ${source.registryUri}/${source.sourceImage} into ${this.o.registry.name}/${this.o.mirrorRepository} failed: ${message(tagged)}; untagged: ${message(untagged)}`);
      }
    }
    return digest;
  }

  imageReference(digest: string): string {
    assertDigest(digest, 'mirror image digest');
    return `${this.o.registry.loginServer}/${this.o.mirrorRepository}@${digest}`;
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
