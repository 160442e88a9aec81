/**
 * The Azure bindings of the container-as-a-service composition (`composeCaasRunners`) on Azure
 * Container Instances: each binding creates the Azure construct for one concept and returns its
 * typed interface. Construct ids are a contract (renaming one replaces cloud resources): `Vault`,
 * `Network`, `Logs`, `Storage`, `Alarms`, `Registry`, `Updates`, `Runner-<name>-Secrets`,
 * `Runner-<name>-Identity`, `Runner-<name>`, `Runner-<name>-MeshstackSignal`, `OperatorAccess`.
 */
import type { TerraformStack } from 'cdktf';
import type { CaasRunnerBindings } from '../core/compositions/caas-runners';
import type { AzureStackSetup } from '../../stacks/azure-stack';
import { AciRunnerGroup } from './aci-runner-group';
import { AlarmActionGroup } from './alarm-action-group';
import {
  actionGroupName,
  actionGroupShortName,
  containerGroupName,
  defaultNetworkWatcher,
  keyVaultName,
  logWorkspaceName,
  meshstackUnreachableAlertName,
  privateEndpointName,
  registryName,
  runnerIdentityName,
  runnerSilentAlertName,
  storageAccountName,
  updaterAppName,
} from './azure-names';
import type { AzureTargetConfig } from './config';
import { MirrorRegistry } from './container-registry';
import { KitStorage } from './kit-storage';
import { LogWorkspace } from './log-workspace';
import { AzureOperatorAccess } from './operator-access';
import { KitPrivateEndpoint } from './private-endpoint';
import { RunnerHealthAlerts } from './runner-health-alerts';
import { RunnerIdentity } from './runner-identity';
import { RunnerNetwork } from './runner-network';
import { RunnerSecrets } from './runner-secrets';
import { RunnerVault } from './runner-vault';
import { AzureUpdatePipeline } from './update-pipeline';
import { buildAzureUpdaterConfig } from './updater-config';

