/**
 * The Azure foundation every Azure kind starts with (Azure Container Instances and AKS alike):
 * the Key Vault as the target's key, the VNet with its NSGs and NAT gateway, the Log Analytics
 * workspace, the kit's storage account and the VNet flow logs, the action group, the mirror
 * registry (Premium and private unless opted out) and the private endpoints of vault and registry.
 * Each kind's bindings (`aci-bindings.ts`, `aks-bindings.ts`) spread these and add their platform.
 * Construct ids are a contract (renaming one replaces cloud resources): `Vault`, `Network`, `Logs`,
 * `Storage`, `Alarms`, `Registry`, `VaultEndpoint`, `RegistryEndpoint`.
 */
import type { TerraformStack } from 'cdktf';
import type { FoundationBindings } from '../core/compositions/foundation';
import type { AzureStackSetup } from '../../stacks/azure-stack';
import { AlarmActionGroup } from './alarm-action-group';
import { actionGroupName, actionGroupShortName, defaultNetworkWatcher, keyVaultName, logWorkspaceName, privateEndpointName, registryName, storageAccountName } from './azure-names';
import type { AzureTargetConfig } from './config';
import { MirrorRegistry } from './container-registry';
import { KitStorage } from './kit-storage';
import { LogWorkspace } from './log-workspace';
import { KitPrivateEndpoint } from './private-endpoint';
import { RunnerNetwork, type RunnerNetworkProps } from './runner-network';
import { RunnerVault } from './runner-vault';

export interface AzureFoundation extends FoundationBindings {
  readonly vaultName: string;
  /** The constructs, once their binding ran. */
  vault(): RunnerVault;
  runnerNetwork(): RunnerNetwork;
  logs(): LogWorkspace;
  storage(): KitStorage;
  registry(): MirrorRegistry;
  /** The private endpoints made so far: runners wait for them. */
  readonly endpoints: readonly KitPrivateEndpoint[];
}

/** The foundation of Azure target `name` in `stack`; `network` adds platform-specific network props (e.g. AKS nodes). */
export function azureFoundationBindings(stack: TerraformStack, name: string, t: AzureTargetConfig, setup: AzureStackSetup, network: Pick<RunnerNetworkProps, 'clusterNodes'> = {}): AzureFoundation {
  const { scope } = setup;
  const sub = t.azure.subscriptionId;
  const vaultName = keyVaultName(sub, name);
  let vault: RunnerVault | undefined;
  let net: RunnerNetwork | undefined;
  let logs: LogWorkspace | undefined;
  let storage: KitStorage | undefined;
  let registry: MirrorRegistry | undefined;
  const endpoints: KitPrivateEndpoint[] = [];
  const made = <T>(what: string, value: T | undefined): T => {
    if (value === undefined) throw new Error(`the ${what} of ${name} is used before its binding ran`);
    return value;
  };

  const registryOf = () => {
    if (registry !== undefined) return registry;
    registry = new MirrorRegistry(stack, 'Registry', { scope, name: registryName(sub, name), target: name, allowPublicEndpoint: t.azure.allowPublicRegistryEndpoint });
    if (registry.privateOnly) {
      const n = made('network', net);
      endpoints.push(new KitPrivateEndpoint(stack, 'RegistryEndpoint', { scope, name: privateEndpointName(name, 'registry'), service: 'registry', resourceId: registry.id, subnetId: n.subnetIds.endpoints, virtualNetworkId: n.networkId }));
    }
    return registry;
  };

  return {
    vaultName,
    endpoints,
    vault: () => made('Key Vault', vault),
    runnerNetwork: () => made('network', net),
    logs: () => made('Log Analytics workspace', logs),
    storage: () => made('storage account', storage),
    registry: registryOf,
    key: () => (vault = new RunnerVault(stack, 'Vault', { scope, name: vaultName, deployerCidrs: t.azure.deployerCidrs, deployerObjectId: setup.deployerObjectId })),
    network: () => {
      net = new RunnerNetwork(stack, 'Network', { scope, target: name, cidr: t.network.cidr, egressExtraPorts: t.network.egressExtraPorts, ...network });
      logs = new LogWorkspace(stack, 'Logs', { scope, name: logWorkspaceName(name), retentionDays: t.logs.retentionDays });
      storage = new KitStorage(stack, 'Storage', {
        scope,
        name: storageAccountName(sub, name),
        subnetIds: [net.subnetIds.updater],
        allowedCidrs: [...new Set([...t.azure.deployerCidrs, ...(t.operatorAccess?.networkCidrs ?? [])])],
      });
      net.addFlowLogs({ storageAccountId: storage.id, workspace: logs, networkWatcher: t.azure.networkWatcher ?? defaultNetworkWatcher(t.region), retentionDays: t.logs.retentionDays });
      endpoints.push(new KitPrivateEndpoint(stack, 'VaultEndpoint', { scope, name: privateEndpointName(name, 'vault'), service: 'vault', resourceId: made('Key Vault', vault).vaultId, subnetId: net.subnetIds.endpoints, virtualNetworkId: net.networkId }));
      return net;
    },
    alarmSink: () => new AlarmActionGroup(stack, 'Alarms', { scope, name: actionGroupName(name), shortName: actionGroupShortName(name), emails: t.alarms.emails }),
    mirror: (image) => registryOf().mirror(image),
  };
}
