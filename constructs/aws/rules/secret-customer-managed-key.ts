/** AWS-SM-1 (CKV_AWS_149): secrets are encrypted with a customer-managed key. */
import { isSet } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const SECRET_CUSTOMER_MANAGED_KEY: Rule = {
  id: 'AWS-SM-1',
  title: 'Secrets Manager secrets use a customer-managed key',
  why: "The runner's private key and API client secret are the runner's identity; with the AWS-managed key any principal allowed GetSecretValue can read them, with a customer key the key policy is a second gate.",
  fix: "Set kms_key_id to the target's customer-managed key ARN (RunnerSecrets does).",
  publicIds: ['CKV_AWS_149'],
  appliesTo: ['aws_secretsmanager_secret'],
  check: (secret) => {
    const key = secret.body.kms_key_id;
    if (!isSet(key)) return nonCompliant('kms_key_id is unset: the AWS-managed key aws/secretsmanager is used');
    if (key === 'alias/aws/secretsmanager') return nonCompliant('kms_key_id is the AWS-managed key alias/aws/secretsmanager');
    return compliant();
  },
};
