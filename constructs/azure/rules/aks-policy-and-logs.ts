/** AZURE-AKS-4 (CKV_AZURE_116, CKV_AZURE_4): the Azure Policy add-on is on and the cluster logs to Log Analytics. */
import { block, isSet } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const AKS_POLICY_AND_LOGS: Rule = {
  id: 'AZURE-AKS-4',
  title: 'AKS runs the Azure Policy add-on and sends Container Insights to Log Analytics',
  why: 'The Policy add-on lets the customer\'s governance (e.g. the restricted pod baseline) be enforced and reported on the cluster; without logs in Log Analytics nobody can see what the runners and the control plane did after the fact.',
  fix: 'Set azure_policy_enabled = true and oms_agent { log_analytics_workspace_id = <workspace>, msi_auth_for_monitoring_enabled = true }.',
  publicIds: ['CKV_AZURE_116', 'CKV_AZURE_4'],
  appliesTo: ['azurerm_kubernetes_cluster'],
  check: (cluster) => {
    const findings: Finding[] = [...requireBoolean(cluster.body, 'azure_policy_enabled', true, false, 'the Azure Policy add-on is off')];
    const oms = block(cluster.body.oms_agent);
    if (oms === undefined || !isSet(oms.log_analytics_workspace_id)) findings.push({ key: 'oms_agent', message: 'Container Insights does not send the cluster\'s logs to a Log Analytics workspace' });
    return fromFindings(findings);
  },
};
