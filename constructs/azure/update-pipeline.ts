/**
 * The auto-update pipeline on Azure: the updater (the cloud-neutral updater core with the Azure
 * adapters, bundled from `updater/` at synthesis into a deterministic ZIP) as a Functions app on
 * the Flex Consumption plan, its identity and custom roles, the deploy's bootstrap (first
 * promotion), and the alert rules on failed or rolled-back updates and updater errors.
 *
 * Why Flex Consumption, not a Container Apps job (README: Azure, "The updater"): it runs the kit's
 * own code from a ZIP package, so no kit-published image is needed (a job needs an image; the
 * updater would have to come from a registry the kit publishes to); it integrates with the VNet
 * (egress through the NAT gateway); it costs nothing while idle; and on-demand requests arrive
 * through a storage queue whose message the updater validates, whereas starting a Container Apps
 * job lets the caller override the job's image (`jobs/start` takes a template): an operator who
 * may start the job could run any code as the updater.
 *
 * How it runs:
 * - a timer every 5 minutes (UTC; Functions on Linux ignore WEBSITE_TIME_ZONE): each tick links
 *   runner logs that are not linked yet, and runs the scheduled update when `updates.schedule`
 *   (in `updates.timeZone`) fell due (`updater/core/schedule-gate.ts`);
 * - a storage-queue trigger: on-demand requests (`{"action": "check" | "update" | "rollback"}`),
 *   validated as on AWS; operators may add messages to this one queue and do nothing else with it;
 * - the function has no HTTP endpoint: public network access off, no HTTP trigger.
 *
 * Deploy order, enforced by Terraform dependencies:
 * 1. the registry, the updater's identity and its role on the registry;
 * 2. the bootstrap deployment script promotes each runner's configured release by digest
 *    (`bootstrap-script.ts`); its output holds the by-digest images and versions;
 * 3. the runners' container groups reference those digests and record them in their version tags.
 * Later the updater owns what runs (images, log link, version tags: `UPDATER_OWNED_ATTRIBUTES`).
 *
 * The updater's roles (custom, exact operations, assignable only at the resource group, assigned
 * at the narrowest scope): write its runners' container groups and read their logs; assign the
 * runners' identities (the Azure twin of iam:PassRole, only at those identities: acknowledged);
 * join the runner subnet (a container group PUT into a subnet needs it); import into the mirror;
 * read the workspace's ingestion key (ACI's log connection needs it). Its own storage (package,
 * host state, queue) and Application Insights through built-in data roles on those resources.
 */
import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { FunctionAppFlexConsumption } from '@cdktf/provider-azurerm/lib/function-app-flex-consumption';
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { ResourceDeploymentScriptAzureCli } from '@cdktf/provider-azurerm/lib/resource-deployment-script-azure-cli';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import { StorageBlob } from '@cdktf/provider-azurerm/lib/storage-blob';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import { StorageQueue } from '@cdktf/provider-azurerm/lib/storage-queue';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { AssetType, Fn, TerraformAsset, Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bundleFunction } from '../core/bundle/function-bundle';
import type { IAlarmSink, IUpdatePipeline } from '../core/interfaces';
import type { PermissionTemplate } from '../core/permissions/permission';
import { acknowledge } from '../core/rules/acknowledgement';
import { AZURE_UPDATER_CONFIG_ENV, AZURE_UPDATER_TIME_LIMIT_SECONDS, type AzureUpdaterConfig } from '../../updater/entry/azure-updater-config';
import { tickTimerSchedule } from '../../updater/core/schedule-gate';
import { REPORT_MESSAGE } from '../../updater/adapters/azure/log-reporter';
import { bootstrapScriptContent, BOOTSTRAP_AZ_CLI_VERSION, BOOTSTRAP_PLAN_ENV, type BootstrapPlan } from './bootstrap-script';
import { bootstrapScriptName, roleDefinitionGuid, roleName, UPDATE_REQUESTS_POISON_QUEUE, UPDATER_PACKAGE_CONTAINER, UPDATER_REQUEST_QUEUE, updateOutcomeAlertName, updaterErrorsAlertName, updaterIdentityName, updaterInsightsName, updaterPlanName } from './azure-names';
import { CustomRole } from './custom-role';
import type { KitStorage } from './kit-storage';
import type { MirrorRegistry } from './container-registry';
import type { ResourceScope } from './resource-scope';
import { BUILT_IN_ROLES } from './runner-vault';

