/**
 * Manifest media types the kit copies, and a strict reader for the parts of a manifest a copy
 * needs (child manifests of an index; config and layers of an image). Docker schema 1 and unknown
 * types are rejected: copying them blind could produce a mirror image no runtime can pull.
 */
import { assertDigest } from './digest';
import { parseJson } from './http';

const MediaTypes = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

export type ManifestMediaType = (typeof MediaTypes)[keyof typeof MediaTypes];

const INDEX_TYPES: readonly string[] = [MediaTypes.ociIndex, MediaTypes.dockerManifestList];
const MANIFEST_TYPES: readonly string[] = Object.values(MediaTypes);

/**
 * The Accept header for manifest requests. Registries answer with what the client accepts: without
 * the index types, a registry may substitute one platform's manifest or (docker-registry 2.8)
 * answer 404 for an OCI index.
 */
export const MANIFEST_ACCEPT = MANIFEST_TYPES.join(', ');

/** True for one of the four manifest media types above. */
export function isManifestMediaType(value: string): value is ManifestMediaType {
  return MANIFEST_TYPES.includes(value);
}

/** True for an OCI index or a Docker manifest list. */
function isIndexMediaType(value: string): boolean {
  return INDEX_TYPES.includes(value);
}

/** A media type without parameters, lower-cased (`application/json; charset=utf-8` → `application/json`). */
export function normalizeMediaType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

export interface Platform {
  readonly os: string;
  readonly architecture: string;
  /** e.g. `v8` for arm64, `v7` for 32-bit arm; absent for amd64. */
  readonly variant?: string;
}

export interface Descriptor {
  readonly mediaType: string;
  readonly digest: string;
  readonly size: number;
  readonly platform?: Platform;
}

/** What a copy needs to know about a manifest. */
export type ParsedManifest =
  | { readonly kind: 'index'; readonly manifests: readonly Descriptor[] }
  | { readonly kind: 'image'; readonly config: Descriptor; readonly layers: readonly Descriptor[] };

/**
 * Parses manifest `bytes` served as `mediaType`. Fails when the body declares another media type
 * (the same confusion attack registries guard against since CVE-2021-41190), when a descriptor has
 * no valid digest or size, or when an index lists something that is not a manifest.
 */
export function parseManifest(mediaType: ManifestMediaType, bytes: Buffer): ParsedManifest {
  const body = asRecord(parseJson(bytes, `${mediaType} manifest`), 'manifest');
  if (body.schemaVersion !== 2) throw new Error(`manifest has schemaVersion ${String(body.schemaVersion)}; only 2 is supported`);
  if (body.mediaType !== undefined && body.mediaType !== mediaType) {
    throw new Error(`manifest was served as ${mediaType} but declares mediaType ${String(body.mediaType)}`);
  }
  if (isIndexMediaType(mediaType)) {
    const manifests = asArray(body.manifests, 'index.manifests').map((d, i) => parseDescriptor(d, `index.manifests[${i}]`));
    const notManifest = manifests.find((d) => !isManifestMediaType(d.mediaType));
    if (notManifest) throw new Error(`index lists ${notManifest.digest} with media type ${notManifest.mediaType}, which is not a manifest`);
    return { kind: 'index', manifests };
  }
  const config = parseDescriptor(body.config, 'manifest.config');
  const layers = asArray(body.layers, 'manifest.layers').map((d, i) => parseDescriptor(d, `manifest.layers[${i}]`));
  return { kind: 'image', config, layers };
}

/** The platform an image config blob declares (its top-level os, architecture and variant). */
export function parseConfigPlatform(bytes: Buffer): Platform {
  const platform = parsePlatform(parseJson(bytes, 'image config'), 'image config');
  if (!platform) throw new Error('image config must be a JSON object');
  return platform;
}

/** `linux/arm64/v8` style text for messages. */
export function formatPlatform(platform: Platform | undefined): string {
  if (!platform) return 'unknown platform';
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

function parseDescriptor(value: unknown, where: string): Descriptor {
  const d = asRecord(value, where);
  if (typeof d.mediaType !== 'string') throw new Error(`${where}.mediaType is missing`);
  if (typeof d.digest !== 'string') throw new Error(`${where}.digest is missing`);
  assertDigest(d.digest, `${where}.digest`);
  if (typeof d.size !== 'number' || !Number.isSafeInteger(d.size) || d.size < 0) {
    throw new Error(`${where}.size must be a non-negative integer, got ${String(d.size)}`);
  }
  return { mediaType: d.mediaType, digest: d.digest, size: d.size, platform: parsePlatform(d.platform, `${where}.platform`) };
}

function parsePlatform(value: unknown, where: string): Platform | undefined {
  if (value === undefined) return undefined;
  const p = asRecord(value, where);
  if (typeof p.os !== 'string' || typeof p.architecture !== 'string') throw new Error(`${where} needs string os and architecture`);
  return { os: p.os, architecture: p.architecture, variant: typeof p.variant === 'string' ? p.variant : undefined };
}

function asRecord(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where} must be a JSON object`);
  return value as Record<string, unknown>;
}

function asArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`${where} must be an array`);
  return value;
}
