/**
 * `runner-kit update`: runs a target's updater from this machine, with the caller's cloud
 * credentials, exactly as the deployed updater runs (same configuration, same decision, same
 * promotion, rollout, health gate and rollback). `--dry-run` decides only and prints the decision.
 */
import { formatIssues } from '../../constructs/core/config/config-error';
import { kindOf, type TargetConfig } from '../../kinds';
import type { UpdaterPayload } from '../../updater/core/payload';
import { parsePayload } from '../../updater/core/payload';
import type { UpdaterRunResult } from '../../updater/core/run';
import { EXIT, ProblemError, UsageError, parseOptions, runReportingErrors, writeJson, type CliIo, type ExitCode } from '../command';
import { loadConfig } from '../config';

export const summary = "run a target's updater now from this machine (or --dry-run: print its decision)";

export const usage = `Usage: runner-kit update --target NAME [--dry-run] [--version vX.Y.Z] [--rollback] [--config FILE]

Runs the target's updater once, from this machine, with your cloud credentials (AWS: the SDK's
default chain: AWS_PROFILE, environment, SSO; GCP: GOOGLE_OAUTH_ACCESS_TOKEN, else Application
Default Credentials). It is the updater the deploy installed: same
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

/** Runs a target's updater; replaced in tests of the command line itself. */
export type UpdaterRunner = (name: string, target: TargetConfig, payload: UpdaterPayload, io: CliIo) => Promise<UpdaterRunResult>;

/** The target kind's updater entry (every kind with an update pipeline has one). */
const runTargetUpdater: UpdaterRunner = (name, target, payload, io) => {
  const kind = kindOf(target);
  if (kind.updater === undefined) throw new ProblemError(`target "${name}" (${kind.cloud}/${kind.platform}) has no updater this command can run`);
  return kind.updater(name, target).run(payload, (line) => io.stderr.write(`${line}\n`), io.env);
};

export function run(argv: readonly string[], io: CliIo, runner: UpdaterRunner = runTargetUpdater): Promise<ExitCode> {
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
    const result = await runner(options.target, target, parsed.payload, io);
    writeJson(io, result);
    const bad = Object.values(result.runners).some(
      (r) => r.outcome === 'failed' || r.outcome === 'deferred-busy' || (r.outcome === 'rolled-back' && parsed.payload.action !== 'rollback'),
    );
    return bad ? EXIT.problem : EXIT.ok;
  });
}
