/**
 * Kubernetes RBAC rules declared like the kit's cloud permissions: what may be done, on what, and
 * why, as named constants an auditor can read next to their justification. Every rule is
 * namespaced (rendered into a Role, never a ClusterRole) and names its verbs and resources
 * explicitly: no `*`, and none of the verbs that hand out more rights than a rule lists.
 */
import type { RoleV1Rule } from '@cdktf/provider-kubernetes/lib/role-v1';

export interface KubernetesRule {
  /** API groups; `''` is the core group. */
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
  /** One line an auditor can read: why this is needed. */
  readonly justification: string;
}

/** Verbs that let a holder grant itself more than the rule lists, or act as someone else. */
export const ESCALATING_VERBS = ['escalate', 'bind', 'impersonate'] as const;

export function checkRules(what: string, rules: readonly KubernetesRule[]): void {
  if (rules.length === 0) throw new Error(`${what} has no rules: a Role without rules grants nothing; remove it instead`);
  for (const r of rules) {
    const all = [...r.apiGroups, ...r.resources, ...r.verbs];
    if (all.includes('*')) throw new Error(`${what}: rule on ${r.resources.join(', ')} uses "*": list the API groups, resources and verbs explicitly`);
    const escalating = r.verbs.filter((v) => (ESCALATING_VERBS as readonly string[]).includes(v));
    if (escalating.length > 0) throw new Error(`${what}: rule on ${r.resources.join(', ')} grants ${escalating.join(', ')}, which lets the holder exceed its own rules; remove it`);
    if (r.resources.length === 0 || r.verbs.length === 0) throw new Error(`${what}: every rule needs resources and verbs`);
    if (r.justification.trim().length < 10) throw new Error(`${what}: rule on ${r.resources.join(', ')} needs a justification of at least 10 characters`);
  }
}

export function renderRules(rules: readonly KubernetesRule[]): RoleV1Rule[] {
  return rules.map((r) => ({ apiGroups: [...r.apiGroups], resources: [...r.resources], verbs: [...r.verbs] }));
}
