/** AZURE-IAM-2 (kit-only): custom roles are assignable only at a resource group. */
import { strings } from '../../core/rules/expressions';
import { fromFindings, type Rule } from '../../core/rules/rule';

const RESOURCE_GROUP_SCOPE = /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[\w().-]+$/;

export const ROLE_ASSIGNABLE_SCOPE: Rule = {
  id: 'AZURE-IAM-2',
  title: 'Custom roles are assignable only at the target\'s resource group',
  why: 'A role assignable at a subscription or management group can be assigned over everything else the customer runs there; the kit\'s roles are for the kit\'s resource group and what is in it.',
  fix: 'Set assignable_scopes (and scope) to the resource group\'s id only.',
  publicIds: [],
  appliesTo: ['azurerm_role_definition'],
  check: (definition) => {
    const scopes = strings(definition.body.assignable_scopes);
    if (scopes.length === 0) return fromFindings([{ key: 'assignable_scopes', message: 'assignable_scopes is empty (Azure then uses the definition\'s scope)' }]);
    return fromFindings(scopes.filter((s) => !RESOURCE_GROUP_SCOPE.test(s)).map((s) => ({ key: `Scope::${s}`, message: `the role is assignable at ${s}, which is not a resource group` })));
  },
};
