/** AWS-SG-3 (CKV_AWS_382, stricter): egress beyond the VPC only on TCP 443, and 22 for git over SSH. */
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { classifyCidr, describeRule, rulesDeclaredBy, SECURITY_GROUP_RULE_TYPES } from './support/security-group-rules';

/** TCP ports the runners may reach outside the VPC: HTTPS always, SSH when git over SSH is opted in. */
export const ALLOWED_EGRESS_PORTS: readonly number[] = [443, 22];

export const SECURITY_GROUP_EGRESS_PORTS: Rule = {
  id: 'AWS-SG-3',
  title: 'Egress to the internet only on TCP 443 (and 22, opt-in)',
  why: 'Unrestricted egress lets a compromised run tunnel data out or reach anything on any port; the runner only needs HTTPS (meshStack API, registries, git) and optionally SSH to git servers.',
  fix: 'Limit the rule to TCP 443 (or 22 for git over SSH) or to a destination inside the VPC (private CIDR, security group, prefix list). For another port a customer opted in (network.egressExtraPorts), acknowledge the finding naming the config field.',
  publicIds: ['CKV_AWS_382'],
  appliesTo: SECURITY_GROUP_RULE_TYPES,
  check: (resource) => {
    const findings: Finding[] = [];
    for (const r of rulesDeclaredBy(resource).filter((x) => x.direction === 'egress')) {
      const outside = r.cidrs.filter((c) => classifyCidr(c) !== 'internal');
      if (outside.length === 0) continue;
      if (r.protocol === 'tcp' && r.port !== undefined && ALLOWED_EGRESS_PORTS.includes(r.port)) continue;
      const unknown = outside.every((c) => classifyCidr(c) === 'unknown');
      findings.push({
        key: r.key,
        message: `${describeRule(r)} ${unknown ? 'goes to a destination the pack cannot place inside the VPC' : 'leaves the VPC'} on ${r.protocol === 'tcp' && r.port !== undefined ? 'a port other than 443 / 22' : r.protocol === 'all' ? 'every protocol and port' : r.ports === '?' ? 'ports given as expressions' : r.protocol === 'tcp' ? 'a port range' : `protocol ${r.protocol}`}`,
      });
    }
    return fromFindings(findings);
  },
};
