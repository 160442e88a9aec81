/**
 * The upstream repository (e.g. ghcr.io/meshcloud/tf-block-runner) as the updater's
 * {@link ReleaseSource}: its tags, read anonymously through the OCI distribution API (ghcr.io
 * answers with a Bearer challenge and issues anonymous pull tokens), so the customer's cloud holds
 * no third-party credential.
 */
import type { ReleaseSource } from '../../core/ports';
import { parseReleaseTag } from '../../core/release-version';
import { anonymousAuth } from './auth';
import { assertRepository } from './reference';
import { OciRegistryClient, type ListTagsOptions, type OciRegistryClientOptions } from './registry-client';

export interface UpstreamReleaseSourceOptions {
  /** Registry origin, e.g. `https://ghcr.io`. */
  readonly registryUrl: string;
  /** e.g. `meshcloud/tf-block-runner`. */
  readonly repository: string;
  /** Timeouts and retries of the registry client. @default - OciRegistryClient's defaults */
  readonly clientOptions?: Omit<OciRegistryClientOptions, 'auth'>;
  /** Page size and page limit of the tag listing. @default - OciRegistryClient.listTags' defaults (100 a page, 50 pages) */
  readonly listTags?: ListTagsOptions;
}

export class UpstreamReleaseSource implements ReleaseSource {
  private readonly client: OciRegistryClient;
  private readonly repository: string;
  private readonly listOptions: ListTagsOptions;

  constructor(options: UpstreamReleaseSourceOptions) {
    assertRepository(options.repository);
    this.client = new OciRegistryClient(options.registryUrl, { ...options.clientOptions, auth: anonymousAuth() });
    this.repository = options.repository;
    this.listOptions = options.listTags ?? {};
  }

  /**
   * The release tags (vX.Y.Z) of the repository, all pages followed: the only tags the updater ever
   * moves to (`releasesIn`), so the others are dropped as they are read and never held in memory.
   */
  async listTags(): Promise<readonly string[]> {
    return this.client.listTags(this.repository, { ...this.listOptions, keep: (tag) => parseReleaseTag(tag) !== undefined });
  }
}
