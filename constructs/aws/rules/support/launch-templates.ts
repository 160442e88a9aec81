/** EKS node groups and their launch templates, for the instance-metadata rules. */
import { asReference, block } from '../../../core/rules/expressions';
import { compliant, nonCompliant, type Verdict } from '../../../core/rules/rule';
import type { SynthesizedConfig, TerraformResourceView } from '../../../core/rules/synthesized-config';

/**
 * A node group is judged through its launch template: compliant when it uses a launch template of
 * this stack (which the same rule judges itself); a finding when it has none (EKS's own template
 * sets hop limit 2 and, on older AMIs, allows IMDSv1) or one the pack cannot see.
 */
export function nodeGroupLaunchTemplate(nodeGroup: TerraformResourceView, config: SynthesizedConfig): Verdict {
  const lt = block(nodeGroup.body.launch_template);
  if (!lt) return nonCompliant('the node group has no launch_template, so EKS applies its own metadata options (hop limit 2; IMDSv1 allowed on some AMIs)');
  const ref = asReference(lt.id ?? lt.name);
  if (ref && ref.address.startsWith('aws_launch_template.') && config.get(ref.address)) return compliant();
  return nonCompliant(`launch_template ${JSON.stringify(lt.id ?? lt.name ?? null)} is not a launch template of this stack, so its metadata options cannot be checked`);
}
