/**
 * The updater's entry on GCP, bundled at synthesis into one file (`constructs/gcp/update-pipeline.ts`):
 *
 * - in the Cloud Run job (`CLOUD_RUN_EXECUTION` is set): the payload comes from
 *   `RUNNER_KIT_PAYLOAD` (the job's default is the scheduled action; operators override it), the
 *   invoker from who started the execution (`adapters/gcp/execution-invoker.ts`): the schedule's
 *   service account may only run `scheduled`, everyone else only `check`, `update`, `rollback`;
 * - on the deploying machine, `node <bundle> bootstrap` (the deploy's local-exec step, outside
 *   Cloud Run): the bootstrap, with the deployer's credentials.
 *
 * An invalid payload or an action its invoker may not request is rejected before anything is read
 * or changed: one JSON error line, exit code 1 (the execution fails, and the error alert fires).
 */
import { authorizeAction, parsePayload } from '../core/payload';
import { defaultTokenProvider } from '../adapters/gcp/access-token';
import { executionInvoker } from '../adapters/gcp/execution-invoker';
import { GOOGLE_ENDPOINTS, GoogleApi } from '../adapters/gcp/google-api';
import { bootstrapGcp, runGcpUpdater } from './gcp-updater';
import { GCP_UPDATER_CONFIG_ENV, GCP_UPDATER_PAYLOAD_ENV, parseGcpUpdaterConfig } from './gcp-updater-config';

export interface JobIo {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly log: (line: string) => void;
  /** Google API endpoints (tests). */
  readonly endpoints?: Partial<typeof GOOGLE_ENDPOINTS>;
  readonly mirrorRegistryUrlOverride?: string;
  readonly upstreamRegistryUrlOverride?: string;
  readonly pollIntervalMs?: number;
  readonly minimumSignalSeconds?: number;
  readonly busyWaitSeconds?: number;
}

/** Runs once; resolves to the process exit code. */
export async function main(io: JobIo): Promise<number> {
  const reject = (reason: string, extra: Record<string, unknown> = {}) => {
    io.log(JSON.stringify({ severity: 'ERROR', msg: 'runner-kit invocation', outcome: 'rejected', reason, ...extra }));
    return 1;
  };
  let config;
  try {
    config = parseGcpUpdaterConfig(io.env[GCP_UPDATER_CONFIG_ENV]);
  } catch (error) {
    return reject((error as Error).message);
  }
  const tokens = defaultTokenProvider(io.env);
  const options = {
    env: io.env,
    tokens,
    log: io.log,
    ...(io.endpoints !== undefined ? { endpoints: io.endpoints } : {}),
    ...(io.mirrorRegistryUrlOverride !== undefined ? { mirrorRegistryUrlOverride: io.mirrorRegistryUrlOverride } : {}),
    ...(io.upstreamRegistryUrlOverride !== undefined ? { upstreamRegistryUrlOverride: io.upstreamRegistryUrlOverride } : {}),
    ...(io.pollIntervalMs !== undefined ? { pollIntervalMs: io.pollIntervalMs } : {}),
    ...(io.minimumSignalSeconds !== undefined ? { minimumSignalSeconds: io.minimumSignalSeconds } : {}),
    ...(io.busyWaitSeconds !== undefined ? { busyWaitSeconds: io.busyWaitSeconds } : {}),
  };
  const inCloudRun = io.env.CLOUD_RUN_EXECUTION !== undefined || io.env.CLOUD_RUN_JOB !== undefined;
  if (!inCloudRun) {
    if (io.argv[0] !== 'bootstrap') return reject(`outside a Cloud Run job this program only runs the deploy's bootstrap ("bootstrap"); got ${JSON.stringify(io.argv.join(' '))}. Use runner-kit update for the rest.`);
    try {
      const result = await bootstrapGcp(config, options);
      io.log(JSON.stringify({ severity: 'INFO', msg: 'runner-kit bootstrap', runners: Object.fromEntries(Object.entries(result.runners).map(([n, r]) => [n, { version: r.to, image: r.image }])) }));
      return 0;
    } catch (error) {
      io.log(JSON.stringify({ severity: 'ERROR', msg: 'runner-kit bootstrap', reason: (error as Error).message }));
      return 1;
    }
  }
  // One updater at a time: an on-demand run may override task_count, so any other count is refused.
  const taskCount = io.env.CLOUD_RUN_TASK_COUNT;
  if (taskCount !== undefined && taskCount !== '' && taskCount !== '1') return reject(`this execution has ${JSON.stringify(taskCount)} tasks; the updater runs as exactly one (do not override the task count). Nothing was changed.`);
  let raw: unknown;
  try {
    raw = JSON.parse(io.env[GCP_UPDATER_PAYLOAD_ENV] ?? '');
  } catch {
    return reject(`${GCP_UPDATER_PAYLOAD_ENV} is not JSON: ${JSON.stringify((io.env[GCP_UPDATER_PAYLOAD_ENV] ?? '').slice(0, 120))}; set it to e.g. {"action":"check"}. Nothing was changed.`);
  }
  const parsed = parsePayload(raw);
  if (!parsed.ok) return reject(parsed.error);
  const who = await executionInvoker({ api: new GoogleApi({ tokens }), project: config.project, region: config.region, job: config.job, schedulerServiceAccount: config.schedulerServiceAccount, env: io.env, ...(io.endpoints?.run !== undefined ? { endpoint: io.endpoints.run } : {}) }).catch((error: Error) => ({ error: `cannot tell who started this execution: ${error.message}` }));
  if ('error' in who) return reject(`Rejected updater invocation: ${who.error}. Nothing was changed.`);
  const authorized = authorizeAction(parsed.payload, who.invoker);
  if (!authorized.ok) return reject(authorized.error, { invokedBy: who.creator });
  io.log(JSON.stringify({ severity: 'INFO', msg: 'runner-kit invocation', action: parsed.payload.action, ...(parsed.payload.version !== undefined ? { version: parsed.payload.version } : {}), invokedVia: who.invoker, invokedBy: who.creator }));
  try {
    await runGcpUpdater(config, authorized.payload, options);
    return 0;
  } catch (error) {
    io.log(JSON.stringify({ severity: 'ERROR', msg: 'runner-kit run', reason: (error as Error).message }));
    return 1;
  }
}

if (require.main === module) {
  main({ argv: process.argv.slice(2), env: process.env, log: (line) => console.log(line) }).then(
    (code) => process.exit(code),
    (error: Error) => {
      console.log(JSON.stringify({ severity: 'ERROR', msg: 'runner-kit crash', reason: error.message }));
      process.exit(1);
    },
  );
}
