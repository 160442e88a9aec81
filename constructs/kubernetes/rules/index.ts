/**
 * The Kubernetes workload rule pack (ids K8S-), in ID order. A stack that deploys a Kubernetes
 * workload applies it beside its cloud's pack (`applyKubernetesRulePack(this)`);
 * `acknowledgeRunnerWorkload` records the findings the runner workload carries by design.
 */
import type { TerraformStack } from 'cdktf';
import type { Rule } from '../../core/rules/rule';
import { RulePack, type RulePackDefinition } from '../../core/rules/rule-pack';
import { NAMESPACE_POD_SECURITY } from './namespace-pod-security';
import { NAMESPACE_QUOTA_AND_LIMITS } from './namespace-quota-and-limits';
import { NETWORK_DEFAULT_DENY } from './network-default-deny';
import { NETWORK_EGRESS_PORTS } from './network-egress-ports';
import { POD_DISRUPTION_BUDGET } from './pod-disruption-budget';
import { POD_DROP_ALL_CAPABILITIES } from './pod-drop-all-capabilities';
import { POD_IMAGE_DIGEST } from './pod-image-digest';
import { POD_NO_PRIVILEGE_ESCALATION } from './pod-no-privilege-escalation';
import { POD_NON_ROOT } from './pod-non-root';
import { POD_PROBES } from './pod-probes';
import { POD_READ_ONLY_ROOT } from './pod-read-only-root';
import { POD_RESOURCES } from './pod-resources';
import { POD_SECCOMP_RUNTIME_DEFAULT } from './pod-seccomp-runtime-default';
import { POD_SERVICE_ACCOUNT_TOKEN } from './pod-service-account-token';

export { acknowledgeRunnerWorkload } from './runner-workload-acknowledgements';

export const KUBERNETES_RULES: readonly Rule[] = [
  POD_NO_PRIVILEGE_ESCALATION,
  POD_READ_ONLY_ROOT,
  POD_NON_ROOT,
  POD_DROP_ALL_CAPABILITIES,
  POD_SECCOMP_RUNTIME_DEFAULT,
  POD_SERVICE_ACCOUNT_TOKEN,
  POD_IMAGE_DIGEST,
  POD_RESOURCES,
  POD_PROBES,
  NAMESPACE_POD_SECURITY,
  NAMESPACE_QUOTA_AND_LIMITS,
  NETWORK_DEFAULT_DENY,
  NETWORK_EGRESS_PORTS,
  POD_DISRUPTION_BUDGET,
];

/** The Kubernetes pack (ids K8S-): applied to every stack that deploys the runner workload, beside its cloud's pack. */
export const KUBERNETES_RULE_PACK: RulePackDefinition = { name: 'kubernetes', idPrefix: 'K8S-', folder: 'constructs/kubernetes/rules', rules: KUBERNETES_RULES };

export function applyKubernetesRulePack(stack: TerraformStack): RulePack {
  return RulePack.applyTo(stack, KUBERNETES_RULE_PACK);
}
