/**
 * The ECS cluster the runners run on: Fargate only (no instances to patch), Container Insights on
 * (CKV_AWS_65; its RunningTaskCount metric feeds the runner alarms).
 */
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { Construct } from 'constructs';

export interface EcsPlatformProps {
  readonly clusterName: string;
}

export class EcsPlatform extends Construct {
  readonly clusterArn: string;
  readonly clusterName: string;

  constructor(scope: Construct, id: string, props: EcsPlatformProps) {
    super(scope, id);
    const cluster = new EcsCluster(this, 'Resource', {
      name: props.clusterName,
      setting: [{ name: 'containerInsights', value: 'enabled' }],
    });
    this.clusterArn = cluster.arn;
    this.clusterName = cluster.name;
  }
}
