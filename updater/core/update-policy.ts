/**
 * Update policy: which upstream release a runner should run.
 *
 * The channel says how far the updater may move on its own: `pinned` never moves, `patch` takes
 * fixes of the running minor, `minor` takes features of the running major, `latest` takes
 * everything, breaking majors included. Only release tags `vX.Y.Z` count; moving tags (`latest`,
 * `main`) and pre-releases are ignored, because what runs must be an immutable, supported release.
 */
import { validateMaintenanceWindow, type MaintenanceWindow } from './maintenance-window';
import { compareReleases, formatRelease, parseReleaseTag, type ReleaseVersion } from './release-version';

export type UpdateChannel = 'pinned' | 'patch' | 'minor' | 'latest';

export interface UpdatePolicy {
  readonly channel: UpdateChannel;
  /**
   * A release tag `vX.Y.Z`. For `pinned`, the version to run (required). For the other
   * channels, the version of the first deployment; later updates follow the channel.
   * @default - first deployment takes the newest release upstream
   */
  readonly version?: string;
  /** Freezes the runner: no update, bootstrap or rollback happens while set; checks still report what is available. */
  readonly hold: boolean;
  /**
   * Lets the updater move to an older release when the policy or an operator's request selects
   * one. When false, such a selection changes nothing and is reported, so a pin edited to an old
   * version or a mistyped request cannot silently move the runner back.
   */
  readonly allowDowngrade: boolean;
  /** @default - updates may happen at any time */
  readonly window?: MaintenanceWindow;
}

/**
 * What a policy selects:
 * - `release`: move to (or stay on) `release`, described by `because` (e.g. "the newest v1.3.* release");
 * - `stay`: the channel offers nothing, so the running release stays (`reason` says why);
 * - `unavailable`: the policy asks for a release that cannot be had (`reason` says why).
 */
export type TargetChoice =
  | { readonly kind: 'release'; readonly release: ReleaseVersion; readonly because: string }
  | { readonly kind: 'stay'; readonly reason: string }
  | { readonly kind: 'unavailable'; readonly reason: string };

/** Problems with a policy, each naming the field, the value and the fix; empty when valid. */
export function validateUpdatePolicy(policy: UpdatePolicy): string[] {
  const errors: string[] = [];
  if (policy.version !== undefined && parseReleaseTag(policy.version) === undefined) {
    errors.push(`version "${policy.version}" is not a release tag; use the form vX.Y.Z, e.g. v1.3.0`);
  }
  if (policy.channel === 'pinned' && policy.version === undefined) {
    errors.push('channel "pinned" needs version, the release to stay on, e.g. version: v1.3.0');
  }
  if (policy.window !== undefined) {
    errors.push(...validateMaintenanceWindow(policy.window).map((error) => `window.${error}`));
  }
  return errors;
}

/** The release tags among upstream tags; `latest`, `main`, pre-releases and anything else are dropped. */
export function releasesIn(tags: readonly string[]): ReleaseVersion[] {
  return tags.map(parseReleaseTag).filter((release): release is ReleaseVersion => release !== undefined);
}

/**
 * The release the policy selects, given the running release (`undefined` on the first
 * deployment) and the releases published upstream:
 * - `pinned`: exactly `version`;
 * - first deployment: `version` if set, else the newest release;
 * - `patch` / `minor` / `latest`: the newest release of the running minor / the running major / any.
 *
 * The choice may be older than the running release (a pin to an older version, or the running
 * release withdrawn upstream); refusing downgrades is the caller's rule, not the channel's.
 * Expects a policy that passed `validateUpdatePolicy`; an invalid `version` counts as unset.
 */
export function chooseTarget(
  policy: UpdatePolicy,
  running: ReleaseVersion | undefined,
  upstream: readonly ReleaseVersion[],
): TargetChoice {
  const version = policy.version === undefined ? undefined : parseReleaseTag(policy.version);
  if (policy.channel === 'pinned') {
    if (version === undefined) return { kind: 'unavailable', reason: 'channel "pinned" needs a version vX.Y.Z' };
    return exactly(version, 'the pinned version', running, upstream);
  }
  if (running === undefined) {
    if (version !== undefined) return exactly(version, 'the initial version', running, upstream);
    const newest = newestOf(upstream);
    if (newest === undefined) return { kind: 'unavailable', reason: 'no release tag vX.Y.Z is published upstream' };
    return { kind: 'release', release: newest, because: 'the newest release' };
  }
  const line = channelLine(policy.channel, running);
  const newest = newestOf(upstream.filter(line.includes));
  if (newest === undefined) return { kind: 'stay', reason: `no ${line.label} is published upstream` };
  return { kind: 'release', release: newest, because: `the newest ${line.label}` };
}

/** `version` itself, if it is running or published upstream. */
function exactly(
  version: ReleaseVersion,
  because: string,
  running: ReleaseVersion | undefined,
  upstream: readonly ReleaseVersion[],
): TargetChoice {
  const isVersion = (release: ReleaseVersion): boolean => compareReleases(release, version) === 0;
  if ((running !== undefined && isVersion(running)) || upstream.some(isVersion)) {
    return { kind: 'release', release: version, because };
  }
  return { kind: 'unavailable', reason: `${because} ${formatRelease(version)} is not published upstream` };
}

export interface ReleaseLine {
  readonly includes: (release: ReleaseVersion) => boolean;
  /** For reasons, e.g. `v1.3.* release`. */
  readonly label: string;
}

/** The releases a channel may move to from `running` (also the bound of an operator's requested version). */
export function channelLine(channel: Exclude<UpdateChannel, 'pinned'>, running: ReleaseVersion): ReleaseLine {
  const { major, minor } = running;
  switch (channel) {
    case 'patch':
      return {
        includes: (release) => release.major === major && release.minor === minor,
        label: `v${major}.${minor}.* release`,
      };
    case 'minor':
      return { includes: (release) => release.major === major, label: `v${major}.*.* release` };
    case 'latest':
      return { includes: () => true, label: 'release' };
  }
}

function newestOf(releases: readonly ReleaseVersion[]): ReleaseVersion | undefined {
  return releases.reduce<ReleaseVersion | undefined>(
    (newest, release) => (newest === undefined || compareReleases(release, newest) > 0 ? release : newest),
    undefined,
  );
}
