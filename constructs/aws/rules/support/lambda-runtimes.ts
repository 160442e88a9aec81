/**
 * AWS Lambda's runtime support dates: the one place the kit records them. The check pack's
 * AWS-LAMBDA-1 (CKV_AWS_363) fails synthesis for a function on a runtime past its deprecation date,
 * and the update pipeline picks its runtime from here, so the kit notices the next deprecation on
 * its own instead of a customer's first deploy failing on real AWS.
 *
 * Source: AWS Lambda Developer Guide, "Lambda runtimes", tables "Supported runtimes" and
 * "Deprecated runtimes" (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html), read
 * 2026-12. When AWS publishes a new runtime or moves a date, update this table (and the README's
 * "Updates" section names the runtime the updater uses).
 */

export interface LambdaRuntimeSupport {
  /** Runtime identifier, e.g. `nodejs22.x`. */
  readonly runtime: string;
  /** The day AWS deprecates it (no security patches); from then on the check pack refuses it. */
  readonly deprecated: string;
  /** The day AWS blocks creating functions on it. */
  readonly blockCreate: string;
  /** The day AWS blocks updating functions on it. */
  readonly blockUpdate: string;
}

export const LAMBDA_RUNTIMES: readonly LambdaRuntimeSupport[] = [
  { runtime: 'nodejs18.x', deprecated: '2025-09-01', blockCreate: '2026-03-09', blockUpdate: '2026-04-08' },
  { runtime: 'nodejs20.x', deprecated: '2026-04-30', blockCreate: '2026-08-31', blockUpdate: '2026-09-30' },
  { runtime: 'nodejs22.x', deprecated: '2027-04-30', blockCreate: '2027-06-01', blockUpdate: '2027-07-01' },
  // nodejs24.x (deprecated 2028-04-30) needs hashicorp/aws >= 6.20; the kit pins 5.100.0, which rejects it.
  { runtime: 'nodejs24.x', deprecated: '2028-04-30', blockCreate: '2028-06-01', blockUpdate: '2028-07-01' },
];

/**
 * The updater's runtime: the newest Node.js runtime that the pinned provider (hashicorp/aws
 * 5.100.0) accepts, proven by `terraform validate` in the tests. Supported until 2027-04-30.
 */
export const UPDATER_LAMBDA_RUNTIME = 'nodejs22.x';

/** The esbuild target of a Node.js Lambda runtime: `nodejs22.x` -> `node22`. */
export function nodeTargetOf(runtime: string): string {
  const m = /^nodejs(\d+)\.x$/.exec(runtime);
  if (!m) throw new Error(`${runtime} is not a Node.js Lambda runtime (nodejs<major>.x)`);
  return `node${m[1]}`;
}

export function runtimeSupport(runtime: string): LambdaRuntimeSupport | undefined {
  return LAMBDA_RUNTIMES.find((r) => r.runtime === runtime);
}
