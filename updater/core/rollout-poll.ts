/**
 * Waiting for a rollout, written once for every platform: read the platform's state, judge it,
 * stop on `complete` or `failed`, otherwise sleep and read again until the deadline. Each
 * deployment adapter supplies only how to read and judge its platform (an ECS service, a
 * Kubernetes Deployment, an ACI container group, a Cloud Run worker pool) and, optionally, a
 * verification once the platform calls the rollout complete (a health alarm, the meshStack signal).
 */
import type { RolloutHealth } from './ports';

/** One reading of a rollout. */
export type RolloutObservation =
  /** The platform considers the rollout done. */
  | { readonly state: 'complete' }
  /** The platform gave up on it, rolled it back, or the runner is gone. `reason` is for humans. */
  | { readonly state: 'failed'; readonly reason: string }
  /** Not done yet (or the platform could not be read this time); `detail` is the last state seen. */
  | { readonly state: 'in-progress'; readonly detail: string };

/** Time, injectable for tests. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const SYSTEM_CLOCK: Clock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

export interface PollRolloutOptions {
  /** What is rolled out, for messages, e.g. `ECS service prod-default`. */
  readonly subject: string;
  /** The revision being rolled out, for messages. */
  readonly revision: string;
  readonly timeoutSeconds: number;
  readonly pollIntervalMs: number;
  /** @default SYSTEM_CLOCK */
  readonly clock?: Clock;
  /**
   * Checked once the platform reports `complete` (e.g. the runner's health alarm); its verdict is
   * the rollout's.
   * @default - the platform's word is final
   */
  readonly verify?: () => Promise<RolloutHealth>;
}

/** Reads and judges with `observe` until the rollout completes, fails or times out. */
export async function pollRollout(observe: () => Promise<RolloutObservation>, options: PollRolloutOptions): Promise<RolloutHealth> {
  const { timeoutSeconds, pollIntervalMs } = options;
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new Error(`timeoutSeconds must be a positive number, got ${timeoutSeconds}`);
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) throw new Error(`pollIntervalMs must be a positive number of milliseconds, got ${pollIntervalMs}`);
  const clock = options.clock ?? SYSTEM_CLOCK;
  const deadline = clock.now() + timeoutSeconds * 1000;
  for (;;) {
    const observation = await observe();
    if (observation.state === 'failed') return { healthy: false, reason: observation.reason };
    if (observation.state === 'complete') return options.verify ? options.verify() : { healthy: true };
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      return { healthy: false, reason: `${options.subject} did not become healthy on ${options.revision} within ${timeoutSeconds} s; last state: ${observation.detail}` };
    }
    await clock.sleep(Math.min(pollIntervalMs, remaining));
  }
}
