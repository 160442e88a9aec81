/**
 * Promotion: copying a selected upstream release into the kit's private mirror by digest, so
 * runners only ever pull from the mirror and the mirror holds exactly the bytes upstream published
 * (same digests, so upstream signatures and attestations still apply).
 *
 * Order matters for interrupted runs: blobs before the manifest that references them, child
 * manifests before the index, the tag last. Whatever an earlier run left behind is detected (HEAD)
 * and skipped, so running the same promotion again completes it.
 */
import { DigestMismatchError, RegistryError, TagConflictError, isNotFound, isTransient } from './errors';
import { retrying } from './http';
import {
  formatPlatform,
  parseConfigPlatform,
  parseManifest,
  type Descriptor,
  type ManifestMediaType,
  type Platform,
} from './media-types';
import { isTag } from './reference';
import type { FetchedManifest, OciRegistryClient } from './registry-client';

export interface PromotionSource {
  readonly client: OciRegistryClient;
  readonly repository: string;
  /** A tag (`v1.3.0`) or a sha256 digest. */
  readonly reference: string;
}

export interface PromotionTarget {
  readonly client: OciRegistryClient;
  readonly repository: string;
  /**
   * Tag to give the promoted digest. Mirror tags are immutable: an existing tag on the same digest
   * is success, on another digest a {@link TagConflictError}.
   * @default - untagged; the caller deploys by digest
   */
  readonly tag?: string;
}

/**
 * `'all'` copies the index unchanged (digest identical to the source). One platform copies only
 * that platform's manifest; the promoted digest is then the child's.
 */
export type PlatformSelection = 'all' | readonly Platform[];

export interface PromoteOptions {
  readonly source: PromotionSource;
  readonly target: PromotionTarget;
  readonly platforms: PlatformSelection;
  /**
   * Further attempts for one blob after its stream failed (connection cut, truncated or corrupt
   * content). Each attempt starts a fresh upload.
   * @default 3
   */
  readonly retries?: number;
}

export interface PromotionResult {
  /** The digest now present in the target: the source's for `'all'`, the platform manifest's otherwise. */
  readonly digest: string;
  readonly mediaType: ManifestMediaType;
  /** Blobs streamed from the source. */
  readonly blobsCopied: number;
  /** Blobs mounted from another repository of the same registry (no bytes moved). */
  readonly blobsMounted: number;
  /** Blobs the target already had. */
  readonly blobsSkipped: number;
  /** Manifests (children and index) written to the target. */
  readonly manifestsCopied: number;
  /** Manifests the target already had. */
  readonly manifestsSkipped: number;
}

/** Nested indexes deeper than this are not runner images; stop rather than recurse without bound. */
const MAX_INDEX_DEPTH = 3;
/** Image configs are a few KiB; bound the read used to check a single-platform source. */
const MAX_CONFIG_BYTES = 1024 * 1024;
const BLOB_RETRY_BASE_DELAY_MS = 250;

/** Copies `source` (all platforms, or one) into `target` by digest and tags it if asked. */
export async function promote(options: PromoteOptions): Promise<PromotionResult> {
  if (options.target.tag !== undefined && !isTag(options.target.tag)) {
    throw new Error(`target tag "${options.target.tag}" is not a valid tag; use up to 128 of [A-Za-z0-9_.-], e.g. v1.3.0`);
  }
  const platform = singlePlatform(options.platforms);
  const top = await options.source.client.getManifest(options.source.repository, options.source.reference);
  const selected = platform ? await selectPlatform(options.source, top, platform) : top;
  const copy = new ManifestCopy(options.source, options.target, options.retries ?? 3);
  await copy.manifest(selected, 0);
  if (options.target.tag !== undefined) await tagImmutable(options.target, options.target.tag, selected);
  return { digest: selected.digest, mediaType: selected.mediaType, ...copy.counts };
}

/** The one platform asked for, or undefined for `'all'`. */
function singlePlatform(platforms: PlatformSelection): Platform | undefined {
  if (platforms === 'all') return undefined;
  if (platforms.length !== 1) {
    throw new Error(
      `platforms must be 'all' or exactly one platform, got ${platforms.length}; ` +
        'an index over a subset would get a new digest that no upstream signature covers',
    );
  }
  return platforms[0];
}

/**
 * The manifest of `platform`: the matching child of an index, or the source itself when it is a
 * single-platform image whose config declares that platform. No match, or several (e.g. arm v6 and
 * v7 without a variant asked for), is an error naming what the source offers.
 */
