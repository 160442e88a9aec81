/** GCP-GKE-6 (CKV_GCP_12): NetworkPolicies are enforced (Dataplane V2, or the network policy add-on). */
import { block } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const GKE_NETWORK_POLICY: Rule = {
  id: 'GCP-GKE-6',
  title: 'GKE clusters enforce Kubernetes NetworkPolicies',
  why: 'The runner namespace\'s default-deny policy (egress only to DNS and 443) means nothing on a cluster that does not enforce NetworkPolicies: every run could reach every pod and address.',
  fix: 'Set datapath_provider = "ADVANCED_DATAPATH" (Dataplane V2; GkeCluster does, Autopilot always has it) or network_policy.enabled = true.',
  publicIds: ['CKV_GCP_12'],
  appliesTo: ['google_container_cluster'],
  check: (c) => {
    if (c.body.datapath_provider === 'ADVANCED_DATAPATH' || block(c.body.network_policy)?.enabled === true) return compliant();
    if (c.body.enable_autopilot === true && c.body.datapath_provider === undefined) return compliant();
    return nonCompliant(`datapath_provider is ${JSON.stringify(c.body.datapath_provider ?? 'the legacy dataplane')} and network_policy is not enabled: NetworkPolicies are not enforced`);
  },
};
