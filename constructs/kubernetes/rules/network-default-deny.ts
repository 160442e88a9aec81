/**
 * K8S-NET-1 (kit-only): every namespace has a default-deny NetworkPolicy for ingress and egress
 * (all pods selected, no rule), and no policy of the namespace allows ingress: nothing connects
 * to the runner.
 */
import { block, isExpression } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { displayName, NAMESPACE_TYPES, NETWORK_POLICY_TYPES, objectsIn } from './support/namespaces';
import { allows, policyTypes, selectsAll } from './support/network-policies';

export const NETWORK_DEFAULT_DENY: Rule = {
  id: 'K8S-NET-1',
  title: 'Namespaces deny all ingress and egress by default, and allow no ingress',
  why: 'Kubernetes allows all traffic to and from a pod no NetworkPolicy selects: a compromised run could reach other workloads, the cluster\'s internals or the node\'s metadata endpoint, and anything in the cluster could connect to the controller.',
  fix: 'Create a NetworkPolicy selecting every pod (pod_selector {}) with policy_types ["Ingress", "Egress"] and no rules (RunnerNetworkPolicies does), allow egress in separate policies, and remove ingress rules.',
  publicIds: [],
  appliesTo: NAMESPACE_TYPES,
  check: (ns, config) => {
    const policies = objectsIn(ns, config, NETWORK_POLICY_TYPES).map((p) => ({ p, spec: block(p.body.spec) }));
    const findings: Finding[] = [];
    for (const direction of ['Ingress', 'Egress'] as const) {
      const denies = policies.some(({ spec }) => spec !== undefined && selectsAll(spec.pod_selector) && (policyTypes(spec) ?? []).includes(direction) && !allows(spec, direction === 'Ingress' ? 'ingress' : 'egress'));
      if (!denies) {
        findings.push({
          key: `DefaultDeny::${direction}`,
          message: `no NetworkPolicy of the namespace denies all ${direction.toLowerCase()} by default (one selecting every pod, policy_types including ${direction}, without ${direction.toLowerCase()} rules)${policies.length === 0 ? ': the namespace has no NetworkPolicy' : ''}`,
        });
      }
    }
    for (const { p, spec } of policies) {
      if (spec === undefined) continue;
      if (allows(spec, 'ingress')) {
        findings.push({ key: `Ingress::${displayName(p).replace(/"/g, '')}`, message: `NetworkPolicy ${displayName(p)} ${isExpression(spec.ingress) ? 'has ingress rules given as a Terraform expression' : 'allows ingress'}: nothing should connect to the runner` });
      }
    }
    return fromFindings(findings);
  },
};
