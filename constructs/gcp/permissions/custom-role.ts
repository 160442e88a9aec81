/**
 * Renders cloud-neutral permissions as a GCP custom role, in the shape of the IAM API's Role (and of
 * `google_project_iam_custom_role`): roleId, title, description, includedPermissions (sorted,
 * unique), stage GA. A GCP role has no resources: where it applies is decided by the binding, so
 * the permissions' resources are returned as `bindingScopes` for the construct that binds it.
 *
 * Refused, with a message saying what to do instead:
 * - wildcards (GCP has none) and names that are not `service.resource.verb`;
 * - conditions (IAM conditions belong on the binding) and `Deny` (deny policies are separate);
 * - `plane: 'data'` (GCP has one plane);
 * - permissions with different resource lists in one role (one binding scope set per role);
 * - more than 3,000 permissions (GCP's limit per custom role).
 */
import { assertValidPermissions, type Permission } from '../../core/permissions/permission';

export interface GcpCustomRole {
  readonly roleId: string;
  readonly title: string;
  readonly description: string;
  readonly stage: 'GA';
  readonly includedPermissions: readonly string[];
}

export interface GcpCustomRoleOptions {
  /** `[a-zA-Z0-9_.]{3,64}`, e.g. `privateRunnerKitOperator`. */
  readonly roleId: string;
  /** At most 100 characters. */
  readonly title: string;
  /** At most 256 characters. */
  readonly description: string;
}

export const GCP_ROLE_ID_RE = /^[a-zA-Z0-9_.]{3,64}$/;
/** `service.resource[.subresource].verb`, lower camel case segments. */
export const GCP_PERMISSION_RE = /^[a-z][a-z0-9]*(\.[a-zA-Z][a-zA-Z0-9]*){2,}$/;
export const GCP_MAX_PERMISSIONS = 3000;

export function gcpCustomRole(options: GcpCustomRoleOptions, permissions: readonly Permission[]): { role: GcpCustomRole; bindingScopes: readonly string[] } {
  const owner = `GCP role "${options.roleId}"`;
  if (permissions.length === 0) throw new Error(`${owner}: has no permissions`);
  assertValidPermissions(owner, permissions);
  const problems: string[] = [];
  if (!GCP_ROLE_ID_RE.test(options.roleId)) problems.push(`roleId "${options.roleId}" must be 3-64 characters of letters, digits, _ and .`);
  if (options.title.length > 100) problems.push(`title is ${options.title.length} characters (at most 100)`);
  if (options.description.length > 256) problems.push(`description is ${options.description.length} characters (at most 256)`);
  for (const p of permissions) {
    if ((p.effect ?? 'Allow') === 'Deny') problems.push(`${p.sid}: Deny cannot be expressed in a custom role; use a deny policy`);
    if (p.conditions && p.conditions.length > 0) problems.push(`${p.sid}: custom roles carry no conditions; put an IAM condition on the binding`);
    if (p.plane === 'data') problems.push(`${p.sid}: GCP has no data-plane distinction; remove plane: 'data'`);
    for (const a of p.actions) {
      if (!GCP_PERMISSION_RE.test(a)) problems.push(`${p.sid}: "${a}" is not a GCP permission name (service.resource.verb, no wildcards)`);
    }
  }
  const scopes = (p: Permission) => [...new Set(p.resources)].sort().join('\n');
  for (const p of permissions.slice(1)) {
    if (scopes(p) !== scopes(permissions[0]!)) problems.push(`${p.sid}: its resources differ from ${permissions[0]!.sid}'s; a role is bound as a whole, so split into one role per resource set`);
  }
  const included = [...new Set(permissions.flatMap((p) => p.actions))].sort();
  if (included.length > GCP_MAX_PERMISSIONS) problems.push(`has ${included.length} permissions (GCP allows ${GCP_MAX_PERMISSIONS} per custom role)`);
  if (problems.length > 0) throw new Error(`${owner}:\n  - ${problems.join('\n  - ')}`);
  return {
    role: { roleId: options.roleId, title: options.title, description: options.description, stage: 'GA', includedPermissions: included },
    bindingScopes: [...new Set(permissions[0]!.resources)],
  };
}
