/**
 * The updater's decision: given what runs, what upstream publishes, the target's policy and an
 * optional operator request, what to do now. Pure: the caller passes the clock (`now`) and the
 * upstream tags, and carries out the decision (promote, deploy, verify, roll back).
 *
 * The rules, in the order they apply:
 * 1. An invalid policy or request is rejected; nothing changes.
 * 2. A rollback request rolls back (the adapter knows the previous revision) unless `hold` is set.
 * 3. The target is the requested version, else the policy's choice (see `chooseTarget`). A requested
 *    version is bound by the policy too: published, the pin on `pinned`, within the channel's line
 *    when newer than what runs (see `requestedTarget`).
 * 4. A target equal to the running release is up to date; an older one is refused unless
 *    `allowDowngrade`.
 * 5. A change is never applied while `hold` is set, nor by a `check` request, nor outside the
 *    maintenance window, except that an operator's `update` request and the first deployment
 *    (nothing runs yet, so nothing is disrupted) do not wait for the window.
 */
import { isInsideWindow, nextWindowStart, type MaintenanceWindow } from './maintenance-window';
import { compareReleases, formatRelease, parseReleaseTag, type ReleaseVersion } from './release-version';
import { channelLine, chooseTarget, releasesIn, validateUpdatePolicy, type TargetChoice, type UpdatePolicy } from './update-policy';

/** An operator's on-demand request, e.g. from the updater's invoke payload. */
export interface UpdateRequest {
  /** `check` reports only; `update` applies now, without waiting for the window; `rollback` returns to the previous revision. */
  readonly action: 'check' | 'update' | 'rollback';
  /** For `check` and `update`: a release tag `vX.Y.Z` published upstream, instead of the policy's choice. */
  readonly version?: string;
}

export interface DecideInput {
  /** The tag currently running; `undefined` on the first deployment. */
  readonly running?: string;
  /** Every tag upstream publishes for the image, release or not. */
  readonly upstreamTags: readonly string[];
  readonly policy: UpdatePolicy;
  readonly now: Date;
  readonly request?: UpdateRequest;
}

export type UpdateAction = 'none' | 'update' | 'rollback';

export type UpdateOutcome = 'up-to-date' | 'update-available' | 'outside-window' | 'held' | 'rejected';

export interface UpdateDecision {
  /** What the adapter does: nothing, deploy `to`, or return to the previous revision. */
  readonly action: UpdateAction;
  /** Why, for reports and alarms. `update-available` also accompanies a rollback that is carried out. */
  readonly outcome: UpdateOutcome;
  /** The running tag, when one runs. */
  readonly from?: string;
  /** The release to deploy, or that would be deployed (held, outside the window, check). Always a release published upstream. */
  readonly to?: string;
  /** One sentence for humans. */
  readonly reason: string;
}

/** Decides what the updater does now. Never throws for any input that satisfies the types. */
export function decide(input: DecideInput): UpdateDecision {
  const { policy, request } = input;
  const problems = validateUpdatePolicy(policy);
  if (problems.length > 0) return rejected(input.running, problems.join('; '));
  if (request?.action === 'rollback') return rollback(input.running, request, policy);

  const running = input.running === undefined ? undefined : parseReleaseTag(input.running);
  if (input.running !== undefined && running === undefined) {
    return rejected(
      input.running,
      `running tag "${input.running}" is not a release vX.Y.Z, so an update cannot be told from a downgrade; redeploy a release or request a rollback`,
    );
  }
  const upstream = releasesIn(input.upstreamTags);
  const choice =
    request?.version === undefined
      ? chooseTarget(policy, running, upstream)
      : requestedTarget(request.version, policy, upstream, running);
  if (choice.kind === 'unavailable') return rejected(input.running, choice.reason);
  if (choice.kind === 'stay') {
    return {
      action: 'none',
      outcome: 'up-to-date',
      from: input.running,
      reason: `Running ${input.running} stays: ${choice.reason}.`,
    };
  }
  return change(input, running, choice.release, choice.because);
}

