/**
 * The first of a target's two stacks on AKS: everything Azure-side, from the cloud-neutral
 * cluster composition with the AKS bindings: the Azure foundation (Key Vault, VNet, Log Analytics,
 * mirror registry), the AKS cluster (private, Entra ID with Azure RBAC, local accounts off,
 * workload identity, Azure CNI overlay with Cilium network policy, NAT gateway egress, Azure
 * Policy, logs, patching in the maintenance window), the runners' secrets and workload identities,
 * the updater and operator access. The workload stack (`AzureAksWorkloadStack`) then deploys
 * run-controller onto this cluster.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { AksCluster } from '../constructs/azure/aks-cluster';
import { aksClusterBindings } from '../constructs/azure/aks-bindings';
import type { AzureTargetConfig } from '../constructs/azure/config';
import { applyAzureRulePack } from '../constructs/azure/rules';
import { composeKubernetesCluster, type KubernetesCluster } from '../constructs/core/compositions/kubernetes-cluster';
import { configureAzureStack } from './azure-stack';

export interface AzureAksClusterStackProps {
  /** The target's name in the config (the stack is `<target>-cluster`). */
  readonly targetName: string;
  readonly target: AzureTargetConfig;
}

export class AzureAksClusterStack extends TerraformStack {
  readonly composition: KubernetesCluster;
  readonly cluster: AksCluster;

  constructor(scope: Construct, name: string, props: AzureAksClusterStackProps) {
    super(scope, name);
    const setup = configureAzureStack(this, props.targetName, props.target);
    const bindings = aksClusterBindings(this, props.targetName, props.target, setup);
    this.composition = composeKubernetesCluster(this, props.target, bindings);
    this.cluster = bindings.aks();
    applyAzureRulePack(this);
  }
}
