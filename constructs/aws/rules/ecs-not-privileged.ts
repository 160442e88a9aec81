/** AWS-ECS-3 (CKV_AWS_334): no container runs privileged. */
import { fromFindings, nonCompliant, type Rule } from '../../core/rules/rule';
import { containerKey, containersOf } from './support/containers';

export const ECS_NOT_PRIVILEGED: Rule = {
  id: 'AWS-ECS-3',
  title: 'ECS containers are not privileged',
  why: 'A privileged container has every capability and the host\'s devices: a compromised run owns the host and every other task on it.',
  fix: 'Remove "privileged" or set it to false; add only the specific capability a container needs (Fargate allows none beyond the defaults).',
  publicIds: ['CKV_AWS_334'],
  appliesTo: ['aws_ecs_task_definition'],
  check: (td) => {
    const read = containersOf(td);
    if (!read.ok) return nonCompliant(read.problem);
    return fromFindings(
      read.containers
        .filter((c) => c.privileged !== undefined && c.privileged !== false)
        .map((c) => ({ key: containerKey(c), message: `container ${JSON.stringify(c.name)} has privileged ${JSON.stringify(c.privileged)}` })),
    );
  },
};
