/** AWS-ECS-4 (CKV_AWS_335): tasks do not share the host's process namespace. */
import { readString, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const ECS_NO_HOST_PID: Rule = {
  id: 'AWS-ECS-4',
  title: 'ECS tasks do not use the host PID namespace',
  why: 'With pid_mode "host" a container sees and can signal or inspect every process on the host, including other tasks and their secrets in /proc.',
  fix: 'Remove pid_mode or set it to "task".',
  publicIds: ['CKV_AWS_335'],
  appliesTo: ['aws_ecs_task_definition'],
  check: (td) => {
    const v = readString(td.body.pid_mode);
    if (v.kind === 'absent' || (v.kind === 'literal' && v.value !== 'host')) return compliant();
    if (v.kind === 'expression') return nonCompliant(unprovable('pid_mode', v.text));
    return nonCompliant(`pid_mode is ${JSON.stringify(v.value)}`);
  },
};
