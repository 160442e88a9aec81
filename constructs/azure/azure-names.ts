/**
 * Every name the Azure stacks give a resource, in one module (as `aws-names.ts` does for AWS), so
 * the constructs, the updater's configuration, the auditor files and the limit checks agree.
 * Pure: no cdktf import.
 *
 * The naming rule (`constructs/core/naming.ts`) joins parts with `-`. Three Azure resource types
 * need names that are unique across all of Azure and allow few characters: the Key Vault (3-24
 * characters, letters, digits and single hyphens), the container registry (5-50 letters and digits,
 * no hyphen) and the storage account (3-24 lowercase letters and digits). Those take a fixed-length
 * form: `rk`, the target name (shortened where the length requires) and 8 hex characters of a hash
 * of subscription and target (`globalSuffix`), so two targets never share one, and the same target
 * in another subscription gets another. The hash makes the names deterministic: synthesis needs no
 * lookup, and the generated policy files name the resources exactly.
 */
import { createHash } from 'node:crypto';
import { KIT_NAME, mirrorRepositoryName } from '../core/naming';

export { mirrorRepositoryName };

/** 8 hex characters of sha256(`<subscriptionId>/<target>`): the part that makes global names unique. */
export function globalSuffix(subscriptionId: string, target: string): string {
  return createHash('sha256').update(`${subscriptionId.toLowerCase()}/${target}`).digest('hex').slice(0, 8);
}

/** The stack of an ACI target: one stack, named after the target. */
export const aciStackName = (target: string) => target;

/** The kit's resource group, unless configured: everything of the target lives in it. */
export const defaultResourceGroupName = (target: string) => `${KIT_NAME}-${target}`;
/** The Network Watcher Azure creates per region, unless configured. */
export const defaultNetworkWatcher = (region: string) => ({ name: `NetworkWatcher_${region}`, resourceGroupName: 'NetworkWatcherRG' });

// --- globally unique names ------------------------------------------------------------------------
/** Key Vault: 3-24 characters, `rk-<target, at most 12>-<suffix>`. */
export const keyVaultName = (subscriptionId: string, target: string) => `rk-${target.slice(0, 12)}-${globalSuffix(subscriptionId, target)}`;
/** Container registry: 5-50 letters and digits, `rk<target><suffix>`. */
export const registryName = (subscriptionId: string, target: string) => `rk${target}${globalSuffix(subscriptionId, target)}`;
/** Storage account: 3-24 lowercase letters and digits, `rk<target, at most 14><suffix>`. */
export const storageAccountName = (subscriptionId: string, target: string) => `rk${target.slice(0, 14)}${globalSuffix(subscriptionId, target)}`;
/** The updater's function app (its host name is global): `<target>-updater-<suffix>`. */
export const updaterAppName = (subscriptionId: string, target: string) => `${target}-updater-${globalSuffix(subscriptionId, target)}`;

// --- names inside the resource group --------------------------------------------------------------
export const virtualNetworkName = (target: string) => `${target}-network`;
export const SUBNETS = { runners: 'runners', updater: 'updater', endpoints: 'endpoints' } as const;
export type SubnetPurpose = keyof typeof SUBNETS;
export const networkSecurityGroupName = (target: string, purpose: SubnetPurpose) => `${target}-${purpose}`;
export const natGatewayName = (target: string) => `${target}-nat`;
export const natPublicIpName = (target: string) => `${target}-nat-egress`;
export const flowLogName = (target: string) => `${target}-network-flow-logs`;
export const logWorkspaceName = (target: string) => `${target}-logs`;
export const privateEndpointName = (target: string, what: 'vault' | 'registry') => `${target}-${what}`;

/** A runner's container group (its service). */
export const containerGroupName = (target: string, runner: string) => `${target}-${runner}`;
/** A runner's identity: pulls its image, reads its two secrets. */
export const runnerIdentityName = (target: string, runner: string) => `${target}-${runner}-runner`;
/** The runner's secrets in the Key Vault (names: letters, digits and hyphens). */
export const runnerSecretName = (runner: string, what: 'api-client-secret' | 'private-key') => `${runner}-${what}`;

