/**
 * The updater's AWS Lambda handler: bundled at synthesis into the function's ZIP, run by
 * EventBridge Scheduler (`{"action":"scheduled"}` through the `scheduled` alias), by the deploy's
 * bootstrap invocation (`{"action":"bootstrap"}`, unqualified) and on demand (`check`, `update`,
 * `rollback` through the `on-demand` alias, the only one operators may invoke).
 *
 * An invalid payload, or an action its invoker may not request (`updater/core/payload.ts`), is
 * rejected before anything is read or changed: the invocation fails with the reason
 * (FunctionError), and one JSON log line records it. Every accepted invocation logs one line too:
 * the action and the alias it came through, next to CloudTrail's record of who invoked.
 */
import { authorizeAction, parsePayload, type Invoker } from '../core/payload';
import type { UpdaterRunResult } from '../core/run';
import { LAMBDA_ALIASES, parseAwsUpdaterConfig, UPDATER_CONFIG_ENV } from './aws-updater-config';
import { runAwsUpdater } from './aws-updater';

/** The part of Lambda's context the handler reads. */
export interface LambdaInvocationContext {
  /** The ARN the caller invoked: `arn:<partition>:lambda:<region>:<account>:function:<name>[:<qualifier>]`. */
  readonly invokedFunctionArn?: string;
  readonly awsRequestId?: string;
}

/**
 * The invoker, from the qualifier the function was invoked with: none or `$LATEST` is the deploy,
 * the `scheduled` and `on-demand` aliases are theirs; anything else (a version number, an alias the
 * kit does not create) is no invoker the kit knows.
 */
export function invokerOf(invokedFunctionArn: string | undefined): Invoker | undefined {
  const match = /^arn:[^:]+:lambda:[^:]+:\d{12}:function:[^:]+(?::([^:]+))?$/.exec(invokedFunctionArn ?? '');
  if (!match) return undefined;
  const qualifier = match[1];
  if (qualifier === undefined || qualifier === '$LATEST') return 'deploy';
  if (qualifier === LAMBDA_ALIASES.schedule) return 'schedule';
  if (qualifier === LAMBDA_ALIASES.onDemand) return 'on-demand';
  return undefined;
}

export async function handler(event: unknown, context?: LambdaInvocationContext): Promise<UpdaterRunResult> {
  const reject = (reason: string, invokedVia?: string): never => {
    console.log(JSON.stringify({ level: 'error', msg: 'runner-kit update', outcome: 'rejected', reason, ...(invokedVia !== undefined ? { invokedVia } : {}) }));
    throw new Error(reason);
  };
  const parsed = parsePayload(event);
  if (!parsed.ok) return reject(parsed.error);
  const invoker = invokerOf(context?.invokedFunctionArn);
  if (invoker === undefined) {
    return reject(
      `Rejected updater invocation: invoked as ${context?.invokedFunctionArn ?? '(no Lambda context)'}, which is neither the function itself nor its ${LAMBDA_ALIASES.schedule} or ${LAMBDA_ALIASES.onDemand} alias. Nothing was changed.`,
      context?.invokedFunctionArn,
    );
  }
  const authorized = authorizeAction(parsed.payload, invoker);
  if (!authorized.ok) return reject(authorized.error, invoker);
  console.log(JSON.stringify({ level: 'info', msg: 'runner-kit invocation', action: parsed.payload.action, ...(parsed.payload.version !== undefined ? { version: parsed.payload.version } : {}), invokedVia: invoker, requestId: context?.awsRequestId }));
  const config = parseAwsUpdaterConfig(process.env[UPDATER_CONFIG_ENV]);
  return runAwsUpdater(config, authorized.payload);
}
