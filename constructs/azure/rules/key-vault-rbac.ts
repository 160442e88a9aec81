/** AZURE-KV-4 (kit-only): Key Vaults authorize with Azure RBAC, not access policies. */
import { readBoolean } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const KEY_VAULT_RBAC: Rule = {
  id: 'AZURE-KV-4',
  title: 'Key Vaults use RBAC authorization, not access policies',
  why: 'Access policies grant a principal every secret of the vault and are changed by anyone with vaults/write (an escalation path); with RBAC each runner reads only its own two secrets, through role assignments at those secrets.',
  fix: 'Set rbac_authorization_enabled = true and grant "Key Vault Secrets User" at each secret; remove access_policy blocks.',
  publicIds: [],
  appliesTo: ['azurerm_key_vault'],
  check: (vault) => {
    const findings: Finding[] = [];
    const on = [readBoolean(vault.body.rbac_authorization_enabled), readBoolean(vault.body.enable_rbac_authorization)].some((v) => v.kind === 'literal' && v.value);
    if (!on) findings.push({ key: 'rbac_authorization_enabled', message: 'the vault does not use RBAC authorization (access policies decide who reads secrets)' });
    if (vault.body.access_policy !== undefined && JSON.stringify(vault.body.access_policy) !== '[]') findings.push({ key: 'access_policy', message: 'the vault has access policies' });
    return fromFindings(findings);
  },
};