export const updaterIdentityName = (target: string) => `${target}-updater`;
export const updaterPlanName = (target: string) => `${target}-updater`;
export const updaterInsightsName = (target: string) => `${target}-updater`;
/** Blob container of the updater's code package (Flex Consumption deployment storage). */
export const UPDATER_PACKAGE_CONTAINER = 'updater-package';
/** Storage queue operators put on-demand requests in (`{"action": "check" | "update" | "rollback"}`). */
export const UPDATER_REQUEST_QUEUE = 'updater-requests';
/** Where the Functions host moves a request that failed (it names it `<queue>-poison`). */
export const UPDATE_REQUESTS_POISON_QUEUE = `${UPDATER_REQUEST_QUEUE}-poison`;
/** The deploy's steps that run in Azure (ARM deployment scripts). */
export const bootstrapScriptName = (target: string) => `${target}-bootstrap`;
export const logLinkScriptName = (target: string) => `${target}-link-runner-logs`;

export const actionGroupName = (target: string) => `${target}-alarms`;
/** Action group short name: at most 12 characters. */
export const actionGroupShortName = (target: string) => `rk${target}`.slice(0, 12);
export const meshstackUnreachableAlertName = (target: string, runner: string) => `${containerGroupName(target, runner)}-cannot-reach-meshstack`;
export const runnerSilentAlertName = (target: string, runner: string) => `${containerGroupName(target, runner)}-not-polling`;
export const updateOutcomeAlertName = (target: string, outcome: 'failed' | 'rolled-back') => `${target}-update-${outcome}`;
export const updaterErrorsAlertName = (target: string) => `${target}-updater-errors`;

/** The kit's custom roles on Azure (`CustomRole`), each assignable only at the target's resource group. */
export type AzureKitRole = 'operator' | 'operator-invoke' | 'updater-runner' | 'updater-identity' | 'updater-network' | 'updater-registry' | 'updater-logs';

/** Custom role names are unique in the tenant: the subscription's suffix keeps two subscriptions' apart. */
export const roleName = (subscriptionId: string, target: string, role: AzureKitRole) =>
  `${KIT_NAME} ${role} (${target}, ${globalSuffix(subscriptionId, target)})`;

/**
 * A role definition's id (a GUID Azure lets the creator choose): derived from subscription, target
 * and role, so the generated auditor files name it exactly and a redeploy keeps it.
 */
export function roleDefinitionGuid(subscriptionId: string, target: string, role: string): string {
  const h = createHash('sha256').update(`${KIT_NAME}/${subscriptionId.toLowerCase()}/${target}/${role}`).digest('hex');
  // RFC 4122 layout, version 5 and variant bits set, so Azure accepts it as a GUID.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

/**
 * Tag keys the updater owns on a runner's container group: the version record (what runs, what ran
 * before, when it changed). Terraform writes them once (from the bootstrap) and ignores them after.
 */
export const VERSION_TAGS = {
  version: 'runner-kit-version',
  digest: 'runner-kit-digest',
  previousVersion: 'runner-kit-previous-version',
  previousDigest: 'runner-kit-previous-digest',
  updatedAt: 'runner-kit-updated-at',
} as const;

/** Resource ids, as ARM writes them (used where a name is known before the resource exists). */
export const armIds = {
  resourceGroup: (sub: string, rg: string) => `/subscriptions/${sub}/resourceGroups/${rg}`,
  containerGroup: (sub: string, rg: string, name: string) => `${armIds.resourceGroup(sub, rg)}/providers/Microsoft.ContainerInstance/containerGroups/${name}`,
  identity: (sub: string, rg: string, name: string) => `${armIds.resourceGroup(sub, rg)}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
  registry: (sub: string, rg: string, name: string) => `${armIds.resourceGroup(sub, rg)}/providers/Microsoft.ContainerRegistry/registries/${name}`,
  workspace: (sub: string, rg: string, name: string) => `${armIds.resourceGroup(sub, rg)}/providers/Microsoft.OperationalInsights/workspaces/${name}`,
  subnet: (sub: string, rg: string, vnet: string, subnet: string) => `${armIds.resourceGroup(sub, rg)}/providers/Microsoft.Network/virtualNetworks/${vnet}/subnets/${subnet}`,
  storageAccount: (sub: string, rg: string, name: string) => `${armIds.resourceGroup(sub, rg)}/providers/Microsoft.Storage/storageAccounts/${name}`,
  queue: (sub: string, rg: string, account: string, queue: string) => `${armIds.storageAccount(sub, rg, account)}/queueServices/default/queues/${queue}`,
};
