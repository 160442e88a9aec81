/** AWS-SG-1 (CKV_AWS_24 / 25 / 260 / 277): no security-group rule admits traffic from the internet. */
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { classifyCidr, describeRule, rulesDeclaredBy, SECURITY_GROUP_RULE_TYPES } from './support/security-group-rules';

export const SECURITY_GROUP_NO_INTERNET_INGRESS: Rule = {
  id: 'AWS-SG-1',
  title: 'No ingress from 0.0.0.0/0 or ::/0',
  why: 'Ingress from the internet exposes whatever listens (SSH, RDP, HTTP, the runner health port) to scanning and attack; the runners need no inbound connection at all.',
  fix: 'Remove the rule; runners only connect outward. For traffic between kit components reference a security group instead of a CIDR.',
  publicIds: ['CKV_AWS_24', 'CKV_AWS_25', 'CKV_AWS_260', 'CKV_AWS_277'],
  appliesTo: SECURITY_GROUP_RULE_TYPES,
  check: (resource) => {
    const findings: Finding[] = [];
    for (const r of rulesDeclaredBy(resource).filter((x) => x.direction === 'ingress')) {
      const open = r.cidrs.filter((c) => classifyCidr(c) === 'world');
      const unknown = r.cidrs.filter((c) => classifyCidr(c) === 'unknown');
      if (open.length > 0) findings.push({ key: r.key, message: `${describeRule(r)} is open to the internet` });
      else if (unknown.length > 0) findings.push({ key: r.key, message: `${describeRule(r)}: the source is an expression that cannot be proven not to be the internet` });
    }
    return fromFindings(findings);
  },
};
