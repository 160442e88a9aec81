/** AZURE-AKS-1 (CKV_AZURE_115, CKV_AZURE_6): the AKS API server is private; a public one (opted in) admits named networks only. */
import { block, strings } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const AKS_PRIVATE_CLUSTER: Rule = {
  id: 'AZURE-AKS-1',
  title: 'AKS API server is private; a public one is limited to authorized IP ranges',
  why: 'A public API server is a target for every credential-stuffing and zero-day scan on the internet; the runners only connect outward, and the deployer and updater reach a private cluster from the VNet.',
  fix: 'Set private_cluster_enabled = true (and private_cluster_public_fqdn_enabled = false); with kubernetes.allowPublicEndpoint, list the networks in api_server_access_profile.authorized_ip_ranges, never 0.0.0.0/0.',
  publicIds: ['CKV_AZURE_115', 'CKV_AZURE_6'],
  appliesTo: ['azurerm_kubernetes_cluster'],
  check: (cluster) => {
    const findings: Finding[] = [];
    const privateCluster = requireBoolean(cluster.body, 'private_cluster_enabled', true, false, 'the API server has a public endpoint');
    if (privateCluster.length === 0) {
      findings.push(...requireBoolean(cluster.body, 'private_cluster_public_fqdn_enabled', false, false, 'the private API server gets a public DNS name'));
      return fromFindings(findings);
    }
    const ranges = strings(block(cluster.body.api_server_access_profile)?.authorized_ip_ranges);
    if (ranges.length === 0) findings.push({ key: 'api_server_access_profile.authorized_ip_ranges', message: 'the API server is public and open to every network (no authorized IP ranges)' });
    for (const r of ranges) if (r === '0.0.0.0/0' || r === '*') findings.push({ key: `api_server_access_profile.authorized_ip_ranges:${r}`, message: `the public API server admits ${r}, the whole internet` });
    return fromFindings(findings);
  },
};
