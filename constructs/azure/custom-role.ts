/**
 * A custom Azure role the kit defines, and where it is assigned: the role definition lists exact
 * operations (no wildcard, CKV_AZURE_39), is assignable only at the target's resource group, and
 * each assignment narrows it to the resources it is for (a container group, the registry, a queue).
 * Rendered from the cloud-neutral permission model (`constructs/core/permissions/`) by
 * `permissions/role-definition.ts`, which refuses wildcards and conditions; the auditor files
 * (`policies/azure/<target>/`) are generated from the same objects.
 *
 * An Azure role applies its operations at every scope it is assigned at, so a role's assignments
 * are part of what it grants: auditors read both (`CustomRole.allIn(stack)`).
 */
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { RoleDefinition } from '@cdktf/provider-azurerm/lib/role-definition';
import type { ITerraformDependable } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { bind, type Permission, type PermissionTemplate } from '../core/permissions/permission';
import { azureRoleDefinition, type AzureRoleDefinition } from './permissions/role-definition';

export interface RoleAssignmentSpec {
  /** What the assignment is called in the construct tree and the auditor files. */
  readonly id: string;
  /** ARM scope: a resource id, or the resource group's. */
  readonly scope: string;
  /** The assignment's scope as auditors read it, when `scope` is a Terraform reference. @default scope */
  readonly scopeLabel?: string;
  readonly principalId: string;
  /** Who the principal is, for auditors (e.g. "the updater's identity"). */
  readonly principalLabel: string;
  /** A managed identity created in the same deploy: Entra ID may not know it yet, so its check is skipped. */
  readonly newManagedIdentity?: boolean;
}

export interface CustomRoleProps {
  /** Role name, unique in the tenant. */
  readonly name: string;
  /** The role definition's GUID (deterministic: `roleDefinitionGuid`). */
  readonly roleDefinitionGuid: string;
  readonly description: string;
  /** Literal id of the target's resource group: the role's only assignable scope. */
  readonly resourceGroupId: string;
  /** What the role may do; each template's justification reaches the auditor files. */
  readonly permissions: readonly PermissionTemplate[];
  readonly assignments: readonly RoleAssignmentSpec[];
  /** The resource group resource (the definition is created in it). */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class CustomRole extends Construct {
  /** Every custom role in `scope`'s tree, in tree order (what the auditor files document). */
  static allIn(scope: IConstruct): CustomRole[] {
    return scope.node.findAll().filter((c): c is CustomRole => c instanceof CustomRole);
  }

  readonly roleName: string;
  /** The definition in Azure's JSON form (`az role definition create`). */
  readonly definition: AzureRoleDefinition;
  readonly permissions: readonly Permission[];
  readonly roleDefinitionGuid: string;
  private readonly specs: RoleAssignmentSpec[] = [];
  private readonly made: RoleAssignment[] = [];
  private readonly definitionResource: RoleDefinition;

  constructor(scope: Construct, id: string, props: CustomRoleProps) {
    super(scope, id);
    this.permissions = props.permissions.map((p) => bind(p, [props.resourceGroupId]));
    this.definition = azureRoleDefinition({ name: props.name, description: props.description }, this.permissions);
    this.roleName = props.name;
    this.roleDefinitionGuid = props.roleDefinitionGuid;
    const definition = new RoleDefinition(this, 'Resource', {
      name: props.name,
      roleDefinitionId: props.roleDefinitionGuid,
      description: props.description,
      scope: props.resourceGroupId,
      assignableScopes: [...this.definition.AssignableScopes],
      permissions: [
        {
          actions: [...this.definition.Actions],
          dataActions: [...this.definition.DataActions],
          notActions: [],
          notDataActions: [],
        },
      ],
      dependsOn: [...(props.dependsOn ?? [])],
    });
    this.definitionResource = definition;
    for (const a of props.assignments) this.assign(a);
  }

  /** Where the role is assigned, as auditors read it. */
  get assignmentSpecs(): readonly RoleAssignmentSpec[] {
    return this.specs;
  }

  /** The assignment resources: what must exist before the principal can use the role. */
  get assignments(): readonly RoleAssignment[] {
    return this.made;
  }

  /**
   * Assigns the role at one more scope, e.g. a resource created after the role (its id as a
   * reference makes the assignment wait for it). Returns the assignment.
   */
  assign(a: RoleAssignmentSpec): RoleAssignment {
    if (this.specs.some((s) => s.id === a.id)) throw new Error(`role ${this.roleName} is already assigned as "${a.id}"`);
    const made = new RoleAssignment(this, `Assignment-${a.id}`, {
      scope: a.scope,
      roleDefinitionId: this.definitionResource.roleDefinitionResourceId,
      principalId: a.principalId,
      principalType: 'ServicePrincipal',
      description: `${this.roleName} for ${a.principalLabel}`,
      ...(a.newManagedIdentity ? { skipServicePrincipalAadCheck: true } : {}),
    });
    this.specs.push(a);
    this.made.push(made);
    return made;
  }
}
