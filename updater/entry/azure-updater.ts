/**
 * Composes the updater on Azure: the cloud-neutral run (`updater/core/run.ts`) with the Azure
 * adapters (ACR mirror via ARM importImage, ACI container group, group-tag version record, the
 * runner's own log, JSON report lines), from the configuration document the update pipeline put in
 * the function app's settings. The Functions entry, the local CLI (`runner-kit update`) and the
 * tests all run through here.
 */
import { DefaultAzureCredential, ManagedIdentityCredential } from '@azure/identity';
import type { TokenCredential } from '@azure/core-auth';
import { AcrImageMirror } from '../adapters/azure/acr-image-mirror';
import { AciRunnerDeployment } from '../adapters/azure/aci-runner-deployment';
import { AciRunnerLog } from '../adapters/azure/aci-runner-log';
import { armClients, type ArmClients } from '../adapters/azure/arm';
import { GroupTagVersionStore } from '../adapters/azure/group-tag-version-store';
import { LogReporter } from '../adapters/azure/log-reporter';
import { workspaceLink } from '../adapters/azure/workspace-link';
import { UpstreamReleaseSource } from '../adapters/oci/upstream-release-source';
import type { UpdaterPayload } from '../core/payload';
import type { Reporter } from '../core/ports';
import { SYSTEM_CLOCK, type Clock } from '../core/rollout-poll';
import { runUpdater, type RunnerPorts, type UpdaterRunResult } from '../core/run';
import { AZURE_UPDATER_TIME_LIMIT_SECONDS, type AzureUpdaterConfig } from './azure-updater-config';

export interface AzureUpdaterOptions {
  /** @default - the function's managed identity (AZURE_CLIENT_ID) in Azure, else DefaultAzureCredential (az login, environment) */
  readonly credential?: TokenCredential;
  readonly env?: NodeJS.ProcessEnv;
  /** Azure Resource Manager's origin. @default https://management.azure.com (tests: a fake) */
  readonly armEndpoint?: string;
  /** Extra trusted CA for ARM (tests: the fake's certificate). */
  readonly caPem?: string;
  /** Upstream registry origin instead of the configured one (tests). */
  readonly upstreamRegistryUrlOverride?: string;
  /** Time between two reads of a rollout and of the runners' meshStack signal. @default 15000 */
  readonly pollIntervalMs?: number;
  /** Time between two polls of ARM's import operation. @default 5000 */
  readonly importPollIntervalMs?: number;
  /** How long a runner must run without restarting after a rollout. @default 60 */
  readonly stableSeconds?: number;
  /** @default busyWaitSecondsFor(config.rolloutTimeoutSeconds) */
  readonly busyWaitSeconds?: number;
  /** @default 30 */
  readonly busyPollSeconds?: number;
  /** @default 90 */
  readonly minimumSignalSeconds?: number;
  readonly clock?: Clock;
  readonly reporter?: Reporter;
  /** @default console.log */
  readonly log?: (line: string) => void;
}

export interface AzureUpdater {
  readonly runners: readonly RunnerPorts[];
  readonly reporter: Reporter;
  /** Per runner with a container group: its deployment and its log (the tick links logs with them). */
  readonly groups: ReadonlyMap<string, { readonly deployment: AciRunnerDeployment; readonly log: AciRunnerLog }>;
  readonly arm: ArmClients;
}

/** The longest wait for busy runners, in seconds (10 minutes). */
export const MAX_BUSY_WAIT_SECONDS = 600;

/** What the function's 30 minutes leave after a rollout and its rollback and 2 minutes for the rest, at most 10 minutes. */
export function busyWaitSecondsFor(rolloutTimeoutSeconds: number): number {
  return Math.min(MAX_BUSY_WAIT_SECONDS, Math.max(0, AZURE_UPDATER_TIME_LIMIT_SECONDS - 2 * rolloutTimeoutSeconds - 120));
}

/** The credential the updater runs with: the function's identity in Azure, the caller's elsewhere. */
export function defaultCredential(env: NodeJS.ProcessEnv): TokenCredential {
  const clientId = env.AZURE_CLIENT_ID;
  if (clientId !== undefined && (env.IDENTITY_ENDPOINT !== undefined || env.MSI_ENDPOINT !== undefined)) return new ManagedIdentityCredential({ clientId });
  return new DefaultAzureCredential(clientId !== undefined ? { managedIdentityClientId: clientId } : {});
}

