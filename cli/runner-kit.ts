/**
 * The `runner-kit` command: dispatches `runner-kit <command> [options]` to the modules in
 * `cli/commands/`. A new subcommand is one file there exporting `summary`, `usage` and
 * `run(argv, io)`, plus one line in COMMANDS.
 *
 * Exit codes (a contract for scripts): 0 ok, 1 a problem found in the input, 2 bad command line.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { EXIT, processIo, type CliIo, type Command, type ExitCode } from './command';
import * as keys from './commands/keys';
import * as update from './commands/update';
import * as validate from './commands/validate';

/** Subcommands by name, in the order `--help` lists them. */
export const COMMANDS: Readonly<Record<string, Command>> = { validate, keys, update };

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: runner-kit <command> [options]',
    '',
    'Deploys meshStack building-block runners privately in your cloud (with cdktf); these commands',
    'help operate it.',
    '',
    'Commands:',
    ...lines,
    '',
    "Run 'runner-kit <command> --help' for a command's options.",
    'Exit codes: 0 ok, 1 problem found in the input, 2 bad command line.',
    '',
  ].join('\n');
}

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const [first, ...rest] = argv;
  if (first === undefined) return usageError(io, 'no command given');
  if (first === '-h' || first === '--help') return writeOk(io, usage());
  if (first === '-V' || first === '--version') return writeOk(io, `${version()}\n`);
  if (first === 'help') return help(rest, io);
  if (first.startsWith('-')) return usageError(io, `unknown option ${first} (options go after the command)`);
  const command = lookup(first);
  if (command === undefined) return usageError(io, `unknown command "${first}"`);
  return command.run(rest, io);
}

/** `runner-kit help [command]`: the overview, or one command's usage. */
function help(rest: readonly string[], io: CliIo): ExitCode {
  const [name] = rest;
  if (name === undefined) return writeOk(io, usage());
  const command = lookup(name);
  return command === undefined ? usageError(io, `unknown command "${name}"`) : writeOk(io, command.usage);
}

/** Own properties only, so `runner-kit constructor` is an unknown command, not a crash. */
function lookup(name: string): Command | undefined {
  return Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
}

function writeOk(io: CliIo, text: string): ExitCode {
  io.stdout.write(text);
  return EXIT.ok;
}

/** Names the mistake and the commands that exist; the overview goes to stderr, stdout stays clean. */
function usageError(io: CliIo, message: string): ExitCode {
  io.stderr.write(`runner-kit: ${message}; commands: ${Object.keys(COMMANDS).join(', ')}\n\n${usage()}`);
  return EXIT.usage;
}

/** The kit's version from package.json. */
function version(): string {
  const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8')) as { name: string; version: string };
  return `${manifest.name} ${manifest.version}`;
}

/**
 * The process entry point: sets `process.exitCode` rather than calling process.exit, so output
 * piped to another program is fully flushed. An unexpected exception is a bug: stack on stderr, exit 1.
 */
export async function runProcess(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    process.stderr.write(`runner-kit: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = EXIT.problem;
  }
}

if (require.main === module) void runProcess();
