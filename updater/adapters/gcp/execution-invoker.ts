/**
 * Who started the updater job's execution, which decides the actions it accepts
 * (`updater/core/payload.ts`). A payload cannot say it: operators may override the job's
 * environment and arguments. Cloud Run records the principal that ran the job on the execution
 * (`Execution.creator`, output only), and sets `CLOUD_RUN_JOB` / `CLOUD_RUN_EXECUTION`, which an
 * override cannot change (reserved names). The schedule runs as its own service account, which may
 * only start the job as defined (`run.jobs.run`, no overrides).
 */
import type { Invoker } from '../../core/payload';
import { GOOGLE_ENDPOINTS, type GoogleApi } from './google-api';

export interface ExecutionInvokerOptions {
  readonly api: GoogleApi;
  readonly project: string;
  readonly region: string;
  /** The job this code belongs to (the configuration's); an execution of another job is refused. */
  readonly job: string;
  readonly schedulerServiceAccount: string;
  readonly env: NodeJS.ProcessEnv;
  /** @default GOOGLE_ENDPOINTS.run */
  readonly endpoint?: string;
}

export async function executionInvoker(o: ExecutionInvokerOptions): Promise<{ readonly invoker: Invoker; readonly creator: string } | { readonly error: string }> {
  const job = o.env.CLOUD_RUN_JOB;
  const execution = o.env.CLOUD_RUN_EXECUTION;
  if (job === undefined || execution === undefined) return { error: 'not running as a Cloud Run job execution (CLOUD_RUN_JOB and CLOUD_RUN_EXECUTION are unset)' };
  if (job !== o.job) return { error: `running as job ${job}, not the target's updater job ${o.job}` };
  if (!/^[a-z0-9-]+$/.test(execution)) return { error: `CLOUD_RUN_EXECUTION "${execution}" is not an execution name` };
  const url = `${(o.endpoint ?? GOOGLE_ENDPOINTS.run).replace(/\/+$/, '')}/v2/projects/${o.project}/locations/${o.region}/jobs/${job}/executions/${execution}`;
  const answer = await o.api.json<{ creator?: string }>('GET', url);
  const creator = answer?.creator;
  if (typeof creator !== 'string' || creator === '') return { error: `execution ${execution} names no creator` };
  return { invoker: creator.toLowerCase() === o.schedulerServiceAccount.toLowerCase() ? 'schedule' : 'on-demand', creator };
}
