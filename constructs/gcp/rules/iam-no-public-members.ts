/** GCP-IAM-1 (CKV_GCP_102, CKV_GCP_101): no binding grants allUsers or allAuthenticatedUsers. */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { IAM_MEMBER_TYPES, membersOf } from './support/iam';

export const IAM_NO_PUBLIC_MEMBERS: Rule = {
  id: 'GCP-IAM-1',
  title: 'No IAM binding grants allUsers or allAuthenticatedUsers',
  why: 'A public member makes the resource (a job, the mirror, a bucket) usable by anyone on the internet, or by any Google account.',
  fix: 'Bind the role to the specific service account or group that needs it.',
  publicIds: ['CKV_GCP_102', 'CKV_GCP_101'],
  appliesTo: [...IAM_MEMBER_TYPES],
  check: (r) => fromFindings(membersOf(r).filter((m) => m === 'allUsers' || m === 'allAuthenticatedUsers').map((m) => ({ key: `Member::${m}`, message: `grants ${String(r.body.role)} to ${m}` }))),
};
