/** AZURE-STG-1 (CKV_AZURE_44, CKV_AZURE_35, CKV_AZURE_190, CKV2_AZURE_40): storage accounts: TLS 1.2, deny by default, no public blobs, no shared keys. */
import { block } from '../../core/rules/expressions';
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireBoolean, requireString } from './support/values';

export const STORAGE_HARDENED: Rule = {
  id: 'AZURE-STG-1',
  title: 'Storage accounts: TLS 1.2, network default deny, no public blobs, no shared keys',
  why: 'The kit\'s storage holds the updater\'s code (what runs with the updater\'s rights) and the flow logs: an account key or an open container would let anyone change the one or read the other.',
  fix: 'Set min_tls_version = "TLS1_2", network_rules.default_action = "Deny", allow_nested_items_to_be_public = false and shared_access_key_enabled = false.',
  publicIds: ['CKV_AZURE_44', 'CKV_AZURE_35', 'CKV_AZURE_190', 'CKV2_AZURE_40'],
  appliesTo: ['azurerm_storage_account'],
  check: (account) => {
    const rules = block(account.body.network_rules);
    return fromFindings([
      ...requireString(account.body, 'min_tls_version', ['TLS1_2'], 'older TLS versions are accepted'),
      ...(rules === undefined ? [{ key: 'network_rules', message: 'network_rules is not set: every network reaches the account' }] : requireString(rules, 'default_action', ['Deny'], 'every network reaches the account')),
      ...requireBoolean(account.body, 'allow_nested_items_to_be_public', false, true, 'containers may be made public'),
      ...requireBoolean(account.body, 'shared_access_key_enabled', false, true, 'an account key exists that grants everything'),
    ]);
  },
};
