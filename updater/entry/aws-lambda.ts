/**
 * The updater's AWS Lambda handler: bundled at synthesis into the function's ZIP, run by
 * EventBridge Scheduler (`{"action":"scheduled"}`), by the deploy's bootstrap invocation
 * (`{"action":"bootstrap"}`) and by operators on demand (`check`, `update`, `rollback`).
 *
 * An invalid payload is rejected before anything is read or changed: the invocation fails with
 * the reason (FunctionError), and one JSON log line records it.
 */
import { parsePayload } from '../core/payload';
import type { UpdaterRunResult } from '../core/run';
import { parseAwsUpdaterConfig, UPDATER_CONFIG_ENV } from './aws-updater-config';
import { runAwsUpdater } from './aws-updater';

export async function handler(event: unknown): Promise<UpdaterRunResult> {
  const parsed = parsePayload(event);
  if (!parsed.ok) {
    console.log(JSON.stringify({ level: 'error', msg: 'runner-kit update', outcome: 'rejected', reason: parsed.error }));
    throw new Error(parsed.error);
  }
  const config = parseAwsUpdaterConfig(process.env[UPDATER_CONFIG_ENV]);
  return runAwsUpdater(config, parsed.payload);
}
