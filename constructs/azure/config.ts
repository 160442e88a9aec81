/**
 * The Azure part of the config: the `azure` block (subscription, tenant, the kit's resource group,
 * the Network Watcher to use, the deployer's networks, the registry's exposure), the state backends
 * (local or azurerm, with Entra ID authentication) and the operator access (the service principal
 * of meshcloud's multi-tenant application in the customer's tenant), plus the checks only Azure
 * needs (ids, CIDRs the firewalls accept, Log Analytics retention, Azure's tag rules) and those of
 * Azure Container Instances (sizes, one container group per runner, x86_64).
 *
 * Pure: no cdktf import (validation loads this file; `runner-kit validate` must stay fast).
 */
import { z } from 'zod';
import { joinPath, type ConfigIssue } from '../core/config/config-error';
import { isPrivateRange, parseCidr } from '../core/config/cidr';
import { cloudTargetSchema, LocalStateBackendSchema } from '../core/config/schema';
import type { Add } from '../core/config/semantic';
import { KIT_TAG_KEYS } from '../core/naming';
import { defaultResourceGroupName, VERSION_TAGS } from './azure-names';

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const AzureBlockSchema = z
  .strictObject({
    subscriptionId: z.string().describe('The subscription the target deploys into (a GUID, as `az account show --query id` prints it).'),
    tenantId: z.string().describe('The Entra ID tenant of that subscription (a GUID, `az account show --query tenantId`).'),
    resourceGroupName: z
      .string()
      .optional()
      .describe('The resource group the kit creates and keeps everything of this target in (operators\' access is assigned at it). Default: private-runner-kit-<target>. It must not exist yet: the kit never adopts what it did not create.'),
    networkWatcher: z
      .strictObject({
        name: z.string().describe('Name of the Network Watcher, e.g. NetworkWatcher_westeurope.'),
        resourceGroupName: z.string().describe('Its resource group, e.g. NetworkWatcherRG.'),
      })
      .optional()
      .describe('The region\'s Network Watcher the VNet flow logs are attached to (Azure creates one per region and subscription). Default: NetworkWatcher_<region> in NetworkWatcherRG.'),
    deployerCidrs: z
      .array(z.string())
      .min(1)
      .describe(
        'Public IPv4 networks (CIDR or single address) of the machines that run `cdktf deploy` for this target, e.g. ["203.0.113.0/28"]. ' +
          'Terraform writes the runners\' secrets to the Key Vault (write-only values) and reads their metadata at every plan, and publishes the ' +
          'updater\'s code: those endpoints deny every network but these and the kit\'s own private endpoints. Entra ID authentication and RBAC still apply ' +
          '(README: Azure, "How the deployer reaches the Key Vault").',
      ),
    allowPublicRegistryEndpoint: z
      .boolean()
      .default(false)
      .describe(
        'Risky opt-out: a Standard container registry (~$20/month) with its public endpoint open (Entra ID authentication only, admin user and anonymous pull off) ' +
          'instead of the default Premium registry (~$50/month plus its private endpoint) reachable only privately and by Azure\'s trusted services.',
      ),
  })
  .describe('Azure settings.');

const AzurermStateBackendSchema = z.strictObject({
  type: z.literal('azurerm'),
  resourceGroupName: z.string().describe('Resource group of the state storage account (created beforehand).'),
  storageAccountName: z.string().describe('Storage account holding the state (versioned blobs recommended; created beforehand).'),
  containerName: z.string().describe('Blob container of the state.'),
  key: z.string().optional().describe('Blob name. Default: private-runner-kit/<target>.tfstate.'),
  subscriptionId: z.string().optional().describe("Subscription of the storage account. Default: the target's (azure.subscriptionId)."),
});

