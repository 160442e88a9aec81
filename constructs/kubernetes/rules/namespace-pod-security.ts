/**
 * K8S-NS-1 (kit-only): every namespace enforces the Pod Security `restricted` profile at a pinned
 * version (`pod-security.kubernetes.io/enforce: restricted` and `enforce-version: v1.<minor>`).
 */
import { block, isExpression, show, unprovable } from '../../core/rules/expressions';
import { fromFindings, nonCompliant, type Finding, type Rule } from '../../core/rules/rule';
import { NAMESPACE_TYPES } from './support/namespaces';

export const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';
export const ENFORCE_VERSION_LABEL = 'pod-security.kubernetes.io/enforce-version';
const PINNED_VERSION = /^v1\.\d{1,2}$/;

export const NAMESPACE_POD_SECURITY: Rule = {
  id: 'K8S-NS-1',
  title: 'Namespaces enforce Pod Security "restricted" at a pinned version',
  why: 'Pod Security admission is what stops the controller, or a Job it starts from a tampered config, from creating a privileged, root or host-namespace pod; pinning the version keeps a cluster upgrade from silently changing what is enforced.',
  fix: `Label the namespace ${ENFORCE_LABEL}: restricted and ${ENFORCE_VERSION_LABEL}: v1.<cluster minor> (RunnerNamespace does, with audit and warn too).`,
  publicIds: [],
  appliesTo: NAMESPACE_TYPES,
  check: (ns) => {
    const labels = block(ns.body.metadata)?.labels;
    if (isExpression(labels)) return nonCompliant(unprovable('metadata.labels', labels));
    const l = block(labels) ?? {};
    const findings: Finding[] = [];
    const enforce = l[ENFORCE_LABEL];
    if (enforce !== 'restricted') {
      findings.push({
        key: `Label::${ENFORCE_LABEL}`,
        message: isExpression(enforce) ? unprovable(`label ${ENFORCE_LABEL}`, enforce) : enforce === undefined ? `label ${ENFORCE_LABEL} is missing (no Pod Security profile is enforced)` : `label ${ENFORCE_LABEL} is ${show(enforce)}, not "restricted"`,
      });
    }
    const version = l[ENFORCE_VERSION_LABEL];
    // A version given as an expression counts as set (pinned at plan time); a literal must be a minor version.
    if (!isExpression(version) && !(typeof version === 'string' && PINNED_VERSION.test(version))) {
      findings.push({
        key: `Label::${ENFORCE_VERSION_LABEL}`,
        message: version === undefined ? `label ${ENFORCE_VERSION_LABEL} is missing, so the enforced profile follows every cluster upgrade ("latest")` : `label ${ENFORCE_VERSION_LABEL} is ${show(version)}, not a pinned minor version like "v1.33"`,
      });
    }
    return fromFindings(findings);
  },
};
