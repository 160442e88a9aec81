/** AWS-EKS-3 (CKV_AWS_58): Kubernetes secrets are envelope-encrypted with a KMS key. */
import { block, isSet, strings } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const EKS_SECRETS_ENCRYPTION: Rule = {
  id: 'AWS-EKS-3',
  title: 'EKS secrets encrypted with a KMS key',
  why: 'Kubernetes Secrets hold the decrypted runs and service-account tokens; without envelope encryption they rest in etcd protected only by AWS-owned keys, outside the customer\'s key policy and audit trail.',
  fix: "Add encryption_config { resources = [\"secrets\"], provider { key_arn = <the target's KMS key ARN> } }.",
  publicIds: ['CKV_AWS_58'],
  appliesTo: ['aws_eks_cluster'],
  check: (cluster) => {
    const enc = block(cluster.body.encryption_config);
    if (!enc) return nonCompliant('encryption_config is unset: secrets are not envelope-encrypted');
    if (!strings(enc.resources).includes('secrets')) return nonCompliant(`encryption_config.resources is ${JSON.stringify(enc.resources ?? null)}, without "secrets"`);
    if (!isSet(block(enc.provider)?.key_arn)) return nonCompliant('encryption_config.provider.key_arn is unset');
    return compliant();
  },
};
