/** AWS-VPC-1 (CKV2_AWS_11): every VPC the stack creates has a flow log. */
import { refersTo } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const VPC_FLOW_LOGS: Rule = {
  id: 'AWS-VPC-1',
  title: 'Every VPC has flow logs',
  why: 'Without flow logs there is no record of the connections runs made or attempted, so an incident (exfiltration, a run probing internal systems) cannot be investigated.',
  fix: "Add an aws_flow_log with vpc_id = the VPC's id, delivering to a KMS-encrypted log group with retention (RunnerNetwork does this).",
  publicIds: ['CKV2_AWS_11'],
  appliesTo: ['aws_vpc'],
  check: (vpc, config) =>
    config.ofType('aws_flow_log').some((f) => refersTo(f.body.vpc_id, vpc, ['id']))
      ? compliant()
      : nonCompliant(`no aws_flow_log in the stack has vpc_id = \${${vpc.address}.id}`),
};
