/**
 * The first of a target's two stacks on EKS: everything AWS-side, from the cloud-neutral cluster
 * composition with the EKS bindings: key, private network, mirror repositories, the EKS cluster
 * (private endpoint, encrypted Secrets, all control-plane logs, network policy enforcement,
 * IMDSv2-only nodes), the runners' credentials, their identities (EKS Pod Identity, no
 * permissions), the update pipeline, operator access and the access entries. The workload stack
 * (`AwsEksWorkloadStack`) then deploys run-controller onto this cluster.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { AwsTargetConfig } from '../constructs/aws/config';
import { eksClusterBindings } from '../constructs/aws/eks-bindings';
import type { EksAccess } from '../constructs/aws/eks-access';
import type { EksPlatform } from '../constructs/aws/eks-platform';
import { applyAwsRulePack } from '../constructs/aws/rules';
import { composeKubernetesCluster, type KubernetesCluster } from '../constructs/core/compositions/kubernetes-cluster';
import { configureAwsStack } from './aws-stack';

export interface AwsEksClusterStackProps {
  /** The target's name in the config (the stack is `<target>-cluster`). */
  readonly targetName: string;
  readonly target: AwsTargetConfig;
}

export class AwsEksClusterStack extends TerraformStack {
  readonly composition: KubernetesCluster;
  readonly platform: EksPlatform;
  readonly access: EksAccess;

  constructor(scope: Construct, name: string, props: AwsEksClusterStackProps) {
    super(scope, name);
    configureAwsStack(this, props.targetName, props.target);
    const bindings = eksClusterBindings(this, props.targetName, props.target);
    this.composition = composeKubernetesCluster(this, props.target, bindings);
    this.platform = bindings.platform();
    this.access = bindings.access();
    applyAwsRulePack(this);
  }
}
