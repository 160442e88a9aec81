/** AWS-IAM-7 (kit-only): a trust policy admitting another account requires `sts:ExternalId`. */
import { asReference, isExpression } from '../../core/rules/expressions';
import { fromFindings, notApplicable, type Finding, type Rule } from '../../core/rules/rule';
import type { SynthesizedConfig } from '../../core/rules/synthesized-config';
import { conditionValues, readPolicy, statementName } from './support/policy';

/**
 * Same-account principals are built from the stack's own facts: a reference to a resource of the
 * stack, or an ARN containing `data.aws_caller_identity`'s account id. Anything else (a literal
 * account id or ARN) is treated as another account.
 */
export function isSameAccountPrincipal(id: string, config: SynthesizedConfig): boolean {
  if (id.includes('${data.aws_caller_identity.')) return true;
  const ref = asReference(id);
  return ref !== undefined && !ref.address.startsWith('data.') && config.get(ref.address) !== undefined;
}

export const IAM_CROSS_ACCOUNT_EXTERNAL_ID: Rule = {
  id: 'AWS-IAM-7',
  title: 'Cross-account trust requires sts:ExternalId',
  why: 'Without an external id a role trusting another account (meshcloud operators) is open to the confused-deputy problem: anyone who can make that account assume roles can aim it at this one.',
  fix: 'Add Condition { StringEquals: { "sts:ExternalId": <per-customer id> } } to the statement trusting the other account; for this account build the ARN from data.aws_caller_identity.',
  publicIds: [],
  appliesTo: ['aws_iam_role'],
  check: (role, config) => {
    const read = readPolicy(role.body.assume_role_policy, config);
    if (!read.ok) return notApplicable(`the trust policy cannot be read (AWS-IAM-1): ${read.problem}`);
    const findings: Finding[] = [];
    for (const s of read.statements.filter((x) => x.effect === 'Allow')) {
      const foreign = (s.principals?.AWS ?? []).filter((id) => !isSameAccountPrincipal(id, config));
      if (foreign.length === 0) continue;
      const externalId = conditionValues(s, /^StringEquals$/i, 'sts:ExternalId');
      const ok = externalId !== undefined && externalId.length > 0 && externalId.every((v) => v.trim() !== '' && (isExpression(v) || !/[*?]/.test(v)));
      if (!ok) foreign.forEach((id) => findings.push({ key: `Principal::${id}`, message: `${statementName(s)} trusts ${id} (another account) without a StringEquals sts:ExternalId condition` }));
    }
    return fromFindings(findings);
  },
};
