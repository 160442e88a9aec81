/**
 * The contract between the Azure update pipeline (synthesis) and the updater's Azure Functions
 * entry: one JSON document in the function app's settings, written by
 * `constructs/azure/update-pipeline.ts` and validated here before the updater does anything.
 * Everything in it is known at synthesis (names and ids derived from the config), so the same
 * document drives the function, the local CLI (`runner-kit update`) and the tests.
 */
import type { MaintenanceWindow } from '../core/maintenance-window';
import type { UpdateChannel } from '../core/update-policy';
import { DocumentProblems, nonEmpty, readUpdaterDocument } from './updater-document';

export const AZURE_UPDATER_CONFIG_ENV = 'RUNNER_KIT_UPDATER_CONFIG';

/** The updater's time limit on Flex Consumption (the function timeout in host.json); waits are budgeted against it. */
export const AZURE_UPDATER_TIME_LIMIT_SECONDS = 30 * 60;

export interface AzureUpdaterRunnerConfig {
  readonly name: string;
  /** Upstream registry origin, e.g. `https://ghcr.io`. */
  readonly upstreamRegistry: string;
  /** Upstream repository, e.g. `meshcloud/tf-block-runner`. */
  readonly upstreamRepository: string;
  /** The configured version: the first deployment's, and the pin on channel `pinned`. */
  readonly version: string;
  /** Repository in the mirror registry, e.g. `prod/tf-block-runner`. */
  readonly mirrorRepository: string;
  /** The runner's container group (absent: the runner is parked, replicas 0). */
  readonly containerGroup?: string;
  /** AKS: the runner's run-controller Deployment, and the job images released with it (promoted together). */
  readonly kubernetes?: AzureUpdaterKubernetesRunner;
}

export interface AzureUpdaterKubernetesRunner {
  readonly namespace: string;
  /** The run-controller Deployment (its ConfigMap has the same name). */
  readonly deployment: string;
  readonly implementations: readonly {
    readonly type: string;
    readonly upstreamRegistry: string;
    readonly upstreamRepository: string;
    readonly mirrorRepository: string;
  }[];
}

export interface AzureUpdaterConfig {
  readonly target: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  /** The mirror registry: its name (ARM `importImage`) and login server (image references). */
  readonly registry: { readonly name: string; readonly loginServer: string };
  /** The Log Analytics workspace the runners' logs go to (its ARM id); the updater links each group to it. */
  readonly workspaceResourceId: string;
  readonly rolloutTimeoutSeconds: number;
  /** The runners' `timeoutMins`: how far back a run in progress is looked for. */
  readonly runTimeoutMinutes: number;
  readonly policy: {
    readonly channel: UpdateChannel;
    readonly hold: boolean;
    readonly allowDowngrade: boolean;
    readonly window?: MaintenanceWindow;
  };
  /** When scheduled runs happen (`updates.schedule` in `updates.timeZone`), gated at each timer tick. */
  readonly schedule: { readonly cron: string; readonly timeZone: string; readonly tickMinutes: number };
  readonly runners: readonly AzureUpdaterRunnerConfig[];
  /** AKS: the cluster the runners' controllers run on (in `resourceGroup`). */
  readonly cluster?: { readonly name: string };
}

/** Parses and checks the document; throws one error listing every problem. */
export function parseAzureUpdaterConfig(text: string | undefined): AzureUpdaterConfig {
  const c = readUpdaterDocument(text, AZURE_UPDATER_CONFIG_ENV, 'settings') as Partial<AzureUpdaterConfig>;
  const problems = new DocumentProblems(AZURE_UPDATER_CONFIG_ENV);
  const need = (ok: boolean, what: string) => problems.need(ok, what);
  need(nonEmpty(c.target), 'target must be a non-empty string');
  need(typeof c.subscriptionId === 'string' && /^[0-9a-f-]{36}$/i.test(c.subscriptionId), 'subscriptionId must be a GUID');
  need(nonEmpty(c.resourceGroup), 'resourceGroup must be a non-empty string');
  need(nonEmpty(c.registry?.name) && nonEmpty(c.registry?.loginServer), 'registry must name the mirror registry and its login server');
  need(typeof c.workspaceResourceId === 'string' && c.workspaceResourceId.startsWith('/subscriptions/'), 'workspaceResourceId must be the workspace\'s ARM id');
  need(typeof c.rolloutTimeoutSeconds === 'number' && c.rolloutTimeoutSeconds > 0, 'rolloutTimeoutSeconds must be a positive number');
  need(Number.isInteger(c.runTimeoutMinutes) && (c.runTimeoutMinutes ?? 0) > 0, 'runTimeoutMinutes must be a positive whole number');
  need(typeof c.policy === 'object' && c.policy !== null, 'policy must be an object');
  need(nonEmpty(c.schedule?.cron) && nonEmpty(c.schedule?.timeZone) && Number.isInteger(c.schedule?.tickMinutes), 'schedule must hold cron, timeZone and tickMinutes');
  need(Array.isArray(c.runners) && c.runners.length > 0, 'runners must be a non-empty array');
  for (const [i, r] of (Array.isArray(c.runners) ? c.runners : []).entries()) {
    for (const key of ['name', 'upstreamRegistry', 'upstreamRepository', 'version', 'mirrorRepository'] as const) need(nonEmpty(r?.[key]), `runners[${i}].${key} must be a non-empty string`);
    if (r?.containerGroup !== undefined) need(nonEmpty(r.containerGroup), `runners[${i}].containerGroup must be a non-empty string when set`);
    if (r?.kubernetes !== undefined) {
      need(nonEmpty(c.cluster?.name), `runners[${i}].kubernetes needs cluster.name`);
      need(nonEmpty(r.kubernetes.namespace) && nonEmpty(r.kubernetes.deployment) && Array.isArray(r.kubernetes.implementations), `runners[${i}].kubernetes must name the namespace, the deployment and the implementations`);
    }
  }
  problems.throwIfAny();
  return c as AzureUpdaterConfig;
}
