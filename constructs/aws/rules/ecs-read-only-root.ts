/** AWS-ECS-2 (CKV_AWS_336): every container has a read-only root filesystem. */
import { fromFindings, nonCompliant, type Rule } from '../../core/rules/rule';
import { containerKey, containersOf } from './support/containers';

export const ECS_READ_ONLY_ROOT: Rule = {
  id: 'AWS-ECS-2',
  title: 'ECS containers have a read-only root filesystem',
  why: 'A writable root filesystem lets a compromised run replace binaries of the runner image (a persistent foothold for later runs) instead of being confined to scratch volumes.',
  fix: 'Set "readonlyRootFilesystem": true on the container and mount a task volume for the paths it writes (EcsRunnerService mounts /tmp).',
  publicIds: ['CKV_AWS_336'],
  appliesTo: ['aws_ecs_task_definition'],
  check: (td) => {
    const read = containersOf(td);
    if (!read.ok) return nonCompliant(read.problem);
    return fromFindings(
      read.containers
        .filter((c) => c.readonlyRootFilesystem !== true)
        .map((c) => ({ key: containerKey(c), message: `container ${JSON.stringify(c.name)} has readonlyRootFilesystem ${c.readonlyRootFilesystem === undefined ? 'unset (writable)' : JSON.stringify(c.readonlyRootFilesystem)}` })),
    );
  },
};
