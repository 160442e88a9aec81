/** AWS-ECS-5 (CKV_AWS_249): the task execution role is not also the task role. */
import { isSet } from '../../core/rules/expressions';
import { compliant, nonCompliant, notApplicable, type Rule } from '../../core/rules/rule';

export const ECS_SEPARATE_ROLES: Rule = {
  id: 'AWS-ECS-5',
  title: 'ECS execution role differs from the task role',
  why: 'The execution role can read the runner\'s secrets and pull images; as the task role, code inside the container (every run) would hold those permissions too.',
  fix: 'Give the task definition a separate task_role_arn holding only what the workload itself needs (EcsRunnerService creates an empty one).',
  publicIds: ['CKV_AWS_249'],
  appliesTo: ['aws_ecs_task_definition'],
  check: (td) => {
    const exec = td.body.execution_role_arn;
    const task = td.body.task_role_arn;
    if (!isSet(exec) || !isSet(task)) return notApplicable('the task definition does not name both roles');
    return exec === task ? nonCompliant(`execution_role_arn and task_role_arn are both ${JSON.stringify(exec)}`) : compliant();
  },
};
