/** AZURE-KV-3 (CKV_AZURE_109): Key Vault network ACLs deny by default, with no trusted-service bypass needed by the kit. */
import { block } from '../../core/rules/expressions';
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireString } from './support/values';

export const KEY_VAULT_NETWORK_DENY: Rule = {
  id: 'AZURE-KV-3',
  title: 'Key Vault network ACLs deny by default',
  why: 'With the default action Allow, every network reaches the vault\'s data plane; Deny admits only the private endpoint and the networks listed.',
  fix: 'Set network_acls { default_action = "Deny", bypass = "None" } and list only the networks that must reach it in ip_rules.',
  publicIds: ['CKV_AZURE_109'],
  appliesTo: ['azurerm_key_vault'],
  check: (vault) => {
    const acls = block(vault.body.network_acls);
    if (acls === undefined) return fromFindings([{ key: 'network_acls', message: 'network_acls is not set: every network reaches the vault' }]);
    return fromFindings(requireString(acls, 'default_action', ['Deny'], 'networks not listed reach the vault'));
  },
};
