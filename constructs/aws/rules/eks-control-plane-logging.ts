/** AWS-EKS-4 (CKV_AWS_37): every EKS control-plane log type is enabled. */
import { isExpression, strings, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

export const EKS_CONTROL_PLANE_LOGGING: Rule = {
  id: 'AWS-EKS-4',
  title: 'EKS control-plane logging: api, audit, authenticator, controllerManager, scheduler',
  why: 'The audit and authenticator logs are the only record of who did what through the Kubernetes API (e.g. an operator reading a Secret); without them an incident cannot be reconstructed.',
  fix: `Set enabled_cluster_log_types = ${JSON.stringify(EKS_LOG_TYPES)} (and create the /aws/eks/<cluster>/cluster log group with KMS and retention first).`,
  publicIds: ['CKV_AWS_37'],
  appliesTo: ['aws_eks_cluster'],
  check: (cluster) => {
    const v = cluster.body.enabled_cluster_log_types;
    if (isExpression(v)) return nonCompliant(unprovable('enabled_cluster_log_types', v));
    const missing = EKS_LOG_TYPES.filter((t) => !strings(v).includes(t));
    return missing.length === 0 ? compliant() : nonCompliant(`enabled_cluster_log_types lacks ${missing.join(', ')}`);
  },
};
