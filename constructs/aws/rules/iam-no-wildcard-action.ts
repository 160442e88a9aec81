/** AWS-IAM-2 (CKV_AWS_62 / CKV_AWS_63, stricter): identity policies name their actions; no `*`, no `service:*`, no `Describe*`. */
import { fromFindings, notApplicable, type Finding, type Rule } from '../../core/rules/rule';
import { BOUNDARY_NOT_A_GRANT, isBoundaryOnly, policiesHeldBy, POLICY_RESOURCE_TYPES, statementName } from './support/policy';

export const IAM_NO_WILDCARD_ACTION: Rule = {
  id: 'AWS-IAM-2',
  title: 'No wildcard actions (`*`, `*:*`, `service:*`, `Prefix*`) and no NotAction in Allow statements',
  why: 'A wildcard grants every action that matches today and every one AWS adds tomorrow, so least privilege cannot be proven; `*` alone is full administrator access.',
  fix: 'List the actions by name in a PermissionTemplate constant with its justification; the tests verify each name against the AWS action catalog.',
  publicIds: ['CKV_AWS_62', 'CKV_AWS_63'],
  appliesTo: [...POLICY_RESOURCE_TYPES, 'aws_iam_role'],
  check: (resource, config) => {
    if (isBoundaryOnly(resource, config)) return notApplicable(BOUNDARY_NOT_A_GRANT);
    const findings: Finding[] = [];
    for (const p of policiesHeldBy(resource, config)) {
      if (!p.read.ok) continue; // AWS-IAM-1 reports it
      for (const s of p.read.statements.filter((x) => x.effect === 'Allow')) {
        for (const a of s.actions.filter((x) => /[*?]/.test(x))) findings.push({ key: `Action::${a}`, message: `${p.label} ${statementName(s)} allows the wildcard action "${a}"` });
        if (s.notActions) findings.push({ key: `NotAction::${s.notActions.join(',')}`, message: `${p.label} ${statementName(s)} allows every action except ${s.notActions.join(', ')}` });
      }
    }
    return fromFindings(findings);
  },
};
