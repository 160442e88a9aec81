/**
 * The cluster side of a Kubernetes target, the same on every cloud (EKS; next AKS and GKE): the
 * foundation (key -> network -> alarm sink -> one mirror per release image: run-controller and
 * every job image) -> the cluster -> per runner: its secrets (API client secret, private key,
 * certificate) and its cloud identity -> update pipeline (whose bootstrap promotes each runner's
 * release) -> operator access -> who may reach the cluster -> the outputs, with the same names on
 * every cloud.
 *
 * The workload side (run-controller on the cluster) is `composeKubernetesWorkload`, deployed as a
 * second stack once the cluster exists.
 */
import type { TerraformStack } from 'cdktf';
import { mirroredImagesOf } from '../../kubernetes/release-images';
import type { RunnerConfig, SharedTargetConfig } from '../config/schema';
import type { IEncryptionKey, IOperatorAccess, IRunnerNetwork, IRunnerSecrets, IUpdatePipeline } from '../interfaces';
import { type ComposedTarget, commonOutputs, composeFoundation, type Foundation, type FoundationBindings, type Outputs, perRunner, writeOutputs } from './foundation';

/** A Kubernetes cluster the kit created. */
export interface IKubernetesCluster {
  readonly clusterName: string;
  /** The API endpoint (private unless opted in). */
  readonly endpoint: string;
}

/** A runner's identity in its cloud (EKS Pod Identity role, Azure managed identity, GCP service account); no permissions by default. */
export interface IRunnerIdentity {
  readonly principal: string;
}

export interface KubernetesClusterBindings extends FoundationBindings {
  cluster(context: { readonly key: IEncryptionKey; readonly network: IRunnerNetwork }): IKubernetesCluster;
  /** The runner's secrets, the certificate run-controller needs included. */
  runnerSecrets(runner: string, config: RunnerConfig, key: IEncryptionKey): IRunnerSecrets;
  runnerIdentity(runner: string, cluster: IKubernetesCluster): IRunnerIdentity;
  updatePipeline(context: Foundation & { readonly cluster: IKubernetesCluster }): IUpdatePipeline;
  operatorAccess?(context: { readonly cluster: IKubernetesCluster; readonly updates: IUpdatePipeline }): IOperatorAccess | undefined;
  /** Who may reach the cluster's API: the deployer, the updater, the operators (namespaced). */
  clusterAccess(context: { readonly cluster: IKubernetesCluster; readonly updates: IUpdatePipeline; readonly operatorAccess?: IOperatorAccess }): void;
  platformOutputs?(): Outputs;
}

export interface KubernetesCluster extends ComposedTarget {
  readonly cluster: IKubernetesCluster;
  readonly runners: Readonly<Record<string, { readonly secrets: IRunnerSecrets; readonly identity: IRunnerIdentity }>>;
}

export function composeKubernetesCluster(stack: TerraformStack, target: SharedTargetConfig, bindings: KubernetesClusterBindings): KubernetesCluster {
  const foundation = composeFoundation(bindings, mirroredImagesOf(target));
  const { key, network } = foundation;
  const cluster = bindings.cluster({ key, network });
  const runners: Record<string, { secrets: IRunnerSecrets; identity: IRunnerIdentity }> = {};
  for (const [name, r] of Object.entries(target.runners)) {
    runners[name] = { secrets: bindings.runnerSecrets(name, r, key), identity: bindings.runnerIdentity(name, cluster) };
  }
  const secretInputs = Object.values(runners).flatMap((r) => r.secrets.inputs);
  // The bootstrap promotes each runner's release (controller and job images) into the mirror before
  // the workload stack looks the digests up; later runs roll the controllers through the cluster API.
  const updates = bindings.updatePipeline({ ...foundation, cluster });
  const operatorAccess = bindings.operatorAccess?.({ cluster, updates });
  bindings.clusterAccess({ cluster, updates, ...(operatorAccess !== undefined ? { operatorAccess } : {}) });

  writeOutputs(stack, {
    ...bindings.platformOutputs?.(),
    cluster_name: { value: cluster.clusterName, description: 'The Kubernetes cluster running the runner workload.' },
    cluster_endpoint: { value: cluster.endpoint, description: 'Kubernetes API endpoint (private unless kubernetes.allowPublicEndpoint).' },
    runner_identities: { value: perRunner(runners, (r) => r.identity.principal), description: 'The cloud identity of each runner\'s run-controller (no permissions by default).' },
    runner_secrets: { value: perRunner(runners, (r) => r.secrets.secretIds), description: 'The secret-store entries of each runner (values are never in state).' },
    ...commonOutputs({ ...foundation, updates, operatorAccess, secretInputs, runners: Object.keys(target.runners) }),
  });
  return { ...foundation, cluster, updates, runners, secretInputs, ...(operatorAccess !== undefined ? { operatorAccess } : {}) };
}
