/**
 * The second of a target's two stacks on EKS: the runner workload (`composeKubernetesWorkload`,
 * shared with AKS and GKE) on the cluster the cluster stack created. The Kubernetes provider is
 * configured from that cluster: endpoint and CA from the `aws_eks_cluster` data source, the token
 * from the EPHEMERAL `aws_eks_cluster_auth` (a data source would keep the token in state).
 *
 * Images are the mirror's digests of the runner's release, looked up at plan time. The runners'
 * credentials are read from Secrets Manager as ephemeral values and written into each
 * controller's Kubernetes Secret through the write-only `data_wo`, re-sent only when the runner's
 * `apiClientSecretVersion` or `privateKeyVersion` moves: no credential value is ever in this
 * stack's state or plan.
 */
import { DataAwsEksCluster } from '@cdktf/provider-aws/lib/data-aws-eks-cluster';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { eksNames } from '../constructs/aws/aws-names';
import type { AwsTargetConfig } from '../constructs/aws/config';
import { eksWorkloadBindings } from '../constructs/aws/eks-bindings';
import { applyAwsRulePack } from '../constructs/aws/rules';
import { ephemeralResource } from '../constructs/core/ephemeral';
import { applyKubernetesRulePack } from '../constructs/kubernetes/rules';
import type { RunnerWorkload } from '../constructs/kubernetes/runner-workload';
import { composeKubernetesWorkload } from '../constructs/kubernetes/workload-composition';
import { configureAwsStack } from './aws-stack';

export interface AwsEksWorkloadStackProps {
  readonly targetName: string;
  readonly target: AwsTargetConfig;
}

export class AwsEksWorkloadStack extends TerraformStack {
  readonly workload: RunnerWorkload;

  constructor(scope: Construct, name: string, props: AwsEksWorkloadStackProps) {
    super(scope, name);
    configureAwsStack(this, props.targetName, props.target, { awsContext: false });
    const clusterName = eksNames.cluster(props.targetName);
    const cluster = new DataAwsEksCluster(this, 'Cluster', { name: clusterName });
    const auth = ephemeralResource(this, 'aws_eks_cluster_auth', 'cluster', { name: clusterName });
    new KubernetesProvider(this, 'kubernetes', {
      host: cluster.endpoint,
      clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
      token: auth.get('token'),
    });
    this.workload = composeKubernetesWorkload(this, props.targetName, props.target, eksWorkloadBindings(this, props.targetName));
    applyAwsRulePack(this);
    applyKubernetesRulePack(this);
  }
}
