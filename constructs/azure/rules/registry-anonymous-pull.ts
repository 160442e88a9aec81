/** AZURE-ACR-2 (CKV_AZURE_138): container registries have anonymous pull off. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { requireBoolean } from './support/values';

export const REGISTRY_ANONYMOUS_PULL: Rule = {
  id: 'AZURE-ACR-2',
  title: 'Container registries have anonymous pull off',
  why: 'Anonymous pull lets anyone who reaches the registry read every image, and it is a feature of the Standard and Premium SKUs the kit uses.',
  fix: 'Set anonymous_pull_enabled = false.',
  publicIds: ['CKV_AZURE_138'],
  appliesTo: ['azurerm_container_registry'],
  check: (registry) => fromFindings(requireBoolean(registry.body, 'anonymous_pull_enabled', false, false, 'anyone can pull')),
};
