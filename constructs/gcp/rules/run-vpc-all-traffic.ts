/** GCP-RUN-2 (kit-only): Cloud Run workloads send all traffic through the kit's VPC (Direct VPC egress). */
import { block } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const RUN_VPC_ALL_TRAFFIC: Rule = {
  id: 'GCP-RUN-2',
  title: 'Cloud Run workloads egress through the VPC only (ALL_TRAFFIC)',
  why: "Without Direct VPC egress for all traffic, a workload reaches the internet from Google's shared addresses, past the kit's firewall and NAT.",
  fix: 'Set template.vpc_access { egress = "ALL_TRAFFIC", network_interfaces { network, subnetwork, tags } }.',
  publicIds: [],
  appliesTo: ['google_cloud_run_v2_worker_pool', 'google_cloud_run_v2_job', 'google_cloud_run_v2_service'],
  check: (r) => {
    const template = r.type === 'google_cloud_run_v2_job' ? block(block(r.body.template)?.template) : block(r.body.template);
    const vpc = block(template?.vpc_access);
    if (vpc === undefined) return nonCompliant('no vpc_access: egress leaves from Google\'s shared addresses');
    if (vpc.egress !== 'ALL_TRAFFIC') return nonCompliant(`vpc_access.egress is ${JSON.stringify(vpc.egress ?? 'PRIVATE_RANGES_ONLY')}, not ALL_TRAFFIC`);
    return compliant();
  },
};
