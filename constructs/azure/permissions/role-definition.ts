/**
 * Renders cloud-neutral permissions as an Azure custom role definition, in the JSON form
 * `az role definition create --role-definition` takes (and `azurerm_role_definition` mirrors):
 * Name, IsCustom, Description, Actions / DataActions (by `plane`), NotActions / NotDataActions
 * (always empty: a role lists what it may do), AssignableScopes (the permissions' resources).
 *
 * Refused, with a message saying what to do instead:
 * - wildcard operations (`*`, `Microsoft.Foo/*`): CKV_AZURE_39 and the kit's least-privilege rule;
 * - conditions: a role definition has none (ABAC conditions belong on the role assignment);
 * - `Deny`: Azure deny assignments are a different mechanism;
 * - permissions with different resource lists in one role: every action of a role applies at every
 *   scope it is assigned, so mixing scopes would grant more than declared (split into one role per
 *   scope set);
 * - scopes that cannot be assignable scopes (management group, subscription, resource group only).
 */
import { assertValidPermissions, type Permission } from '../../core/permissions/permission';

export interface AzureRoleDefinition {
  readonly Name: string;
  readonly IsCustom: true;
  readonly Description: string;
  readonly Actions: readonly string[];
  readonly NotActions: readonly string[];
  readonly DataActions: readonly string[];
  readonly NotDataActions: readonly string[];
  readonly AssignableScopes: readonly string[];
}

export interface AzureRoleDefinitionOptions {
  /** Role name, unique in the tenant, e.g. `private-runner-kit operator (prod-aci)`. */
  readonly name: string;
  readonly description: string;
}

/** `Microsoft.Provider/resourceType[/childType...]/operation`, letters and digits; no wildcard. */
export const AZURE_OPERATION_RE = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)+(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)+$/;
/** Assignable scopes: a management group, a subscription, or a resource group. */
export const AZURE_ASSIGNABLE_SCOPE_RE =
  /^(\/providers\/Microsoft\.Management\/managementGroups\/[\w().-]+|\/subscriptions\/[0-9a-fA-F-]{36}(\/resourceGroups\/[\w().-]+)?)$/;

export function azureRoleDefinition(options: AzureRoleDefinitionOptions, permissions: readonly Permission[]): AzureRoleDefinition {
  const owner = `Azure role "${options.name}"`;
  if (permissions.length === 0) throw new Error(`${owner}: has no permissions`);
  assertValidPermissions(owner, permissions);
  const problems: string[] = [];
  for (const p of permissions) {
    if ((p.effect ?? 'Allow') === 'Deny') problems.push(`${p.sid}: Deny cannot be expressed in a role definition (NotActions only subtract from wildcards); leave the operation out`);
    if (p.conditions && p.conditions.length > 0) problems.push(`${p.sid}: role definitions carry no conditions; put an ABAC condition on the role assignment`);
    for (const a of p.actions) {
      if (a.includes('*')) problems.push(`${p.sid}: wildcard operation "${a}" (CKV_AZURE_39): list the exact operations`);
      else if (!AZURE_OPERATION_RE.test(a)) problems.push(`${p.sid}: "${a}" is not an Azure operation name (Microsoft.Provider/resourceType/operation)`);
    }
    for (const r of p.resources) {
      if (!AZURE_ASSIGNABLE_SCOPE_RE.test(r)) problems.push(`${p.sid}: scope "${r}" cannot be an assignable scope: use a management group, subscription or resource group id`);
    }
  }
  const scopes = (p: Permission) => [...new Set(p.resources)].sort().join('\n');
  const first = scopes(permissions[0]!);
  for (const p of permissions.slice(1)) {
    if (scopes(p) !== first) problems.push(`${p.sid}: its scopes differ from ${permissions[0]!.sid}'s; a role's operations apply at every assignable scope, so split into one role per scope set`);
  }
  if (problems.length > 0) throw new Error(`${owner}:\n  - ${problems.join('\n  - ')}`);
  const unique = (plane: 'control' | 'data') => [...new Set(permissions.filter((p) => (p.plane ?? 'control') === plane).flatMap((p) => p.actions))];
  return {
    Name: options.name,
    IsCustom: true,
    Description: options.description,
    Actions: unique('control'),
    NotActions: [],
    DataActions: unique('data'),
    NotDataActions: [],
    AssignableScopes: [...new Set(permissions[0]!.resources)],
  };
}
