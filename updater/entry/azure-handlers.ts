/**
 * The updater's two Azure Functions triggers as plain functions (the registration with the
 * Functions host is `azure-function.ts`): a timer tick and an on-demand request from the queue.
 * The invoker is derived from the trigger, never from the payload: the timer is the schedule, the
 * queue is on demand (`updater/core/payload.ts`). An invalid payload, or an action its invoker may
 * not request, is rejected before anything is read or changed, with one JSON log line saying why.
 */
import { authorizeAction, parsePayload, type Invoker, type UpdaterPayload } from '../core/payload';
import type { UpdaterRunResult } from '../core/run';
import { scheduledRunDue } from '../core/schedule-gate';
import { AZURE_UPDATER_CONFIG_ENV, parseAzureUpdaterConfig, type AzureUpdaterConfig } from './azure-updater-config';
import { linkRunnerLogs, runAzureUpdater, type AzureUpdaterOptions } from './azure-updater';

/** The queue the host watches (`constructs/azure/azure-names.ts`: UPDATER_REQUEST_QUEUE). */
export const REQUEST_QUEUE = 'updater-requests';

export interface HandlerDeps {
  readonly config: AzureUpdaterConfig;
  readonly options?: AzureUpdaterOptions;
  readonly now?: () => Date;
  readonly log?: (line: string) => void;
}

/** The deployed function's dependencies: its configuration document, and the host's logger. */
export function depsFromEnvironment(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): HandlerDeps {
  return { config: parseAzureUpdaterConfig(env[AZURE_UPDATER_CONFIG_ENV]), log };
}

/** One timer tick: link runner logs, then the scheduled run if it fell due. */
export async function handleTick(deps: HandlerDeps): Promise<UpdaterRunResult | undefined> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const options = { ...deps.options, log };
  await linkRunnerLogs(deps.config, options);
  const now = (deps.now ?? (() => new Date()))();
  if (!scheduledRunDue({ schedule: deps.config.schedule.cron, timeZone: deps.config.schedule.timeZone }, now, deps.config.schedule.tickMinutes)) return undefined;
  log(JSON.stringify({ level: 'info', msg: 'runner-kit invocation', action: 'scheduled', invokedVia: 'schedule' }));
  return runAzureUpdater(deps.config, { action: 'scheduled' }, options);
}

/** One on-demand request from the queue (the host hands JSON messages over parsed). */
export async function handleRequest(message: unknown, deps: HandlerDeps): Promise<UpdaterRunResult | undefined> {
  const log = deps.log ?? ((line: string) => console.log(line));
  const reject = (reason: string): undefined => {
    log(JSON.stringify({ level: 'error', msg: 'runner-kit update', outcome: 'rejected', reason, invokedVia: 'on-demand' }));
    return undefined;
  };
  let body: unknown = message;
  if (typeof message === 'string') {
    try {
      body = JSON.parse(message);
    } catch {
      return reject(`Invalid updater payload: the queue message is not JSON (${message.length > 120 ? `${message.slice(0, 120)}...` : message}); accepted: {"action": "check" | "update" | "rollback", "version"?: "vX.Y.Z"}. Nothing was changed.`);
    }
  }
  const parsed = parsePayload(body);
  if (!parsed.ok) return reject(parsed.error);
  const invoker: Invoker = 'on-demand';
  const authorized = authorizeAction(parsed.payload, invoker);
  if (!authorized.ok) return reject(authorized.error);
  const payload: UpdaterPayload = authorized.payload;
  log(JSON.stringify({ level: 'info', msg: 'runner-kit invocation', action: payload.action, ...(payload.version !== undefined ? { version: payload.version } : {}), invokedVia: invoker }));
  return runAzureUpdater(deps.config, payload, { ...deps.options, log });
}

