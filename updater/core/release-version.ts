/**
 * Release versions of meshcloud's runner images.
 *
 * Upstream publishes many tags (`v1.3.0`, `latest`, `main`, release candidates). Only a proper
 * release tag `vX.Y.Z` names an immutable, supported release, so it is the only kind of tag the
 * updater ever moves to; everything else parses to `undefined` and is ignored.
 */

/** A parsed release tag `vX.Y.Z`. */
export interface ReleaseVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/**
 * `v`, then three dot-separated decimal numbers without leading zeros (as semver requires),
 * nothing else: no pre-release (`-rc.1`), no build metadata (`+meta`), no bare `1.2.3`.
 */
const RELEASE_TAG = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

/**
 * Parses a release tag `vX.Y.Z`, or returns `undefined` for any other tag.
 *
 * Numbers beyond `Number.MAX_SAFE_INTEGER` are rejected too: they could not be compared exactly,
 * and no real release has them.
 */
export function parseReleaseTag(tag: string): ReleaseVersion | undefined {
  const match = RELEASE_TAG.exec(tag);
  if (match === null) return undefined;
  const [major, minor, patch] = match.slice(1).map(Number);
  if (![major, minor, patch].every(Number.isSafeInteger)) return undefined;
  return { major, minor, patch };
}

/** Orders releases numerically (v1.10.0 after v1.9.9): negative if `a` is older, 0 if equal, positive if newer. */
export function compareReleases(a: ReleaseVersion, b: ReleaseVersion): number {
  return Math.sign(a.major - b.major || a.minor - b.minor || a.patch - b.patch);
}

/** The tag of a release, `vX.Y.Z`. Parsing accepts only this form, so `formatRelease(parseReleaseTag(t)) === t`. */
export function formatRelease(version: ReleaseVersion): string {
  return `v${version.major}.${version.minor}.${version.patch}`;
}
