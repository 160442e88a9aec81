/**
 * The contract between the Azure update pipeline (synthesis) and the updater's Azure Functions
 * entry: one JSON document in the function app's settings, written by
 * `constructs/azure/update-pipeline.ts` and validated here before the updater does anything.
 * Everything in it is known at synthesis (names and ids derived from the config), so the same
 * document drives the function, the local CLI (`runner-kit update`) and the tests.
 */
import type { MaintenanceWindow } from '../core/maintenance-window';
import type { UpdateChannel } from '../core/update-policy';

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
}

/** Parses and checks the document; throws one error listing every problem. */
export function parseAzureUpdaterConfig(text: string | undefined): AzureUpdaterConfig {
  if (text === undefined || text.trim() === '') {
    throw new Error(`${AZURE_UPDATER_CONFIG_ENV} is not set: the updater was not deployed by the kit (or its settings were edited)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${AZURE_UPDATER_CONFIG_ENV} is not JSON: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const c = value as Partial<AzureUpdaterConfig>;
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const nonEmpty = (v: unknown) => typeof v === 'string' && v !== '';
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
  }
  if (problems.length > 0) throw new Error(`${AZURE_UPDATER_CONFIG_ENV} is invalid: ${problems.join('; ')}`);
  return c as AzureUpdaterConfig;
}
