/** AZURE-ACR-1 (CKV_AZURE_137): container registries have the admin user off. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const REGISTRY_ADMIN_USER: Rule = {
  id: 'AZURE-ACR-1',
  title: 'Container registries have the admin user off',
  why: 'The admin user is a shared username and password with push and pull on every repository: a credential that must be stored somewhere and cannot be scoped.',
  fix: 'Set admin_enabled = false; pull with managed identities (AcrPull) and promote with ARM importImage.',
  publicIds: ['CKV_AZURE_137'],
  appliesTo: ['azurerm_container_registry'],
  check: (registry) => fromFindings(requireBoolean(registry.body, 'admin_enabled', false, false, 'a shared admin password exists')),
};
