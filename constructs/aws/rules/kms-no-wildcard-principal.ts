/** AWS-KMS-2 (CKV_AWS_33): key policies name their principals; no `*`. */
import { compliant, fromFindings, nonCompliant, type Finding, type Rule } from '../../core/rules/rule';
import { readPolicy, statementName } from './support/policy';

export const KMS_NO_WILDCARD_PRINCIPAL: Rule = {
  id: 'AWS-KMS-2',
  title: 'No `*` principal in key policies',
  why: 'A `*` principal lets any AWS account (or anyone, for some actions) use the key that protects the runner secrets and logs; conditions are easy to get wrong.',
  fix: 'Name the principals: the account root (`arn:<partition>:iam::<account>:root`, as RunnerKey does), specific roles, or service principals with aws:SourceAccount conditions.',
  publicIds: ['CKV_AWS_33'],
  appliesTo: ['aws_kms_key', 'aws_kms_key_policy'],
  check: (resource, config) => {
    if (resource.body.policy === undefined) {
      return resource.type === 'aws_kms_key' ? compliant() : nonCompliant('aws_kms_key_policy has no policy');
    }
    const read = readPolicy(resource.body.policy, config);
    if (!read.ok) return nonCompliant(`the key policy cannot be read: ${read.problem}`);
    const findings: Finding[] = [];
    for (const s of read.statements.filter((x) => x.effect === 'Allow')) {
      const wild = Object.entries(s.principals ?? {}).flatMap(([type, ids]) => ids.filter((id) => id === '*' || (type !== 'Service' && id.includes('*'))).map((id) => `${type === '*' ? '' : `${type}: `}${id}`));
      if (wild.length > 0) findings.push({ key: 'Principal::*', message: `${statementName(s)} allows the principal ${wild.join(', ')}` });
      if (s.notPrincipals) findings.push({ key: 'NotPrincipal', message: `${statementName(s)} allows everyone except NotPrincipal` });
    }
    return fromFindings(findings);
  },
};
