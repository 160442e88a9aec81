/**
 * The workload side of a Kubernetes target, the same on EKS, AKS and GKE: one run-controller per
 * runner (its release images from the private mirror, by digest; its credentials written
 * write-only; one Job per run sized from the runner's vCPUs and memory) in the shared
 * `RunnerWorkload`, the outputs, and the Kubernetes rule pack's acknowledgements. A cloud supplies
 * only how to look up a mirror digest, how to read a runner's credentials ephemerally, and any
 * extra egress its controller needs (e.g. EKS's Pod Identity agent).
 */
import type { TerraformStack } from 'cdktf';
import type { KubernetesConfig, RunnerConfig, SharedTargetConfig } from '../core/config/schema';
import { writeOutputs } from '../core/compositions/foundation';
import { jobResources } from './capacity';
import { releaseImagesOf } from './release-images';
import type { RunControllerCredentials } from './run-controller';
import { IMPLEMENTATION_ENV, type ImplementationSpec, type ImplementationType } from './run-controller-config';
import { acknowledgeRunnerWorkload } from './rules';
import type { EgressDestination } from './runner-network-policy';
import { RunnerTrust } from './runner-trust';
import { RunnerWorkload, type RunnerWorkloadController } from './runner-workload';

export interface KubernetesWorkloadBindings {
  /** The by-digest reference of `upstream` at `version` in the private mirror (resolved at plan time). */
  mirroredImage(upstream: string, version: string): string;
  /** The runner's credentials as ephemeral values, for the write-only Secret. */
  credentials(runner: string, config: RunnerConfig): RunControllerCredentials;
  /** What to do when the credentials Secret is empty (e.g. which stack to deploy with which variables). */
  missingCredentialsHint(runner: string): string;
  /** Egress the controller needs besides DNS, 443 and the extra ports (e.g. a node-local identity agent). @default [] */
  readonly controllerExtraEgress?: readonly EgressDestination[];
}

export { jobResources } from './capacity';

/** Composes the runner workload of target `name` in `stack` (the workload stack) and writes its outputs. */
export function composeKubernetesWorkload(stack: TerraformStack, name: string, target: SharedTargetConfig & { readonly kubernetes?: KubernetesConfig }, bindings: KubernetesWorkloadBindings): RunnerWorkload {
  const k = target.kubernetes;
  if (k === undefined) throw new Error(`targets.${name}.kubernetes is required on a Kubernetes platform (config validation checks this first)`);
  // One lookup per image and version, however many runners share it.
  const images = new Map<string, string>();
  const mirrored = (upstream: string, version: string): string => {
    const id = `${upstream}:${version}`;
    if (!images.has(id)) images.set(id, bindings.mirroredImage(upstream, version));
    return images.get(id)!;
  };
  const controllers: RunnerWorkloadController[] = Object.entries(target.runners).map(([runner, r]) => {
    const release = releaseImagesOf(target, runner);
    const implementations: Partial<Record<ImplementationType, ImplementationSpec>> = {};
    for (const [type, image] of Object.entries(release.implementations) as [ImplementationType, string][]) {
      implementations[type] = { image: mirrored(image, r.version), env: IMPLEMENTATION_ENV[type], resources: jobResources(type, r), ...RunnerTrust.jobVolumes(type) };
    }
    return {
      runner,
      runnerUuid: r.uuid,
      apiClientId: r.apiClientId,
      image: mirrored(release.controller, r.version),
      implementations,
      replicas: r.replicas,
      displayName: `${name} ${runner}`,
      credentials: bindings.credentials(runner, r),
      missingCredentialsHint: bindings.missingCredentialsHint(runner),
    };
  });
  const controllerExtraEgress = bindings.controllerExtraEgress ?? [];
  const workload = new RunnerWorkload(stack, 'Workload', {
    namespace: k.namespace,
    podSecurityVersion: `v${k.version}`,
    meshstackApiUrl: target.meshstack.apiUrl,
    ownedByWorkspace: k.ownedByWorkspace,
    controllers,
    pollingIntervalSeconds: k.pollingIntervalSeconds,
    maxConcurrentJobs: k.maxConcurrentJobs,
    egressExtraPorts: target.network.egressExtraPorts,
    controllerExtraEgress,
    trust: target.trust,
  });
  const byRunner = <T>(f: (runner: string) => T) => Object.fromEntries(Object.keys(target.runners).map((n) => [n, f(n)]));
  writeOutputs(stack, {
    namespace: { value: workload.namespace, description: 'Namespace of run-controller and the run Jobs (Pod Security restricted, default-deny network policy).' },
    controller_deployments: { value: byRunner((n) => workload.controllers[n]!.deploymentName), description: 'run-controller Deployment per runner: kubectl -n <namespace> rollout status deployment/<name>.' },
    credentials_secrets: { value: byRunner((n) => workload.controllers[n]!.credentialsSecretName), description: 'Kubernetes Secret per runner holding its credentials (written write-only; values never in state).' },
    controller_images: { value: byRunner((n) => workload.controllers[n]!.image), description: 'Image (mirror digest) each run-controller runs.' },
    operators_group: { value: workload.operatorAccess?.group ?? '', description: 'Kubernetes group with read-only access to the namespace (pods, logs, events, jobs).' },
    updater_group: { value: workload.updaterAccess?.group ?? '', description: 'Kubernetes group that may roll the controller Deployments to a new digest.' },
  });
  acknowledgeRunnerWorkload(workload, controllerExtraEgress);
  return workload;
}