const AzureOperatorAccessSchema = z
  .strictObject({
    principalObjectId: z
      .string()
      .describe(
        'Object id (a GUID) of the service principal of meshcloud\'s multi-tenant operator application in YOUR tenant (Enterprise applications > Object ID, after admin consent), as given to you during onboarding.',
      ),
    networkCidrs: z
      .array(z.string())
      .default([])
      .describe('Public IPv4 networks meshcloud\'s operators invoke the updater from: the updater\'s request queue admits them besides azure.deployerCidrs. Default: none (operators then read diagnostics only).'),
  })
  .describe("Read-only diagnostics for meshcloud operators (a custom role assignable only at the kit's resource group), plus invoking the updater. No deploy permissions.");

export const AZURE_PLATFORMS = ['aci'] as const;

/** An Azure target: the shared fields plus the `azure` block, local or azurerm state and operator access. */
export const AzureTargetSchema = cloudTargetSchema('azure', AZURE_PLATFORMS, {
  azure: AzureBlockSchema,
  stateBackend: z
    .discriminatedUnion('type', [LocalStateBackendSchema, AzurermStateBackendSchema])
    .default({ type: 'local' })
    .describe('Where Terraform keeps this target\'s state: "local" (default) or "azurerm" (a blob, Entra ID authentication, blob-lease locking).'),
  operatorAccess: AzureOperatorAccessSchema.optional(),
});

export type AzureTargetConfig = z.output<typeof AzureTargetSchema>;
export type AzureOperatorAccessConfig = NonNullable<AzureTargetConfig['operatorAccess']>;

/** The target's resource group: the configured one, else `private-runner-kit-<target>`. */
export const resourceGroupOf = (name: string, t: { readonly azure: { readonly resourceGroupName?: string | undefined } }) => t.azure.resourceGroupName ?? defaultResourceGroupName(name);

// --- limits (learn.microsoft.com/azure/azure-resource-manager/management/) -----------------------
const GUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Resource group names: 1-90 letters, digits, `_ ( ) . -`, not ending in a period. */
const RESOURCE_GROUP_RE = /^[\w().-]{0,89}[\w()-]$/;
const STORAGE_ACCOUNT_RE = /^[a-z0-9]{3,24}$/;
const BLOB_CONTAINER_RE = /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const NETWORK_WATCHER_RE = /^[\w][\w.-]{0,78}[\w]$/;
/** Log Analytics (PerGB2018) keeps data 30 to 730 days. */
export const LOG_ANALYTICS_RETENTION = { min: 30, max: 730 } as const;
/** Tags per resource, Azure-wide. */
export const AZURE_MAX_TAGS_PER_RESOURCE = 50;
/** The kit's own tags on one resource: managed-by, runner-kit-target, and on a container group the version record. */
export const AZURE_KIT_TAGS_ON_ONE_RESOURCE = 2 + Object.keys(VERSION_TAGS).length;
export const AZURE_MAX_USER_TAGS = AZURE_MAX_TAGS_PER_RESOURCE - AZURE_KIT_TAGS_ON_ONE_RESOURCE;
/** Storage accounts allow the shortest tag keys (128); values 256 everywhere. */
export const AZURE_TAG_KEY_MAX = 128;
export const AZURE_TAG_VALUE_MAX = 256;
/** Characters Azure refuses in tag names. */
const AZURE_TAG_KEY_FORBIDDEN = /[<>%&\\?/]/;
/**
 * IP rules each firewall takes (Key Vault 1000, storage 400, container registry 200): the kit puts
 * the deployer's and the operators' networks into them; far fewer are ever needed.
 */
export const AZURE_MAX_FIREWALL_CIDRS = 20;

