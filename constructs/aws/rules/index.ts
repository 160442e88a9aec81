/**
 * The AWS rule pack (ids AWS-), in ID order, and the one-line way for an AWS stack to apply it:
 * `applyAwsRulePack(this)` at the end of the stack's constructor. `acknowledge` is re-exported so a
 * construct or stack needs one import for both.
 */
import type { TerraformStack } from 'cdktf';
import type { Acknowledgement } from '../../core/rules/acknowledgement';

export { acknowledge, type Acknowledgement } from '../../core/rules/acknowledgement';
import type { Rule } from '../../core/rules/rule';
import { RulePack, type RulePackDefinition } from '../../core/rules/rule-pack';
import { DEFAULT_SECURITY_GROUP_CLOSED } from './default-security-group-closed';
import { ECR_IMMUTABLE_TAGS } from './ecr-immutable-tags';
import { ECR_KMS_ENCRYPTION } from './ecr-kms-encryption';
import { ECR_SCAN_ON_PUSH } from './ecr-scan-on-push';
import { ECS_CONTAINER_INSIGHTS } from './ecs-container-insights';
import { ECS_NO_HOST_PID } from './ecs-no-host-pid';
import { ECS_NO_PUBLIC_IP } from './ecs-no-public-ip';
import { ECS_NOT_PRIVILEGED } from './ecs-not-privileged';
import { ECS_READ_ONLY_ROOT } from './ecs-read-only-root';
import { ECS_SEPARATE_ROLES } from './ecs-separate-roles';
import { EKS_CONTROL_PLANE_LOGGING } from './eks-control-plane-logging';
import { EKS_PRIVATE_ENDPOINT } from './eks-private-endpoint';
import { EKS_PUBLIC_ENDPOINT_RESTRICTED } from './eks-public-endpoint-restricted';
import { EKS_SECRETS_ENCRYPTION } from './eks-secrets-encryption';
import { IAM_CROSS_ACCOUNT_EXTERNAL_ID } from './iam-cross-account-external-id';
import { IAM_MAX_SESSION_ONE_HOUR } from './iam-max-session-one-hour';
import { IAM_NO_CREDENTIALS_EXPOSURE } from './iam-no-credentials-exposure';
import { IAM_NO_PRIVILEGE_ESCALATION } from './iam-no-privilege-escalation';
import { IAM_NO_WILDCARD_ACTION } from './iam-no-wildcard-action';
import { IAM_NO_WILDCARD_RESOURCE } from './iam-no-wildcard-resource';
import { IAM_PASS_ROLE_SCOPED } from './iam-pass-role-scoped';
import { IAM_POLICY_READABLE } from './iam-policy-readable';
import { IAM_TRUST_SPECIFIC_PRINCIPALS } from './iam-trust-specific-principals';
import { IMDS_HOP_LIMIT } from './imds-hop-limit';
import { IMDSV2_REQUIRED } from './imdsv2-required';
import { LAMBDA_SUPPORTED_RUNTIME } from './lambda-supported-runtime';
import { KMS_KEY_ROTATION } from './kms-key-rotation';
import { KMS_NO_WILDCARD_PRINCIPAL } from './kms-no-wildcard-principal';
import { LOG_GROUP_KMS } from './log-group-kms';
import { LOG_GROUP_RETENTION } from './log-group-retention';
import { SECRET_CUSTOMER_MANAGED_KEY } from './secret-customer-managed-key';
import { SECURITY_GROUP_EGRESS_PORTS } from './security-group-egress-ports';
import { SECURITY_GROUP_NO_INGRESS } from './security-group-no-ingress';
import { SECURITY_GROUP_NO_INTERNET_INGRESS } from './security-group-no-internet-ingress';
import { SUBNET_NO_PUBLIC_IP } from './subnet-no-public-ip';
import { VPC_FLOW_LOGS } from './vpc-flow-logs';

export const AWS_RULES: readonly Rule[] = [
  VPC_FLOW_LOGS,
  DEFAULT_SECURITY_GROUP_CLOSED,
  SUBNET_NO_PUBLIC_IP,
  SECURITY_GROUP_NO_INTERNET_INGRESS,
  SECURITY_GROUP_NO_INGRESS,
  SECURITY_GROUP_EGRESS_PORTS,
  ECS_NO_PUBLIC_IP,
  ECS_READ_ONLY_ROOT,
  ECS_NOT_PRIVILEGED,
  ECS_NO_HOST_PID,
  ECS_SEPARATE_ROLES,
  ECS_CONTAINER_INSIGHTS,
  EKS_PRIVATE_ENDPOINT,
  EKS_PUBLIC_ENDPOINT_RESTRICTED,
  EKS_SECRETS_ENCRYPTION,
  EKS_CONTROL_PLANE_LOGGING,
  IMDSV2_REQUIRED,
  IMDS_HOP_LIMIT,
  ECR_IMMUTABLE_TAGS,
  ECR_SCAN_ON_PUSH,
  ECR_KMS_ENCRYPTION,
  KMS_KEY_ROTATION,
  KMS_NO_WILDCARD_PRINCIPAL,
  LOG_GROUP_KMS,
  LOG_GROUP_RETENTION,
  SECRET_CUSTOMER_MANAGED_KEY,
  IAM_POLICY_READABLE,
  IAM_NO_WILDCARD_ACTION,
  IAM_NO_WILDCARD_RESOURCE,
  IAM_NO_PRIVILEGE_ESCALATION,
  IAM_NO_CREDENTIALS_EXPOSURE,
  IAM_TRUST_SPECIFIC_PRINCIPALS,
  IAM_CROSS_ACCOUNT_EXTERNAL_ID,
  IAM_MAX_SESSION_ONE_HOUR,
  IAM_PASS_ROLE_SCOPED,
  LAMBDA_SUPPORTED_RUNTIME,
];

/** The AWS pack (ids AWS-). */
export const AWS_RULE_PACK: RulePackDefinition = { name: 'aws', idPrefix: 'AWS-', folder: 'constructs/aws/rules', rules: AWS_RULES };

/** Applies the AWS pack to `stack`, with optional stack-level acknowledgements. */
export function applyAwsRulePack(stack: TerraformStack, acknowledgements: readonly Acknowledgement[] = []): RulePack {
  return RulePack.applyTo(stack, { ...AWS_RULE_PACK, acknowledgements });
}
