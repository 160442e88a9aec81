/** AZURE-AKS-2 (CKV_AZURE_5, CKV_AZURE_141): AKS authorizes with Entra ID and Azure RBAC; no local accounts, no run command. */
import { block } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const AKS_ENTRA_RBAC: Rule = {
  id: 'AZURE-AKS-2',
  title: 'AKS uses Entra ID with Azure RBAC for Kubernetes; local accounts and run command are off',
  why: 'A local admin account is a static cluster-admin kubeconfig anyone with listClusterAdminCredential can fetch, outside Entra sign-in, Conditional Access and audit; run command executes anything in the cluster with the caller\'s ARM rights alone.',
  fix: 'Set role_based_access_control_enabled = true, azure_active_directory_role_based_access_control { azure_rbac_enabled = true }, local_account_disabled = true and run_command_enabled = false.',
  publicIds: ['CKV_AZURE_5', 'CKV_AZURE_141'],
  appliesTo: ['azurerm_kubernetes_cluster'],
  check: (cluster) => {
    const findings: Finding[] = [
      ...requireBoolean(cluster.body, 'role_based_access_control_enabled', true, true, 'Kubernetes RBAC is off'),
      ...requireBoolean(cluster.body, 'local_account_disabled', true, false, 'the cluster has a local admin account (a static cluster-admin kubeconfig)'),
      ...requireBoolean(cluster.body, 'run_command_enabled', false, true, '`az aks command invoke` runs commands in the cluster with ARM rights alone'),
    ];
    const entra = block(cluster.body.azure_active_directory_role_based_access_control);
    if (entra === undefined) findings.push({ key: 'azure_active_directory_role_based_access_control', message: 'the cluster is not integrated with Entra ID: Kubernetes access is not tied to Entra identities' });
    else findings.push(...requireBoolean(entra, 'azure_rbac_enabled', true, false, 'Azure role assignments do not authorize Kubernetes requests (namespace-scoped access cannot be granted in Azure)').map((f) => ({ ...f, key: `azure_active_directory_role_based_access_control.${f.key}` })));
    return fromFindings(findings);
  },
};
