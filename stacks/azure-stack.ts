/**
 * What every Azure stack sets up before its constructs: the azurerm provider (subscription and
 * tenant from the config, Entra ID for the storage data plane, so no storage account key is ever
 * read), the state backend (local, or azurerm with Entra ID authentication and blob-lease locking,
 * one state per stack), the identity Terraform runs as (it writes the runners' secrets), and the
 * kit's resource group with the kit's tags.
 */
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { AzurermBackend, type TerraformStack } from 'cdktf';
import { armIds } from '../constructs/azure/azure-names';
import { resourceGroupOf, type AzureTargetConfig } from '../constructs/azure/config';
import type { ResourceScope } from '../constructs/azure/resource-scope';
import { kitTags } from '../constructs/core/naming';
import { localBackend, stateSuffix, withStateSuffix } from './local-state';

export interface AzureStackSetup {
  readonly scope: ResourceScope;
  /** The kit's resource group: everything else is created in it. */
  readonly resourceGroup: ResourceGroup;
  /** Literal id of the resource group (custom roles' assignable scope; policy files). */
  readonly resourceGroupId: string;
  /** The object id of the identity Terraform runs as. */
  readonly deployerObjectId: string;
}

export function configureAzureStack(stack: TerraformStack, targetName: string, t: AzureTargetConfig): AzureStackSetup {
  new AzurermProvider(stack, 'azurerm', {
    features: [{}],
    subscriptionId: t.azure.subscriptionId,
    tenantId: t.azure.tenantId,
    // Blob and queue data through Entra ID: the kit's storage account has shared keys off.
    storageUseAzuread: true,
  });
  if (t.stateBackend.type === 'azurerm') {
    const suffix = stateSuffix(stack.node.id, targetName);
    new AzurermBackend(stack, {
      resourceGroupName: t.stateBackend.resourceGroupName,
      storageAccountName: t.stateBackend.storageAccountName,
      containerName: t.stateBackend.containerName,
      key: t.stateBackend.key !== undefined ? withStateSuffix(t.stateBackend.key, suffix) : `private-runner-kit/${stack.node.id}.tfstate`,
      subscriptionId: t.stateBackend.subscriptionId ?? t.azure.subscriptionId,
      tenantId: t.azure.tenantId,
      useAzureadAuth: true,
    });
  } else {
    localBackend(stack, targetName, t.stateBackend.path);
  }
  const client = new DataAzurermClientConfig(stack, 'Deployer', {});
  const tags = kitTags(targetName, t.tags);
  const name = resourceGroupOf(targetName, t);
  const resourceGroup = new ResourceGroup(stack, 'ResourceGroup', { name, location: t.region, tags });
  return {
    scope: { subscriptionId: t.azure.subscriptionId, tenantId: t.azure.tenantId, resourceGroupName: resourceGroup.name, resourceGroupId: resourceGroup.id, location: t.region, tags },
    resourceGroup,
    resourceGroupId: armIds.resourceGroup(t.azure.subscriptionId, name),
    deployerObjectId: client.objectId,
  };
}
