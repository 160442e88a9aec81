/** K8S-POD-2 (CKV_K8S_22): every container has a read-only root filesystem. */
import { readBoolean, show, unprovable } from '../../core/rules/expressions';
import type { Rule } from '../../core/rules/rule';
import { judgeContainers, POD_WORKLOAD_TYPES, securityContext } from './support/pod-spec';

export const POD_READ_ONLY_ROOT: Rule = {
  id: 'K8S-POD-2',
  title: 'Containers have a read-only root filesystem',
  why: 'A writable root filesystem lets a compromised run replace binaries or tooling of the image (what the next command executes) instead of being confined to declared scratch volumes.',
  fix: 'Set security_context.read_only_root_filesystem: true and mount an emptyDir for the paths the container writes (RunController mounts /tmp).',
  publicIds: ['CKV_K8S_22'],
  appliesTo: POD_WORKLOAD_TYPES,
  check: (resource) =>
    judgeContainers(resource, (c) => {
      const v = readBoolean(securityContext(c).read_only_root_filesystem);
      if (v.kind === 'literal' && v.value) return undefined;
      if (v.kind === 'expression') return `: ${unprovable('security_context.read_only_root_filesystem', v.text)}`;
      return v.kind === 'absent' ? 'leaves read_only_root_filesystem unset (writable root filesystem)' : `has read_only_root_filesystem ${show(v.value)}`;
    }),
};
