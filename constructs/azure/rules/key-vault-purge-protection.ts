/** AZURE-KV-1 (CKV_AZURE_110): Key Vaults have purge protection. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const KEY_VAULT_PURGE_PROTECTION: Rule = {
  id: 'AZURE-KV-1',
  title: 'Key Vaults have purge protection',
  why: 'Without it a deleted vault or secret can be purged at once, destroying the runners\' private keys for good (and with them every stored sensitive input encrypted for them).',
  fix: 'Set purge_protection_enabled = true (Azure does not let it be turned off again).',
  publicIds: ['CKV_AZURE_110'],
  appliesTo: ['azurerm_key_vault'],
  check: (vault) => fromFindings(requireBoolean(vault.body, 'purge_protection_enabled', true, false, 'a deleted vault can be purged before anyone notices')),
};
