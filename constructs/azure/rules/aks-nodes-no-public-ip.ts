/** AZURE-AKS-5 (CKV_AZURE_143): AKS nodes have no public IP. */
import { block, readBoolean } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const AKS_NODES_NO_PUBLIC_IP: Rule = {
  id: 'AZURE-AKS-5',
  title: 'AKS nodes have no public IP',
  why: 'A node with a public IP is reachable from the internet and its traffic bypasses the NAT gateway customers allow-list; the runners only need outbound connections.',
  fix: 'Leave node_public_ip_enabled unset or false on every node pool (default_node_pool and azurerm_kubernetes_cluster_node_pool).',
  publicIds: ['CKV_AZURE_143'],
  appliesTo: ['azurerm_kubernetes_cluster', 'azurerm_kubernetes_cluster_node_pool'],
  check: (resource) => {
    const pool = resource.type === 'azurerm_kubernetes_cluster' ? block(resource.body.default_node_pool) : resource.body;
    const findings: Finding[] = [];
    const key = resource.type === 'azurerm_kubernetes_cluster' ? 'default_node_pool.node_public_ip_enabled' : 'node_public_ip_enabled';
    const v = readBoolean(pool?.node_public_ip_enabled);
    if (v.kind === 'literal' && v.value) findings.push({ key, message: 'the nodes get public IPs' });
    if (v.kind === 'expression') findings.push({ key, message: `node_public_ip_enabled is the expression ${v.text}: the kit cannot prove the nodes get no public IP` });
    return fromFindings(findings);
  },
};
