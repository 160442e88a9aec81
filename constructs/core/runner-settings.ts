/**
 * Settings of the runner process that more than one part of the kit must agree on. Pure (no cdktf):
 * config validation and the updater's configuration document read them too.
 */

/**
 * tf-block-runner's `timeoutMins`, written into the runner's config file (`RUNNER_CONFIG_YAML` in
 * `constructs/core/runner-volumes.ts`). It bounds a whole run (tf-block-runner `worker.go:116`
 * at v1.3.0), so the updater looks this far back (plus a margin) for a run in progress before it
 * replaces a runner. The code has no default of its own: an omitted value is 0 and every run times
 * out at once; the image's sample config says 60.
 */
export const RUNNER_RUN_TIMEOUT_MINUTES = 60;
