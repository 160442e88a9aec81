/**
 * The GCP rule pack (ids GCP-), in ID order, and the one-line way for a GCP stack to apply it:
 * `applyGcpRulePack(this)` at the end of the stack's constructor.
 */
import type { TerraformStack } from 'cdktf';
import type { Acknowledgement } from '../../core/rules/acknowledgement';
import type { Rule } from '../../core/rules/rule';
import { RulePack, type RulePackDefinition } from '../../core/rules/rule-pack';
import { SUBNET_FLOW_LOGS } from './subnet-flow-logs';
import { NAT_LOGGING } from './nat-logging';
import { FIREWALL_NO_ALL_PORTS } from './firewall-no-all-ports';
import { FIREWALL_NO_INGRESS } from './firewall-no-ingress';
import { FIREWALL_EGRESS_SCOPED } from './firewall-egress-scoped';
import { RUN_DEDICATED_SERVICE_ACCOUNT } from './run-dedicated-service-account';
import { RUN_VPC_ALL_TRAFFIC } from './run-vpc-all-traffic';
import { RUN_SERVICE_INTERNAL } from './run-service-internal';
import { GKE_PRIVATE_NODES } from './gke-private-nodes';
import { GKE_CONTROL_PLANE_PRIVATE } from './gke-control-plane-private';
import { GKE_WORKLOAD_IDENTITY } from './gke-workload-identity';
import { GKE_SHIELDED_NODES } from './gke-shielded-nodes';
import { GKE_BINARY_AUTHORIZATION } from './gke-binary-authorization';
import { GKE_NETWORK_POLICY } from './gke-network-policy';
import { GKE_SECRETS_CMEK } from './gke-secrets-cmek';
import { GKE_LIFECYCLE } from './gke-lifecycle';
import { GKE_NODE_SERVICE_ACCOUNT } from './gke-node-service-account';
import { REGISTRY_CMEK } from './registry-cmek';
import { REGISTRY_IMMUTABLE_TAGS } from './registry-immutable-tags';
import { KMS_KEY_ROTATION } from './kms-key-rotation';
import { SECRET_CMEK } from './secret-cmek';
import { BUCKET_PRIVATE_CMEK } from './bucket-private-cmek';
import { IAM_NO_PUBLIC_MEMBERS } from './iam-no-public-members';
import { IAM_NO_BASIC_ROLES } from './iam-no-basic-roles';
import { IAM_SERVICE_ACCOUNT_POWERS_SCOPED } from './iam-service-account-powers-scoped';
import { IAM_PROJECT_BINDINGS } from './iam-project-bindings';
import { IAM_CUSTOM_ROLE_ESCALATION } from './iam-custom-role-escalation';
import { IAM_NO_SERVICE_ACCOUNT_KEYS } from './iam-no-service-account-keys';

export { acknowledge, type Acknowledgement } from '../../core/rules/acknowledgement';

export const GCP_RULES: readonly Rule[] = [
  SUBNET_FLOW_LOGS,
  NAT_LOGGING,
  FIREWALL_NO_ALL_PORTS,
  FIREWALL_NO_INGRESS,
  FIREWALL_EGRESS_SCOPED,
  RUN_DEDICATED_SERVICE_ACCOUNT,
  RUN_VPC_ALL_TRAFFIC,
  RUN_SERVICE_INTERNAL,
  GKE_PRIVATE_NODES,
  GKE_CONTROL_PLANE_PRIVATE,
  GKE_WORKLOAD_IDENTITY,
  GKE_SHIELDED_NODES,
  GKE_BINARY_AUTHORIZATION,
  GKE_NETWORK_POLICY,
  GKE_SECRETS_CMEK,
  GKE_LIFECYCLE,
  GKE_NODE_SERVICE_ACCOUNT,
  REGISTRY_CMEK,
  REGISTRY_IMMUTABLE_TAGS,
  KMS_KEY_ROTATION,
  SECRET_CMEK,
  BUCKET_PRIVATE_CMEK,
  IAM_NO_PUBLIC_MEMBERS,
  IAM_NO_BASIC_ROLES,
  IAM_SERVICE_ACCOUNT_POWERS_SCOPED,
  IAM_PROJECT_BINDINGS,
  IAM_CUSTOM_ROLE_ESCALATION,
  IAM_NO_SERVICE_ACCOUNT_KEYS,
];

/** The GCP pack (ids GCP-). */
export const GCP_RULE_PACK: RulePackDefinition = { name: 'gcp', idPrefix: 'GCP-', folder: 'constructs/gcp/rules', rules: GCP_RULES };

/** Applies the GCP pack to `stack`, with optional stack-level acknowledgements. */
export function applyGcpRulePack(stack: TerraformStack, acknowledgements: readonly Acknowledgement[] = []): RulePack {
  return RulePack.applyTo(stack, { ...GCP_RULE_PACK, acknowledgements });
}
