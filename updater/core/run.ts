/**
 * One updater run, written once for every cloud against the ports in `ports.ts`: for each runner,
 * decide (policy, window, request), promote the release into the mirror, roll it out, wait for it
 * to be healthy, and roll back when it is not; then record the version and report.
 *
 * Guarantees:
 * - A runner that fails never stops the others; each gets exactly one report.
 * - A rollout that does not become healthy in time is rolled back to the revision it replaced;
 *   the version record keeps the old version. The outcome says which happened: `rolled-back`
 *   (the old revision is healthy again) or `failed` (it is not, or the rollback itself failed).
 * - `check` and runs outside the window change nothing; `bootstrap` only promotes.
 * - A rollout (or restore) is healthy only when the platform says so AND, where the runner has a
 *   meshStack signal, its runners show that they reach meshStack (`meshstack-signal.ts`), within
 *   the same rollout timeout (at least `minimumSignalSeconds` after the platform's verdict).
 * - A runner executing a run is never replaced by an update or an operator's rollback
 *   (`runner-activity.ts`): the run waits for it, bounded by `busyWaitSeconds` (over all runners)
 *   and, for scheduled runs, by the maintenance window; then reports `deferred-busy` and changes
 *   nothing, so the next run tries again. The automatic rollback of a release found unhealthy does
 *   not wait: the release is broken, and waiting would keep it running past the updater's time.
 */
import { decide, type UpdateRequest } from './decide';
import { isInsideWindow } from './maintenance-window';
import { awaitMeshstack, type MeshstackSignal } from './meshstack-signal';
import type { UpdaterPayload } from './payload';
import type {
  ImageMirror,
  ReleaseSource,
  Reporter,
  ReportedOutcome,
  Rollout,
  RunnerDeployment,
  VersionRecord,
  VersionStore,
} from './ports';
import { SYSTEM_CLOCK, type Clock } from './rollout-poll';
import { describeRuns, waitUntilIdle, type RunnerActivity } from './runner-activity';
import type { UpdatePolicy } from './update-policy';

export interface RunnerPorts {
  readonly name: string;
  /** The target's policy with this runner's configured version. */
  readonly policy: UpdatePolicy;
  readonly releases: ReleaseSource;
  readonly mirror: ImageMirror;
  readonly deployment: RunnerDeployment;
  readonly versions: VersionStore;
  /**
   * What the runners themselves say about meshStack, checked after the platform calls a rollout or
   * restore complete.
   * @default - the platform's verdict alone (a runner that cannot reach meshStack passes)
   */
  readonly meshstack?: MeshstackSignal;
  /**
   * Whether the runner executes a run now; an update or an operator's rollback waits while it does.
   * @default - never busy: right where runs do not live in the replaced workload (Kubernetes Jobs)
   */
  readonly activity?: RunnerActivity;
}

export interface UpdaterRunInput {
  readonly target: string;
  readonly payload: UpdaterPayload;
  readonly runners: readonly RunnerPorts[];
  readonly reporter: Reporter;
  /** Seconds a rollout (and a rollback) has to become healthy. */
  readonly rolloutTimeoutSeconds: number;
  /** @default - the system clock (`clock`'s time when `clock` is given) */
  readonly now?: () => Date;
  /** Time and sleep for the waits (busy runner, meshStack signal). @default SYSTEM_CLOCK */
  readonly clock?: Clock;
  /**
   * How long this run may wait, over all its runners, for busy runners to finish their run before
   * it reports `deferred-busy`. Choose it so that the wait, a rollout and its rollback fit the
   * updater's own time limit (AWS: see `busyWaitSecondsFor` in `updater/entry/aws-updater.ts`).
   * @default 0 - look once; a busy runner is deferred to the next run
   */
  readonly busyWaitSeconds?: number;
  /** Time between two looks at a busy runner. @default 30 */
  readonly busyPollSeconds?: number;
  /** Time between two readings of the meshStack signal. @default 15 */
  readonly signalPollSeconds?: number;
  /**
   * The least time the meshStack signal gets after the platform's verdict, even when the rollout
   * used up its timeout: enough for tf-block-runner to retry a failed poll (60 s) and fail it again.
   * @default 90
   */
  readonly minimumSignalSeconds?: number;
}

