/** What the GCP IAM rules share: the IAM binding resource types and how to read their role and members. */
import { asReference, strings } from '../../../core/rules/expressions';
import type { JsonObject, SynthesizedConfig, TerraformResourceView } from '../../../core/rules/synthesized-config';

/** Every `google_*_iam_member` / `_iam_binding` type the kit may create (and the project/folder/organization ones it must not misuse). */
export const IAM_MEMBER_TYPES = [
  'google_project_iam_member', 'google_project_iam_binding', 'google_folder_iam_member', 'google_organization_iam_member',
  'google_service_account_iam_member', 'google_service_account_iam_binding',
  'google_cloud_run_v2_worker_pool_iam_member', 'google_cloud_run_v2_worker_pool_iam_binding',
  'google_cloud_run_v2_job_iam_member', 'google_cloud_run_v2_job_iam_binding',
  'google_cloud_run_v2_service_iam_member', 'google_cloud_run_v2_service_iam_binding',
  'google_artifact_registry_repository_iam_member', 'google_artifact_registry_repository_iam_binding',
  'google_storage_bucket_iam_member', 'google_storage_bucket_iam_binding',
  'google_secret_manager_secret_iam_member', 'google_secret_manager_secret_iam_binding',
  'google_kms_crypto_key_iam_member', 'google_kms_crypto_key_iam_binding',
] as const;

/** Bindings set on a whole project, folder or organization (not one resource). */
export const BROAD_SCOPE_TYPES = ['google_project_iam_member', 'google_project_iam_binding', 'google_folder_iam_member', 'google_organization_iam_member'];

export function membersOf(resource: TerraformResourceView): string[] {
  return [...strings(resource.body.member as never), ...strings(resource.body.members as never)];
}

/** The role a binding grants, with its permissions when it is a custom role of the same stack. */
export function roleOf(resource: TerraformResourceView, config: SynthesizedConfig): { readonly name: string; readonly permissions?: readonly string[] } {
  const role = resource.body.role;
  const ref = asReference(role);
  if (ref !== undefined && ref.address.startsWith('google_project_iam_custom_role.')) {
    const custom = config.get(ref.address);
    const body = (custom?.body ?? {}) as JsonObject;
    return { name: typeof body.role_id === 'string' ? body.role_id : ref.address, permissions: strings(body.permissions) };
  }
  return { name: typeof role === 'string' ? role : JSON.stringify(role) };
}

/** GCP's escalation paths (security-rules.md): acting as, or minting credentials of, service accounts; changing IAM. */
export const ESCALATION_PERMISSIONS = [
  'iam.serviceAccounts.actAs', 'iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.getOpenIdToken', 'iam.serviceAccounts.signBlob',
  'iam.serviceAccounts.signJwt', 'iam.serviceAccounts.implicitDelegation', 'iam.serviceAccountKeys.create', 'iam.roles.update',
] as const;
export const isEscalation = (permission: string) => (ESCALATION_PERMISSIONS as readonly string[]).includes(permission) || permission.endsWith('.setIamPolicy');

/** Predefined roles that carry actAs or token creation. */
export const SERVICE_ACCOUNT_POWER_ROLES = ['roles/iam.serviceAccountUser', 'roles/iam.serviceAccountTokenCreator', 'roles/iam.workloadIdentityUser', 'roles/iam.serviceAccountKeyAdmin'];
