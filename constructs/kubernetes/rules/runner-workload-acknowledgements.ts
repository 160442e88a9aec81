/**
 * The findings the runner workload (`RunnerWorkload`, the same on EKS, AKS and GKE) carries by
 * design, each acknowledged on the construct that needs it with the reason an auditor reads.
 * A stack that deploys the workload calls `acknowledgeRunnerWorkload(workload, extraEgress)` before
 * applying the pack. (They belong next to the constructs; they live here until run-controller.ts
 * and runner-network-policy.ts attach them themselves.)
 */
import { acknowledge } from '../../core/rules/acknowledgement';
import { RUNNER_UID } from '../labels';
import type { EgressDestination } from '../runner-network-policy';
import type { RunnerWorkload } from '../runner-workload';
import { HTTPS_PORT } from './network-egress-ports';

export const CONTROLLER_API_TOKEN_REASON =
  'run-controller calls the Kubernetes API of its own namespace: it creates and watches the run Jobs and creates their Secrets and ServiceAccounts (namespaced Role run-controller); ' +
  'its ServiceAccount does not automount, only this pod spec mounts the token';

export const RUNNER_UID_REASON =
  `meshcloud's runner images run as their built-in user meshcloud, uid/gid ${RUNNER_UID} (run-controller/Dockerfile), which owns the image's files; ` +
  'run_as_non_root stays true and the namespace enforces Pod Security restricted, so no container runs as root';

/**
 * Acknowledges, on each controller's Deployment, its API token (K8S-POD-6) and the image uid
 * (K8S-POD-3 `Uid::2000`), and on the workload's namespace the egress beyond 443: each
 * opted-in extra port (network.egressExtraPorts) and each controller-only destination in
 * `controllerExtraEgress`, with its own reason.
 */
export function acknowledgeRunnerWorkload(workload: RunnerWorkload, controllerExtraEgress: readonly EgressDestination[] = []): void {
  for (const controller of Object.values(workload.controllers)) {
    acknowledge(controller.deployment, 'K8S-POD-6', 'ServiceAccountToken', CONTROLLER_API_TOKEN_REASON);
    acknowledge(controller.deployment, 'K8S-POD-3', `Uid::${RUNNER_UID}`, RUNNER_UID_REASON);
  }
  const reasons = new Map<string, string[]>();
  const add = (key: string, reason: string) => reasons.set(key, [...(reasons.get(key) ?? []), reason]);
  for (const p of workload.networkPolicies.egressPorts.filter((x) => x !== HTTPS_PORT)) {
    add(`Egress::tcp:${p}`, `TCP ${p} for the controller and run pods (metadata endpoint excepted), opted in by network.egressExtraPorts`);
  }
  for (const d of controllerExtraEgress) add(`Egress::${(d.protocol ?? 'TCP').toLowerCase()}:${d.port}`, `run-controller only, to ${d.cidr}: ${d.reason}`);
  // One acknowledgement per finding: a port both opted in and used by an extra destination gets both reasons.
  for (const [key, why] of reasons) acknowledge(workload, 'K8S-NET-2', key, why.join('; '));
}
