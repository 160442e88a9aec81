/** K8S-POD-5 (CKV_K8S_31): every container runs under the seccomp profile `RuntimeDefault`. */
import { block, isExpression, show, unprovable } from '../../core/rules/expressions';
import type { Rule } from '../../core/rules/rule';
import { effectiveSetting, judgeContainers, POD_WORKLOAD_TYPES } from './support/pod-spec';

export const POD_SECCOMP_RUNTIME_DEFAULT: Rule = {
  id: 'K8S-POD-5',
  title: 'Containers run under the RuntimeDefault seccomp profile',
  why: 'Without a seccomp profile (Unconfined, the Kubernetes default) a compromised run can call every system call of the node\'s kernel, including the rarely used ones most kernel exploits go through.',
  fix: 'Set security_context.seccomp_profile { type = "RuntimeDefault" } on the pod (RunController does) or on every container; a container-level profile overrides the pod\'s.',
  publicIds: ['CKV_K8S_31'],
  appliesTo: POD_WORKLOAD_TYPES,
  check: (resource) =>
    judgeContainers(resource, (c, pod) => {
      const setting = effectiveSetting(c, pod, 'seccomp_profile');
      if (isExpression(setting.value)) return `: ${unprovable('seccomp_profile', setting.value)}`;
      const type = block(setting.value)?.type;
      if (type === 'RuntimeDefault') return undefined;
      if (isExpression(type)) return `: ${unprovable('seccomp_profile.type', type)}`;
      return setting.from === 'none' || type === undefined ? 'has no seccomp profile in container or pod security_context (Unconfined)' : `has seccomp profile type ${show(type)} (from the ${setting.from})`;
    }),
};
