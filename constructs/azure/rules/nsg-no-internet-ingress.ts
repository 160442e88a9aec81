/** AZURE-NSG-1 (CKV_AZURE_9, CKV_AZURE_10, CKV_AZURE_160, stricter): no NSG rule admits traffic from the internet, on any port. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { isOpenSource, readNsgRule } from './support/nsg';

export const NSG_NO_INTERNET_INGRESS: Rule = {
  id: 'AZURE-NSG-1',
  title: 'No NSG rule allows inbound traffic from the internet (any port)',
  why: 'Runners and the updater only connect outward; an inbound allow from the internet (or from every network: *, VirtualNetwork includes peered and on-premises networks) is a path to them that nothing needs.',
  fix: 'Remove the rule; where a kit component must accept a connection (a private endpoint), allow it from the kit\'s own subnet prefixes only.',
  publicIds: ['CKV_AZURE_9', 'CKV_AZURE_10', 'CKV_AZURE_160'],
  appliesTo: ['azurerm_network_security_rule'],
  check: (rule) => {
    const r = readNsgRule(rule);
    if (r.direction.toLowerCase() !== 'inbound' || r.access.toLowerCase() !== 'allow') return fromFindings([]);
    const open = r.sources.filter(isOpenSource);
    return fromFindings(open.map((s) => ({ key: `Inbound:${s}`, message: `inbound allow from ${s} on ports ${r.ports.join(', ') || '(none)'}` })));
  },
};
