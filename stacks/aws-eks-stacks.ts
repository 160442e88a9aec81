/** A target on EKS: the cluster stack, then the workload stack deployed onto that cluster. */
import type { App } from 'cdktf';
import { eksStackNames } from '../constructs/aws/aws-names';
import type { AwsTargetConfig } from '../constructs/aws/config';
import { AwsEksClusterStack } from './aws-eks-cluster-stack';
import { AwsEksWorkloadStack } from './aws-eks-workload-stack';

export function addAwsEksStacks(app: App, targetName: string, target: AwsTargetConfig): [AwsEksClusterStack, AwsEksWorkloadStack] {
  const names = eksStackNames(targetName);
  const cluster = new AwsEksClusterStack(app, names.cluster, { targetName, target });
  const workload = new AwsEksWorkloadStack(app, names.workload, { targetName, target });
  // `cdktf deploy` orders them; the workload stack reads the cluster by name, not by reference.
  workload.addDependency(cluster);
  return [cluster, workload];
}
