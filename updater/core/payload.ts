/**
 * The updater's invoke payload, validated before anything happens. Operators (and the deploy's
 * bootstrap step) send JSON; anything but the documented shape is rejected with a message that
 * says what was received and what is accepted, and changes nothing.
 *
 * - `{"action": "check"}`: report what the policy would do; changes nothing.
 * - `{"action": "update", "version"?: "vX.Y.Z"}`: apply the policy's choice (or the given release) now,
 *   without waiting for the maintenance window.
 * - `{"action": "rollback"}`: return every runner to the revision before the last change.
 * - `{"action": "bootstrap"}`: used by the deploy itself: promote each runner's configured version
 *   into the mirror and return the digests. Touches no running service.
 * - `{"action": "scheduled"}`: the periodic run, gated by the window.
 *
 * Who may send which (`ACTIONS_BY_INVOKER`, enforced by `authorizeAction` after the shape is valid):
 * - the deploy (Terraform's invocation at the first deploy): `bootstrap` only;
 * - the schedule (EventBridge Scheduler): `scheduled` only;
 * - on demand (meshcloud operators, the customer's administrators): `check`, `update`, `rollback`.
 * The invoker is not a payload field, which any caller could set: each cloud's entry point derives it
 * from how the function was invoked, which the cloud's access control decides (AWS: the Lambda alias
 * in `context.invokedFunctionArn`; IAM lets the scheduler's role invoke only the `scheduled` alias and
 * operators only `on-demand`). So an operator cannot start a `bootstrap` or a `scheduled` run (which,
 * inside the maintenance window, would apply the policy's choice with the schedule's authority), and
 * the schedule can never roll back or move to a requested version.
 */
import { parseReleaseTag } from './release-version';

export type UpdaterAction = 'check' | 'update' | 'rollback' | 'bootstrap' | 'scheduled';

export interface UpdaterPayload {
  readonly action: UpdaterAction;
  readonly version?: string;
}

/** Who invoked the updater, as the entry point derives it from the cloud's invocation (never from the payload). */
export type Invoker = 'deploy' | 'schedule' | 'on-demand';

/** The actions each invoker may request; everything else is rejected before anything is read. */
export const ACTIONS_BY_INVOKER: Readonly<Record<Invoker, readonly UpdaterAction[]>> = {
  deploy: ['bootstrap'],
  schedule: ['scheduled'],
  'on-demand': ['check', 'update', 'rollback'],
};

/** Where each invoker's requests come from, for messages. */
const FROM: Readonly<Record<Invoker, string>> = {
  deploy: "from the deploy's invocation",
  schedule: 'from the schedule',
  'on-demand': 'on demand',
};

/** Whether `invoker` may request the payload's action; the rejection says who may, and changes nothing. */
export function authorizeAction(payload: UpdaterPayload, invoker: Invoker): PayloadResult {
  if (ACTIONS_BY_INVOKER[invoker].includes(payload.action)) return { ok: true, payload };
  const allowed = (Object.keys(ACTIONS_BY_INVOKER) as Invoker[]).filter((i) => ACTIONS_BY_INVOKER[i].includes(payload.action)).map((i) => FROM[i]);
  return {
    ok: false,
    error: `Rejected updater invocation: action "${payload.action}" is accepted only ${allowed.join(' or ')}, not ${FROM[invoker]} (which accepts ${ACTIONS_BY_INVOKER[invoker].join(', ')}). Nothing was changed.`,
  };
}

export type PayloadResult =
  | { readonly ok: true; readonly payload: UpdaterPayload }
  | { readonly ok: false; readonly error: string };

const ACTIONS: readonly UpdaterAction[] = ['check', 'update', 'rollback', 'bootstrap', 'scheduled'];
const ACCEPTED =
  'accepted: {"action": "check" | "update" | "rollback", "version"?: "vX.Y.Z"} (version only with check or update)';
const MAX_SHOWN = 120;

/** Validates an invoke payload (already JSON-parsed by the runtime). Never throws. */
export function parsePayload(input: unknown): PayloadResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return fail(`payload must be a JSON object, got ${show(input)}`);
  }
  const record = input as Record<string, unknown>;
  const unknownKeys = Object.keys(record).filter((k) => k !== 'action' && k !== 'version');
  if (unknownKeys.length > 0) {
    return fail(`unknown field(s) ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}`);
  }
  const { action, version } = record;
  if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) {
    return fail(`"action" must be one of check, update, rollback; got ${show(action)}`);
  }
  if (version === undefined) return { ok: true, payload: { action: action as UpdaterAction } };
  if (action !== 'check' && action !== 'update') {
    return fail(`"version" is only accepted with action check or update; action ${action} takes none`);
  }
  if (typeof version !== 'string' || parseReleaseTag(version) === undefined) {
    return fail(`"version" must be a release tag vX.Y.Z (e.g. v1.3.0); got ${show(version)}`);
  }
  return { ok: true, payload: { action: action as UpdaterAction, version } };
}

function fail(problem: string): PayloadResult {
  return { ok: false, error: `Invalid updater payload: ${problem}; ${ACCEPTED}. Nothing was changed.` };
}

function show(value: unknown): string {
  let text: string;
  try {
    text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}...` : text;
}
