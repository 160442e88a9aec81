/**
 * K8S-POD-9 (CKV_K8S_8, CKV_K8S_9): every long-running container has a liveness and a readiness
 * probe. Not for Jobs and CronJobs (they run to completion) nor init containers (Kubernetes
 * refuses probes on them).
 */
import { isSet } from '../../core/rules/expressions';
import { notApplicable, type Rule } from '../../core/rules/rule';
import { judgeContainers, LONG_RUNNING_WORKLOAD_TYPES, POD_WORKLOAD_TYPES } from './support/pod-spec';

export const POD_PROBES: Rule = {
  id: 'K8S-POD-9',
  title: 'Long-running containers have liveness and readiness probes',
  why: 'Without a liveness probe a hung controller keeps its pod and stops claiming runs unnoticed; without a readiness probe a rollout replaces a working pod by one that never became ready.',
  fix: 'Set liveness_probe and readiness_probe on every container of a Deployment, StatefulSet or DaemonSet (an exec probe on loopback works under default-deny ingress, as RunController does).',
  publicIds: ['CKV_K8S_8', 'CKV_K8S_9'],
  appliesTo: POD_WORKLOAD_TYPES,
  check: (resource) =>
    !LONG_RUNNING_WORKLOAD_TYPES.includes(resource.type) ? notApplicable(`${resource.type} pods run to completion; a liveness or readiness probe has nothing to keep alive or route to`) : judgeContainers(
      resource,
      (c) => {
        const missing = ['liveness_probe', 'readiness_probe'].filter((p) => !isSet(c.body[p]));
        return missing.length === 0 ? undefined : `has no ${missing.join(' and no ')}`;
      },
      (c) => !c.init,
    ),
};