export const UPDATER_ENTRY = 'updater/entry/azure-function.ts';
/** Flex Consumption's Node.js runtime for the updater (Node 20 leaves support in April 2026). */
export const UPDATER_NODE_VERSION = '22';
/** The package name Flex Consumption deploys from its deployment container. */
export const UPDATER_PACKAGE_BLOB = 'released-package.zip';

// --- the updater's operations, each with its reason ----------------------------------------------
export const WRITE_RUNNER_GROUPS: PermissionTemplate = {
  sid: 'RollOutRunnerGroups',
  actions: ['Microsoft.ContainerInstance/containerGroups/read', 'Microsoft.ContainerInstance/containerGroups/write'],
  justification: "A rollout or rollback is a PUT of the runner's own container group with another image digest; the updater reads the group to copy its spec and to watch the rollout.",
};
export const READ_RUNNER_CONTAINER_LOGS: PermissionTemplate = {
  sid: 'ReadRunnerContainerLogs',
  actions: ['Microsoft.ContainerInstance/containerGroups/containers/logs/read'],
  justification: "Reads the runner's own log lines: before a change, whether it executes a run (replacing it would kill the run); after one, whether it reaches meshStack.",
};
export const ASSIGN_RUNNER_IDENTITY: PermissionTemplate = {
  sid: 'AssignRunnerIdentity',
  actions: ['Microsoft.ManagedIdentity/userAssignedIdentities/read', 'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action'],
  justification: "A container group PUT names the runner's existing identity again (to pull and to read its secrets); Azure requires the assign right on that identity, and only on it.",
};
export const JOIN_RUNNER_SUBNET: PermissionTemplate = {
  sid: 'JoinRunnerSubnet',
  actions: ['Microsoft.Network/virtualNetworks/subnets/read', 'Microsoft.Network/virtualNetworks/subnets/join/action'],
  justification: 'A container group PUT places the group in the runner subnet again; Azure requires the join right on that subnet, and only on it.',
};
export const IMPORT_INTO_MIRROR: PermissionTemplate = {
  sid: 'ImportIntoMirror',
  actions: ['Microsoft.ContainerRegistry/registries/read', 'Microsoft.ContainerRegistry/registries/importImage/action'],
  justification: 'Promotion copies an upstream release into the mirror by digest, server-side (ARM importImage); no push, no delete, no credentials.',
};
export const LINK_RUNNER_LOGS: PermissionTemplate = {
  sid: 'LinkRunnerLogs',
  actions: ['Microsoft.OperationalInsights/workspaces/read', 'Microsoft.OperationalInsights/workspaces/sharedkeys/action'],
  justification: "ACI ships a group's logs only with the workspace id and key in the group's spec; the updater reads the key when it writes the spec, so the key never passes through Terraform.",
};

export interface AzureUpdatePipelineProps {
  readonly scope: ResourceScope;
  readonly target: string;
  /** The function app's (globally unique) name. */
  readonly appName: string;
  /** The document the updater runs with (escaped Terraform text, as the stack holds the config). */
  readonly config: AzureUpdaterConfig;
  readonly registry: MirrorRegistry;
  readonly storage: KitStorage;
  readonly workspace: { readonly id: string };
  /** The updater's VNet integration subnet, and the runner subnet its PUTs place groups in. */
  readonly updaterSubnetId: string;
  readonly runnerSubnetId: string;
  readonly alarms: IAlarmSink;
  /** The identity Terraform runs as: it uploads the updater's package. */
  readonly deployerObjectId: string;
  /** Literal id of the resource group (assignable scope of the custom roles). */
  readonly resourceGroupId: string;
  readonly resourceGroup: ITerraformDependable;
}

