/** A target on GKE: the cluster stack, then the workload stack deployed onto that cluster. */
import type { App } from 'cdktf';
import type { GcpTargetConfig } from '../constructs/gcp/config';
import { gkeStackNames } from '../constructs/gcp/gcp-names';
import { GcpGkeClusterStack } from './gcp-gke-cluster-stack';
import { GcpGkeWorkloadStack } from './gcp-gke-workload-stack';

export function addGcpGkeStacks(app: App, targetName: string, target: GcpTargetConfig): [GcpGkeClusterStack, GcpGkeWorkloadStack] {
  const names = gkeStackNames(targetName);
  const cluster = new GcpGkeClusterStack(app, names.cluster, { targetName, target });
  const workload = new GcpGkeWorkloadStack(app, names.workload, { targetName, target });
  // `cdktf deploy` orders them; the workload stack reads the cluster by name, not by reference.
  workload.addDependency(cluster);
  return [cluster, workload];
}
