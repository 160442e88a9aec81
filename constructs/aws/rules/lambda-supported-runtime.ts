/** AWS-LAMBDA-1 (CKV_AWS_363): Lambda functions run on a runtime AWS has not deprecated. */
import { readString } from '../../core/rules/expressions';
import { compliant, nonCompliant, notApplicable, type Rule } from '../../core/rules/rule';
import { LAMBDA_RUNTIMES, runtimeSupport } from './support/lambda-runtimes';

/** The rule, judged on `today` (a clock, so a test can pin the date; the pack uses the system clock). */
export function lambdaSupportedRuntime(today: () => Date = () => new Date()): Rule {
  return {
    id: 'AWS-LAMBDA-1',
    title: 'Lambda functions use a runtime that is not deprecated',
    why: 'A deprecated runtime gets no security patches, and AWS then blocks creating and updating functions on it: a first deploy or an update of the updater fails on real AWS (an emulator does not enforce this).',
    fix: `Use a supported runtime from constructs/aws/rules/support/lambda-runtimes.ts (known: ${LAMBDA_RUNTIMES.map((r) => r.runtime).join(', ')}); when AWS moves a date, update that table.`,
    publicIds: ['CKV_AWS_363'],
    appliesTo: ['aws_lambda_function'],
    check: (fn) => {
      const runtime = readString(fn.body.runtime);
      if (runtime.kind === 'absent') return notApplicable('no runtime: a container-image function brings its own');
      if (runtime.kind === 'expression') return nonCompliant(`runtime is the expression ${runtime.text}: the check pack cannot prove it supported`);
      if (runtime.kind === 'invalid') return nonCompliant(`runtime is ${JSON.stringify(runtime.value)}, not a runtime identifier`);
      const support = runtimeSupport(runtime.value);
      if (support === undefined) return nonCompliant(`runtime ${runtime.value} is not in the kit's runtime table, so its support dates are unknown`);
      const day = today().toISOString().slice(0, 10);
      if (day >= support.deprecated) {
        return nonCompliant(`runtime ${runtime.value} is deprecated since ${support.deprecated} (creating functions blocked from ${support.blockCreate}, updating from ${support.blockUpdate})`);
      }
      return compliant();
    },
  };
}

export const LAMBDA_SUPPORTED_RUNTIME: Rule = lambdaSupportedRuntime();