/** Compares the target with the running release and applies the gates: hold, check, window. */
function change(
  input: DecideInput,
  running: ReleaseVersion | undefined,
  target: ReleaseVersion,
  because: string,
): UpdateDecision {
  const { policy, request } = input;
  const from = input.running;
  const to = formatRelease(target);
  const order = running === undefined ? 1 : compareReleases(target, running);
  if (order === 0) return { action: 'none', outcome: 'up-to-date', from, reason: `Running ${to} is ${because}.` };
  if (order < 0 && !policy.allowDowngrade) {
    return rejected(
      from,
      `${to}, ${because}, is older than running ${from} and allowDowngrade is false, so the runner stays on ${from}`,
    );
  }
  const what =
    from === undefined ? `first deployment of ${to} (${because})` : `change from ${from} to ${to} (${because})`;
  if (policy.hold) {
    return {
      action: 'none',
      outcome: 'held',
      from,
      to,
      reason: `The policy holds the runner (hold: true), so the ${what} waits.`,
    };
  }
  const waitsForWindow =
    from !== undefined && request?.action !== 'update' ? closedWindow(policy.window, input.now) : undefined;
  if (request?.action === 'check') {
    const outcome = waitsForWindow === undefined ? 'update-available' : 'outside-window';
    return {
      action: 'none',
      outcome,
      from,
      to,
      reason: `Check only: the ${what} is available${waitsForWindow ? `; ${waitsForWindow}` : ''}.`,
    };
  }
  if (waitsForWindow !== undefined) {
    return { action: 'none', outcome: 'outside-window', from, to, reason: `The ${what} waits: ${waitsForWindow}.` };
  }
  return { action: 'update', outcome: 'update-available', from, to, reason: `Applying the ${what}.` };
}

/** `undefined` when there is no window or it is open; otherwise says when it opens next. */
function closedWindow(window: MaintenanceWindow | undefined, now: Date): string | undefined {
  if (window === undefined || isInsideWindow(window, now)) return undefined;
  const next = nextWindowStart(window, now);
  const when = next === undefined ? 'does not open within a year' : `opens next at ${next.toISOString()}`;
  return `the maintenance window "${window.schedule}" (${window.timeZone}) is closed and ${when}`;
}

/**
 * An operator's version instead of the policy's choice: a release published upstream; on a pinned
 * policy the pin itself; and, when newer than what runs, one the channel could move to on its own
 * (patch: same minor; minor: same major). Moving past the channel is the customer's decision
 * (`updates.channel` in the configuration), not an operator's; an older version is a downgrade,
 * which `allowDowngrade` governs (see `change`).
 */
function requestedTarget(version: string, policy: UpdatePolicy, upstream: readonly ReleaseVersion[], running: ReleaseVersion | undefined): TargetChoice {
  const release = parseReleaseTag(version);
  if (release === undefined) {
    return { kind: 'unavailable', reason: `requested version "${version}" is not a release tag vX.Y.Z` };
  }
  if (!upstream.some((candidate) => compareReleases(candidate, release) === 0)) {
    return { kind: 'unavailable', reason: `requested version ${version} is not published upstream` };
  }
  if (policy.channel === 'pinned' && policy.version !== version) {
    return {
      kind: 'unavailable',
      reason: `the policy pins ${policy.version}, so requested version ${version} is not allowed; change the pinned version in the configuration instead`,
    };
  }
  if (policy.channel !== 'pinned' && running !== undefined && compareReleases(release, running) > 0) {
    const line = channelLine(policy.channel, running);
    if (!line.includes(release)) {
      return {
        kind: 'unavailable',
        reason: `requested version ${version} is beyond the ${policy.channel} channel, which moves ${formatRelease(running)} only to a ${line.label}; change updates.channel in the configuration to go there`,
      };
    }
  }
  return { kind: 'release', release, because: 'the requested version' };
}

function rollback(running: string | undefined, request: UpdateRequest, policy: UpdatePolicy): UpdateDecision {
  if (request.version !== undefined) {
    return rejected(
      running,
      `a rollback returns to the previous revision and takes no version (got "${request.version}"); to move to a given version, request action "update" with that version`,
    );
  }
  if (running === undefined) {
    return rejected(running, 'nothing runs yet, so there is no previous revision to roll back to');
  }
  if (policy.hold) {
    return {
      action: 'none',
      outcome: 'held',
      from: running,
      reason: `The policy holds the runner (hold: true), so the rollback from ${running} waits.`,
    };
  }
  return {
    action: 'rollback',
    outcome: 'update-available',
    from: running,
    reason: `Rolling back from ${running} to the previous revision, as an operator requested.`,
  };
}

function rejected(from: string | undefined, problem: string): UpdateDecision {
  return { action: 'none', outcome: 'rejected', from, reason: `Rejected: ${problem}.` };
}
