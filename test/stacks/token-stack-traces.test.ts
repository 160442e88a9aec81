/**
 * The app's switch that turns off cdktf's per-token stack traces (stacks/token-stack-traces.ts):
 * it must change nothing that is synthesized, only what a token-resolution error can show, and the
 * environment variable must bring the traces back. (Jest gives this file its own module registry,
 * so the patch does not reach other test files.)
 */
import { App, Fn, TerraformOutput, TerraformStack, TerraformVariable, Testing, Token } from 'cdktf';
import { disableTokenStackTraces } from '../../stacks/token-stack-traces';

/** A stack whose output goes through several tokens (variable reference, functions, a lazy list). */
function synthSample(): string {
  const app = Testing.app() as App;
  const stack = new TerraformStack(app, 'sample');
  const names = new TerraformVariable(stack, 'names', { type: 'list(string)', default: ['a', 'b'] });
  new TerraformOutput(stack, 'joined', { value: Fn.upper(Fn.join(',', Token.asList(names.value))) });
  new TerraformOutput(stack, 'count', { value: Fn.lengthOf(names.listValue) });
  return Testing.synth(stack);
}

describe('disableTokenStackTraces', () => {
  let before: string;

  it('GIVEN RUNNER_KIT_TOKEN_STACK_TRACES=1 THEN it leaves cdktf alone and tokens keep their creation stack', () => {
    expect(disableTokenStackTraces({ RUNNER_KIT_TOKEN_STACK_TRACES: '1' })).toBe(false);
    const { Intrinsic } = require('cdktf/lib/tokens/private/intrinsic') as { Intrinsic: new (v: unknown) => { creationStack: string[] } };
    expect(new Intrinsic('x').creationStack.length).toBeGreaterThan(0);
    before = synthSample();
  });

  it('GIVEN no variable THEN tokens carry no stack trace, and the synthesized JSON is byte for byte the same', () => {
    expect(disableTokenStackTraces({})).toBe(true);
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace: () => string[] };
    expect(traces.captureStackTrace()).toEqual([]);
    const { Intrinsic } = require('cdktf/lib/tokens/private/intrinsic') as { Intrinsic: new (v: unknown) => { creationStack: string[] } };
    expect(new Intrinsic('x').creationStack).toEqual([]);
    expect(synthSample()).toBe(before);
  });
});
