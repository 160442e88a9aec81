/** GCP-GKE-1 (CKV_GCP_25, CKV_GCP_64): GKE clusters are private, their nodes without public IPs. */
import { block } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const GKE_PRIVATE_NODES: Rule = {
  id: 'GCP-GKE-1',
  title: 'GKE clusters are private clusters with private nodes',
  why: 'A node with a public IP is reachable from the internet and leaves it by its own address; the runners must only leave through the kit\'s NAT, with no inbound path at all.',
  fix: 'Set private_cluster_config.enable_private_nodes = true (GkeCluster does).',
  publicIds: ['CKV_GCP_25', 'CKV_GCP_64'],
  appliesTo: ['google_container_cluster'],
  check: (c) => {
    const p = block(c.body.private_cluster_config);
    if (p === undefined) return nonCompliant('no private_cluster_config: the nodes get public IPs');
    if (p.enable_private_nodes !== true) return nonCompliant(`private_cluster_config.enable_private_nodes is ${JSON.stringify(p.enable_private_nodes)}: the nodes get public IPs`);
    return compliant();
  },
};
