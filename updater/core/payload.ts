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
 * - `{"action": "scheduled"}` (or an EventBridge Scheduler event): the periodic run, gated by the window.
 */
import { parseReleaseTag } from './release-version';

export type UpdaterAction = 'check' | 'update' | 'rollback' | 'bootstrap' | 'scheduled';

export interface UpdaterPayload {
  readonly action: UpdaterAction;
  readonly version?: string;
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