/** Every Azure check of one target: its block, state backend, operator access, logs, tags, and what Azure does not offer yet. */
export function checkAzureTarget(name: string, t: Loose, add: Add): ConfigIssue[] {
  const azure = obj(t.azure);
  for (const field of ['subscriptionId', 'tenantId'] as const) {
    const v = str(azure[field]);
    if (v !== undefined && !GUID_RE.test(v)) add(`azure.${field}`, v, 'is not a GUID', `use the id \`az account show --query ${field === 'subscriptionId' ? 'id' : 'tenantId'}\` prints, e.g. 00000000-0000-0000-0000-000000000000`);
  }
  const rg = str(azure.resourceGroupName);
  if (rg !== undefined && !RESOURCE_GROUP_RE.test(rg)) {
    add('azure.resourceGroupName', rg, 'is not a resource group name (1-90 letters, digits, _ ( ) . -, not ending in a period)', `use e.g. ${defaultResourceGroupName(name)}`);
  }
  const watcher = obj(azure.networkWatcher);
  for (const field of ['name', 'resourceGroupName'] as const) {
    const v = str(watcher[field]);
    if (v !== undefined && !(field === 'name' ? NETWORK_WATCHER_RE : RESOURCE_GROUP_RE).test(v)) {
      add(`azure.networkWatcher.${field}`, v, `is not a ${field === 'name' ? 'Network Watcher' : 'resource group'} name`, 'use the values `az network watcher list -o table` prints, e.g. NetworkWatcher_westeurope in NetworkWatcherRG');
    }
  }
  checkPublicCidrs(list(azure.deployerCidrs), 'azure.deployerCidrs', add);
  const operator = obj(t.operatorAccess);
  const principal = str(operator.principalObjectId);
  if (principal !== undefined && !GUID_RE.test(principal)) {
    add('operatorAccess.principalObjectId', principal, 'is not a GUID (an object id)', 'use the object id of meshcloud\'s operator application\'s service principal in your tenant (Entra ID > Enterprise applications), as given during onboarding');
  }
  checkPublicCidrs(list(operator.networkCidrs), 'operatorAccess.networkCidrs', add);

  const n = obj(t.network);
  if (n.existingNetworkId !== undefined || n.existingSubnetIds !== undefined) {
    add(n.existingNetworkId !== undefined ? 'network.existingNetworkId' : 'network.existingSubnetIds', n.existingNetworkId ?? n.existingSubnetIds, 'is not available on Azure yet: the kit creates the VNet, its delegated subnets and their NSGs itself', 'remove it; the kit creates the network (README: Azure, what is not there yet)');
  }
  if (n.natGateways === 'perZone') {
    add('network.natGateways', 'perZone', 'does not apply on Azure: one NAT gateway serves a whole VNet, and container groups are not spread over zones', 'remove it (or use "single")');
  }
  if (n.zones !== undefined && n.zones !== 2) {
    add('network.zones', n.zones, 'does not apply on Azure: a VNet spans every zone of its region', 'remove network.zones from this target');
  }
  const keyId = obj(t.encryption).existingKeyId;
  if (keyId !== undefined) {
    add('encryption.existingKeyId', keyId, 'is not available on Azure yet: the runners\' secrets are encrypted by the target\'s own Key Vault', 'remove it (README: Azure, what is not there yet)');
  }
  const retention = int(obj(t.logs).retentionDays);
  if (retention !== undefined && (retention < LOG_ANALYTICS_RETENTION.min || retention > LOG_ANALYTICS_RETENTION.max)) {
    add('logs.retentionDays', retention, `is not a Log Analytics retention (${LOG_ANALYTICS_RETENTION.min} to ${LOG_ANALYTICS_RETENTION.max} days)`, `use a value from ${LOG_ANALYTICS_RETENTION.min} to ${LOG_ANALYTICS_RETENTION.max}, e.g. 90`);
  }
  checkAzureTags(obj(t.tags), add);
  const backend = obj(t.stateBackend);
  if (backend.type === 'azurerm') {
    const account = str(backend.storageAccountName);
    if (account !== undefined && !STORAGE_ACCOUNT_RE.test(account)) add('stateBackend.storageAccountName', account, 'is not a storage account name (3-24 lowercase letters and digits)', 'use the name of the state storage account, e.g. tfstate0123');
    const container = str(backend.containerName);
    if (container !== undefined && !BLOB_CONTAINER_RE.test(container)) add('stateBackend.containerName', container, 'is not a blob container name (3-63 lowercase letters, digits and single hyphens)', 'use e.g. tfstate');
    const brg = str(backend.resourceGroupName);
    if (brg !== undefined && !RESOURCE_GROUP_RE.test(brg)) add('stateBackend.resourceGroupName', brg, 'is not a resource group name', 'use the resource group of the state storage account');
    const sub = str(backend.subscriptionId);
    if (sub !== undefined && !GUID_RE.test(sub)) add('stateBackend.subscriptionId', sub, 'is not a GUID', 'use the subscription id of the state storage account');
    const key = str(backend.key);
    if (key !== undefined && (key.length === 0 || key.length > 1024 || key.endsWith('/'))) add('stateBackend.key', key, 'is not a blob name (1-1024 characters, not ending in /)', `use e.g. private-runner-kit/${name}.tfstate`);
  }
  return [];
}

