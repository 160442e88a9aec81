/** A target on EKS: the cluster stack, then the workload stack deployed onto that cluster. */
import type { App } from 'cdktf';
import type { TargetConfig } from '../constructs/core/config/schema';
import { eksStackNames } from './aws-eks-common';
import { AwsEksClusterStack, type AwsEksClusterStackProps } from './aws-eks-cluster-stack';
import { AwsEksWorkloadStack } from './aws-eks-workload-stack';

export type AwsEksStackOptions = Omit<AwsEksClusterStackProps, 'targetName' | 'target'>;

export function addAwsEksStacks(app: App, targetName: string, target: TargetConfig, options: AwsEksStackOptions = {}): [AwsEksClusterStack, AwsEksWorkloadStack] {
  const names = eksStackNames(targetName);
  const cluster = new AwsEksClusterStack(app, names.cluster, { targetName, target, ...options });
  const workload = new AwsEksWorkloadStack(app, names.workload, { targetName, target });
  // `cdktf deploy` orders them; the workload stack reads the cluster by name, not by reference.
  workload.addDependency(cluster);
  return [cluster, workload];
}
