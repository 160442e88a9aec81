/** AZURE-NET-1 (CKV2_AZURE_31): every subnet has an NSG. */
import { asReference } from '../../core/rules/expressions';
import { fromFindings, type Rule } from '../../core/rules/rule';

export const SUBNET_HAS_NSG: Rule = {
  id: 'AZURE-NET-1',
  title: 'Every subnet has a network security group',
  why: 'A subnet without an NSG is governed by nothing but Azure\'s defaults: all VNet traffic in, all internet traffic out.',
  fix: 'Associate an NSG (azurerm_subnet_network_security_group_association) with the subnet.',
  publicIds: ['CKV2_AZURE_31'],
  appliesTo: ['azurerm_subnet'],
  check: (subnet, config) => {
    const associated = config.ofType('azurerm_subnet_network_security_group_association').some((a) => asReference(a.body.subnet_id)?.address === subnet.address);
    return fromFindings(associated ? [] : [{ message: `subnet ${String(subnet.body.name)} has no network security group` }]);
  },
};
