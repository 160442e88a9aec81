/**
 * An update never kills a run in progress: before the updater replaces a runner, it asks whether
 * the runner executes a run now, and waits (bounded) until it does not.
 *
 * Why: tf-block-runner finishes its current run on SIGTERM (tf-block-runner `main.go:73-78`,
 * `manager.go:119-135` at v1.3.0), which may take up to its `timeoutMins` plus 60 s
 * (`worker.go:116`; terraform-exec's WaitDelay), while a platform stops a replaced container much
 * sooner (Fargate: `stopTimeout` at most 120 s), after which the run is killed half-applied and
 * stays IN_PROGRESS in meshStack. The runner offers no busy endpoint; its log says when a run
 * starts and ends (`runner-logs/tf-block-runner.ts`).
 *
 * Where it applies: every platform that runs tf-block-runner in polling mode as a replaceable
 * container (ECS, Azure Container Instances, Cloud Run). On Kubernetes the runs are Jobs the
 * controller starts and never owns or deletes, so replacing the controller leaves them alone and
 * no port is needed there (see the README, "Updates").
 */
import { SYSTEM_CLOCK, type Clock } from './rollout-poll';

/** A run a runner instance executes now, as far as its log shows. */
export interface RunInProgress {
  /** The instance executing it (an ECS task id, a container group). */
  readonly instance: string;
  /** meshStack's run id, when the start line was seen. */
  readonly runId?: string;
  /** Epoch ms the run started, when known. */
  readonly startedAt?: number;
}

/** The port. */
export interface RunnerActivity {
  /** The runs the runner's instances execute now; empty when every instance is idle. Throws when it cannot tell. */
  runsInProgress(): Promise<readonly RunInProgress[]>;
}

export interface WaitUntilIdleOptions {
  /** Epoch ms after which the wait gives up. At or before now: one look, no wait. */
  readonly deadline: number;
  readonly pollIntervalMs: number;
  /**
   * Asked before each further wait: a reason to stop waiting (e.g. the maintenance window closed),
   * or undefined to go on.
   * @default - only the deadline ends the wait
   */
  readonly stop?: (now: number) => string | undefined;
  /** @default SYSTEM_CLOCK */
  readonly clock?: Clock;
}

export type IdleResult =
  | { readonly idle: true; readonly waitedMs: number }
  | { readonly idle: false; readonly runs: readonly RunInProgress[]; readonly reason: string };

/**
 * Looks at `activity` until no run is in progress, `deadline` passes or `stop` says so. Errors are
 * not swallowed: when the updater cannot tell whether a run is in progress, it must not replace the
 * runner, and the caller reports that as a failure (alarmed) rather than waiting in silence.
 */
export async function waitUntilIdle(activity: RunnerActivity, options: WaitUntilIdleOptions): Promise<IdleResult> {
  const { pollIntervalMs } = options;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) throw new Error(`pollIntervalMs must be a positive number of milliseconds, got ${pollIntervalMs}`);
  const clock = options.clock ?? SYSTEM_CLOCK;
  const started = clock.now();
  for (;;) {
    const runs = await activity.runsInProgress();
    if (runs.length === 0) return { idle: true, waitedMs: clock.now() - started };
    const now = clock.now();
    const stopped = options.stop?.(now);
    const waited = Math.round((now - started) / 1000);
    if (stopped !== undefined) return { idle: false, runs, reason: `${stopped} after waiting ${waited} s` };
    const remaining = options.deadline - now;
    if (remaining <= 0) return { idle: false, runs, reason: waited === 0 ? 'this run has no time left to wait' : `still busy after waiting ${waited} s, the longest this run may wait` };
    await clock.sleep(Math.min(pollIntervalMs, remaining));
  }
}

/** One line for reports: which runs, on which instances, since when. */
export function describeRuns(runs: readonly RunInProgress[]): string {
  return runs
    .map((r) => `${r.runId !== undefined ? `run ${r.runId}` : 'a run'} on ${r.instance}${r.startedAt !== undefined ? ` (started ${new Date(r.startedAt).toISOString()})` : ''}`)
    .join(', ');
}
