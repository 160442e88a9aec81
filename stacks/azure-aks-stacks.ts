/** A target on AKS: the cluster stack, then the workload stack deployed onto that cluster. */
import type { App } from 'cdktf';
import { aksStackNames } from '../constructs/azure/azure-names';
import type { AzureTargetConfig } from '../constructs/azure/config';
import { AzureAksClusterStack } from './azure-aks-cluster-stack';
import { AzureAksWorkloadStack } from './azure-aks-workload-stack';

export function addAzureAksStacks(app: App, targetName: string, target: AzureTargetConfig): [AzureAksClusterStack, AzureAksWorkloadStack] {
  const names = aksStackNames(targetName);
  const cluster = new AzureAksClusterStack(app, names.cluster, { targetName, target });
  const workload = new AzureAksWorkloadStack(app, names.workload, { targetName, target });
  // `cdktf deploy` orders them; the workload stack reads the cluster stack's outputs from its state, not by reference.
  workload.addDependency(cluster);
  return [cluster, workload];
}
