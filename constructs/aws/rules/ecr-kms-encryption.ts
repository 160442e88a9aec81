/** AWS-ECR-3 (CKV_AWS_136): repositories are encrypted with KMS. */
import { block, readString, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const ECR_KMS_ENCRYPTION: Rule = {
  id: 'AWS-ECR-3',
  title: 'ECR repositories are encrypted with KMS',
  why: 'With the default AES256 encryption, access to the image layers is governed by AWS-owned keys only; KMS puts them under the target\'s key policy and CloudTrail.',
  fix: 'Set encryption_configuration { encryption_type = "KMS", kms_key = <the target\'s key ARN> } (it cannot be changed later without replacing the repository).',
  publicIds: ['CKV_AWS_136'],
  appliesTo: ['aws_ecr_repository'],
  check: (repo) => {
    const v = readString(block(repo.body.encryption_configuration)?.encryption_type);
    if (v.kind === 'literal' && v.value === 'KMS') return compliant();
    if (v.kind === 'expression') return nonCompliant(unprovable('encryption_configuration.encryption_type', v.text));
    return nonCompliant(`encryption_configuration.encryption_type is ${v.kind === 'absent' ? 'unset (AES256)' : JSON.stringify(v.value)}`);
  },
};
