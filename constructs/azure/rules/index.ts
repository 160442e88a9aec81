/**
 * The Azure rule pack (ids AZURE-), in ID order, and the one-line way for an Azure stack to apply
 * it: `applyAzureRulePack(this)` at the end of the stack's constructor.
 */
import type { TerraformStack } from 'cdktf';
import type { Acknowledgement } from '../../core/rules/acknowledgement';
import type { Rule } from '../../core/rules/rule';
import { RulePack, type RulePackDefinition } from '../../core/rules/rule-pack';
import { ACI_MANAGED_IDENTITY } from './aci-managed-identity';
import { ACI_NO_SECRET_IN_SPEC } from './aci-no-secret-in-spec';
import { ACI_PRIVATE_SUBNET } from './aci-private-subnet';
import { FUNCTION_APP_PRIVATE } from './function-app-private';
import { KEY_VAULT_NETWORK_DENY } from './key-vault-network-deny';
import { KEY_VAULT_PUBLIC_ACCESS } from './key-vault-public-access';
import { KEY_VAULT_PURGE_PROTECTION } from './key-vault-purge-protection';
import { KEY_VAULT_RBAC } from './key-vault-rbac';
import { NSG_DENY_ALL_CLOSING } from './nsg-deny-all-closing';
import { NSG_EGRESS_PORTS } from './nsg-egress-ports';
import { NSG_NO_INTERNET_INGRESS } from './nsg-no-internet-ingress';
import { REGISTRY_ADMIN_USER } from './registry-admin-user';
import { REGISTRY_ANONYMOUS_PULL } from './registry-anonymous-pull';
import { REGISTRY_PUBLIC_NETWORK } from './registry-public-network';
import { ROLE_ASSIGNABLE_SCOPE } from './role-assignable-scope';
import { ROLE_NO_ESCALATION } from './role-no-escalation';
import { ROLE_NO_SECRET_DATA } from './role-no-secret-data';
import { ROLE_NO_WILDCARD } from './role-no-wildcard';
import { STORAGE_HARDENED } from './storage-hardened';
import { SUBNET_HAS_NSG } from './subnet-has-nsg';
import { SUBNET_NO_DEFAULT_OUTBOUND } from './subnet-no-default-outbound';
import { VNET_FLOW_LOGS } from './vnet-flow-logs';

export { acknowledge, type Acknowledgement } from '../../core/rules/acknowledgement';

export const AZURE_RULES: readonly Rule[] = [
  ACI_PRIVATE_SUBNET,
  ACI_NO_SECRET_IN_SPEC,
  ACI_MANAGED_IDENTITY,
  FUNCTION_APP_PRIVATE,
  ROLE_NO_WILDCARD,
  ROLE_ASSIGNABLE_SCOPE,
  ROLE_NO_ESCALATION,
  ROLE_NO_SECRET_DATA,
  KEY_VAULT_PURGE_PROTECTION,
  KEY_VAULT_PUBLIC_ACCESS,
  KEY_VAULT_NETWORK_DENY,
  KEY_VAULT_RBAC,
  REGISTRY_ADMIN_USER,
  REGISTRY_ANONYMOUS_PULL,
  REGISTRY_PUBLIC_NETWORK,
  SUBNET_HAS_NSG,
  SUBNET_NO_DEFAULT_OUTBOUND,
  VNET_FLOW_LOGS,
  NSG_NO_INTERNET_INGRESS,
  NSG_EGRESS_PORTS,
  NSG_DENY_ALL_CLOSING,
  STORAGE_HARDENED,
];

/** The Azure pack (ids AZURE-). */
export const AZURE_RULE_PACK: RulePackDefinition = { name: 'azure', idPrefix: 'AZURE-', folder: 'constructs/azure/rules', rules: AZURE_RULES };

/** Applies the Azure pack to `stack`, with optional stack-level acknowledgements. */
export function applyAzureRulePack(stack: TerraformStack, acknowledgements: readonly Acknowledgement[] = []): RulePack {
  return RulePack.applyTo(stack, { ...AZURE_RULE_PACK, acknowledgements });
}
