/** Compliant and non-compliant synthesized-JSON fragments for every Azure rule. */
import type { RuleFixtures } from '../../aws/rules/fixtures/fixture';
import { resources, type Json } from '../../aws/rules/fixtures/fixture';

const RG = '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg';
const group = (over: Json = {}): Json => ({
  name: 'prod-default',
  os_type: 'Linux',
  ip_address_type: 'Private',
  subnet_ids: ['${azurerm_subnet.Runners.id}'],
  identity: { type: 'UserAssigned', identity_ids: ['${azurerm_user_assigned_identity.Runner.id}'] },
  image_registry_credential: [{ server: 'rk.azurecr.io', user_assigned_identity_id: '${azurerm_user_assigned_identity.Runner.id}' }],
  container: [{ name: 'runner', image: 'x', cpu: 1, memory: 2, environment_variables: { RUNNER_UUID: 'u' }, volume: [{ name: 'files', mount_path: '/run', empty_dir: true }] }],
  init_container: [{ name: 'fetch-secrets', image: 'x', environment_variables: {} }],
  ...over,
});
const vault = (over: Json = {}): Json => ({ name: 'kv', purge_protection_enabled: true, public_network_access_enabled: false, rbac_authorization_enabled: true, network_acls: { default_action: 'Deny', bypass: 'None' }, ...over });
const registry = (over: Json = {}): Json => ({ name: 'rk', sku: 'Premium', admin_enabled: false, anonymous_pull_enabled: false, public_network_access_enabled: false, ...over });
const role = (actions: string[], over: Json = {}, dataActions: string[] = []): Json => ({ name: 'r', scope: RG, assignable_scopes: [RG], permissions: [{ actions, data_actions: dataActions, not_actions: [], not_data_actions: [] }], ...over });
const assignment = (definition: string, principal: string): Json => ({ scope: RG, principal_id: principal, role_definition_id: `\${azurerm_role_definition.${definition}.role_definition_resource_id}` });
const nsgRule = (over: Json): Json => ({ name: 'r', network_security_group_name: '${azurerm_network_security_group.Nsg.name}', resource_group_name: 'rg', priority: 100, protocol: 'Tcp', source_port_range: '*', source_address_prefix: '10.0.0.0/24', destination_address_prefix: '*', destination_port_range: '443', ...over });
const denyAll = (direction: string): Json => nsgRule({ name: `deny-${direction}`, direction, access: 'Deny', priority: 4096, protocol: '*', source_address_prefix: '*', destination_address_prefix: '*', destination_port_range: '*' });
const storage = (over: Json = {}): Json => ({ name: 'st', min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: false, shared_access_key_enabled: false, network_rules: { default_action: 'Deny' }, ...over });

