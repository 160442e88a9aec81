/** GCP-IAM-2 (CKV_GCP_117): no basic roles. */
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';
import { IAM_MEMBER_TYPES } from './support/iam';

export const BASIC_ROLES = ['roles/owner', 'roles/editor', 'roles/viewer'];

export const IAM_NO_BASIC_ROLES: Rule = {
  id: 'GCP-IAM-2',
  title: 'No basic role (owner, editor, viewer) is granted',
  why: 'Basic roles grant thousands of permissions across every service of the project; least privilege needs roles made for the task.',
  fix: 'Grant a predefined or kit custom role with the permissions the task needs.',
  publicIds: ['CKV_GCP_117'],
  appliesTo: [...IAM_MEMBER_TYPES],
  check: (r) => (BASIC_ROLES.includes(String(r.body.role)) ? nonCompliant(`grants the basic role ${String(r.body.role)}`, `Role::${String(r.body.role)}`) : compliant()),
};
