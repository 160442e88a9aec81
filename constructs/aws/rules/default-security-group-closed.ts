/** AWS-VPC-2 (CKV2_AWS_12): the default security group of every VPC the stack creates allows nothing. */
import { refersTo } from '../../core/rules/expressions';
import { compliant, fromFindings, nonCompliant, type Rule } from '../../core/rules/rule';
import { describeRule, rulesDeclaredBy } from './support/security-group-rules';

export const DEFAULT_SECURITY_GROUP_CLOSED: Rule = {
  id: 'AWS-VPC-2',
  title: 'The default security group allows nothing',
  why: 'AWS creates every VPC with a default group allowing all traffic between its members and all egress; anything launched without an explicit group silently gets it.',
  fix: 'Adopt it with an aws_default_security_group for the VPC with ingress = [] and egress = [] (RunnerNetwork does this).',
  publicIds: ['CKV2_AWS_12'],
  appliesTo: ['aws_vpc'],
  check: (vpc, config) => {
    const groups = config.ofType('aws_default_security_group').filter((g) => refersTo(g.body.vpc_id, vpc, ['id']));
    if (groups.length === 0) return nonCompliant(`no aws_default_security_group adopts the default group of ${vpc.address}, so it keeps AWS's allow rules`);
    const rules = groups.flatMap((g) => rulesDeclaredBy(g).map((r) => ({ g, r })));
    if (rules.length === 0) return compliant();
    return fromFindings(rules.map(({ g, r }) => ({ key: r.key, message: `${g.address} allows ${describeRule(r)}` })));
  },
};
