/** The NSG rules of a synthesized stack, as `azurerm_network_security_rule` resources. */
import { strings } from '../../../core/rules/expressions';
import type { TerraformResourceView } from '../../../core/rules/synthesized-config';

export interface NsgRuleRead {
  readonly direction: string;
  readonly access: string;
  readonly protocol: string;
  readonly sources: readonly string[];
  readonly destinations: readonly string[];
  readonly ports: readonly string[];
  readonly priority: number | undefined;
}

export function readNsgRule(rule: TerraformResourceView): NsgRuleRead {
  const b = rule.body;
  const list = (single: string, many: string) => [...strings(b[single]), ...strings(b[many])];
  return {
    direction: String(b.direction ?? ''),
    access: String(b.access ?? ''),
    protocol: String(b.protocol ?? ''),
    sources: list('source_address_prefix', 'source_address_prefixes'),
    destinations: list('destination_address_prefix', 'destination_address_prefixes'),
    ports: list('destination_port_range', 'destination_port_ranges'),
    priority: typeof b.priority === 'number' ? b.priority : undefined,
  };
}

/** Sources that mean "anyone": the internet, any address, every VNet (which includes peered and on-premises networks). */
export const OPEN_SOURCES = ['*', '0.0.0.0/0', 'any', 'internet', 'virtualnetwork', 'azureloadbalancer'];
export const isOpenSource = (s: string) => OPEN_SOURCES.includes(s.toLowerCase());
