/** AWS-SG-2 (kit-only): the kit's security groups allow no ingress at all. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { describeRule, rulesDeclaredBy, SECURITY_GROUP_RULE_TYPES } from './support/security-group-rules';

export const SECURITY_GROUP_NO_INGRESS: Rule = {
  id: 'AWS-SG-2',
  title: 'Security groups allow no ingress at all',
  why: 'Runners and the updater only connect outward (principle "outbound only"); any inbound rule, even from inside the VPC, is a path for lateral movement that nothing needs.',
  fix: 'Remove the ingress rule. If a component really must accept a connection (e.g. an EKS control plane from its nodes), allow it from a security group, not a CIDR, and acknowledge the finding with the reason.',
  publicIds: [],
  appliesTo: SECURITY_GROUP_RULE_TYPES,
  check: (resource) =>
    fromFindings(
      rulesDeclaredBy(resource)
        .filter((r) => r.direction === 'ingress')
        .map((r) => ({ key: r.key, message: `${describeRule(r)} admits inbound traffic` })),
    ),
};
