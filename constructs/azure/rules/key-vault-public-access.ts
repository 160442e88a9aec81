/** AZURE-KV-2 (CKV_AZURE_189): Key Vaults have public network access off. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const KEY_VAULT_PUBLIC_ACCESS: Rule = {
  id: 'AZURE-KV-2',
  title: 'Key Vaults have public network access off',
  why: 'A vault reachable from the internet is one leaked token away from its secrets; behind its private endpoint only the VNet reaches it.',
  fix: 'Set public_network_access_enabled = false and reach the vault through its private endpoint. Where a deployer outside the VNet must write secrets, keep the network ACL at Deny with their networks only, and acknowledge the finding with that reason.',
  publicIds: ['CKV_AZURE_189'],
  appliesTo: ['azurerm_key_vault'],
  check: (vault) => fromFindings(requireBoolean(vault.body, 'public_network_access_enabled', false, true, 'the vault\'s endpoint is reachable from the internet')),
};