/** The ACI bindings of target `name` in `stack`, on the resource group and deployer `setup` made. */
export function aciBindings(stack: TerraformStack, name: string, t: AzureTargetConfig, setup: AzureStackSetup): CaasRunnerBindings {
  const { scope } = setup;
  const sub = t.azure.subscriptionId;
  const vaultName = keyVaultName(sub, name);
  let vault: RunnerVault | undefined;
  let network: RunnerNetwork | undefined;
  let logs: LogWorkspace | undefined;
  let storage: KitStorage | undefined;
  let registry: MirrorRegistry | undefined;
  let updates: AzureUpdatePipeline | undefined;
  const endpoints: KitPrivateEndpoint[] = [];
  const secretsOf = new Map<string, RunnerSecrets>();
  const groups = new Map<string, AciRunnerGroup>();

  const registryOf = () => {
    if (registry !== undefined) return registry;
    registry = new MirrorRegistry(stack, 'Registry', { scope, name: registryName(sub, name), target: name, allowPublicEndpoint: t.azure.allowPublicRegistryEndpoint });
    if (registry.privateOnly) {
      endpoints.push(new KitPrivateEndpoint(stack, 'RegistryEndpoint', { scope, name: privateEndpointName(name, 'registry'), service: 'registry', resourceId: registry.id, subnetId: network!.subnetIds.endpoints, virtualNetworkId: network!.networkId }));
    }
    return registry;
  };

  return {
    key: () => (vault = new RunnerVault(stack, 'Vault', { scope, name: vaultName, deployerCidrs: t.azure.deployerCidrs, deployerObjectId: setup.deployerObjectId })),
    network: () => {
      network = new RunnerNetwork(stack, 'Network', { scope, target: name, cidr: t.network.cidr, egressExtraPorts: t.network.egressExtraPorts });
      logs = new LogWorkspace(stack, 'Logs', { scope, name: logWorkspaceName(name), retentionDays: t.logs.retentionDays });
      storage = new KitStorage(stack, 'Storage', {
        scope,
        name: storageAccountName(sub, name),
        subnetIds: [network.subnetIds.updater],
        allowedCidrs: [...new Set([...t.azure.deployerCidrs, ...(t.operatorAccess?.networkCidrs ?? [])])],
      });
      network.addFlowLogs({ storageAccountId: storage.id, workspace: logs, networkWatcher: t.azure.networkWatcher ?? defaultNetworkWatcher(t.region), retentionDays: t.logs.retentionDays });
      endpoints.push(new KitPrivateEndpoint(stack, 'VaultEndpoint', { scope, name: privateEndpointName(name, 'vault'), service: 'vault', resourceId: vault!.vaultId, subnetId: network.subnetIds.endpoints, virtualNetworkId: network.networkId }));
      return network;
    },
    alarmSink: () => new AlarmActionGroup(stack, 'Alarms', { scope, name: actionGroupName(name), shortName: actionGroupShortName(name), emails: t.alarms.emails }),
    mirror: (image) => registryOf().mirror(image),
    updatePipeline: ({ alarms }) =>
      (updates = new AzureUpdatePipeline(stack, 'Updates', {
        scope,
        target: name,
        appName: updaterAppName(sub, name),
        config: buildAzureUpdaterConfig(name, t),
        registry: registryOf(),
        storage: storage!,
        workspace: logs!,
        updaterSubnetId: network!.subnetIds.updater,
        runnerSubnetId: network!.subnetIds.runners,
        alarms,
        deployerObjectId: setup.deployerObjectId,
        resourceGroupId: setup.resourceGroupId,
        resourceGroup: setup.resourceGroup,
      })),
    runnerSecrets: (runner, r) => {
      const secrets = new RunnerSecrets(stack, `Runner-${runner}-Secrets`, { scope, target: name, runnerName: runner, vault: vault!, vaultName, apiClientSecretVersion: r.apiClientSecretVersion, privateKeyVersion: r.privateKeyVersion });
      secretsOf.set(runner, secrets);
      return secrets;
    },
    runnerService: (runner, r, { image }) => {
      const secrets = secretsOf.get(runner)!;
      const groupName = containerGroupName(name, runner);
      const identity = new RunnerIdentity(stack, `Runner-${runner}-Identity`, { scope, name: runnerIdentityName(name, runner), registryId: registryOf().id, secretResourceIds: secrets.secretResourceIds });
      if (r.replicas === 0) return { serviceName: `${groupName} (parked: replicas 0, no container group)`, logs: '(parked: no container group)' };
      const group = new AciRunnerGroup(stack, `Runner-${runner}`, {
        scope,
        name: groupName,
        image,
        registryServer: registryOf().loginServer,
        identity,
        subnetId: network!.subnetIds.runners,
        vaultUri: vault!.vaultUri,
        secretNames: { apiClientSecret: secrets.secretNames['api-client-secret'], privateKey: secrets.secretNames['private-key'] },
        runnerUuid: r.uuid,
        meshstackApiUrl: t.meshstack.apiUrl,
        apiClientId: r.apiClientId,
        vcpu: r.vcpu,
        memoryMiB: r.memoryMiB,
        versionRecord: { version: updates!.bootstrapVersion(runner), digest: updates!.bootstrapDigest(runner) },
        trust: t.trust,
        dependsOn: [...identity.assignments, ...secrets.secrets, ...endpoints.map((e) => e.endpoint), ...network!.egress],
      });
      updates!.grantRunner(runner, { id: group.groupId, name: groupName }, identity);
      groups.set(runner, group);
      return group;
    },
    runnerHealthSignal: (runner, r, { alarms }) =>
      r.replicas === 0
        ? {}
        : new RunnerHealthAlerts(stack, `Runner-${runner}-MeshstackSignal`, {
            scope,
            groupName: containerGroupName(name, runner),
            workspaceId: logs!.id,
            alarms,
            unreachableName: meshstackUnreachableAlertName(name, runner),
            silentName: runnerSilentAlertName(name, runner),
            unhealthyMinutes: t.alarms.runnerUnhealthyMinutes,
          }),
    operatorAccess: () =>
      t.operatorAccess === undefined
        ? undefined
        : new AzureOperatorAccess(stack, 'OperatorAccess', {
            subscriptionId: sub,
            target: name,
            principalObjectId: t.operatorAccess.principalObjectId,
            resourceGroupId: setup.resourceGroupId,
            requestQueueId: updates!.requestQueueId,
            resourceGroup: setup.resourceGroup,
          }),
    platformOutputs: () => ({
      resource_group: { value: scope.resourceGroupName, description: "The kit's resource group: everything of this target is in it." },
      key_vault: { value: vaultName, description: "The Key Vault holding the runners' secrets (values never in state)." },
      registry_login_server: { value: registryOf().loginServer, description: 'The mirror registry the runners pull from (by digest).' },
      log_workspace_id: { value: logs!.id, description: 'The Log Analytics workspace of the runners\' logs and the updater\'s telemetry.' },
      updater_request_queue: {
        value: updates!.requestQueueId,
        description: `Ask the updater on demand: az storage message put --auth-mode login --account-name ${storageAccountName(sub, name)} --queue-name updater-requests --content '{"action":"check"}'.`,
      },
    }),
  };
}
