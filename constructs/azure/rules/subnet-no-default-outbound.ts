/** AZURE-NET-2 (kit-only): subnets have Azure's default outbound access off. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const SUBNET_NO_DEFAULT_OUTBOUND: Rule = {
  id: 'AZURE-NET-2',
  title: 'Subnets have default outbound access off',
  why: 'With default outbound access, a workload without NAT reaches the internet through an implicit, shared Microsoft address that nobody can allow-list or log; all egress must leave through the kit\'s NAT gateway.',
  fix: 'Set default_outbound_access_enabled = false and give the subnet a NAT gateway.',
  publicIds: [],
  appliesTo: ['azurerm_subnet'],
  check: (subnet) => fromFindings(requireBoolean(subnet.body, 'default_outbound_access_enabled', false, true, 'workloads get an implicit public egress address')),
};