export class AzureUpdatePipeline extends Construct implements IUpdatePipeline {
  readonly appName: string;
  readonly identityPrincipalId: string;
  readonly identityClientId: string;
  /** The on-demand request queue (its ARM id: operators' invoke scope) and name. */
  readonly requestQueueId: string;
  readonly requestQueueName: string;
  readonly insightsId: string;
  readonly bootstrap: ResourceDeploymentScriptAzureCli;
  /** The roles the updater holds on each runner's group, identity and subnet: groups must wait for none of them, the bootstrap for the registry's. */
  readonly roles: readonly CustomRole[];
  private readonly runnerRole: CustomRole;
  private readonly identityRole: CustomRole;
  private readonly updaterPrincipal: { readonly principalId: string; readonly principalLabel: string; readonly newManagedIdentity: boolean };
  private readonly groups: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: AzureUpdatePipelineProps) {
    super(scope, id);
    const s = props.scope;
    const base = { resourceGroupName: s.resourceGroupName, location: s.location, tags: { ...s.tags } };
    const sub = s.subscriptionId;

    const identity = new UserAssignedIdentity(this, 'Identity', { ...base, name: updaterIdentityName(props.target) });
    this.identityPrincipalId = identity.principalId;
    this.identityClientId = identity.clientId;
    const me = { principalId: identity.principalId, principalLabel: "the updater's identity", newManagedIdentity: true };
    const role = (id: string, r: Parameters<typeof roleName>[2], description: string, permissions: PermissionTemplate[], assignments: { id: string; scope: string; scopeLabel?: string }[]) =>
      new CustomRole(this, id, {
        name: roleName(sub, props.target, r),
        roleDefinitionGuid: roleDefinitionGuid(sub, props.target, r),
        description,
        resourceGroupId: props.resourceGroupId,
        permissions,
        assignments: assignments.map((a) => ({ ...a, ...me })),
        dependsOn: [props.resourceGroup],
      });
    const roles: CustomRole[] = [];
    const registryRole = role('RegistryRole', 'updater-registry', `Updater of ${props.target}: promotes releases into the kit's mirror registry.`, [IMPORT_INTO_MIRROR], [{ id: 'registry', scope: props.registry.id, scopeLabel: `registry ${props.registry.name}` }]);
    roles.push(registryRole);
    // Assigned at each runner's group and identity once they exist (`grantRunner`).
    this.runnerRole = role('RunnerRole', 'updater-runner', `Updater of ${props.target}: rolls its runners' container groups to new image digests, reads their logs.`, [WRITE_RUNNER_GROUPS, READ_RUNNER_CONTAINER_LOGS], []);
    this.identityRole = role('IdentityRole', 'updater-identity', `Updater of ${props.target}: names its runners' identities in their container groups again.`, [ASSIGN_RUNNER_IDENTITY], []);
    roles.push(
      this.runnerRole,
      this.identityRole,
      role('NetworkRole', 'updater-network', `Updater of ${props.target}: places its runners' container groups in the runner subnet again.`, [JOIN_RUNNER_SUBNET], [{ id: 'runners', scope: props.runnerSubnetId, scopeLabel: 'the runner subnet' }]),
      role('LogsRole', 'updater-logs', `Updater of ${props.target}: connects its runners' container groups to the target's Log Analytics workspace.`, [LINK_RUNNER_LOGS], [{ id: 'workspace', scope: props.workspace.id, scopeLabel: 'the Log Analytics workspace' }]),
    );
    acknowledge(
      this.identityRole,
      'AZURE-IAM-3',
      'Escalation::Microsoft.ManagedIdentity/userAssignedIdentities/assign/action+Microsoft.ContainerInstance/containerGroups/write',
      "The updater re-PUTs its runners' container groups, which name the runners' existing identities: assign only on those identities, group writes only on those groups; no person holds this role.",
    );
    this.updaterPrincipal = me;
    this.roles = roles;

    // Its own storage: the code package, the host's state (timer leases), the request queue.
    const container = new StorageContainer(this, 'PackageContainer', { name: UPDATER_PACKAGE_CONTAINER, storageAccountId: props.storage.id, containerAccessType: 'private' });
    const queue = new StorageQueue(this, 'RequestQueue', { name: UPDATER_REQUEST_QUEUE, storageAccountId: props.storage.id });
    // Where the host moves a request that failed (maxDequeueCount 1): made here, so the host needs no right to create queues.
    new StorageQueue(this, 'PoisonQueue', { name: UPDATE_REQUESTS_POISON_QUEUE, storageAccountId: props.storage.id });
    this.requestQueueId = queue.resourceManagerId;
    this.requestQueueName = UPDATER_REQUEST_QUEUE;
    const builtIn = (id: string, scopeId: string, roleDefinitionName: string, principalId: string, description: string) =>
      new RoleAssignment(this, id, { scope: scopeId, roleDefinitionName, principalId, description, ...(principalId === identity.principalId ? { principalType: 'ServicePrincipal', skipServicePrincipalAadCheck: true } : {}) });
    const hostBlobs = builtIn('HostBlobs', props.storage.id, BUILT_IN_ROLES.storageBlobDataOwner, identity.principalId, 'The updater host reads its package and keeps its state (timer leases) in its own storage account.');
    const hostQueues = builtIn('HostQueues', props.storage.id, BUILT_IN_ROLES.storageQueueDataContributor, identity.principalId, 'The updater host reads on-demand requests from its queue.');
    const upload = builtIn('DeployerUploadsPackage', container.resourceManagerId, BUILT_IN_ROLES.storageBlobDataContributor, props.deployerObjectId, 'The identity running cdktf deploy uploads the updater\'s code package.');

    const insights = new ApplicationInsights(this, 'Insights', {
      ...base,
      name: updaterInsightsName(props.target),
      applicationType: 'Node.JS',
      workspaceId: props.workspace.id,
      // Entra ID ingestion only: the connection string alone cannot write telemetry.
      localAuthenticationDisabled: true,
    });
    this.insightsId = insights.id;
    const publish = builtIn('PublishTelemetry', insights.id, BUILT_IN_ROLES.monitoringMetricsPublisher, identity.principalId, "The updater writes its log lines to its own Application Insights.");

    const bundle = bundleFunction({
      entry: UPDATER_ENTRY,
      target: `node${UPDATER_NODE_VERSION}`,
      // The Functions host provides its worker interface; everything else is in the bundle.
      external: ['@azure/functions-core'],
      extraFiles: [
        { name: 'host.json', content: `${JSON.stringify(hostJson(), null, 2)}\n` },
        { name: 'package.json', content: `${JSON.stringify({ name: 'private-runner-kit-updater', private: true, main: 'index.js' }, null, 2)}\n` },
      ],
    });
    const asset = new TerraformAsset(this, 'Bundle', { path: bundle.zipPath, type: AssetType.FILE });
    const packageBlob = new StorageBlob(this, 'Package', {
      name: UPDATER_PACKAGE_BLOB,
      storageAccountName: props.storage.name,
      storageContainerName: container.name,
      type: 'Block',
      source: asset.path,
      contentMd5: createHash('md5').update(readFileSync(bundle.zipPath)).digest('hex'),
      dependsOn: [upload],
    });

    const plan = new ServicePlan(this, 'Plan', { ...base, name: updaterPlanName(props.target), osType: 'Linux', skuName: 'FC1' });
    const app = new FunctionAppFlexConsumption(this, 'Resource', {
      ...base,
      name: props.appName,
      servicePlanId: plan.id,
      runtimeName: 'node',
      runtimeVersion: UPDATER_NODE_VERSION,
      storageContainerType: 'blobContainer',
      storageContainerEndpoint: `${props.storage.primaryBlobEndpoint}${container.name}`,
      storageAuthenticationType: 'UserAssignedIdentity',
      storageUserAssignedIdentityId: identity.id,
      identity: { type: 'UserAssigned', identityIds: [identity.id] },
      virtualNetworkSubnetId: props.updaterSubnetId,
      // No inbound path at all: the updater has timer and queue triggers, no HTTP endpoint.
      publicNetworkAccessEnabled: false,
      httpsOnly: true,
      webdeployPublishBasicAuthenticationEnabled: false,
      maximumInstanceCount: 40,
      instanceMemoryInMb: 512,
      appSettings: {
        AzureWebJobsStorage__accountName: props.storage.name,
        AzureWebJobsStorage__credential: 'managedidentity',
        AzureWebJobsStorage__clientId: identity.clientId,
        AZURE_CLIENT_ID: identity.clientId,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `ClientId=${identity.clientId};Authorization=AAD`,
        [AZURE_UPDATER_CONFIG_ENV]: JSON.stringify(props.config),
        NODE_OPTIONS: '--enable-source-maps',
      },
      siteConfig: {
        applicationInsightsConnectionString: insights.connectionString,
        minimumTlsVersion: '1.2',
        scmMinimumTlsVersion: '1.2',
        vnetRouteAllEnabled: true,
        remoteDebuggingEnabled: false,
        http2Enabled: true,
      },
      dependsOn: [packageBlob, hostBlobs, hostQueues, publish],
    });
    this.appName = app.name;

    // The first promotion, inside the deploy (bootstrap-script.ts).
    const bootstrapPlan: BootstrapPlan = {
      registry: props.registry.name,
      loginServer: props.config.registry.loginServer,
      runners: props.config.runners.map((r) => ({ name: r.name, upstreamRegistry: r.upstreamRegistry, upstreamRepository: r.upstreamRepository, version: r.version, mirrorRepository: r.mirrorRepository })),
    };
    this.bootstrap = new ResourceDeploymentScriptAzureCli(this, 'Bootstrap', {
      ...base,
      name: bootstrapScriptName(props.target),
      version: BOOTSTRAP_AZ_CLI_VERSION,
      identity: { type: 'UserAssigned', identityIds: [identity.id] },
      scriptContent: bootstrapScriptContent(),
      environmentVariable: [{ name: BOOTSTRAP_PLAN_ENV, value: JSON.stringify(bootstrapPlan) }],
      timeout: 'PT30M',
      retentionInterval: 'P1D',
      cleanupPreference: 'OnSuccess',
      dependsOn: [...registryRole.assignments],
    });


    // Alerts on the updater's own word: its outcome lines and its failed invocations.
    const appRole = props.appName;
    const alert = (id: string, name: string, description: string, query: string, severity: number, dimension?: string) =>
      new MonitorScheduledQueryRulesAlertV2(this, id, {
        ...base,
        name,
        description,
        scopes: [insights.id],
        severity,
        evaluationFrequency: 'PT5M',
        windowDuration: 'PT5M',
        criteria: [
          {
            query,
            timeAggregationMethod: 'Count',
            operator: 'GreaterThan',
            threshold: 0,
            ...(dimension !== undefined ? { dimension: [{ name: dimension, operator: 'Include', values: ['*'] }] } : {}),
            failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 },
          },
        ],
        autoMitigationEnabled: false,
        action: { actionGroups: [props.alarms.sinkId] },
      });
    for (const outcome of ['failed', 'rolled-back'] as const) {
      alert(
        `Alert-${outcome}`,
        updateOutcomeAlertName(props.target, outcome),
        outcome === 'failed'
          ? `The updater of ${props.target} could not bring a runner to a healthy new version, nor back; see its log in Application Insights ${updaterInsightsName(props.target)}.`
          : `An update of a runner of ${props.target} did not become healthy and was rolled back; the runner runs its previous version.`,
        [
          'traces',
          `| where cloud_RoleName == "${appRole}"`,
          `| where message has "${REPORT_MESSAGE}"`,
          '| extend report = parse_json(message)',
          `| where tostring(report.outcome) == "${outcome}"`,
          '| extend runner = tostring(report.runner)',
          '| summarize count() by runner',
        ].join('\n'),
        outcome === 'failed' ? 1 : 2,
        'runner',
      );
    }
    alert(
      'Alert-errors',
      updaterErrorsAlertName(props.target),
      `The updater of ${props.target} crashed or timed out; no update decision was made.`,
      ['requests', `| where cloud_RoleName == "${appRole}"`, '| where success == false'].join('\n'),
      1,
    );
  }

  /** The by-digest image the bootstrap promoted for `runner`, as a Terraform expression. */
  bootstrapImage(runner: string): string {
    return Token.asString(Fn.lookupNested(Fn.jsondecode(this.bootstrap.outputs), ['runners', runner, 'image']));
  }

  /** The version the bootstrap promoted for `runner`, as a Terraform expression. */
  bootstrapVersion(runner: string): string {
    return Token.asString(Fn.lookupNested(Fn.jsondecode(this.bootstrap.outputs), ['runners', runner, 'to']));
  }

  /** The digest the bootstrap promoted for `runner`, as a Terraform expression. */
  bootstrapDigest(runner: string): string {
    return Token.asString(Fn.lookupNested(Fn.jsondecode(this.bootstrap.outputs), ['runners', runner, 'digest']));
  }

  /**
   * Lets the updater roll out `runner`'s container group: write the group and read its logs,
   * assign its identity (the group's PUT names it again). Call once the group and identity exist
   * (their ids as references make the assignments wait for them).
   */
  grantRunner(runner: string, group: { readonly id: string; readonly name: string }, identity: { readonly id: string }): RoleAssignment[] {
    this.groups[runner] = group.id;
    return [
      this.runnerRole.assign({ id: runner, scope: group.id, scopeLabel: `container group ${group.name}`, ...this.updaterPrincipal }),
      this.identityRole.assign({ id: runner, scope: identity.id, scopeLabel: `identity of runner ${runner}`, ...this.updaterPrincipal }),
    ];
  }

  // IUpdatePipeline
  get updaterName(): string {
    return this.appName;
  }
  /** Each runner's version record: the version tags of its container group. */
  get versionRecords(): Readonly<Record<string, string>> {
    return this.groups;
  }
}

/** The Functions host's settings: one request at a time per instance, not retried, 30 minutes at most. */
export function hostJson(): Record<string, unknown> {
  const seconds = AZURE_UPDATER_TIME_LIMIT_SECONDS;
  const hms = `${String(Math.floor(seconds / 3600)).padStart(2, '0')}:${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
  return {
    version: '2.0',
    functionTimeout: hms,
    // The queue trigger is not built into the host (timer and HTTP are): it comes from the extension bundle, without
    // which the host refuses to index a queueTrigger function. Bundle 4.x carries the Storage Queues extension 5.x.
    extensionBundle: { id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' },
    // Messages are base64 (the extension's default, written out: operators encode their requests, README "The updater").
    extensions: { queues: { batchSize: 1, newBatchThreshold: 0, maxDequeueCount: 1, visibilityTimeout: '00:00:30', messageEncoding: 'base64' } },
    logging: { logLevel: { default: 'Information' } },
  };
}

/** The timer's schedule (every tick of the gate, UTC). */
export const UPDATER_TIMER_SCHEDULE = tickTimerSchedule();
