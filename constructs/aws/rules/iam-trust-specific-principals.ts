/** AWS-IAM-6 (CKV_AWS_60 / CKV_AWS_61): trust policies name specific principals; no `*`. */
import { fromFindings, notApplicable, type Finding, type Rule } from '../../core/rules/rule';
import { readPolicy, statementName } from './support/policy';

export const IAM_TRUST_SPECIFIC_PRINCIPALS: Rule = {
  id: 'AWS-IAM-6',
  title: 'Trust policies name specific principals',
  why: 'A `*` (or wildcard) principal in a trust policy lets any AWS account, or any service, assume the role and act with its permissions.',
  fix: 'Name the service (`ecs-tasks.amazonaws.com`) with aws:SourceAccount / aws:SourceArn conditions (ServiceRole does), or the exact role or account ARN of the trusted principal.',
  publicIds: ['CKV_AWS_60', 'CKV_AWS_61'],
  appliesTo: ['aws_iam_role'],
  check: (role, config) => {
    const read = readPolicy(role.body.assume_role_policy, config);
    if (!read.ok) return notApplicable(`the trust policy cannot be read (AWS-IAM-1): ${read.problem}`);
    const findings: Finding[] = [];
    for (const s of read.statements.filter((x) => x.effect === 'Allow')) {
      for (const [type, ids] of Object.entries(s.principals ?? {})) {
        for (const id of ids.filter((x) => x.includes('*'))) findings.push({ key: `Principal::${id}`, message: `${statementName(s)} trusts ${type === '*' ? '' : `${type} `}"${id}"` });
      }
      if (s.notPrincipals) findings.push({ key: 'NotPrincipal', message: `${statementName(s)} trusts everyone except its NotPrincipal` });
      if (!s.principals && !s.notPrincipals) findings.push({ key: 'Principal::none', message: `${statementName(s)} names no principal` });
    }
    return fromFindings(findings);
  },
};