export interface RunnerResult {
  readonly outcome: ReportedOutcome;
  readonly from?: string;
  readonly to?: string;
  readonly digest?: string;
  /** Full by-digest image reference in the mirror (bootstrap and updates). */
  readonly image?: string;
  readonly revision?: string;
  /** Bootstrap only: the version record the deploy stores. */
  readonly record?: VersionRecord;
  readonly reason: string;
}

export interface UpdaterRunResult {
  readonly target: string;
  readonly action: string;
  readonly runners: Readonly<Record<string, RunnerResult>>;
}

/** Runs the updater once. Throws only for `bootstrap` failures (the deploy must stop then). */
export async function runUpdater(input: UpdaterRunInput): Promise<UpdaterRunResult> {
  const clock = input.clock ?? SYSTEM_CLOCK;
  const now = input.now ?? (() => new Date(clock.now()));
  const waits: Waits = {
    clock,
    timeoutSeconds: input.rolloutTimeoutSeconds,
    busyDeadline: clock.now() + Math.max(0, input.busyWaitSeconds ?? 0) * 1000,
    busyPollMs: (input.busyPollSeconds ?? 30) * 1000,
    signalPollMs: (input.signalPollSeconds ?? 15) * 1000,
    minimumSignalMs: (input.minimumSignalSeconds ?? 90) * 1000,
  };
  const runners: Record<string, RunnerResult> = {};
  for (const runner of input.runners) {
    const started = now().getTime();
    let result: RunnerResult;
    try {
      result =
        input.payload.action === 'bootstrap'
          ? await bootstrap(runner, now)
          : await updateOne(runner, input.payload, waits, now);
    } catch (error) {
      result = { outcome: 'failed', reason: `Updater error: ${message(error)}` };
    }
    runners[runner.name] = result;
    await input.reporter.report({
      target: input.target,
      runner: runner.name,
      action: input.payload.action,
      outcome: result.outcome,
      from: result.from,
      to: result.to,
      digest: result.digest,
      revision: result.revision,
      reason: result.reason,
      durationMs: now().getTime() - started,
    });
  }
  if (input.payload.action === 'bootstrap') {
    const failed = Object.entries(runners).filter(([, r]) => r.outcome === 'failed');
    if (failed.length > 0) {
      throw new Error(`Bootstrap failed for ${failed.map(([n, r]) => `runner ${n}: ${r.reason}`).join('; ')}`);
    }
  }
  return { target: input.target, action: input.payload.action, runners };
}

/**
 * The deploy's first step: the configured version into the mirror. Returns the record for the
 * deploy to store (Terraform creates the version parameter from it, so the bootstrap itself writes
 * nothing but the mirror). When a record exists (e.g. the invocation ran again), its digest is
 * returned unchanged, so a repeated bootstrap never moves what runs.
 */
async function bootstrap(runner: RunnerPorts, now: () => Date): Promise<RunnerResult> {
  const existing = await runner.versions.read();
  if (existing !== undefined) {
    return {
      outcome: 'bootstrapped',
      to: existing.version,
      digest: existing.digest,
      image: runner.mirror.imageReference(existing.digest),
      record: existing,
      reason: `Already bootstrapped: ${existing.version} (${existing.digest}) is recorded; nothing promoted.`,
    };
  }
  const version = runner.policy.version;
  if (version === undefined) throw new Error('no version configured to bootstrap');
  const digest = await runner.mirror.promote(version);
  return {
    outcome: 'bootstrapped',
    to: version,
    digest,
    image: runner.mirror.imageReference(digest),
    record: { version, digest, updatedAt: now().toISOString() },
    reason: `Promoted ${version} into the mirror as ${digest} for the first deployment.`,
  };
}

