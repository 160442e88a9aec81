/**
 * `runner-kit update`: runs a target's updater from this machine, with the caller's cloud
 * credentials, exactly as the deployed updater runs (same configuration, same decision, same
 * promotion, rollout, health gate and rollback). `--dry-run` decides only and prints the decision.
 */
import { App, TerraformStack } from 'cdktf';
import { formatIssues } from '../../constructs/core/config/config-error';
import type { UpdaterPayload } from '../../updater/core/payload';
import { parsePayload } from '../../updater/core/payload';
import type { UpdaterRunResult } from '../../updater/core/run';
import type { AwsUpdaterConfig } from '../../updater/entry/aws-updater-config';
import { runAwsUpdater } from '../../updater/entry/aws-updater';
import { AwsEcsStack } from '../../stacks/aws-ecs-stack';
import { addTargetStacks } from '../../stacks/targets';
import { EXIT, ProblemError, UsageError, parseOptions, runReportingErrors, writeJson, type CliIo, type ExitCode } from '../command';
import { loadConfig } from '../config';

export const summary = "run a target's updater now from this machine (or --dry-run: print its decision)";

export const usage = `Usage: runner-kit update --target NAME [--dry-run] [--version vX.Y.Z] [--rollback] [--config FILE]

Runs the target's updater once, from this machine, with your cloud credentials (the AWS SDK's
default chain: AWS_PROFILE, environment, SSO). It is the updater the deploy installed: same
configuration, decision, promotion into the mirror, rollout, health gate and rollback.

Options:
  --target NAME     the target (as named in the config)
  --dry-run         decide only: what the policy would do now ("check"); changes nothing
  --version vX.Y.Z  a release to move to instead of the policy's choice
  --rollback        return every runner of the target to its previous revision
  --config FILE     config file (default: $RUNNER_KIT_CONFIG, else ./runner-kit.yaml)
  -h, --help        show this help

Without --dry-run and --rollback, the update is applied now, without waiting for the
maintenance window (an operator's "update").

Prints one JSON document on stdout: {"target", "action", "runners": {NAME: {outcome, from, to,
digest, image, revision, reason}}}; the updater's log lines go to stderr.

Exit codes: 0 done (up to date, updated, or only reported), 1 a runner failed or was rolled
back, or was left alone because it executes a run (deferred-busy: nothing changed; ask again
later), or the config or target is wrong, 2 bad command line.
`;

const OPTIONS = {
  target: { type: 'string' },
  'dry-run': { type: 'boolean' },
  version: { type: 'string' },
  rollback: { type: 'boolean' },
  config: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Replaces the AWS run, for tests of the command line itself. */
export type UpdaterRunner = (config: AwsUpdaterConfig, payload: UpdaterPayload, endpoint: string | undefined, io: CliIo) => Promise<UpdaterRunResult>;

const runOnAws: UpdaterRunner = (config, payload, endpoint, io) =>
  runAwsUpdater(config, payload, {
    clients: endpoint === undefined ? {} : { endpoint, credentials: emulatorCredentials(io) },
    log: (line) => io.stderr.write(`${line}\n`),
    // A dry run decides only; its report is the printed result, not a metric data point.
    ...(payload.action === 'check' ? { reporter: { report: async (r) => void io.stderr.write(`${JSON.stringify(r)}\n`) } } : {}),
  });

export function run(argv: readonly string[], io: CliIo, runner: UpdaterRunner = runOnAws): Promise<ExitCode> {
  return runReportingErrors('update', io, async () => {
    const options = parseOptions(argv, OPTIONS);
    if (options.help) {
      io.stdout.write(usage);
      return EXIT.ok;
    }
    if (options.target === undefined) throw new UsageError('--target is required');
    if (options.rollback && (options['dry-run'] || options.version !== undefined)) {
      throw new UsageError('--rollback takes neither --dry-run nor --version');
    }
    const parsed = parsePayload({
      action: options.rollback ? 'rollback' : options['dry-run'] ? 'check' : 'update',
      ...(options.version !== undefined ? { version: options.version } : {}),
    });
    if (!parsed.ok) throw new UsageError(parsed.error.replace(/^Invalid updater payload: /, ''));

    const loaded = loadConfig(options.config, io);
    if (!loaded.result.ok) throw new ProblemError(formatIssues(loaded.display, loaded.result.issues));
    const config = loaded.result.config;
    const target = config.targets[options.target];
    if (target === undefined) {
      throw new ProblemError(`no target "${options.target}" in ${loaded.display}; targets: ${Object.keys(config.targets).join(', ')}`);
    }
    const updater = updaterConfigOf({ targets: { [options.target]: target } }, options.target);
    const result = await runner(updater, parsed.payload, target.aws?.endpoint, io);
    writeJson(io, result);
    const bad = Object.values(result.runners).some(
      (r) => r.outcome === 'failed' || r.outcome === 'deferred-busy' || (r.outcome === 'rolled-back' && parsed.payload.action !== 'rollback'),
    );
    return bad ? EXIT.problem : EXIT.ok;
  });
}

/** The updater configuration the deploy puts in the function, built the same way (in memory, nothing written). */
function updaterConfigOf(config: Parameters<typeof addTargetStacks>[1], name: string): AwsUpdaterConfig {
  const stacks: TerraformStack[] = addTargetStacks(new App({ outdir: '/nonexistent-runner-kit-update', skipValidation: true }), config);
  const stack = stacks.find((s): s is AwsEcsStack => s instanceof AwsEcsStack);
  if (stack === undefined) throw new ProblemError(`target "${name}" has no updater this command can run yet (only aws/ecs)`);
  return stack.updates.updaterConfig;
}

function emulatorCredentials(io: CliIo): { accessKeyId: string; secretAccessKey: string } {
  return { accessKeyId: io.env.AWS_ACCESS_KEY_ID ?? 'emulator', secretAccessKey: io.env.AWS_SECRET_ACCESS_KEY ?? 'emulator' };
}
