/**
 * The first of a target's two stacks on GKE: everything GCP-side, from the cloud-neutral cluster
 * composition with the GKE bindings: key, private network, mirror, the Autopilot cluster (private
 * nodes, DNS and private endpoints, Binary Authorization, encrypted Secrets, release channel,
 * maintenance window, deletion protection), the runners' secrets and identities, the update
 * pipeline, operator access. The workload stack (`GcpGkeWorkloadStack`) then deploys run-controller
 * onto this cluster.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { GcpTargetConfig } from '../constructs/gcp/config';
import { GKE_TARGET_APIS } from '../constructs/gcp/gcp-context';
import { gkeClusterBindings } from '../constructs/gcp/gke-bindings';
import type { GkeCluster } from '../constructs/gcp/gke-cluster';
import { applyGcpRulePack } from '../constructs/gcp/rules';
import type { UpdatePipeline } from '../constructs/gcp/update-pipeline';
import { composeKubernetesCluster, type KubernetesCluster } from '../constructs/core/compositions/kubernetes-cluster';
import { configureGcpStack } from './gcp-stack';

export interface GcpGkeClusterStackProps {
  /** The target's name in the config (the stack is `<target>-cluster`). */
  readonly targetName: string;
  readonly target: GcpTargetConfig;
}

export class GcpGkeClusterStack extends TerraformStack {
  readonly composition: KubernetesCluster;
  readonly cluster: GkeCluster;
  readonly updates: UpdatePipeline;

  constructor(scope: Construct, name: string, props: GcpGkeClusterStackProps) {
    super(scope, name);
    configureGcpStack(this, props.targetName, props.target, { apis: GKE_TARGET_APIS });
    const bindings = gkeClusterBindings(this, props.targetName, props.target);
    this.composition = composeKubernetesCluster(this, props.target, bindings);
    this.cluster = bindings.gke();
    this.updates = bindings.updates();
    applyGcpRulePack(this);
  }
}
