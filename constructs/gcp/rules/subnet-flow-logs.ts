/** GCP-NET-1 (CKV_GCP_26): subnets have flow logs. */
import { block } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const SUBNET_FLOW_LOGS: Rule = {
  id: 'GCP-NET-1',
  title: 'Subnets have VPC flow logs',
  why: "Without flow logs there is no record of where the runners' traffic went, so an exfiltration or a misrouted connection cannot be investigated.",
  fix: 'Add a log_config block to the subnetwork (RunnerNetwork does, sampling every flow).',
  publicIds: ['CKV_GCP_26'],
  appliesTo: ['google_compute_subnetwork'],
  check: (subnet) => (block(subnet.body.log_config) !== undefined ? compliant() : nonCompliant('the subnetwork has no log_config block (flow logs off)')),
};
