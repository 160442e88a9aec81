/** AZURE-IAM-1 (CKV_AZURE_39, stricter): custom roles list exact operations, no wildcard. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { grantOf } from './support/roles';

export const ROLE_NO_WILDCARD: Rule = {
  id: 'AZURE-IAM-1',
  title: 'Custom roles list exact operations (no * wildcard)',
  why: 'A wildcard grants every operation a resource provider has or will ever add (an owner-like role at its scope), so no one can say what the role allows.',
  fix: 'List the exact operations, each with its reason in the kit\'s permission model.',
  publicIds: ['CKV_AZURE_39'],
  appliesTo: ['azurerm_role_definition'],
  check: (definition) => {
    const g = grantOf(definition);
    return fromFindings([...g.actions, ...g.dataActions].filter((a) => a.includes('*')).map((a) => ({ key: `Action::${a}`, message: `the role grants the wildcard operation ${a}` })));
  },
};
