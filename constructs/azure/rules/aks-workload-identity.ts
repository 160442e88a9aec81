/** AZURE-AKS-6 (kit-only): AKS has the OIDC issuer and workload identity on (pods never borrow the nodes' identity). */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const AKS_WORKLOAD_IDENTITY: Rule = {
  id: 'AZURE-AKS-6',
  title: 'AKS has the OIDC issuer and workload identity on',
  why: 'Workload identity gives a pod its own Entra identity through its service account, federated and revocable; without it the only Azure identity a pod can reach is the kubelet\'s, shared by every pod on the node.',
  fix: 'Set oidc_issuer_enabled = true and workload_identity_enabled = true; federate each identity with exactly one service account.',
  publicIds: [],
  appliesTo: ['azurerm_kubernetes_cluster'],
  check: (cluster) =>
    fromFindings([
      ...requireBoolean(cluster.body, 'oidc_issuer_enabled', true, false, 'the cluster issues no OIDC tokens Entra ID can trust'),
      ...requireBoolean(cluster.body, 'workload_identity_enabled', true, false, 'pods cannot get their own Entra identity'),
    ]),
};
