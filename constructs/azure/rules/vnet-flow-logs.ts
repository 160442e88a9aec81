/** AZURE-NET-3 (kit-only; the Azure twin of CKV2_AWS_11): every virtual network has flow logs. */
import { asReference } from '../../core/rules/expressions';
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const VNET_FLOW_LOGS: Rule = {
  id: 'AZURE-NET-3',
  title: 'Every virtual network has enabled flow logs',
  why: 'Flow logs are the record of what the runners connected to: without them an incident cannot be traced and the egress restrictions cannot be audited.',
  fix: 'Add an azurerm_network_watcher_flow_log with target_resource_id = the VNet, enabled = true, version 2.',
  publicIds: [],
  appliesTo: ['azurerm_virtual_network'],
  check: (vnet, config) => {
    const logs = config.ofType('azurerm_network_watcher_flow_log').filter((f) => asReference(f.body.target_resource_id)?.address === vnet.address);
    if (logs.length === 0) return fromFindings([{ message: `virtual network ${String(vnet.body.name)} has no flow log` }]);
    return fromFindings(logs.flatMap((l) => requireBoolean(l.body, 'enabled', true, undefined, 'the flow log records nothing')));
  },
};
