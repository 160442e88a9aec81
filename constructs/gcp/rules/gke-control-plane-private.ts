/**
 * GCP-GKE-2 (CKV_GCP_18, CKV_GCP_20): the control plane is not public: authorized networks are
 * enforced, never the whole internet nor every Google Cloud address, and a public IP endpoint
 * exists only with authorized networks. (The DNS endpoint is guarded by IAM before anything reaches
 * the API server; it is not counted as public.)
 */
import { block, blocks, isExpression } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const GKE_CONTROL_PLANE_PRIVATE: Rule = {
  id: 'GCP-GKE-2',
  title: 'The GKE control plane is not public: authorized networks, never 0.0.0.0/0',
  why: 'A control-plane endpoint open to the internet lets anyone probe the API server and try stolen credentials; authorized networks keep the IP endpoints to the networks that operate the cluster.',
  fix: 'Keep private_cluster_config.enable_private_endpoint = true and reach the cluster at its DNS endpoint; if a public endpoint is needed, list the networks in master_authorized_networks_config.cidr_blocks (kubernetes.publicEndpointCidrs).',
  publicIds: ['CKV_GCP_18', 'CKV_GCP_20'],
  appliesTo: ['google_container_cluster'],
  check: (c) => {
    const findings: Finding[] = [];
    const m = block(c.body.master_authorized_networks_config);
    const privateEndpoint = block(c.body.private_cluster_config)?.enable_private_endpoint === true;
    if (m === undefined) {
      findings.push({ key: 'AuthorizedNetworks', message: 'no master_authorized_networks_config: any address may reach the control plane\'s IP endpoints' });
    } else {
      const cidrs = blocks(m.cidr_blocks).map((b) => b.cidr_block);
      for (const cidr of cidrs) {
        if (typeof cidr === 'string' && !isExpression(cidr) && /\/0$/.test(cidr)) findings.push({ key: `Cidr::${cidr}`, message: `authorizes ${cidr}: the whole internet may reach the control plane` });
      }
      if (m.gcp_public_cidrs_access_enabled === true) findings.push({ key: 'GooglePublicCidrs', message: 'gcp_public_cidrs_access_enabled: every Google Cloud address (any customer\'s VM) may reach the control plane' });
      if (!privateEndpoint && cidrs.length === 0) findings.push({ key: 'PublicEndpoint', message: 'the public IP endpoint has no authorized networks' });
    }
    return fromFindings(findings);
  },
};
