/**
 * A private meshStack runner on AWS ECS Fargate: the AWS set-up (provider, backend, tags), the
 * cloud-neutral CaaS composition with the ECS bindings, and the AWS rule pack. No resource logic here.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { AwsTargetConfig } from '../constructs/aws/config';
import { ecsBindings } from '../constructs/aws/ecs-bindings';
import { applyAwsRulePack } from '../constructs/aws/rules';
import { composeCaasRunners, type CaasRunners } from '../constructs/core/compositions/caas-runners';
import { configureAwsStack } from './aws-stack';

export interface AwsEcsStackProps {
  readonly target: AwsTargetConfig;
}

export class AwsEcsStack extends TerraformStack {
  readonly runners: CaasRunners;

  constructor(scope: Construct, name: string, props: AwsEcsStackProps) {
    super(scope, name);
    configureAwsStack(this, name, props.target);
    this.runners = composeCaasRunners(this, props.target, ecsBindings(this, name, props.target));
    applyAwsRulePack(this);
  }
}
