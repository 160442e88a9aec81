/**
 * How the updater job starts, so that an on-demand run cannot change what it runs.
 *
 * Operators start the job with a payload through `run.jobs.runWithOverrides`, and an override may
 * replace the container's arguments and set any environment variable that is not reserved
 * (`RunJobRequest.Overrides.ContainerOverride`: args, env, clear_args). Left as a plain
 * `node <bundle>` with the configuration in the environment, an override could run other code as
 * the updater's service account (`args: ["-e", ...]`, `NODE_OPTIONS=--import=...`) or point the
 * updater at another configuration (another upstream image, other worker pools).
 *
 * So the whole start is the container's `command` (overrides cannot change it; override args land
 * in `$0`, `$1`, ... of the script, which reads none of them): `/bin/sh -c` with a fixed script
 * that clears the environment (`env -i`) and passes on only what Cloud Run sets and reserves
 * (`CLOUD_RUN_JOB`, `CLOUD_RUN_EXECUTION`, the task's index and count) and the payload, which the
 * updater validates and authorizes against who started the execution. The configuration document
 * is a literal of the script, as are the paths of `node` and the bundle.
 */

/** The official Node.js image's paths (`node:22-alpine`: busybox `env`, node in /usr/local/bin). */
export interface UpdaterJobPaths {
  readonly env: string;
  readonly node: string;
}
export const UPDATER_JOB_PATHS: UpdaterJobPaths = { env: '/usr/bin/env', node: '/usr/local/bin/node' };

/** What reaches the updater from the execution's environment: Cloud Run's reserved names and the payload. */
export const UPDATER_JOB_PASSED_ENV = ['CLOUD_RUN_JOB', 'CLOUD_RUN_EXECUTION', 'CLOUD_RUN_TASK_INDEX', 'CLOUD_RUN_TASK_COUNT'] as const;

/** One shell word holding `text` literally (single quotes; a quote inside is closed, escaped, reopened). */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `/bin/sh -c` script: `configEnv` set to the literal `configText`, `payloadEnv` and
 * {@link UPDATER_JOB_PASSED_ENV} passed on, nothing else, then `node <bundle>`.
 */
export function updaterJobScript(o: { readonly bundle: string; readonly configEnv: string; readonly configText: string; readonly payloadEnv: string }, p: UpdaterJobPaths = UPDATER_JOB_PATHS): string {
  const passed = [...UPDATER_JOB_PASSED_ENV, o.payloadEnv].map((name) => `${name}="$${name}"`);
  return ['exec', p.env, '-i', ...passed, `${o.configEnv}=${shellQuote(o.configText)}`, p.node, '--enable-source-maps', o.bundle].join(' ');
}
