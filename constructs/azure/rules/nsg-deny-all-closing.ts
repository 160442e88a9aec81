/** AZURE-NSG-3 (kit-only): every NSG ends with deny-all rules, inbound and outbound. */
import { asReference } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { readNsgRule } from './support/nsg';

export const NSG_DENY_ALL_CLOSING: Rule = {
  id: 'AZURE-NSG-3',
  title: 'Every NSG denies all other inbound and outbound traffic',
  why: 'Azure\'s default rules allow all traffic within the VNet (and its peerings) and all outbound traffic to the internet; without the kit\'s own deny-all rules the NSG restricts nothing.',
  fix: 'Add a Deny rule for any protocol, source, destination and port, inbound and outbound, at priority 4096.',
  publicIds: [],
  appliesTo: ['azurerm_network_security_group'],
  check: (nsg, config) => {
    const rules = config
      .ofType('azurerm_network_security_rule')
      .filter((r) => asReference(r.body.network_security_group_name)?.address === nsg.address)
      .map(readNsgRule);
    const findings: Finding[] = [];
    for (const direction of ['Inbound', 'Outbound']) {
      const closes = rules.some((r) => r.direction === direction && r.access === 'Deny' && r.protocol === '*' && r.sources.includes('*') && r.destinations.includes('*') && r.ports.includes('*'));
      if (!closes) findings.push({ key: `DenyAll:${direction}`, message: `no rule denies all other ${direction.toLowerCase()} traffic (Azure's defaults then allow it)` });
    }
    return fromFindings(findings);
  },
};
