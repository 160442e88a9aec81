/**
 * `runner-kit validate`: checks the config exactly as synthesis does (`loadConfigFile`: YAML,
 * schema, semantic checks) without building anything, and reports every problem at once. Meant
 * for editors, pre-commit hooks and CI: exit 0 when valid, 1 when not, and `--json` for machines.
 */
import { formatIssues, type ConfigIssue } from '../../constructs/core/config/config-error';
import type { KitConfig } from '../../constructs/core/config/schema';
import { EXIT, parseOptions, runReportingErrors, writeJson, type CliIo, type ExitCode } from '../command';
import { loadConfig, type LoadedConfig } from '../config';

export const summary = 'check the config file the way synthesis does; report every problem at once';

export const usage = `Usage: runner-kit validate [--config FILE] [--json]

Validates the kit's config (YAML syntax, schema, meaning) exactly as synthesis does, without
synthesizing anything.

Options:
  --config FILE  config file (default: $RUNNER_KIT_CONFIG, else ./runner-kit.yaml)
  --json         print one JSON document on stdout:
                   {"ok": true, "config": PATH, "targets": [{name, cloud, platform, region, runners}]}
                   {"ok": false, "config": PATH, "issues": [{path, received, message, fix}]}
  -h, --help     show this help

Exit codes: 0 valid, 1 problems found, 2 bad command line.
`;

const OPTIONS = {
  config: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** One target as reported on success. */
export interface TargetSummary {
  readonly name: string;
  readonly cloud: string;
  readonly platform: string;
  readonly region: string;
  readonly runners: readonly string[];
}

export type ValidateReport =
  | { readonly ok: true; readonly config: string; readonly targets: readonly TargetSummary[] }
  | { readonly ok: false; readonly config: string; readonly issues: readonly ConfigIssue[] };

export function run(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  return runReportingErrors('validate', io, async () => {
    const options = parseOptions(argv, OPTIONS);
    if (options.help) {
      io.stdout.write(usage);
      return EXIT.ok;
    }
    const loaded = loadConfig(options.config, io);
    if (options.json) writeJson(io, toReport(loaded));
    else writeHuman(io, loaded);
    return loaded.result.ok ? EXIT.ok : EXIT.problem;
  });
}

/** The `--json` document; `config` is the absolute path, so a machine can open it from anywhere. */
export function toReport(loaded: LoadedConfig): ValidateReport {
  const { result } = loaded;
  if (!result.ok) return { ok: false, config: loaded.file, issues: result.issues.map(jsonSafeIssue) };
  return { ok: true, config: loaded.file, targets: summarizeTargets(result.config) };
}

/** Targets in file order with their runner names. */
export function summarizeTargets(config: KitConfig): TargetSummary[] {
  return Object.entries(config.targets).map(([name, t]) => ({
    name,
    cloud: t.cloud,
    platform: t.platform,
    region: t.region,
    runners: Object.keys(t.runners),
  }));
}

/**
 * An issue with `received` always present: JSON.stringify drops undefined members, and a consumer
 * should not have to guess whether the field exists, so a missing value becomes null.
 */
function jsonSafeIssue(issue: ConfigIssue): ConfigIssue {
  return { path: issue.path, received: issue.received ?? null, message: issue.message, fix: issue.fix };
}

/** Success: a header and one aligned line per target on stdout. Problems: formatIssues on stderr. */
function writeHuman(io: CliIo, loaded: LoadedConfig): void {
  const { result } = loaded;
  if (!result.ok) {
    io.stderr.write(`${formatIssues(loaded.display, result.issues)}\n`);
    return;
  }
  const targets = summarizeTargets(result.config);
  io.stdout.write(`${loaded.display}: valid, ${targets.length} target${targets.length === 1 ? '' : 's'}\n`);
  const nameWidth = Math.max(...targets.map((t) => t.name.length));
  const kindWidth = Math.max(...targets.map((t) => `${t.cloud}/${t.platform}`.length));
  const regionWidth = Math.max(...targets.map((t) => t.region.length));
  for (const t of targets) {
    const cells = [t.name.padEnd(nameWidth), `${t.cloud}/${t.platform}`.padEnd(kindWidth), t.region.padEnd(regionWidth)];
    io.stdout.write(`  ${cells.join('  ')}  runners: ${t.runners.join(', ') || '(none)'}\n`);
  }
}
