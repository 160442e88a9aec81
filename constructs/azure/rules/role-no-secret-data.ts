/** AZURE-IAM-4 (kit-only): no custom role reads secrets, keys or credentials. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { grantOf } from './support/roles';

/** Operations that return a secret value, a key or a credential. */
export const SECRET_READING = [
  /^microsoft\.keyvault\/vaults\/secrets\/(getsecret|readmetadata)?/i,
  /^microsoft\.keyvault\/vaults\/(keys|certificates)\/.*(decrypt|unwrap|sign|export|backup)/i,
  /\/listkeys\/action$/i,
  /\/listcredentials?\/action$/i,
  /\/listsecrets\/action$/i,
  /^microsoft\.web\/sites\/(config\/list|host\/listkeys|functions\/listkeys)/i,
  /^microsoft\.containerregistry\/registries\/(listcredentials|generatecredentials)/i,
];

export const ROLE_NO_SECRET_DATA: Rule = {
  id: 'AZURE-IAM-4',
  title: 'No custom role reads secret values, keys or credentials',
  why: 'An operator or updater role that could read a Key Vault secret, an account key or a publishing credential would hold the runners\' secrets (or the means to make new ones), which the kit keeps to the runner\'s own identity.',
  fix: 'Leave the operation out; a runner reads its own two secrets through a built-in role assigned at those secrets.',
  publicIds: [],
  appliesTo: ['azurerm_role_definition'],
  check: (definition) => {
    const g = grantOf(definition);
    return fromFindings([...g.actions, ...g.dataActions].filter((a) => SECRET_READING.some((p) => p.test(a))).map((a) => ({ key: `Action::${a}`, message: `the role grants ${a}, which returns a secret, key or credential` })));
  },
};
