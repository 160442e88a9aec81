/** GCP-IAM-5 (kit-only; after CKV_AWS_286): custom roles hold no escalation permission unless acknowledged. */
import { strings } from '../../core/rules/expressions';
import { fromFindings, type Rule } from '../../core/rules/rule';
import { isEscalation } from './support/iam';

export const IAM_CUSTOM_ROLE_ESCALATION: Rule = {
  id: 'GCP-IAM-5',
  title: 'Custom roles hold no privilege-escalation permission (actAs, token minting, keys, setIamPolicy, roles.update)',
  why: 'These let the holder become another identity or change who may do what; only a service role that needs one for its task (the updater deploying runner revisions) may hold it, bound as narrowly as possible.',
  fix: 'Remove the permission, or acknowledge the finding on the role that needs it, naming how it is scoped.',
  publicIds: [],
  appliesTo: ['google_project_iam_custom_role', 'google_organization_iam_custom_role'],
  check: (role) => fromFindings(strings(role.body.permissions).filter(isEscalation).map((p) => ({ key: `Permission::${p}`, message: `role ${String(role.body.role_id)} includes ${p}` }))),
};
