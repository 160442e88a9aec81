/**
 * A runner's version record on Azure: tags on its container group (`VERSION_TAGS` in
 * `constructs/azure/azure-names.ts`): what runs, its digest, what ran before, when it changed.
 * Terraform writes the first record (the bootstrap's version and digest) and ignores these tags
 * after; the updater writes them with a PATCH of the group's tags (no restart), after a change is
 * healthy. Operators read them with `az container show` (Reader), `runner-kit update --dry-run`
 * prints them. A tag value holds at most 256 characters: versions, digests and times fit.
 */
import type { ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import type { VersionRecord, VersionStore } from '../../core/ports';

/** The tag keys (kept in step with `constructs/azure/azure-names.ts`, which a test holds them to). */
export const VERSION_TAG_KEYS = {
  version: 'runner-kit-version',
  digest: 'runner-kit-digest',
  previousVersion: 'runner-kit-previous-version',
  previousDigest: 'runner-kit-previous-digest',
  updatedAt: 'runner-kit-updated-at',
} as const;

export interface GroupTagVersionStoreOptions {
  readonly aci: ContainerInstanceManagementClient;
  readonly resourceGroup: string;
  readonly groupName: string;
  /** The image reference (the deployment's revision) of a mirror digest. */
  readonly imageOf: (digest: string) => string;
}

export class GroupTagVersionStore implements VersionStore {
  constructor(private readonly o: GroupTagVersionStoreOptions) {}

  async read(): Promise<VersionRecord | undefined> {
    const tags = await this.tags();
    if (tags === undefined) return undefined;
    const K = VERSION_TAG_KEYS;
    const version = tags[K.version];
    const digest = tags[K.digest];
    if (!version || !digest) return undefined;
    const previousVersion = tags[K.previousVersion];
    const previousDigest = tags[K.previousDigest];
    return {
      version,
      digest,
      revision: this.o.imageOf(digest),
      ...(previousVersion && previousDigest ? { previous: { version: previousVersion, digest: previousDigest, revision: this.o.imageOf(previousDigest) } } : {}),
      updatedAt: tags[K.updatedAt] ?? 'first deployment',
    };
  }

  async write(record: VersionRecord): Promise<void> {
    const tags = (await this.tags()) ?? {};
    const K = VERSION_TAG_KEYS;
    const next: Record<string, string> = { ...tags, [K.version]: record.version, [K.digest]: record.digest, [K.updatedAt]: record.updatedAt };
    if (record.previous !== undefined) {
      next[K.previousVersion] = record.previous.version;
      next[K.previousDigest] = record.previous.digest;
    } else {
      delete next[K.previousVersion];
      delete next[K.previousDigest];
    }
    await this.o.aci.containerGroups.update(this.o.resourceGroup, this.o.groupName, { tags: next });
  }

  private async tags(): Promise<Record<string, string> | undefined> {
    try {
      const group = await this.o.aci.containerGroups.get(this.o.resourceGroup, this.o.groupName);
      return { ...(group.tags ?? {}) };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }
}
