/**
 * A kit custom role in the project, rendered from cloud-neutral permissions (`Permission`: actions
 * with a justification each) by `permissions/custom-role.ts`. A GCP role carries no resources: the
 * permissions' resources are where the role is bound, and the construct that binds it creates one
 * resource-level IAM member per scope (a worker pool, the job, the repository, a service account),
 * never a project-wide binding unless the permission can be granted nowhere else (logs, metrics).
 *
 * `KitRole.allIn(stack)` lists the roles with their justifications, for the auditors' documents.
 */
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role';
import { Construct } from 'constructs';
import type { Permission } from '../core/permissions/permission';
import { GcpContext } from './gcp-context';
import { customRoleId } from './gcp-names';
import { gcpCustomRole } from './permissions/custom-role';

export interface KitRoleProps {
  readonly target: string;
  /** Short role name, e.g. `updaterWorkerPools`: the role id is `runnerKit.<target>.<role>`. */
  readonly role: string;
  readonly title: string;
  readonly description: string;
  /** Who holds it, for auditors (e.g. `the updater's service account`). */
  readonly heldBy: string;
  readonly permissions: readonly Permission[];
}

export class KitRole extends Construct {
  /** Every kit role of `scope`'s tree. */
  static allIn(scope: Construct): KitRole[] {
    return scope.node.findAll().filter((c): c is KitRole => c instanceof KitRole);
  }

  /** `projects/<project>/roles/<id>`, for bindings. */
  readonly roleName: string;
  readonly roleId: string;
  readonly heldBy: string;
  readonly permissions: readonly Permission[];
  /** Where it is bound (the permissions' resources). */
  readonly bindingScopes: readonly string[];

  constructor(scope: Construct, id: string, props: KitRoleProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    const roleId = customRoleId(props.target, props.role);
    const { role, bindingScopes } = gcpCustomRole({ roleId, title: props.title, description: props.description }, props.permissions);
    const resource = new ProjectIamCustomRole(this, 'Resource', {
      project: ctx.projectId,
      roleId: role.roleId,
      title: role.title,
      description: role.description,
      stage: role.stage,
      permissions: [...role.includedPermissions],
      dependsOn: [...ctx.apis],
    });
    this.roleName = resource.name;
    this.roleId = roleId;
    this.heldBy = props.heldBy;
    this.permissions = props.permissions;
    this.bindingScopes = bindingScopes;
  }
}