async function selectPlatform(source: PromotionSource, top: FetchedManifest, platform: Platform): Promise<FetchedManifest> {
  const parsed = parseManifest(top.mediaType, top.bytes);
  const where = `${source.client.baseUrl}/${source.repository}:${source.reference}`;
  if (parsed.kind === 'image') {
    const actual = parseConfigPlatform(await source.client.getBlob(source.repository, parsed.config.digest, MAX_CONFIG_BYTES));
    if (!matchesPlatform(actual, platform)) throw new Error(`${where} is a single-platform image for ${formatPlatform(actual)}, not ${formatPlatform(platform)}`);
    return top;
  }
  const matches = parsed.manifests.filter((d) => d.platform !== undefined && matchesPlatform(d.platform, platform));
  const offered = parsed.manifests.map((d) => formatPlatform(d.platform)).join(', ');
  if (matches.length === 0) throw new Error(`${where} has no manifest for ${formatPlatform(platform)}; it offers ${offered}`);
  if (matches.length > 1) throw new Error(`${where} has ${matches.length} manifests for ${formatPlatform(platform)} (${offered}); name a variant`);
  return source.client.getManifest(source.repository, matches[0].digest);
}

/** os and architecture must be equal; the variant only when one is asked for. */
function matchesPlatform(candidate: Platform, wanted: Platform): boolean {
  return (
    candidate.os === wanted.os &&
    candidate.architecture === wanted.architecture &&
    (wanted.variant === undefined || candidate.variant === wanted.variant)
  );
}

/**
 * The depth-first copy of one manifest tree, remembering what it has already handled so a blob or
 * manifest shared between platforms is checked once.
 */
class ManifestCopy {
  readonly counts = { blobsCopied: 0, blobsMounted: 0, blobsSkipped: 0, manifestsCopied: 0, manifestsSkipped: 0 };
  private readonly seen = new Set<string>();

  constructor(
    private readonly source: PromotionSource,
    private readonly target: PromotionTarget,
    private readonly retries: number,
  ) {}

  /** Copies what `m` references (children, or config and layers), then `m` itself by digest. */
  async manifest(m: FetchedManifest, depth: number): Promise<void> {
    if (this.seen.has(m.digest)) return;
    this.seen.add(m.digest);
    const parsed = parseManifest(m.mediaType, m.bytes);
    if (parsed.kind === 'index') {
      if (depth >= MAX_INDEX_DEPTH) throw new Error(`${m.digest} nests indexes deeper than ${MAX_INDEX_DEPTH}; not a runner image`);
      for (const child of parsed.manifests) {
        await this.manifest(await this.source.client.getManifest(this.source.repository, child.digest), depth + 1);
      }
    } else {
      for (const blob of [parsed.config, ...parsed.layers]) await this.blob(blob);
    }
    await this.putManifest(m);
  }

  private async putManifest(m: FetchedManifest): Promise<void> {
    if ((await findDigest(this.target, m.digest)) === m.digest) {
      this.counts.manifestsSkipped++;
      return;
    }
    await this.target.client.putManifest(this.target.repository, m.digest, m.bytes, m.mediaType);
    this.counts.manifestsCopied++;
  }

  /** Skips a blob the target has; otherwise copies it, retrying a failed stream with a fresh upload. */
  private async blob(blob: Descriptor): Promise<void> {
    if (this.seen.has(blob.digest)) return;
    this.seen.add(blob.digest);
    if (await this.target.client.blobExists(this.target.repository, blob.digest)) {
      this.counts.blobsSkipped++;
      return;
    }
    const outcome = await retrying(
      () => this.target.client.copyBlob(this.source.client, this.source.repository, this.target.repository, blob.digest, blob.size),
      { retries: this.retries, baseDelayMs: BLOB_RETRY_BASE_DELAY_MS, isRetryable: (err) => isTransient(err) || err instanceof DigestMismatchError },
    );
    if (outcome === 'mounted') this.counts.blobsMounted++;
    else this.counts.blobsCopied++;
  }
}

/**
 * Points immutable `tag` at `m`. Checked with HEAD first, because registries without immutability
 * (the local one) would silently move the tag. A refused PUT (ECR answers 400
 * ImageTagAlreadyExistsException, also when a concurrent run got there first) is judged by where
 * the tag points now: the same digest is success, another one a conflict.
 */
async function tagImmutable(target: PromotionTarget, tag: string, m: FetchedManifest): Promise<void> {
  const existing = await findDigest(target, tag);
  if (existing === m.digest) return;
  if (existing !== undefined) throw new TagConflictError(`${target.client.baseUrl}/${target.repository}`, tag, existing, m.digest);
  try {
    await target.client.putManifest(target.repository, tag, m.bytes, m.mediaType);
  } catch (err) {
    if (!(err instanceof RegistryError) || (err.status !== 400 && err.status !== 409)) throw err;
    const now = await findDigest(target, tag);
    if (now === m.digest) return;
    if (now !== undefined) throw new TagConflictError(`${target.client.baseUrl}/${target.repository}`, tag, now, m.digest);
    throw err;
  }
}

/** The digest `reference` names in the target, or undefined when it does not exist. */
async function findDigest(target: PromotionTarget, reference: string): Promise<string | undefined> {
  try {
    return await target.client.resolveDigest(target.repository, reference);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}