/**
 * Networks the Azure firewalls (Key Vault, storage, registry) accept: public IPv4 only (they
 * refuse private ranges), never the whole internet, each listed once.
 */
function checkPublicCidrs(cidrs: unknown[], field: string, add: Add): void {
  if (cidrs.length > AZURE_MAX_FIREWALL_CIDRS) {
    add(field, cidrs, `lists ${cidrs.length} networks (at most ${AZURE_MAX_FIREWALL_CIDRS}): each one is a hole in the firewalls`, 'list only the networks that need the access, e.g. your CI runners\' egress range');
  }
  const seen = new Set<string>();
  cidrs.forEach((c, i) => {
    if (typeof c !== 'string') return;
    const parsed = parseCidr(c.includes('/') ? c : `${c}/32`);
    const at = `${field}[${i}]`;
    if ('error' in parsed) add(at, c, parsed.error, 'use a public IPv4 address or network, e.g. 203.0.113.7 or 203.0.113.0/28');
    else if (parsed.prefix < 8) add(at, c, `opens the endpoints to ${parsed.prefix === 0 ? 'the whole internet' : 'a huge part of the internet'}`, 'list the specific networks your deployments (or operators) come from');
    else if (isPrivateRange(parsed) || /^(127\.|169\.254\.|0\.)/.test(c)) add(at, c, 'is not a public network: Azure\'s service firewalls match public source addresses only (private traffic reaches the kit through its private endpoints)', 'use the public address your deployments leave from (e.g. `curl https://ifconfig.me`)');
    else if (parsed.prefix > 30 && parsed.prefix < 32) add(at, c, `is a /${parsed.prefix}: Azure's firewalls take single addresses or networks of /30 and larger`, `use ${c.split('/')[0]} (one address) or a /30 or larger`);
    if (seen.has(c)) add(at, c, 'is listed twice', 'list each network once');
    seen.add(c);
  });
}

/** Azure's tag rules (the strictest of the tagged resource types) and the kit's reserved keys. */
function checkAzureTags(tags: Loose, add: Add): void {
  const keys = Object.keys(tags);
  if (keys.length > AZURE_MAX_USER_TAGS) {
    add('tags', keys, `has ${keys.length} tags; Azure allows ${AZURE_MAX_TAGS_PER_RESOURCE} per resource and the kit sets up to ${AZURE_KIT_TAGS_ON_ONE_RESOURCE} itself`, `keep at most ${AZURE_MAX_USER_TAGS}`);
  }
  const lower = new Map<string, string>();
  for (const key of keys) {
    const at = joinPath(['tags', key]);
    const value = tags[key];
    if (key.length > AZURE_TAG_KEY_MAX) add(at, key, `is ${key.length} characters long (storage accounts take tag names of at most ${AZURE_TAG_KEY_MAX})`, 'shorten the tag name');
    if (AZURE_TAG_KEY_FORBIDDEN.test(key)) add(at, key, 'contains a character Azure refuses in tag names (< > % & \\ ? /)', 'remove those characters from the tag name');
    if (typeof value === 'string' && value.length > AZURE_TAG_VALUE_MAX) add(at, value, `is ${value.length} characters long (at most ${AZURE_TAG_VALUE_MAX})`, 'shorten the tag value');
    const reserved = Object.values(VERSION_TAGS).find((k) => k === key.toLowerCase());
    if (reserved !== undefined && !(KIT_TAG_KEYS as readonly string[]).includes(key)) {
      add(at, key, `is a tag key the updater writes on container groups ("${reserved}"): your value would be overwritten`, 'rename the tag key');
    }
    const other = lower.get(key.toLowerCase());
    if (other !== undefined) add(at, key, `is the same tag name as "${other}" to Azure (tag names are case-insensitive)`, 'keep one of them');
    lower.set(key.toLowerCase(), key);
  }
}

