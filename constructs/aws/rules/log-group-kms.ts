/** AWS-LOG-1 (CKV_AWS_158): log groups are encrypted with a KMS key. */
import { isSet } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const LOG_GROUP_KMS: Rule = {
  id: 'AWS-LOG-1',
  title: 'Log groups encrypted with a KMS key',
  why: 'Run logs and flow logs can contain repository URLs, plan output and hostnames; with the customer\'s key, reading them needs the key policy\'s consent and leaves a CloudTrail record.',
  fix: "Set kms_key_id to the target's key ARN (the key policy must let logs.<region>.amazonaws.com use it for the group's name).",
  publicIds: ['CKV_AWS_158'],
  appliesTo: ['aws_cloudwatch_log_group'],
  check: (group) => (isSet(group.body.kms_key_id) ? compliant() : nonCompliant('kms_key_id is unset: CloudWatch Logs encrypts with an AWS-owned key')),
};
