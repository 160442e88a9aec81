/** Reading NetworkPolicies of the kubernetes provider: what they select, deny and allow. */
import { block, blocks, isExpression, strings } from '../../../core/rules/expressions';
import type { JsonObject } from '../../../core/rules/synthesized-config';

/** Whether a label selector block selects every pod (`pod_selector {}`). */
export function selectsAll(selector: unknown): boolean {
  if (isExpression(selector)) return false;
  const s = block(selector as JsonObject) ?? {};
  const labels = block(s.match_labels);
  return (labels === undefined || Object.keys(labels).length === 0) && blocks(s.match_expressions).length === 0 && !isExpression(s.match_labels) && !isExpression(s.match_expressions);
}

/**
 * The policy types a policy applies, as Kubernetes reads them: the listed ones, else Ingress plus
 * Egress when it has egress rules. Undefined when they are a Terraform expression.
 */
export function policyTypes(spec: JsonObject): readonly string[] | undefined {
  if (isExpression(spec.policy_types)) return undefined;
  const listed = strings(spec.policy_types);
  if (listed.length > 0) return listed;
  return ['Ingress', ...(blocks(spec.egress).length > 0 || isExpression(spec.egress) ? ['Egress'] : [])];
}

/** Whether the policy lists rules for `direction` (`ingress` / `egress`), i.e. allows some traffic. */
export const allows = (spec: JsonObject, direction: 'ingress' | 'egress'): boolean => isExpression(spec[direction]) || blocks(spec[direction]).length > 0;
