/** AZURE-ACR-3 (CKV_AZURE_139): container registries have public network access off (Premium). */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const REGISTRY_PUBLIC_NETWORK: Rule = {
  id: 'AZURE-ACR-3',
  title: 'Container registries have public network access off',
  why: 'An open registry endpoint is reachable from the internet; with it off, only the private endpoint and Azure\'s trusted services (the container groups\' managed-identity pull, ARM import) reach the mirror.',
  fix: 'Use the Premium SKU with public_network_access_enabled = false (the kit\'s default); azure.allowPublicRegistryEndpoint trades this for cost and is acknowledged.',
  publicIds: ['CKV_AZURE_139'],
  appliesTo: ['azurerm_container_registry'],
  check: (registry) => fromFindings(requireBoolean(registry.body, 'public_network_access_enabled', false, true, 'the registry is reachable from the internet')),
};
