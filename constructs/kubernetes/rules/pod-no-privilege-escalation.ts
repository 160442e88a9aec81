/** K8S-POD-1 (CKV_K8S_20): every container sets `allow_privilege_escalation: false`. */
import { readBoolean, show, unprovable } from '../../core/rules/expressions';
import type { Rule } from '../../core/rules/rule';
import { judgeContainers, POD_WORKLOAD_TYPES, securityContext } from './support/pod-spec';

export const POD_NO_PRIVILEGE_ESCALATION: Rule = {
  id: 'K8S-POD-1',
  title: 'Containers cannot gain more privileges than their process started with',
  why: 'With privilege escalation allowed (the Kubernetes default), a setuid binary or file capability in the image lets a compromised run become root inside the container, one step from escaping it.',
  fix: 'Set security_context.allow_privilege_escalation: false on every container and init container (RunController does).',
  publicIds: ['CKV_K8S_20'],
  appliesTo: POD_WORKLOAD_TYPES,
  check: (resource) =>
    judgeContainers(resource, (c) => {
      const v = readBoolean(securityContext(c).allow_privilege_escalation);
      if (v.kind === 'literal' && !v.value) return undefined;
      if (v.kind === 'expression') return `: ${unprovable('security_context.allow_privilege_escalation', v.text)}`;
      return v.kind === 'absent' ? 'leaves allow_privilege_escalation unset (Kubernetes allows escalation by default)' : `has allow_privilege_escalation ${show(v.value)}`;
    }),
};