/** Two Azure targets of one config must not share a resource group: operators' access is assigned at it. */
export function checkAzureAcrossTargets(targets: readonly (readonly [string, AzureTargetConfig])[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const seen = new Map<string, string>();
  for (const [name, t] of targets) {
    const key = `${t.azure.subscriptionId.toLowerCase()}/${resourceGroupOf(name, t).toLowerCase()}`;
    const other = seen.get(key);
    if (other !== undefined) {
      issues.push({
        path: joinPath(['targets', name, 'azure', 'resourceGroupName']),
        received: resourceGroupOf(name, t),
        message: `is also the resource group of target "${other}": each target needs its own (operators' access and the kit's cleanup are scoped to it)`,
        fix: `remove it (default: ${defaultResourceGroupName(name)}) or choose another name`,
      });
    }
    seen.set(key, name);
  }
  return issues;
}

// --- Azure Container Instances -------------------------------------------------------------------

/** ACI (Linux): CPU cores per container group, in steps the kit offers. */
export const ACI_VCPU = { min: 0.25, max: 4, step: 0.25 } as const;
/** ACI (Linux): memory per container group in MiB, in 0.5 GB steps (ACI takes GB with one decimal). */
export const ACI_MEMORY_MIB = { min: 512, max: 16384, step: 512 } as const;

/** ACI: sizes ACI accepts, one container group per runner, x86_64. */
export function checkAciTarget(t: Loose, add: Add): void {
  for (const [runner, raw] of Object.entries(obj(t.runners))) {
    const r = obj(raw);
    const at = (f: string) => `runners.${runner}.${f}`;
    if (typeof r.vcpu === 'number' && (r.vcpu < ACI_VCPU.min || r.vcpu > ACI_VCPU.max || !Number.isInteger(r.vcpu / ACI_VCPU.step))) {
      add(at('vcpu'), r.vcpu, `is not a size the kit runs on Azure Container Instances (${ACI_VCPU.min} to ${ACI_VCPU.max} in steps of ${ACI_VCPU.step})`, 'use e.g. 1 or 2');
    }
    const memory = int(r.memoryMiB);
    if (memory !== undefined && (memory < ACI_MEMORY_MIB.min || memory > ACI_MEMORY_MIB.max || memory % ACI_MEMORY_MIB.step !== 0)) {
      add(at('memoryMiB'), memory, `is not a memory size Azure Container Instances takes (${ACI_MEMORY_MIB.min} to ${ACI_MEMORY_MIB.max} MiB in steps of ${ACI_MEMORY_MIB.step})`, 'use e.g. 2048 or 4096');
    }
    if (r.replicas !== undefined && r.replicas !== 0 && r.replicas !== 1) {
      add(at('replicas'), r.replicas, 'is not 0 or 1: on Azure Container Instances each runner is one container group', 'use 1 (0 parks the runner); for more runs in parallel, add another runner with its own meshStack runner UUID');
    }
    if (r.architecture === 'arm64') {
      add(at('architecture'), 'arm64', 'is not available on Azure Container Instances (Linux container groups run on x86_64)', 'use x86_64 (the default)');
    }
  }
}
