/** AZURE-AKS-3 (CKV_AZURE_7): AKS enforces Kubernetes network policies. */
import { block } from '../../core/rules/expressions';
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireString } from './support/values';

export const AKS_NETWORK_POLICY: Rule = {
  id: 'AZURE-AKS-3',
  title: 'AKS enforces network policies (Cilium, Azure or Calico)',
  why: 'Without an engine the runner workload\'s default-deny NetworkPolicy is accepted but ignored: every run Job could reach every pod, the node metadata and the cluster\'s internal services.',
  fix: 'Set network_profile { network_policy = "cilium", network_data_plane = "cilium" } (or "azure" / "calico").',
  publicIds: ['CKV_AZURE_7'],
  appliesTo: ['azurerm_kubernetes_cluster'],
  check: (cluster) => {
    const profile = block(cluster.body.network_profile);
    if (profile === undefined) return fromFindings([{ key: 'network_profile', message: 'network_profile is not set: no network policy engine (NetworkPolicies are ignored)' }]);
    return fromFindings(requireString(profile, 'network_policy', ['cilium', 'azure', 'calico'], 'NetworkPolicies are not enforced').map((f) => ({ ...f, key: `network_profile.${f.key}` })));
  },
};
