/**
 * Config -> stacks: each target's kind (`kinds/`) adds its stacks; nothing here knows a cloud.
 *
 * The one place user text becomes Terraform text: each target is escaped (`toTerraformText`)
 * before any stack or construct sees it, so a config value never reaches Terraform as an expression.
 */
import type { App, TerraformStack } from 'cdktf';
import { kindOf } from '../kinds';
import type { KitConfig } from '../constructs/core/config/schema';
import { toTerraformText } from '../constructs/core/terraform-text';
import { TERRAFORM_REQUIRED_VERSION } from '../constructs/core/terraform-data';

export function addTargetStacks(app: App, config: KitConfig): TerraformStack[] {
  const stacks = Object.entries(config.targets).flatMap(([name, target]) => kindOf(target).addStacks(app, name, toTerraformText(target)));
  // Every stack states the Terraform it needs; `terraform init` refuses an older binary with that message.
  for (const stack of stacks) stack.addOverride('terraform.required_version', TERRAFORM_REQUIRED_VERSION);
  return stacks;
}
