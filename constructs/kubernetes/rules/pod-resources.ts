/** K8S-POD-8 (CKV_K8S_10, 11, 12, 13): every container requests and limits CPU and memory. */
import { block, isExpression, isSet } from '../../core/rules/expressions';
import type { Rule } from '../../core/rules/rule';
import type { JsonValue } from '../../core/rules/synthesized-config';
import { judgeContainers, POD_WORKLOAD_TYPES } from './support/pod-spec';

/** Whether `map.key` is set; a map given as a Terraform expression counts as set. */
const has = (map: JsonValue | undefined, key: string): boolean => isExpression(map) || isSet(block(map)?.[key]);

export const POD_RESOURCES: Rule = {
  id: 'K8S-POD-8',
  title: 'Containers request and limit CPU and memory',
  why: 'Without requests the scheduler over-commits nodes; without limits one run can take a node\'s CPU or memory and starve the controller, other runs and the node\'s own agents.',
  fix: 'Set resources { requests = { cpu, memory }, limits = { cpu, memory } } on every container and init container.',
  publicIds: ['CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13'],
  appliesTo: POD_WORKLOAD_TYPES,
  check: (resource) =>
    judgeContainers(resource, (c) => {
      const r = c.body.resources;
      if (isExpression(r)) return undefined;
      const res = block(r);
      const missing = (['requests', 'limits'] as const).flatMap((kind) => (['cpu', 'memory'] as const).filter((k) => !has(res?.[kind], k)).map((k) => `${kind}.${k}`));
      return missing.length === 0 ? undefined : `sets no ${missing.join(', ')}`;
    }),
};
