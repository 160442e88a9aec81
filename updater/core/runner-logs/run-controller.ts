/**
 * What run-controller's log says about meshStack. Cloud-neutral: the same lines on EKS, AKS and GKE,
 * read through the Kubernetes API (the pod log); an adapter only fetches them.
 *
 * Why the log and not `/metrics` (:2112): run-controller's registration counter
 * `run_controller_runner_registration_success_total` is incremented at
 * `controller/registration.go:67`, and the line `Successfully updated controller registration`
 * follows on the next line (68), then `Controller registered successfully` (126): the log carries
 * the same event. Reading `/metrics` from outside the pod needs the API server's pod proxy, which
 * needs an ingress NetworkPolicy from the control plane into the runner namespace (where none is
 * allowed: nothing connects to the runner) and `pods/proxy` rights, which reach every port of every
 * pod in the namespace. The log comes from the kubelet through the API server with `pods/log` only.
 *
 * Lines at meshcloud/building-block-runner v1.3.0 (commit 555405d), Go standard `log`, same format
 * as tf-block-runner (see `tf-block-runner.ts`, which also says what happens if the format changes).
 */
import type { MeshstackObservation } from '../meshstack-signal';
import { GO_LOG_TIME, inTimeOrder, type LogEvent } from './log-event';

const T = GO_LOG_TIME;

export const RUN_CONTROLLER_LINES = {
  /** Registration (PUT of the runner object) succeeded (`[RUN CONTROLLER] `, stdout; registration.go:126, after the counter at :67). */
  registered: new RegExp(String.raw`^\[RUN CONTROLLER\] ${T} Controller registered successfully$`),
  /** One failed registration attempt, retried every 10 s for 10 minutes (main.go:52-55); a 404 (unknown UUID) too. */
  registrationFailed: new RegExp(String.raw`^\[RUN CONTROLLER\] ${T} Controller registration failed, retrying in \S+: (.*)$`),
  /** The process gives up: registration for 10 minutes (main.go:58), or the key pair does not match (controller.go:63, default logger). */
  fatal: new RegExp(String.raw`^(?:\[RUN CONTROLLER\] )?${T} (Failed to register controller after .*|Failed to initialize crypto for controller .*)$`),
  /** The polling interval in effect (`[CONTROLLER] `; controller.go:103). */
  pollingInterval: new RegExp(String.raw`^\[CONTROLLER\] ${T} Polling interval: (\d+) seconds$`),
  /** A poll failed: any status but 200 and 404, no answer, or an unreadable run (controller.go:173). */
  pollFailed: new RegExp(String.raw`^\[CONTROLLER\] ${T} Error fetching run: (.*)$`),
  /** API-key login failed (meshapi/auth.go:98); run-controller logs in for every poll (runapi.go:35-37). */
  loginFailed: new RegExp(String.raw`^${T} \[ApiKeyAuth\] failed to fetch access token: (.*)$`),
  /** A poll returned a run (controller.go:207). */
  processing: new RegExp(String.raw`^\[CONTROLLER\] ${T} Processing run (\S+) \(type: `),
} as const;

/** Failed registrations in a row before a pod counts as failing (they are 10 s apart: about 20 s). */
export const FAILED_REGISTRATIONS_TO_FAIL = 3;
/** Failed polls in a row after registration before a pod counts as failing (one per polling interval). */
export const FAILED_POLLS_TO_FAIL = 3;
/** Polling intervals after registration without a failed poll for a pod to count as reaching meshStack. */
export const QUIET_INTERVALS = 3;
/** run-controller's default polling interval (controller.go:98-103). */
export const DEFAULT_POLLING_INTERVAL_SECONDS = 10;

/**
 * Whether one run-controller container reaches meshStack, from its lines since it started, at `now`.
 *
 * Registration must have succeeded, and then either a poll returned a run, or {@link QUIET_INTERVALS}
 * polling intervals passed without `Error fetching run` (a successful poll without a run logs
 * nothing). Failing: a fatal line; {@link FAILED_REGISTRATIONS_TO_FAIL} failed registrations
 * without success (wrong secret: 401; unknown UUID: 404); or {@link FAILED_POLLS_TO_FAIL} failed
 * polls in a row after registration.
 */
export function runControllerVerdict(events: readonly LogEvent[], now: number): MeshstackObservation {
  const L = RUN_CONTROLLER_LINES;
  let registeredAt: number | undefined;
  let failedRegistrations = 0;
  let failedPolls = 0;
  let claimed: string | undefined;
  let intervalSeconds = DEFAULT_POLLING_INTERVAL_SECONDS;
  let lastFailure: string | undefined;
  let lastLogin: string | undefined;
  for (const { timestamp, message } of inTimeOrder(events)) {
    const fatal = L.fatal.exec(message);
    if (fatal) return { state: 'failing', reason: `the controller exited: ${fatal[1]}` };
    if (L.registered.test(message)) {
      registeredAt = timestamp;
      failedPolls = 0;
      claimed = undefined;
      continue;
    }
    const registration = L.registrationFailed.exec(message);
    if (registration) {
      failedRegistrations++;
      lastFailure = `registration failed: ${registration[1]}`;
      continue;
    }
    const interval = L.pollingInterval.exec(message);
    if (interval) {
      intervalSeconds = Number(interval[1]);
      continue;
    }
    const login = L.loginFailed.exec(message);
    if (login) {
      lastLogin = `login failed: ${login[1]}`;
      continue;
    }
    const poll = L.pollFailed.exec(message);
    if (poll && registeredAt !== undefined) {
      failedPolls++;
      lastFailure = `${lastLogin !== undefined ? `${lastLogin}; ` : ''}Error fetching run: ${poll[1]}`;
      lastLogin = undefined;
      continue;
    }
    const processing = L.processing.exec(message);
    if (processing && registeredAt !== undefined) {
      failedPolls = 0;
      claimed = processing[1];
    }
  }
  if (registeredAt === undefined) {
    if (failedRegistrations >= FAILED_REGISTRATIONS_TO_FAIL) return { state: 'failing', reason: `${failedRegistrations} registrations in a row failed; last: ${lastFailure}` };
    return {
      state: 'unknown',
      detail: failedRegistrations > 0 ? `not registered yet: ${lastFailure}` : 'not registered yet ("Controller registered successfully" not logged)',
    };
  }
  if (failedPolls >= FAILED_POLLS_TO_FAIL) return { state: 'failing', reason: `registered, then ${failedPolls} polls in a row failed; last: ${lastFailure}` };
  if (claimed !== undefined && failedPolls === 0) return { state: 'reaching', detail: `registered and claimed run ${claimed}` };
  const quietFor = now - registeredAt;
  if (failedPolls === 0 && quietFor >= QUIET_INTERVALS * intervalSeconds * 1000) {
    return { state: 'reaching', detail: `registered ${Math.round(quietFor / 1000)} s ago, no failed poll since (polling every ${intervalSeconds} s)` };
  }
  return {
    state: 'unknown',
    detail: failedPolls > 0 ? `registered, then ${failedPolls} failed poll(s); last: ${lastFailure}` : `registered ${Math.round(quietFor / 1000)} s ago; waiting for ${QUIET_INTERVALS} polling intervals without a failed poll`,
  };
}
