/**
 * cdktf records a full stack trace (at an unlimited depth) for every token it creates
 * (`Intrinsic.creationStack`, `cdktf/lib/tokens/private/stack-trace.js`), and a stack makes
 * thousands of tokens: every resource attribute read, every `Fn` call. The traces appear only in
 * the text of a token-resolution error. Measured on the examples (one process, every target), they
 * cost about a sixth of synthesis time and a quarter of its peak memory, so the kit's app turns them
 * off; set `RUNNER_KIT_TOKEN_STACK_TRACES=1` to get them back when a resolution error needs them.
 * cdktf 0.21.0 is its final release (pinned), so this internal module does not move.
 */
export function disableTokenStackTraces(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.RUNNER_KIT_TOKEN_STACK_TRACES === '1') return false;
  const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
  traces.captureStackTrace = () => [];
  return true;
}
