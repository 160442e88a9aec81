/**
 * meshcloud operators' access on Azure: the service principal of meshcloud's multi-tenant operator
 * application in the customer's tenant (its object id from the config) gets two custom roles,
 * assignable only at the kit's resource group:
 * - `operator` (assigned at the resource group): read-only diagnostics of everything the kit
 *   created: the runners' container groups and their live logs, the Log Analytics workspace and
 *   Application Insights (queries), the alert rules, the network, the updater app, the registry and
 *   vault as resources (never a secret: no data action), the deploy's bootstrap script and its log;
 * - `operator-invoke` (assigned at the updater's request queue only): add a message to that queue,
 *   i.e. ask the updater for a check, an update or a rollback; the updater validates the message.
 *
 * What operators can NOT do (the escalation paths of reference/security-rules.md stay away): write
 * any resource, assign roles (`Microsoft.Authorization/*`), assign an identity, exec into a
 * container, write or read a Key Vault secret, list any key or credential.
 *
 * Why a service principal in the customer's tenant and not Azure Lighthouse: Lighthouse accepts
 * built-in roles only (no custom role, no data action, no role with `*\/write`), so neither this
 * read-only role nor the queue right could be delegated with it.
 */
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IOperatorAccess } from '../core/interfaces';
import type { PermissionTemplate } from '../core/permissions/permission';
import { roleDefinitionGuid, roleName } from './azure-names';
import { CustomRole } from './custom-role';

export const READ_DIAGNOSTICS: PermissionTemplate = {
  sid: 'ReadDiagnostics',
  actions: [
    'Microsoft.Resources/subscriptions/resourceGroups/read',
    'Microsoft.ContainerInstance/containerGroups/read',
    'Microsoft.ContainerInstance/containerGroups/containers/logs/read',
    'Microsoft.ManagedIdentity/userAssignedIdentities/read',
    'Microsoft.Network/virtualNetworks/read',
    'Microsoft.Network/virtualNetworks/subnets/read',
    'Microsoft.Network/networkSecurityGroups/read',
    'Microsoft.Network/natGateways/read',
    'Microsoft.Network/publicIPAddresses/read',
    'Microsoft.Network/privateEndpoints/read',
    'Microsoft.ContainerRegistry/registries/read',
    'Microsoft.KeyVault/vaults/read',
    'Microsoft.Storage/storageAccounts/read',
    'Microsoft.Web/sites/Read',
    'Microsoft.Resources/deploymentScripts/read',
    'Microsoft.Resources/deploymentScripts/logs/read',
    'Microsoft.Insights/ScheduledQueryRules/Read',
    'Microsoft.Insights/ActionGroups/Read',
    'Microsoft.Insights/Metrics/Read',
    'Microsoft.Insights/Components/Read',
    'Microsoft.Insights/Components/Query/Read',
    'Microsoft.OperationalInsights/workspaces/read',
    'Microsoft.OperationalInsights/workspaces/query/read',
    'Microsoft.OperationalInsights/workspaces/analytics/query/action',
  ],
  justification:
    "Read-only diagnostics of the target's resources: container groups and the runners' live logs, queries of the target's logs and the updater's telemetry, alerts, network, updater app, registry and vault metadata, the deploy's bootstrap log. No write, no secret, no key.",
};
export const REQUEST_UPDATER_RUN: PermissionTemplate = {
  sid: 'RequestUpdaterRun',
  actions: ['Microsoft.Storage/storageAccounts/queueServices/queues/messages/add/action'],
  plane: 'data',
  justification: "Asks the updater for a check, an update or a rollback by adding a message to its request queue; the updater validates the message and accepts nothing else.",
};

export interface AzureOperatorAccessProps {
  readonly subscriptionId: string;
  readonly target: string;
  readonly principalObjectId: string;
  /** The resource group's id, literal (assignable scope, and the read role's assignment scope). */
  readonly resourceGroupId: string;
  /** The updater's request queue (ARM id): the invoke role's only assignment. */
  readonly requestQueueId: string;
  readonly resourceGroup: ITerraformDependable;
}

export class AzureOperatorAccess extends Construct implements IOperatorAccess {
  readonly principal: string;
  readonly roles: readonly CustomRole[];

  constructor(scope: Construct, id: string, props: AzureOperatorAccessProps) {
    super(scope, id);
    const who = { principalId: props.principalObjectId, principalLabel: "meshcloud's operator application" };
    const read = new CustomRole(this, 'ReadRole', {
      name: roleName(props.subscriptionId, props.target, 'operator'),
      roleDefinitionGuid: roleDefinitionGuid(props.subscriptionId, props.target, 'operator'),
      description: `meshcloud operators of ${props.target}: read-only diagnostics.`,
      resourceGroupId: props.resourceGroupId,
      permissions: [READ_DIAGNOSTICS],
      assignments: [{ id: 'resource-group', scope: props.resourceGroupId, ...who }],
      dependsOn: [props.resourceGroup],
    });
    const invoke = new CustomRole(this, 'InvokeRole', {
      name: roleName(props.subscriptionId, props.target, 'operator-invoke'),
      roleDefinitionGuid: roleDefinitionGuid(props.subscriptionId, props.target, 'operator-invoke'),
      description: `meshcloud operators of ${props.target}: ask the updater for a check, an update or a rollback.`,
      resourceGroupId: props.resourceGroupId,
      permissions: [REQUEST_UPDATER_RUN],
      assignments: [{ id: 'request-queue', scope: props.requestQueueId, scopeLabel: "the updater's request queue", ...who }],
      dependsOn: [props.resourceGroup],
    });
    this.roles = [read, invoke];
    this.principal = props.principalObjectId;
  }
}
