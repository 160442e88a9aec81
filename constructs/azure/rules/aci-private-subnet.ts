/** AZURE-ACI-1 (CKV_AZURE_98, CKV_AZURE_245): container groups run in a subnet, with a private IP only. */
import { readString, strings } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const ACI_PRIVATE_SUBNET: Rule = {
  id: 'AZURE-ACI-1',
  title: 'Container groups run in a VNet subnet with a private IP only',
  why: 'A container group with a public IP or DNS label is reachable from the internet and leaves through its own address instead of the NAT gateway, escaping the NSGs and the allow-listed egress IP.',
  fix: 'Set subnet_ids to the runner subnet and ip_address_type = "Private"; remove dns_name_label and exposed public ports.',
  publicIds: ['CKV_AZURE_98', 'CKV_AZURE_245'],
  appliesTo: ['azurerm_container_group'],
  check: (group) => {
    const findings: Finding[] = [];
    if (strings(group.body.subnet_ids).length === 0) findings.push({ key: 'subnet_ids', message: 'subnet_ids is empty: the group is not injected into the VNet' });
    const type = readString(group.body.ip_address_type);
    if (!(type.kind === 'literal' && type.value.toLowerCase() === 'private') && !(type.kind === 'literal' && type.value.toLowerCase() === 'none')) {
      findings.push({ key: 'ip_address_type', message: `ip_address_type is ${type.kind === 'absent' ? 'not set (Azure defaults to Public)' : JSON.stringify(group.body.ip_address_type)}: the group gets a public address` });
    }
    if (group.body.dns_name_label !== undefined) findings.push({ key: 'dns_name_label', message: 'dns_name_label gives the group a public DNS name' });
    return fromFindings(findings);
  },
};