export const AZURE_FIXTURES: Readonly<Record<string, RuleFixtures>> = {
  'AZURE-ACI-1': {
    compliant: [{ name: 'private group in a subnet', json: resources({ azurerm_container_group: { g: group() } }) }],
    nonCompliant: [
      { name: 'public IP with a DNS label, no subnet', json: resources({ azurerm_container_group: { g: group({ ip_address_type: 'Public', subnet_ids: [], dns_name_label: 'runner' }) } }), findings: ['subnet_ids', 'ip_address_type', 'dns_name_label'] },
      { name: 'ip address type left to Azure (Public)', json: resources({ azurerm_container_group: { g: group({ ip_address_type: undefined }) } }), findings: ['ip_address_type'] },
    ],
  },
  'AZURE-ACI-2': {
    compliant: [{ name: 'plain environment, emptyDir, identity pull', json: resources({ azurerm_container_group: { g: group() } }) }],
    nonCompliant: [
      {
        name: 'secure variables, a secret volume, a registry password and the workspace key',
        json: resources({
          azurerm_container_group: {
            g: group({
              container: [{ name: 'runner', image: 'x', cpu: 1, memory: 2, secure_environment_variables: { RUNNER_API_CLIENT_SECRET: 's' }, volume: [{ name: 'key', mount_path: '/k', secret: { 'key.pem': 'LS0t' } }] }],
              image_registry_credential: [{ server: 'rk.azurecr.io', username: 'rk', password: 'p' }],
              diagnostics: { log_analytics: { workspace_id: 'w', workspace_key: 'k' } },
            }),
          },
        }),
        findings: ['container:runner:secure_environment_variables', 'container:runner:volume:key', 'image_registry_credential:rk.azurecr.io', 'diagnostics.log_analytics.workspace_key'],
      },
    ],
  },
  'AZURE-ACI-3': {
    compliant: [{ name: 'user-assigned identity, identity pull', json: resources({ azurerm_container_group: { g: group() } }) }],
    nonCompliant: [{ name: 'no identity, pull with a password', json: resources({ azurerm_container_group: { g: group({ identity: undefined, image_registry_credential: [{ server: 'rk.azurecr.io', username: 'u', password: 'p' }] }) } }), findings: ['identity', 'image_registry_credential:rk.azurecr.io'] }],
  },
  'AZURE-FN-1': {
    compliant: [{ name: 'private, https only', json: resources({ azurerm_function_app_flex_consumption: { f: { public_network_access_enabled: false, https_only: true } } }) }],
    nonCompliant: [{ name: 'defaults (public, http allowed)', json: resources({ azurerm_function_app_flex_consumption: { f: {} } }), findings: ['public_network_access_enabled', 'https_only'] }],
  },
  'AZURE-IAM-1': {
    compliant: [{ name: 'exact operations', json: resources({ azurerm_role_definition: { r: role(['Microsoft.ContainerInstance/containerGroups/read']) } }) }],
    nonCompliant: [{ name: 'a wildcard and an owner-like *', json: resources({ azurerm_role_definition: { r: role(['Microsoft.ContainerInstance/*', '*']) } }), findings: ['Action::Microsoft.ContainerInstance/*', 'Action::*'] }],
  },
  'AZURE-IAM-2': {
    compliant: [{ name: 'assignable at the resource group', json: resources({ azurerm_role_definition: { r: role(['Microsoft.Web/sites/read']) } }) }],
    nonCompliant: [
      { name: 'assignable at the subscription', json: resources({ azurerm_role_definition: { r: role(['Microsoft.Web/sites/read'], { assignable_scopes: ['/subscriptions/00000000-0000-4000-8000-000000000001'] }) } }), findings: ['Scope::/subscriptions/00000000-0000-4000-8000-000000000001'] },
      { name: 'no assignable scopes', json: resources({ azurerm_role_definition: { r: role(['Microsoft.Web/sites/read'], { assignable_scopes: [] }) } }), findings: ['assignable_scopes'] },
    ],
  },
  'AZURE-IAM-3': {
    compliant: [
      { name: 'read-only role', json: resources({ azurerm_role_definition: { r: role(['Microsoft.ContainerInstance/containerGroups/read']) } }) },
      {
        name: 'identity assign held by someone who writes no compute',
        json: resources({
          azurerm_role_definition: { assign: role(['Microsoft.ManagedIdentity/userAssignedIdentities/assign/action']), other: role(['Microsoft.ContainerInstance/containerGroups/write']) },
          azurerm_role_assignment: { a1: assignment('assign', 'alice'), a2: assignment('other', 'bob') },
        }),
      },
    ],
    nonCompliant: [
      { name: 'role assignment writes and exec', json: resources({ azurerm_role_definition: { r: role(['Microsoft.Authorization/roleAssignments/write', 'Microsoft.ContainerInstance/containerGroups/containers/exec/action']) } }), findings: ['Action::Microsoft.Authorization/roleAssignments/write', 'Action::Microsoft.ContainerInstance/containerGroups/containers/exec/action'] },
      {
        name: 'identity assign and container group write held by one principal through two roles',
        json: resources({
          azurerm_role_definition: { assign: role(['Microsoft.ManagedIdentity/userAssignedIdentities/assign/action']), write: role(['Microsoft.ContainerInstance/containerGroups/write']) },
          azurerm_role_assignment: { a1: assignment('assign', '${azurerm_user_assigned_identity.U.principal_id}'), a2: assignment('write', '${azurerm_user_assigned_identity.U.principal_id}') },
        }),
        findings: ['Escalation::Microsoft.ManagedIdentity/userAssignedIdentities/assign/action+Microsoft.ContainerInstance/containerGroups/write'],
      },
    ],
  },
  'AZURE-IAM-4': {
    compliant: [{ name: 'queue message add only', json: resources({ azurerm_role_definition: { r: role([], {}, ['Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action']) } }) }],
    nonCompliant: [
      {
        name: 'secret reads and key listing',
        json: resources({ azurerm_role_definition: { r: role(['Microsoft.Storage/storageAccounts/listkeys/action', 'Microsoft.ContainerRegistry/registries/listCredentials/action'], {}, ['Microsoft.KeyVault/vaults/secrets/getSecret/action']) } }),
        findings: ['Action::Microsoft.Storage/storageAccounts/listkeys/action', 'Action::Microsoft.ContainerRegistry/registries/listCredentials/action', 'Action::Microsoft.KeyVault/vaults/secrets/getSecret/action'],
      },
    ],
  },
  'AZURE-KV-1': {
    compliant: [{ name: 'purge protection on', json: resources({ azurerm_key_vault: { v: vault() } }) }],
    nonCompliant: [{ name: 'purge protection left off', json: resources({ azurerm_key_vault: { v: vault({ purge_protection_enabled: undefined }) } }), findings: ['purge_protection_enabled'] }],
  },
  'AZURE-KV-2': {
    compliant: [{ name: 'public network access off', json: resources({ azurerm_key_vault: { v: vault() } }) }],
    nonCompliant: [{ name: 'public network access on', json: resources({ azurerm_key_vault: { v: vault({ public_network_access_enabled: true }) } }), findings: ['public_network_access_enabled'] }],
  },
  'AZURE-KV-3': {
    compliant: [{ name: 'default deny', json: resources({ azurerm_key_vault: { v: vault() } }) }],
    nonCompliant: [
      { name: 'default allow', json: resources({ azurerm_key_vault: { v: vault({ network_acls: { default_action: 'Allow', bypass: 'AzureServices' } }) } }), findings: ['default_action'] },
      { name: 'no network ACLs', json: resources({ azurerm_key_vault: { v: vault({ network_acls: undefined }) } }), findings: ['network_acls'] },
    ],
  },
  'AZURE-KV-4': {
    compliant: [{ name: 'RBAC authorization', json: resources({ azurerm_key_vault: { v: vault() } }) }],
    nonCompliant: [{ name: 'access policies', json: resources({ azurerm_key_vault: { v: vault({ rbac_authorization_enabled: false, access_policy: [{ object_id: 'o', secret_permissions: ['Get'] }] }) } }), findings: ['rbac_authorization_enabled', 'access_policy'] }],
  },
  'AZURE-ACR-1': {
    compliant: [{ name: 'admin off', json: resources({ azurerm_container_registry: { r: registry() } }) }],
    nonCompliant: [{ name: 'admin on', json: resources({ azurerm_container_registry: { r: registry({ admin_enabled: true }) } }), findings: ['admin_enabled'] }],
  },
  'AZURE-ACR-2': {
    compliant: [{ name: 'anonymous pull off', json: resources({ azurerm_container_registry: { r: registry() } }) }],
    nonCompliant: [{ name: 'anonymous pull on', json: resources({ azurerm_container_registry: { r: registry({ anonymous_pull_enabled: true }) } }), findings: ['anonymous_pull_enabled'] }],
  },
  'AZURE-ACR-3': {
    compliant: [{ name: 'public network off', json: resources({ azurerm_container_registry: { r: registry() } }) }],
    nonCompliant: [{ name: 'public network left on (the default)', json: resources({ azurerm_container_registry: { r: registry({ public_network_access_enabled: undefined }) } }), findings: ['public_network_access_enabled'] }],
  },
  'AZURE-NET-1': {
    compliant: [{ name: 'subnet with an NSG association', json: resources({ azurerm_subnet: { s: { name: 'runners' } }, azurerm_subnet_network_security_group_association: { a: { subnet_id: '${azurerm_subnet.s.id}', network_security_group_id: '${azurerm_network_security_group.n.id}' } } }) }],
    nonCompliant: [{ name: 'subnet without one', json: resources({ azurerm_subnet: { s: { name: 'runners' } } }), findings: ['azurerm_subnet.s'] }],
  },
  'AZURE-NET-2': {
    compliant: [{ name: 'default outbound access off', json: resources({ azurerm_subnet: { s: { name: 'runners', default_outbound_access_enabled: false } } }) }],
    nonCompliant: [{ name: 'left on (the default)', json: resources({ azurerm_subnet: { s: { name: 'runners' } } }), findings: ['default_outbound_access_enabled'] }],
  },
  'AZURE-NET-3': {
    compliant: [{ name: 'enabled flow log on the VNet', json: resources({ azurerm_virtual_network: { v: { name: 'net' } }, azurerm_network_watcher_flow_log: { f: { target_resource_id: '${azurerm_virtual_network.v.id}', enabled: true } } }) }],
    nonCompliant: [
      { name: 'no flow log', json: resources({ azurerm_virtual_network: { v: { name: 'net' } } }), findings: ['azurerm_virtual_network.v'] },
      { name: 'disabled flow log', json: resources({ azurerm_virtual_network: { v: { name: 'net' } }, azurerm_network_watcher_flow_log: { f: { target_resource_id: '${azurerm_virtual_network.v.id}', enabled: false } } }), findings: ['enabled'] },
    ],
  },
  'AZURE-NSG-1': {
    compliant: [
      { name: 'inbound HTTPS from a kit subnet', json: resources({ azurerm_network_security_rule: { r: nsgRule({ direction: 'Inbound', access: 'Allow', source_address_prefixes: ['10.42.0.0/24'], source_address_prefix: undefined }) } }) },
      { name: 'deny all inbound', json: resources({ azurerm_network_security_rule: { r: denyAll('Inbound') } }) },
    ],
    nonCompliant: [
      { name: 'SSH from the internet', json: resources({ azurerm_network_security_rule: { r: nsgRule({ direction: 'Inbound', access: 'Allow', source_address_prefix: 'Internet', destination_port_range: '22' }) } }), findings: ['Inbound:Internet'] },
      { name: 'anything from every VNet', json: resources({ azurerm_network_security_rule: { r: nsgRule({ direction: 'Inbound', access: 'Allow', source_address_prefix: 'VirtualNetwork', destination_port_range: '*' }) } }), findings: ['Inbound:VirtualNetwork'] },
    ],
  },
  'AZURE-NSG-2': {
    compliant: [{ name: 'TCP 443 and 22 out', json: resources({ azurerm_network_security_rule: { r: nsgRule({ direction: 'Outbound', access: 'Allow', destination_port_range: undefined, destination_port_ranges: ['443', '22'] }) } }) }],
    nonCompliant: [{ name: 'any protocol, a port range', json: resources({ azurerm_network_security_rule: { r: nsgRule({ direction: 'Outbound', access: 'Allow', protocol: '*', destination_port_range: '1-65535' }) } }), findings: ['Egress:protocol:*', 'Egress:ports:1-65535'] }],
  },
  'AZURE-NSG-3': {
    compliant: [{ name: 'closing deny-all rules both ways', json: resources({ azurerm_network_security_group: { Nsg: { name: 'n' } }, azurerm_network_security_rule: { i: denyAll('Inbound'), o: denyAll('Outbound') } }) }],
    nonCompliant: [{ name: 'no closing outbound deny', json: resources({ azurerm_network_security_group: { Nsg: { name: 'n' } }, azurerm_network_security_rule: { i: denyAll('Inbound') } }), findings: ['DenyAll:Outbound'] }],
  },
  'AZURE-STG-1': {
    compliant: [{ name: 'hardened', json: resources({ azurerm_storage_account: { s: storage() } }) }],
    nonCompliant: [{ name: 'Azure defaults', json: resources({ azurerm_storage_account: { s: { name: 'st' } } }), findings: ['min_tls_version', 'network_rules', 'allow_nested_items_to_be_public', 'shared_access_key_enabled'] }],
  },
};