/** What the waits of one run need; `busyDeadline` is shared by all its runners. */
interface Waits {
  readonly clock: Clock;
  readonly timeoutSeconds: number;
  readonly busyDeadline: number;
  readonly busyPollMs: number;
  readonly signalPollMs: number;
  readonly minimumSignalMs: number;
}

async function updateOne(
  runner: RunnerPorts,
  payload: UpdaterPayload,
  waits: Waits,
  now: () => Date,
): Promise<RunnerResult> {
  const record = await runner.versions.read();
  const request: UpdateRequest | undefined =
    payload.action === 'scheduled' || payload.action === 'bootstrap'
      ? undefined
      : { action: payload.action, ...(payload.version !== undefined ? { version: payload.version } : {}) };
  // A rollback needs no upstream tags; everything else asks upstream what is published.
  const upstreamTags = request?.action === 'rollback' ? [] : await runner.releases.listTags();
  const decision = decide({ running: record?.version, upstreamTags, policy: runner.policy, now: now(), request });
  const base = { from: decision.from, to: decision.to };

  if (decision.action === 'none') {
    const outcome: ReportedOutcome = decision.outcome;
    return { ...base, outcome, digest: record?.digest, revision: record?.revision, reason: decision.reason };
  }
  if (record === undefined) {
    return { ...base, outcome: 'failed', reason: 'No version is recorded for this runner: it was never bootstrapped; deploy the target again.' };
  }
  if (decision.action === 'rollback') return rollBack(runner, record, payload, waits, now);

  const to = decision.to as string;
  const digest = await runner.mirror.promote(to);
  const image = runner.mirror.imageReference(digest);
  const current = await runner.deployment.current();
  if (current === undefined) {
    return { ...base, outcome: 'failed', digest, image, reason: 'The runner is not deployed (its service does not exist); deploy the target first.' };
  }
  // Last, right before the switch: the shorter the time between "idle" and the switch, the smaller
  // the chance that the runner claims a run in between.
  const busy = await busyReason(runner, payload, waits, `the change from ${record.version} to ${to}`);
  if (busy !== undefined) {
    return { ...base, outcome: 'deferred-busy', digest: record.digest, revision: current.revision, reason: `${busy} Nothing changed; the next run tries again (${to} is promoted and waits in the mirror).` };
  }
  const since = waits.clock.now();
  const rollout = await runner.deployment.rollOut(image, to);
  const health = await verified(runner, rollout, since, waits);
  if (health.healthy) {
    await runner.versions.write({
      version: to,
      digest,
      revision: rollout.revision,
      previous: { version: record.version, digest: record.digest, revision: rollout.previousRevision },
      updatedAt: now().toISOString(),
    });
    return { ...base, outcome: 'updated', digest, image, revision: rollout.revision, reason: `${decision.reason} ${to} is healthy.` };
  }
  const restored = await restoreOrError(runner, rollout.previousRevision, waits);
  if (restored.healthy) {
    return {
      ...base,
      outcome: 'rolled-back',
      digest: record.digest,
      revision: rollout.previousRevision,
      reason: `${to} did not become healthy (${health.reason}); rolled back to ${record.version}, which is healthy again.`,
    };
  }
  return {
    ...base,
    outcome: 'failed',
    digest: record.digest,
    revision: rollout.previousRevision,
    reason: `${to} did not become healthy (${health.reason}) and the rollback to ${record.version} is not healthy either (${restored.reason}).`,
  };
}

