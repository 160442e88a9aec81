/** AZURE-NSG-2 (kit-only, the Azure twin of CKV_AWS_382): outbound allows name TCP and specific ports. */
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { readNsgRule } from './support/nsg';

export const NSG_EGRESS_PORTS: Rule = {
  id: 'AZURE-NSG-2',
  title: 'Outbound allow rules are TCP to named ports (443, and the configured extra ports)',
  why: 'An outbound allow for any protocol or any port lets a compromised runner reach anything the NAT gateway reaches; the runner needs HTTPS and, opted in, a few ports such as 22.',
  fix: 'Allow protocol Tcp to destination ports 443 and network.egressExtraPorts only.',
  publicIds: [],
  appliesTo: ['azurerm_network_security_rule'],
  check: (rule) => {
    const r = readNsgRule(rule);
    if (r.direction.toLowerCase() !== 'outbound' || r.access.toLowerCase() !== 'allow') return fromFindings([]);
    const findings: Finding[] = [];
    if (r.protocol.toLowerCase() !== 'tcp') findings.push({ key: `Egress:protocol:${r.protocol}`, message: `outbound allow for protocol ${r.protocol || '(none)'}` });
    for (const p of r.ports) if (!/^\d{1,5}$/.test(p)) findings.push({ key: `Egress:ports:${p}`, message: `outbound allow to port range ${p}` });
    if (r.ports.length === 0) findings.push({ key: 'Egress:ports', message: 'outbound allow without destination ports' });
    return fromFindings(findings);
  },
};
