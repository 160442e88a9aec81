/** GCP-IAM-3 (CKV_GCP_41, CKV_GCP_49): acting as or impersonating service accounts is granted on single service accounts only. */
import { compliant, nonCompliant, notApplicable, type Rule } from '../../core/rules/rule';
import { BROAD_SCOPE_TYPES, IAM_MEMBER_TYPES, roleOf, SERVICE_ACCOUNT_POWER_ROLES } from './support/iam';

const POWERS = ['iam.serviceAccounts.actAs', 'iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.getOpenIdToken', 'iam.serviceAccounts.signBlob', 'iam.serviceAccounts.signJwt', 'iam.serviceAccounts.implicitDelegation'];

export const IAM_SERVICE_ACCOUNT_POWERS_SCOPED: Rule = {
  id: 'GCP-IAM-3',
  title: 'serviceAccountUser / serviceAccountTokenCreator (and custom roles with actAs or token permissions) only on single service accounts',
  why: 'Granted on the project, these let the holder act as every service account in it, including ones far more powerful than itself.',
  fix: 'Bind the role with google_service_account_iam_member on the one account that is needed.',
  publicIds: ['CKV_GCP_41', 'CKV_GCP_49'],
  appliesTo: [...IAM_MEMBER_TYPES],
  check: (r, config) => {
    const role = roleOf(r, config);
    const powerful = SERVICE_ACCOUNT_POWER_ROLES.includes(role.name) || (role.permissions ?? []).some((p) => POWERS.includes(p));
    if (!powerful) return notApplicable('the role carries no service-account powers');
    if (BROAD_SCOPE_TYPES.includes(r.type)) return nonCompliant(`${role.name} is granted on the whole ${r.type.split('_')[1]}`, `Role::${role.name}`);
    return r.type.startsWith('google_service_account_iam_') ? compliant() : nonCompliant(`${role.name} is granted through ${r.type}, not on a single service account`, `Role::${role.name}`);
  },
};
