/**
 * How far an ECS rollout has come, judged from one DescribeServices answer. Pure, so every state
 * ECS can report (in progress, completed, failed by the circuit breaker, rolled back, short of
 * tasks) is table-tested without AWS; the waiting, the timeout and the health alarm are
 * `EcsRunnerDeployment.waitHealthy`'s.
 */
import type { Deployment, Service } from '@aws-sdk/client-ecs';
import type { Rollout } from '../../core/ports';

/**
 * What a rollout is judged by.
 *
 * - `'deployment'` (production, real ECS): UpdateService creates a new PRIMARY deployment for the
 *   new task definition; the rollout is done when that deployment is COMPLETED with its desired
 *   task count running. ECS's own verdicts count: a FAILED deployment (deployment circuit
 *   breaker) and a rollback to the earlier revision are failures.
 * - `'service'` (**emulator relaxation, never for production**): the AWS API emulator moto never
 *   creates a deployment on UpdateService (its `update_service` only changes the service's
 *   `taskDefinition`; `deployments[0]` keeps the original task definition and rollout state). The
 *   rollout is then judged by the service's `taskDefinition` plus the rollout state and counts of
 *   the PRIMARY deployment, whichever revision it names. On real ECS this would call a rollout
 *   healthy while the previous deployment's tasks are still the ones running.
 */
export type RolloutTracking = 'deployment' | 'service';

/** One verdict on a DescribeServices answer. */
export type RolloutAssessment =
  /** ECS considers the rollout done: steady state with the desired task count running. */
  | { readonly state: 'complete'; readonly detail: string }
  /** ECS gave up on it, rolled it back, or the service is going away. `reason` is for humans. */
  | { readonly state: 'failed'; readonly reason: string }
  /**
   * Not done yet. `primaryIsRollout`: the PRIMARY deployment runs the rollout's revision; pass it
   * on as `primaryObserved` once seen, so a later PRIMARY of another revision counts as a rollback.
   */
  | { readonly state: 'in-progress'; readonly detail: string; readonly primaryIsRollout: boolean };

/** What earlier polls of the same rollout saw. */
export interface RolloutObservations {
  /**
   * An earlier answer had a PRIMARY deployment of the rollout's revision. Until then, a PRIMARY of
   * another revision is ECS not having created the deployment yet; afterwards it is a rollback.
   * @default false
   */
  readonly primaryObserved?: boolean;
}

/**
 * Judges `service` (one element of DescribeServices' `services`) for `rollout`, as `tracking`
 * describes. In order:
 * 1. a service that is not ACTIVE (DRAINING, INACTIVE) fails the rollout;
 * 2. `'deployment'` only: a deployment of the rollout's revision with rolloutState FAILED fails it
 *    with ECS's `rolloutStateReason` (the circuit breaker's explanation);
 * 3. a service `taskDefinition` other than the rollout's revision fails it: ECS rolled back (or
 *    another deployment replaced it);
 * 4. no PRIMARY deployment yet: in progress;
 * 5. `'deployment'` only: a PRIMARY of another revision is in progress until the rollout's PRIMARY
 *    was observed, a rollback afterwards;
 * 6. PRIMARY rolloutState FAILED fails it;
 * 7. PRIMARY runningCount >= desiredCount and rolloutState COMPLETED is complete (a deployment
 *    without rolloutState, which ECS omits for some controllers, counts as COMPLETED when it is the
 *    only deployment left, as the AWS `services-stable` waiter judges);
 * 8. anything else is in progress.
 */
export function assessRollout(
  service: Service,
  rollout: Rollout,
  tracking: RolloutTracking,
  observations: RolloutObservations = {},
): RolloutAssessment {
  const name = service.serviceName ?? service.serviceArn ?? 'the service';
  if (service.status !== undefined && service.status !== 'ACTIVE') {
    return failed(`ECS service ${name} is ${service.status}: it is being deleted, so the rollout of ${shortArn(rollout.revision)} cannot complete`);
  }
  const deployments = service.deployments ?? [];
  const ofRollout = deployments.filter((d) => d.taskDefinition === rollout.revision);

  if (tracking === 'deployment') {
    const broken = ofRollout.find((d) => d.rolloutState === 'FAILED');
    if (broken) return failed(circuitBreakerReason(broken, rollout, service));
  }
  if (service.taskDefinition !== rollout.revision) {
    return failed(
      `ECS rolled the service back: ${name} runs ${shortArn(service.taskDefinition)} instead of ${shortArn(rollout.revision)} ` +
        '(the deployment failed, or another deployment replaced it)',
    );
  }

  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) return inProgress(`no PRIMARY deployment of ${name} yet`, false);
  const primaryIsRollout = primary.taskDefinition === rollout.revision;
  if (tracking === 'deployment' && !primaryIsRollout) {
    if (observations.primaryObserved) {
      return failed(
        `ECS rolled the service back: ${name}'s PRIMARY deployment ${primary.id ?? ''} runs ${shortArn(primary.taskDefinition)} ` +
          `instead of ${shortArn(rollout.revision)}`,
      );
    }
    return inProgress(`waiting for ECS to start a deployment of ${shortArn(rollout.revision)}; PRIMARY still runs ${shortArn(primary.taskDefinition)}`, false);
  }
  if (primary.rolloutState === 'FAILED') return failed(circuitBreakerReason(primary, rollout, service));

  const running = primary.runningCount ?? 0;
  const desired = primary.desiredCount ?? service.desiredCount ?? 0;
  const settled = primary.rolloutState === 'COMPLETED' || (primary.rolloutState === undefined && deployments.length === 1);
  const detail = describeDeployment(primary, deployments.length);
  if (settled && running >= desired) return { state: 'complete', detail };
  return inProgress(detail, primaryIsRollout);
}

function circuitBreakerReason(deployment: Deployment, rollout: Rollout, service: Service): string {
  const reason = deployment.rolloutStateReason ?? 'no reason given';
  const back = service.taskDefinition !== rollout.revision ? ` (ECS rolled the service back to ${shortArn(service.taskDefinition)})` : '';
  return `ECS deployment ${deployment.id ?? ''} of ${shortArn(rollout.revision)} FAILED: ${reason}${back}`;
}

function describeDeployment(d: Deployment, deploymentCount: number): string {
  const others = deploymentCount > 1 ? `, ${deploymentCount - 1} older deployment(s) still listed` : '';
  return (
    `PRIMARY deployment ${d.id ?? '?'} of ${shortArn(d.taskDefinition)} is ${d.rolloutState ?? 'without rollout state'} ` +
    `(running ${d.runningCount ?? 0} of ${d.desiredCount ?? 0}, pending ${d.pendingCount ?? 0}, failed tasks ${d.failedTasks ?? 0}${others})`
  );
}

/** `family:revision` of a task-definition ARN, for readable messages; anything else unchanged. */
export function shortArn(arn: string | undefined): string {
  if (arn === undefined) return '(no task definition)';
  const match = /:task-definition\/(.+)$/.exec(arn);
  return match ? match[1] : arn;
}

function failed(reason: string): RolloutAssessment {
  return { state: 'failed', reason };
}

function inProgress(detail: string, primaryIsRollout: boolean): RolloutAssessment {
  return { state: 'in-progress', detail, primaryIsRollout };
}
