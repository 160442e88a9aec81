/** GCP-IAM-4 (kit-only): roles are bound on resources; a binding on the whole project needs a reason. */
import { nonCompliant, type Rule } from '../../core/rules/rule';
import { BROAD_SCOPE_TYPES, roleOf } from './support/iam';

export const IAM_PROJECT_BINDINGS: Rule = {
  id: 'GCP-IAM-4',
  title: 'No role is bound on the whole project without a reason',
  why: 'A project-level binding reaches every resource of the project, also those the kit did not create; bind on the resource (worker pool, job, repository, bucket, service account) instead.',
  fix: 'Bind with the resource\'s own IAM member resource; where GCP grants a permission per project only (e.g. reading log entries), acknowledge the finding with the reason.',
  publicIds: [],
  appliesTo: BROAD_SCOPE_TYPES,
  check: (r, config) => {
    const role = roleOf(r, config);
    return nonCompliant(`${role.name} is bound on the whole ${r.type.split('_')[1]} for ${String(r.body.member ?? r.body.members)}`, `Project::${role.name}`);
  },
};