export function createAzureUpdater(config: AzureUpdaterConfig, options: AzureUpdaterOptions = {}): AzureUpdater {
  const env = options.env ?? process.env;
  const arm = armClients({
    credential: options.credential ?? defaultCredential(env),
    subscriptionId: config.subscriptionId,
    ...(options.armEndpoint !== undefined ? { endpoint: options.armEndpoint } : {}),
    ...(options.caPem !== undefined ? { caPem: options.caPem } : {}),
  });
  const clock = options.clock ?? SYSTEM_CLOCK;
  const logs = workspaceLink(arm, config.workspaceResourceId);
  const groups = new Map<string, { deployment: AciRunnerDeployment; log: AciRunnerLog }>();
  // A parked runner (replicas 0) has no container group: nothing to update, nothing to report.
  const runners: RunnerPorts[] = config.runners.flatMap((r) => {
    if (r.containerGroup === undefined) return [];
    const upstreamRegistry = options.upstreamRegistryUrlOverride ?? r.upstreamRegistry;
    const mirror = new AcrImageMirror({
      acr: arm.acr,
      resourceGroup: config.resourceGroup,
      registry: config.registry,
      upstream: { registryUrl: upstreamRegistry, repository: r.upstreamRepository },
      mirrorRepository: r.mirrorRepository,
      ...(options.importPollIntervalMs !== undefined ? { pollIntervalMs: options.importPollIntervalMs } : {}),
    });
    const deployment = new AciRunnerDeployment({
      aci: arm.aci,
      resourceGroup: config.resourceGroup,
      groupName: r.containerGroup,
      logs,
      clock,
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.stableSeconds !== undefined ? { stableSeconds: options.stableSeconds } : {}),
    });
    const log = new AciRunnerLog({ aci: arm.aci, resourceGroup: config.resourceGroup, groupName: r.containerGroup, runTimeoutMinutes: config.runTimeoutMinutes, now: () => clock.now() });
    groups.set(r.name, { deployment, log });
    return [
      {
        name: r.name,
        policy: { ...config.policy, version: r.version },
        releases: new UpstreamReleaseSource({ registryUrl: upstreamRegistry, repository: r.upstreamRepository }),
        mirror,
        deployment,
        versions: new GroupTagVersionStore({ aci: arm.aci, resourceGroup: config.resourceGroup, groupName: r.containerGroup, imageOf: (d) => mirror.imageReference(d) }),
        meshstack: log,
        activity: log,
      },
    ];
  });
  return { runners, groups, arm, reporter: options.reporter ?? new LogReporter(options.log) };
}

/** Runs the updater once for `payload` (see `runUpdater`). */
export async function runAzureUpdater(config: AzureUpdaterConfig, payload: UpdaterPayload, options: AzureUpdaterOptions = {}): Promise<UpdaterRunResult> {
  const { runners, reporter } = createAzureUpdater(config, options);
  const clock = options.clock ?? SYSTEM_CLOCK;
  return runUpdater({
    target: config.target,
    payload,
    runners,
    reporter,
    rolloutTimeoutSeconds: config.rolloutTimeoutSeconds,
    clock,
    busyWaitSeconds: options.busyWaitSeconds ?? busyWaitSecondsFor(config.rolloutTimeoutSeconds),
    ...(options.busyPollSeconds !== undefined ? { busyPollSeconds: options.busyPollSeconds } : {}),
    ...(options.pollIntervalMs !== undefined ? { signalPollSeconds: options.pollIntervalMs / 1000 } : {}),
    ...(options.minimumSignalSeconds !== undefined ? { minimumSignalSeconds: options.minimumSignalSeconds } : {}),
  });
}

/** What linking did for one runner. */
export type LinkOutcome = 'linked' | 'already-linked' | 'busy' | 'not-deployed' | 'failed';

/**
 * Connects each runner's container group to the workspace when it is not yet (the first deploy
 * leaves that to the updater: the connection needs the workspace key, which the kit keeps out of
 * Terraform). Linking restarts the group, so a runner executing a run is left for a later tick.
 */
export async function linkRunnerLogs(config: AzureUpdaterConfig, options: AzureUpdaterOptions = {}): Promise<Record<string, { outcome: LinkOutcome; reason: string }>> {
  const { groups } = createAzureUpdater(config, options);
  const log = options.log ?? ((line: string) => console.log(line));
  const out: Record<string, { outcome: LinkOutcome; reason: string }> = {};
  for (const [name, g] of groups) {
    out[name] = await linkOne(g);
    if (out[name]!.outcome !== 'already-linked') log(JSON.stringify({ msg: 'runner-kit runner logs', target: config.target, runner: name, ...out[name] }));
  }
  return out;
}

async function linkOne(g: { readonly deployment: AciRunnerDeployment; readonly log: AciRunnerLog }): Promise<{ outcome: LinkOutcome; reason: string }> {
  try {
    if ((await g.deployment.current()) === undefined) return { outcome: 'not-deployed', reason: 'the runner has no container group yet' };
    if ((await g.log.runsInProgress()).length > 0) return { outcome: 'busy', reason: 'the runner executes a run; its log connection waits (linking restarts the group)' };
    return (await g.deployment.linkLogs())
      ? { outcome: 'linked', reason: 'connected to the Log Analytics workspace (the group restarted once)' }
      : { outcome: 'already-linked', reason: 'the group ships its logs to the workspace' };
  } catch (error) {
    return { outcome: 'failed', reason: error instanceof Error ? error.message : String(error) };
  }
}
