/** What a principal may do, assembled across its policies: the input of the escalation and credential rules. */
import { notApplicable, type Verdict } from '../../../core/rules/rule';
import type { SynthesizedConfig, TerraformResourceView } from '../../../core/rules/synthesized-config';
import { allowStatements, BOUNDARY_NOT_A_GRANT, isAttachedInStack, isBoundaryOnly, permissionsOf, policiesHeldBy, PRINCIPAL_TYPES, type Statement } from './policy';

/** Principals, plus policies attached to none of them (judged on their own). */
export const PRINCIPAL_RULE_TYPES = [...PRINCIPAL_TYPES, 'aws_iam_policy'] as const;

/** The Allow statements that apply to a principal, or why the resource is judged elsewhere. */
export function grantedStatements(resource: TerraformResourceView, config: SynthesizedConfig): Statement[] | Verdict {
  if (resource.type === 'aws_iam_policy') {
    if (isAttachedInStack(resource, config)) return notApplicable('judged on the principals it is attached to');
    if (isBoundaryOnly(resource, config)) return notApplicable(BOUNDARY_NOT_A_GRANT);
    return allowStatements(policiesHeldBy(resource, config));
  }
  return allowStatements(permissionsOf(resource, config).policies);
}
