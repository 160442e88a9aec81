/**
 * How far a Deployment rollout has come, judged from one GET of the Deployment with the rules of
 * `kubectl rollout status` (k8s.io/kubectl polymorphichelpers/rollout_status.go). Pure, so every
 * status the deployment controller reports is table-tested on recorded objects; the waiting and
 * the timeout are `KubernetesRunnerDeployment.waitHealthy`'s.
 */
import type { Deployment } from './api-objects';
import { templateRevision } from './pod-template-revision';
import type { Rollout } from '../../core/ports';

/** The Progressing condition's reason once `spec.progressDeadlineSeconds` passed without progress. */
export const PROGRESS_DEADLINE_EXCEEDED = 'ProgressDeadlineExceeded';

export type DeploymentRolloutAssessment =
  /** kubectl would print "successfully rolled out". */
  | { readonly state: 'complete'; readonly detail: string }
  /** The rollout cannot complete: it was replaced, the Deployment is going away, paused, or past its deadline. */
  | { readonly state: 'failed'; readonly reason: string }
  /** kubectl would keep waiting; `detail` is its "Waiting for ..." line plus the counts. */
  | { readonly state: 'in-progress'; readonly detail: string };

/**
 * Judges `deployment` for `rollout`. In order:
 * 1. a Deployment being deleted (`metadata.deletionTimestamp`) fails the rollout;
 * 2. a template other than the rollout's revision fails it: someone (or something) changed or
 *    rolled back the Deployment since;
 * 3. a paused Deployment fails it: it never rolls out until resumed (kubectl would wait forever);
 * 4. `status.observedGeneration < metadata.generation`: in progress, the controller has not seen
 *    the change yet;
 * 5. the Progressing condition with reason ProgressDeadlineExceeded fails it;
 * 6. `updatedReplicas < spec.replicas`, `replicas > updatedReplicas` (old pods still there),
 *    `availableReplicas < updatedReplicas`, `unavailableReplicas > 0`: in progress;
 * 7. anything else is complete. `spec.replicas: 0` completes at once, as with kubectl.
 */
export function assessDeploymentRollout(deployment: Deployment, rollout: Rollout): DeploymentRolloutAssessment {
  const name = deployment.metadata.name ?? '(unnamed)';
  const quoted = `deployment "${name}"`;
  if (deployment.metadata.deletionTimestamp !== undefined) {
    return failed(`${quoted} is being deleted (since ${deployment.metadata.deletionTimestamp}); the rollout of ${rollout.revision} cannot complete`);
  }
  const running = templateRevision(name, deployment.spec.template);
  if (running !== rollout.revision) {
    return failed(`${quoted} was changed by someone else: it now has template ${running} instead of ${rollout.revision} (a kubectl rollout undo, a Terraform apply, or another updater run)`);
  }
  if (deployment.spec.paused === true) {
    return failed(`${quoted} is paused, so ${rollout.revision} is not rolled out; resume it with kubectl rollout resume deployment/${name} -n ${deployment.metadata.namespace ?? '<namespace>'}`);
  }

  const status = deployment.status ?? {};
  const generation = deployment.metadata.generation ?? 0;
  const observed = status.observedGeneration ?? 0;
  const counts = countsOf(deployment);
  if (observed < generation) return inProgress(`Waiting for deployment spec update to be observed... ${counts}`);

  const progressing = status.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.reason === PROGRESS_DEADLINE_EXCEEDED) {
    const deadline = deployment.spec.progressDeadlineSeconds;
    return failed(
      `${quoted} exceeded its progress deadline${deadline !== undefined ? ` of ${deadline} s` : ''}${progressing.message ? `: ${progressing.message}` : ''} ${counts}`,
    );
  }
  const desired = deployment.spec.replicas ?? 1;
  const replicas = status.replicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  const available = status.availableReplicas ?? 0;
  const unavailable = status.unavailableReplicas ?? 0;
  const waiting = `Waiting for ${quoted} rollout to finish:`;
  if (updated < desired) return inProgress(`${waiting} ${updated} out of ${desired} new replicas have been updated... ${counts}`);
  if (replicas > updated) return inProgress(`${waiting} ${replicas - updated} old replicas are pending termination... ${counts}`);
  if (available < updated) return inProgress(`${waiting} ${available} of ${updated} updated replicas are available... ${counts}`);
  if (unavailable > 0) return inProgress(`${waiting} ${unavailable} replicas are unavailable... ${counts}`);
  return { state: 'complete', detail: `${quoted} successfully rolled out ${counts}` };
}

/** `(generation 4, observed 4; replicas 2, updated 1, available 1, unavailable 1)` for messages. */
function countsOf(d: Deployment): string {
  const s = d.status ?? {};
  return (
    `(generation ${d.metadata.generation ?? 0}, observed ${s.observedGeneration ?? 0}; desired ${d.spec.replicas ?? 1}, ` +
    `replicas ${s.replicas ?? 0}, updated ${s.updatedReplicas ?? 0}, available ${s.availableReplicas ?? 0}, unavailable ${s.unavailableReplicas ?? 0})`
  );
}

function failed(reason: string): DeploymentRolloutAssessment {
  return { state: 'failed', reason };
}

function inProgress(detail: string): DeploymentRolloutAssessment {
  return { state: 'in-progress', detail };
}
