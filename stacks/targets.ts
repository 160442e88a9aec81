/**
 * Config -> stacks: one stack per target (two on Kubernetes platforms), by cloud and platform.
 *
 * The one place user text becomes Terraform text: each target is escaped (`toTerraformText`)
 * before any stack or construct sees it, so a config value never reaches Terraform as an expression.
 */
import type { App, TerraformStack } from 'cdktf';
import type { KitConfig, TargetConfig } from '../constructs/core/config/schema';
import { toTerraformText } from '../constructs/core/terraform-text';
import { AwsEcsStack } from './aws-ecs-stack';
import { addAwsEksStacks } from './aws-eks-stacks';

export function addTargetStacks(app: App, config: KitConfig): TerraformStack[] {
  return Object.entries(config.targets).flatMap(([name, target]) => stacksFor(app, name, toTerraformText(target)));
}

function stacksFor(app: App, name: string, target: TargetConfig): TerraformStack[] {
  const kind = `${target.cloud}/${target.platform}`;
  switch (kind) {
    case 'aws/ecs':
      return [new AwsEcsStack(app, name, { target })];
    case 'aws/eks':
      return addAwsEksStacks(app, name, target);
    default:
      // Unreachable for validated config: semantic.ts rejects platforms not implemented yet.
      throw new Error(`targets.${name}: ${kind} has no stack in this version of the kit`);
  }
}
