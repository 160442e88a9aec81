/**
 * Health that sees meshStack: whether the runners of a revision actually reach the meshStack API,
 * judged from what the runners themselves say, written once for every platform.
 *
 * Why a second signal: the platforms' own health checks cannot see meshStack. tf-block-runner's
 * `/healthz` answers 200 whatever its state (tf-block-runner `main.go:96-98` at v1.3.0), and
 * run-controller's `/metrics` is up before its registration succeeds (run-controller
 * `main.go:27-35`). A release, or a rotated credential, that breaks polling therefore passes ECS's
 * health check, a Kubernetes readiness probe and the "running tasks below desired" alarm. So once
 * the platform calls a rollout complete, the core asks this port, until the rollout's deadline:
 *
 * - `reaching`: every instance (ECS task, pod) of the revision showed a successful poll or
 *   registration. The rollout is healthy.
 * - `failing`: an instance keeps failing to poll or to log in (e.g. 401, DNS, TLS). The rollout is
 *   unhealthy at once, and the core rolls it back.
 * - `unknown`: not enough evidence yet (the runner has not polled twice, or a poll hangs). The core
 *   asks again; still unknown at the deadline is unhealthy, because a runner that never shows a
 *   successful poll is not one to keep.
 *
 * What counts as evidence depends on the runner, not on the cloud: the log lines of tf-block-runner
 * (`runner-logs/tf-block-runner.ts`; ECS, Azure Container Instances, Cloud Run) and run-controller
 * (`runner-logs/run-controller.ts`; EKS, AKS, GKE). An adapter only fetches the lines of the
 * revision's instances from its platform's log store and hands them to those interpreters.
 */
import type { Rollout, RolloutHealth } from './ports';
import { SYSTEM_CLOCK, type Clock } from './rollout-poll';

/** One reading of the signal for one revision. */
export type MeshstackObservation =
  | { readonly state: 'reaching'; readonly detail: string }
  | { readonly state: 'failing'; readonly reason: string }
  | { readonly state: 'unknown'; readonly detail: string };

/** The port: what the runners of a revision show about meshStack right now. */
export interface MeshstackSignal {
  /**
   * Reads the evidence of the instances of `rollout.revision` that started at or after `since`
   * (epoch ms: when the core started the rollout or restore). Throws when the evidence cannot be
   * read at all (permissions, API down); the core then keeps asking until the deadline.
   */
  observe(rollout: Rollout, since: number): Promise<MeshstackObservation>;
}

/** What one instance (a task, a pod) shows, as a runner-log interpreter judges it. */
export interface InstanceEvidence {
  /** e.g. the ECS task id or the pod name. */
  readonly instance: string;
  readonly verdict: MeshstackObservation;
}

/**
 * One verdict for a revision from its instances' verdicts: failing when any instance fails (the
 * first reasons, by instance); reaching when at least `expected` instances reach meshStack and none
 * fails; unknown otherwise. `expected` 0 (a runner scaled to zero) is reaching: nothing runs that
 * could show anything, and nothing runs that could be broken.
 */
export function judgeInstances(instances: readonly InstanceEvidence[], expected: number): MeshstackObservation {
  if (expected <= 0) return { state: 'reaching', detail: 'no instance is meant to run (desired count 0), so there is nothing to verify' };
  const failing = instances.filter((i) => i.verdict.state === 'failing');
  if (failing.length > 0) {
    return {
      state: 'failing',
      reason: failing
        .slice(0, 3)
        .map((i) => `${i.instance}: ${(i.verdict as { reason: string }).reason}`)
        .join('; '),
    };
  }
  const reaching = instances.filter((i) => i.verdict.state === 'reaching');
  const summary = (list: readonly InstanceEvidence[]) => list.map((i) => `${i.instance}: ${'detail' in i.verdict ? i.verdict.detail : ''}`).join('; ');
  if (reaching.length >= expected) {
    return { state: 'reaching', detail: `${reaching.length} of ${expected} expected instance(s) reach meshStack (${summary(reaching.slice(0, 3))})` };
  }
  const waiting = instances.filter((i) => i.verdict.state === 'unknown');
  const seen = instances.length === 0 ? 'no instance of the revision has logged yet' : summary(waiting.slice(0, 3));
  return { state: 'unknown', detail: `${reaching.length} of ${expected} expected instance(s) showed that they reach meshStack; ${seen}` };
}

export interface AwaitMeshstackOptions {
  /** Epoch ms the rollout (or restore) started; instances started before do not count. */
  readonly since: number;
  /** Epoch ms after which `unknown` becomes unhealthy. */
  readonly deadline: number;
  /** Time between two readings. */
  readonly pollIntervalMs: number;
  /** @default SYSTEM_CLOCK */
  readonly clock?: Clock;
}

/**
 * Asks `signal` until it says reaching (healthy) or failing (unhealthy), or `deadline` passes
 * (unhealthy, with the last evidence). A reading that throws counts as unknown: an API blip must
 * not roll back a healthy release, and a permanent error (a missing permission) ends unhealthy at
 * the deadline, naming the error.
 */
export async function awaitMeshstack(signal: MeshstackSignal, rollout: Rollout, options: AwaitMeshstackOptions): Promise<RolloutHealth> {
  const { pollIntervalMs } = options;
  if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) throw new Error(`pollIntervalMs must be a positive number of milliseconds, got ${pollIntervalMs}`);
  const clock = options.clock ?? SYSTEM_CLOCK;
  for (;;) {
    let observation: MeshstackObservation;
    try {
      observation = await signal.observe(rollout, options.since);
    } catch (error) {
      observation = { state: 'unknown', detail: `the runner's log could not be read: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (observation.state === 'reaching') return { healthy: true };
    if (observation.state === 'failing') {
      return { healthy: false, reason: `the runners of ${rollout.revision} cannot reach meshStack: ${observation.reason}` };
    }
    const remaining = options.deadline - clock.now();
    if (remaining <= 0) {
      const seconds = Math.round((options.deadline - options.since) / 1000);
      return {
        healthy: false,
        reason: `no runner of ${rollout.revision} showed within ${seconds} s of the rollout that it reaches meshStack (${observation.detail})`,
      };
    }
    await clock.sleep(Math.min(pollIntervalMs, remaining));
  }
}