async function rollBack(runner: RunnerPorts, record: VersionRecord, payload: UpdaterPayload, waits: Waits, now: () => Date): Promise<RunnerResult> {
  const previous = record.previous;
  if (previous?.revision === undefined) {
    return {
      outcome: 'rejected',
      from: record.version,
      reason: `Rejected: no earlier revision is recorded for ${record.version} (no update has happened since the first deployment), so there is nothing to roll back to.`,
    };
  }
  const current = await runner.deployment.current();
  const busy = await busyReason(runner, payload, waits, `the rollback from ${record.version} to ${previous.version}`);
  if (busy !== undefined) {
    return { outcome: 'deferred-busy', from: record.version, to: previous.version, digest: record.digest, revision: current?.revision, reason: `${busy} Nothing changed; ask for the rollback again once the run is done.` };
  }
  const health = await restoreOrError(runner, previous.revision, waits);
  if (!health.healthy) {
    if (current !== undefined) await restoreOrError(runner, current.revision, waits);
    return {
      outcome: 'failed',
      from: record.version,
      to: previous.version,
      reason: `The rollback to ${previous.version} did not become healthy (${health.reason}); returned to ${record.version}.`,
    };
  }
  await runner.versions.write({
    version: previous.version,
    digest: previous.digest,
    revision: previous.revision,
    previous: { version: record.version, digest: record.digest, revision: current?.revision ?? record.revision },
    updatedAt: now().toISOString(),
  });
  return {
    outcome: 'rolled-back',
    from: record.version,
    to: previous.version,
    digest: previous.digest,
    image: runner.mirror.imageReference(previous.digest),
    revision: previous.revision,
    reason: `Rolled back from ${record.version} to ${previous.version} as an operator requested; it is healthy.`,
  };
}

type Health = { healthy: true } | { healthy: false; reason: string };

/**
 * The platform's verdict on `rollout`, then (where the runner has one) the meshStack signal's, until
 * the rollout's deadline (`since` + timeout), but at least `minimumSignalMs` after the platform's.
 */
async function verified(runner: RunnerPorts, rollout: Rollout, since: number, waits: Waits): Promise<Health> {
  let health: Health;
  try {
    health = await runner.deployment.waitHealthy(rollout, waits.timeoutSeconds);
  } catch (error) {
    return { healthy: false, reason: `health check failed: ${message(error)}` };
  }
  if (!health.healthy || runner.meshstack === undefined) return health;
  const deadline = Math.max(since + waits.timeoutSeconds * 1000, waits.clock.now() + waits.minimumSignalMs);
  return awaitMeshstack(runner.meshstack, rollout, { since, deadline, pollIntervalMs: waits.signalPollMs, clock: waits.clock });
}

async function restoreOrError(runner: RunnerPorts, revision: string, waits: Waits): Promise<Health> {
  try {
    const since = waits.clock.now();
    const back = await runner.deployment.restore(revision);
    const health = await verified(runner, back, since, waits);
    return health.healthy ? health : { healthy: false, reason: health.reason.replace(/^health check failed: /, '') };
  } catch (error) {
    return { healthy: false, reason: message(error) };
  }
}

/**
 * Undefined when the runner executes no run (or has no activity port); otherwise why `what` waits.
 * A scheduled run waits only while its maintenance window is open; an operator's request is not
 * bound by the window (as in `decide`), only by the run's wait budget.
 */
async function busyReason(runner: RunnerPorts, payload: UpdaterPayload, waits: Waits, what: string): Promise<string | undefined> {
  if (runner.activity === undefined) return undefined;
  const window = runner.policy.window;
  const stop =
    payload.action === 'scheduled' && window !== undefined
      ? (at: number) => (isInsideWindow(window, new Date(at)) ? undefined : `the maintenance window "${window.schedule}" (${window.timeZone}) closed`)
      : undefined;
  let result;
  try {
    result = await waitUntilIdle(runner.activity, { deadline: waits.busyDeadline, pollIntervalMs: waits.busyPollMs, clock: waits.clock, ...(stop ? { stop } : {}) });
  } catch (error) {
    throw new Error(`cannot tell whether the runner is executing a run (${message(error)}), so it was not replaced; nothing was changed`);
  }
  if (result.idle) return undefined;
  return `The runner is executing ${describeRuns(result.runs)}, and replacing it would kill the run; ${what} waits (${result.reason}).`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
