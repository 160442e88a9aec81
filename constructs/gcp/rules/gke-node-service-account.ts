/** GCP-GKE-9 (CKV2_GCP_1): GKE nodes run as a dedicated service account, never the default compute one. */
import { block } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const GKE_NODE_SERVICE_ACCOUNT: Rule = {
  id: 'GCP-GKE-9',
  title: 'GKE nodes do not run as the default compute service account',
  why: 'The default compute service account usually holds Editor on the project; nodes running as it give every workload that escapes to the node the whole project.',
  fix: 'Autopilot: set cluster_autoscaling.auto_provisioning_defaults.service_account; Standard: node_config.service_account (GkeCluster creates a node account with GKE\'s node role only).',
  publicIds: ['CKV2_GCP_1'],
  appliesTo: ['google_container_cluster'],
  check: (c) => {
    const account = c.body.enable_autopilot === true ? block(block(c.body.cluster_autoscaling)?.auto_provisioning_defaults)?.service_account : block(c.body.node_config)?.service_account;
    if (typeof account !== 'string' || account === '') return nonCompliant('no node service account: the nodes run as the default compute service account');
    if (/-compute@developer\.gserviceaccount\.com$/.test(account)) return nonCompliant(`the nodes run as the default compute account ${account}`);
    return compliant();
  },
};
