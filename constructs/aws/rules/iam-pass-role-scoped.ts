/** AWS-IAM-9 (kit-only): `iam:PassRole` only on named roles, only to a named service. */
import { isExpression } from '../../core/rules/expressions';
import { fromFindings, notApplicable, type Finding, type Rule } from '../../core/rules/rule';
import { BOUNDARY_NOT_A_GRANT, conditionValues, grants, isBoundaryOnly, policiesHeldBy, POLICY_RESOURCE_TYPES, statementName } from './support/policy';

const hasWildcard = (value: string) => /[*?]/.test(value.replace(/\$\{[^}]*\}/g, ''));

export const IAM_PASS_ROLE_SCOPED: Rule = {
  id: 'AWS-IAM-9',
  title: 'iam:PassRole only on named roles, with iam:PassedToService',
  why: 'PassRole decides which role a task, function or instance runs as; on a wildcard, or to any service, it lets the holder run code as any role in the account.',
  fix: 'Bind iam:PassRole to the exact role ARNs (no `*`) and add Condition { StringEquals: { "iam:PassedToService": "<service>.amazonaws.com" } }.',
  publicIds: [],
  appliesTo: [...POLICY_RESOURCE_TYPES, 'aws_iam_role'],
  check: (resource, config) => {
    if (isBoundaryOnly(resource, config)) return notApplicable(BOUNDARY_NOT_A_GRANT);
    const findings: Finding[] = [];
    for (const p of policiesHeldBy(resource, config)) {
      if (!p.read.ok) continue; // AWS-IAM-1 reports it
      for (const s of p.read.statements.filter((x) => grants(x, 'iam:PassRole'))) {
        const problems: string[] = [];
        if (s.notResources) problems.push('it uses NotResource');
        const wild = s.resources.filter(hasWildcard);
        if (wild.length > 0) problems.push(`resource ${wild.map((r) => JSON.stringify(r)).join(', ')} is not a named role`);
        if (s.resources.length === 0 && !s.notResources) problems.push('it names no resource');
        const services = conditionValues(s, /^StringEquals$/i, 'iam:PassedToService') ?? conditionValues(s, /^StringLike$/i, 'iam:PassedToService');
        if (!services || services.length === 0) problems.push('it has no iam:PassedToService condition');
        else if (services.some((v) => !isExpression(v) && /[*?]/.test(v))) problems.push(`iam:PassedToService ${JSON.stringify(services)} is a pattern, not a service`);
        if (problems.length > 0) findings.push({ key: 'Action::iam:PassRole', message: `${p.label} ${statementName(s)} allows iam:PassRole, but ${problems.join('; ')}` });
      }
    }
    return fromFindings(findings);
  },
};
