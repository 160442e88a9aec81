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
 */
import { decide, type UpdateRequest } from './decide';
import type { UpdaterPayload } from './payload';
import type {
  ImageMirror,
  ReleaseSource,
  Reporter,
  ReportedOutcome,
  RunnerDeployment,
  VersionRecord,
  VersionStore,
} from './ports';
import type { UpdatePolicy } from './update-policy';

export interface RunnerPorts {
  readonly name: string;
  /** The target's policy with this runner's configured version. */
  readonly policy: UpdatePolicy;
  readonly releases: ReleaseSource;
  readonly mirror: ImageMirror;
  readonly deployment: RunnerDeployment;
  readonly versions: VersionStore;
}

export interface UpdaterRunInput {
  readonly target: string;
  readonly payload: UpdaterPayload;
  readonly runners: readonly RunnerPorts[];
  readonly reporter: Reporter;
  /** Seconds a rollout (and a rollback) has to become healthy. */
  readonly rolloutTimeoutSeconds: number;
  /** @default - the system clock */
  readonly now?: () => Date;
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
  const now = input.now ?? (() => new Date());
  const runners: Record<string, RunnerResult> = {};
  for (const runner of input.runners) {
    const started = now().getTime();
    let result: RunnerResult;
    try {
      result =
        input.payload.action === 'bootstrap'
          ? await bootstrap(runner, now)
          : await updateOne(runner, input.payload, input.rolloutTimeoutSeconds, now);
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

async function updateOne(
  runner: RunnerPorts,
  payload: UpdaterPayload,
  timeoutSeconds: number,
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
  if (decision.action === 'rollback') return rollBack(runner, record, timeoutSeconds, now);

  const to = decision.to as string;
  const digest = await runner.mirror.promote(to);
  const image = runner.mirror.imageReference(digest);
  const current = await runner.deployment.current();
  if (current === undefined) {
    return { ...base, outcome: 'failed', digest, image, reason: 'The runner is not deployed (its service does not exist); deploy the target first.' };
  }
  const rollout = await runner.deployment.rollOut(image, to);
  const health = await waitOrError(runner.deployment, rollout, timeoutSeconds);
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
  const restored = await restoreOrError(runner.deployment, rollout.previousRevision, timeoutSeconds);
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

async function rollBack(runner: RunnerPorts, record: VersionRecord, timeoutSeconds: number, now: () => Date): Promise<RunnerResult> {
  const previous = record.previous;
  if (previous?.revision === undefined) {
    return {
      outcome: 'rejected',
      from: record.version,
      reason: `Rejected: no earlier revision is recorded for ${record.version} (no update has happened since the first deployment), so there is nothing to roll back to.`,
    };
  }
  const current = await runner.deployment.current();
  const health = await restoreOrError(runner.deployment, previous.revision, timeoutSeconds);
  if (!health.healthy) {
    if (current !== undefined) await restoreOrError(runner.deployment, current.revision, timeoutSeconds);
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

async function waitOrError(deployment: RunnerDeployment, rollout: Parameters<RunnerDeployment['waitHealthy']>[0], timeoutSeconds: number): Promise<Health> {
  try {
    return await deployment.waitHealthy(rollout, timeoutSeconds);
  } catch (error) {
    return { healthy: false, reason: `health check failed: ${message(error)}` };
  }
}

async function restoreOrError(deployment: RunnerDeployment, revision: string, timeoutSeconds: number): Promise<Health> {
  try {
    const back = await deployment.restore(revision);
    return await deployment.waitHealthy(back, timeoutSeconds);
  } catch (error) {
    return { healthy: false, reason: message(error) };
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
