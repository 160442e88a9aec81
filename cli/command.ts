/**
 * What every `runner-kit` subcommand shares: the injectable I/O, the exit codes, the two error
 * kinds and strict option parsing. A subcommand is a module in `cli/commands/` exporting
 * `summary`, `usage` and `run(argv, io)`, registered in `cli/runner-kit.ts`; tests call `run`
 * in-process with a captured `io` instead of spawning a process.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Where a command reads its environment and writes its output; `processIo()` is the real one. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: NodeJS.ProcessEnv;
  /** Directory relative paths (--config, --out) resolve against. */
  readonly cwd: string;
}

export interface TextSink {
  write(text: string): unknown;
}

/** The I/O of the running process. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Exit codes: scripts and CI branch on them, so they are a contract. */
export const EXIT = {
  /** Done; nothing wrong. */
  ok: 0,
  /** The command ran and found a problem in its input (invalid config, unknown runner, file exists). */
  problem: 1,
  /** The command line itself is wrong (unknown command or option, missing or malformed option). */
  usage: 2,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A subcommand module, as registered in the dispatcher. */
export interface Command {
  /** One line for `runner-kit --help`. */
  readonly summary: string;
  /** The full `runner-kit <name> --help` text. */
  readonly usage: string;
  run(argv: readonly string[], io: CliIo): Promise<ExitCode>;
}

/** The command line is wrong: reported with a pointer to --help, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The input is wrong (config, names, files): reported as is, exit 1. */
export class ProblemError extends Error {
  override readonly name = 'ProblemError';
}

/**
 * Strict parsing with `node:util` parseArgs: unknown options and positional arguments are errors,
 * never silently ignored (a typo like `--day 30` must not fall back to the default). parseArgs'
 * own errors become `UsageError`s with a shorter message naming the known options.
 */
export function parseOptions<O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false }).values;
  } catch (e) {
    throw new UsageError(describeParseError(e, Object.keys(options)));
  }
}

function describeParseError(e: unknown, known: readonly string[]): string {
  const error = e as { code?: string; message?: string };
  const quoted = /'([^']*)'/.exec(error.message ?? '')?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted ?? ''}; known options: ${known.map((k) => `--${k}`).join(', ')}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument "${quoted ?? ''}": this command takes options only`;
    default:
      return error.message ?? String(e);
  }
}

/**
 * Runs a command body and maps the two expected error kinds to their exit codes and messages on
 * stderr; anything else is a bug and propagates.
 */
export async function runReportingErrors(name: string, io: CliIo, body: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`runner-kit ${name}: ${e.message}\nRun 'runner-kit ${name} --help' for usage.\n`);
      return EXIT.usage;
    }
    if (e instanceof ProblemError) {
      io.stderr.write(`runner-kit ${name}: ${e.message}\n`);
      return EXIT.problem;
    }
    throw e;
  }
}

/** Writes one JSON document (two-space indented, newline-terminated). */
export function writeJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
