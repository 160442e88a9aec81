/**
 * A runner's user-assigned identity and the two things it may do, each as a built-in role assigned
 * at exactly one resource: pull images from the kit's mirror registry (AcrPull on the registry),
 * and read its own two secrets ("Key Vault Secrets User" on each secret, not on the vault). It
 * holds nothing else: a Terraform run inside the runner never sees it (tf-block-runner passes no
 * AZURE_* or IDENTITY_* variable to Terraform, tfcmd.go:400-445 at v1.3.0), and the runner's own
 * process never asks for a token; only the init step does.
 */
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import type { ResourceScope } from './resource-scope';
import { BUILT_IN_ROLES } from './runner-vault';

export interface RunnerIdentityProps {
  readonly scope: ResourceScope;
  readonly name: string;
  readonly registryId: string;
  /** ARM ids of the runner's two secrets. */
  readonly secretResourceIds: readonly string[];
}

export class RunnerIdentity extends Construct {
  readonly id: string;
  readonly clientId: string;
  readonly principalId: string;
  readonly name: string;
  /** The identity's rights: the container group must wait for them. */
  readonly assignments: readonly RoleAssignment[];

  constructor(scope: Construct, id: string, props: RunnerIdentityProps) {
    super(scope, id);
    const identity = new UserAssignedIdentity(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.scope.resourceGroupName,
      location: props.scope.location,
      tags: { ...props.scope.tags },
    });
    const assign = (id: string, scope: string, role: string, description: string) =>
      new RoleAssignment(this, id, { scope, roleDefinitionName: role, principalId: identity.principalId, principalType: 'ServicePrincipal', skipServicePrincipalAadCheck: true, description });
    this.assignments = [
      assign('PullFromMirror', props.registryId, BUILT_IN_ROLES.acrPull, `Runner ${props.name} pulls its image from the kit's mirror registry.`),
      ...props.secretResourceIds.map((secret, i) => assign(`ReadSecret${i + 1}`, secret, BUILT_IN_ROLES.keyVaultSecretsUser, `Runner ${props.name} reads its own secret at start.`)),
    ];
    this.id = identity.id;
    this.clientId = identity.clientId;
    this.principalId = identity.principalId;
    this.name = props.name;
  }
}
