/** AZURE-AKS-7 (kit-only): AKS patches the nodes' OS automatically, inside a planned maintenance window, and keeps egress on the kit's NAT gateway. */
import { block, isSet } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { requireString } from './support/values';

export const AKS_NODE_PATCHING: Rule = {
  id: 'AZURE-AKS-7',
  title: 'AKS nodes get OS security patches automatically, in a maintenance window',
  why: 'Runner Jobs execute customer Terraform and pipelines on these nodes; an unpatched kernel or container runtime is the shortest path from a run to the node. A window keeps the drains that patching needs away from business hours.',
  fix: 'Set node_os_upgrade_channel = "SecurityPatch" (or "NodeImage") and a maintenance_window_node_os block (the kit derives it from updates.window).',
  publicIds: [],
  appliesTo: ['azurerm_kubernetes_cluster'],
  check: (cluster) => {
    const findings: Finding[] = [...requireString(cluster.body, 'node_os_upgrade_channel', ['SecurityPatch', 'NodeImage'], 'the nodes\' OS is not patched automatically')];
    const window = block(cluster.body.maintenance_window_node_os);
    if (window === undefined || !isSet(window.frequency)) findings.push({ key: 'maintenance_window_node_os', message: 'node OS patching has no maintenance window: nodes are drained at any time' });
    return fromFindings(findings);
  },
};
