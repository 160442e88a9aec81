/**
 * `runner-kit keys`: generates a runner's RSA-4096 key pair on the operator's machine, writes the
 * private key (PKCS#8 PEM, mode 0600) to a file outside any git repository, and prints the
 * self-signed certificate to register in meshStack plus the exact commands that hand the key and
 * the API client secret to `cdktf deploy` as ephemeral Terraform variables.
 *
 * The private key never appears in any output and never enters Terraform state: the deploy writes
 * it into the secret store through write-only attributes (see constructs/aws/runner-secrets.ts).
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import * as path from 'node:path';
import { formatIssue } from '../../constructs/core/config/config-error';
import { CONFIG_ENV } from '../../constructs/core/config/load';
import type { RunnerConfig } from '../../constructs/core/config/schema';
import { EXIT, ProblemError, UsageError, parseOptions, runReportingErrors, writeJson, type CliIo, type ExitCode } from '../command';
import { loadConfig, type LoadedConfig } from '../config';
import { checkKeyFileArgument, checkPrivateKeyDestination, resolveOutputPath, writePrivateKeyFile, type KeyFileOps } from '../private-key-file';
import { createSelfSignedCertificate, publicKeyFingerprintSha256 } from '../x509';
import { kindOf } from '../../kinds';
import { secretVariableNames } from '../../constructs/core/naming';

export const summary = "generate a runner's key pair: private key file + certificate to register in meshStack";

export const DEFAULT_VALIDITY_DAYS = 3650;
/** Upper bound for --days: 100 years keeps notAfter far inside GeneralizedTime's 4-digit years. */
export const MAX_VALIDITY_DAYS = 36500;
const MODULUS_BITS = 4096;
/** notBefore lies this far in the past, so a peer whose clock is slightly behind accepts the certificate. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** The kit's directory (where cdktf.json is): `cdktf deploy` must run there. */
const KIT_DIRECTORY = path.resolve(__dirname, '..', '..');

export const usage = `Usage: runner-kit keys --target NAME --runner NAME --out FILE [--config FILE] [--days N] [--json]

Generates the runner's RSA-${MODULUS_BITS} key pair. Writes the private key (PKCS#8 PEM, mode 0600) to
FILE, which must not exist and must lie outside any git repository. Prints the self-signed X.509
certificate to register as the runner's public key in meshStack, and the commands that pass the
private key and the API client secret to 'cdktf deploy'. The private key is never printed.

Options:
  --target NAME  target in the config
  --runner NAME  runner of that target
  --out FILE     where to write the private key, e.g. ~/.meshstack/<target>-<runner>.pem
  --config FILE  config file (default: $${CONFIG_ENV}, else ./runner-kit.yaml)
  --days N       certificate validity in days, 1..${MAX_VALIDITY_DAYS} (default: ${DEFAULT_VALIDITY_DAYS})
  --json         print one JSON document on stdout: {target, runner, runnerUuid, privateKeyFile,
                 certificatePem, publicKeyFingerprintSha256, notAfter, tfVars: {privateKey,
                 apiClientSecret, certificate (Kubernetes targets)}, deployStacks}; on errors
                 stdout stays empty and stderr says why
  -h, --help     show this help

Exit codes: 0 key written, 1 problem with the config, names or output file, 2 bad command line.
`;

const OPTIONS = {
  target: { type: 'string' },
  runner: { type: 'string' },
  out: { type: 'string' },
  config: { type: 'string' },
  days: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** What key generation depends on, injectable so tests can reuse one slow RSA-4096 key pair and fix the clock. */
export interface KeysDependencies {
  generateKeyPair(): { readonly publicKey: KeyObject; readonly privateKey: KeyObject };
  now(): Date;
  /** How the key file is written (tests simulate a failing disk). @default - node:fs */
  readonly keyFile?: KeyFileOps;
}

export const defaultDependencies: KeysDependencies = {
  generateKeyPair: () => generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS }),
  now: () => new Date(),
};

/** The `--json` document. Deliberately has no field that could hold the private key. */
export interface KeysReport {
  readonly target: string;
  readonly runner: string;
  readonly runnerUuid: string;
  /** Absolute path of the private key file. */
  readonly privateKeyFile: string;
  readonly certificatePem: string;
  /** SHA-256 of the DER SubjectPublicKeyInfo, colon-separated hex. */
  readonly publicKeyFingerprintSha256: string;
  /** End of the certificate's validity, ISO 8601 UTC. */
  readonly notAfter: string;
  /** Terraform variable names to set as `TF_VAR_<name>` for `cdktf deploy`. */
  readonly tfVars: { readonly privateKey: string; readonly apiClientSecret: string; readonly certificate?: string };
  /** The stack(s) to deploy with these variables set (`<target>`, or `<target>-cluster` on Kubernetes platforms). */
  readonly deployStacks: readonly string[];
}

interface KeysRequest {
  readonly target: string;
  readonly runner: string;
  readonly out: string;
  readonly days: number;
  readonly json: boolean;
  readonly config?: string;
}

export function run(argv: readonly string[], io: CliIo, deps: KeysDependencies = defaultDependencies): Promise<ExitCode> {
  return runReportingErrors('keys', io, async () => {
    const options = parseOptions(argv, OPTIONS);
    if (options.help) {
      io.stdout.write(usage);
      return EXIT.ok;
    }
    const request = toRequest(options);
    const loaded = loadConfig(request.config, io);
    const runner = findRunner(loaded, request.target, request.runner);
    const target = loaded.result.ok ? loaded.result.config.targets[request.target] : undefined;
    const kind = target !== undefined ? kindOf(target) : undefined;
    const kubernetes = kind?.kubernetes ?? false;
    const file = resolveOutputPath(request.out, io.cwd, io.env.HOME);
    const suggestion = `~/.meshstack/${request.target}-${request.runner}.pem`;
    checkKeyFileArgument(request.out, file, suggestion);
    checkPrivateKeyDestination(file, suggestion);
    const report = await generate(request, runner, file, deps, terraformVariables(request.runner, kubernetes), kind !== undefined ? (kind.secretInputStacks?.(request.target) ?? kind.stackNames(request.target).slice(0, 1)) : [request.target]);
    if (request.json) writeJson(io, report);
    else io.stdout.write(humanReport(report, loaded, runner));
    return EXIT.ok;
  });
}

/** Required options present, --days a whole number in range; otherwise a UsageError (exit 2). */
function toRequest(options: { target?: string; runner?: string; out?: string; config?: string; days?: string; json?: boolean }): KeysRequest {
  const missing = (['target', 'runner', 'out'] as const).filter((k) => options[k] === undefined || options[k] === '');
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}`);
  return {
    target: options.target!,
    runner: options.runner!,
    out: options.out!,
    days: parseDays(options.days),
    json: options.json ?? false,
    ...(options.config !== undefined ? { config: options.config } : {}),
  };
}

function parseDays(text: string | undefined): number {
  if (text === undefined) return DEFAULT_VALIDITY_DAYS;
  const days = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!(days >= 1 && days <= MAX_VALIDITY_DAYS)) {
    throw new UsageError(`--days must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}, got "${text}"`);
  }
  return days;
}

/** The runner's config, or a ProblemError naming what exists: the config must be valid and contain both names. */
function findRunner(loaded: LoadedConfig, targetName: string, runnerName: string): RunnerConfig {
  const { result } = loaded;
  if (!result.ok) {
    const n = result.issues.length;
    const lines = result.issues.map((i) => `  - ${formatIssue(i)}`);
    throw new ProblemError([`${loaded.display}: ${n} problem${n === 1 ? '' : 's'} found, no key was generated:`, ...lines].join('\n'));
  }
  const target = ownEntry(result.config.targets, targetName);
  if (target === undefined) {
    throw new ProblemError(`target "${targetName}" is not in ${loaded.display}; targets there: ${names(result.config.targets)}`);
  }
  const runner = ownEntry<RunnerConfig>(target.runners, runnerName);
  if (runner === undefined) {
    throw new ProblemError(`runner "${runnerName}" is not in target "${targetName}" of ${loaded.display}; runners there: ${names(target.runners)}`);
  }
  return runner;
}

/** A record entry by name, ignoring inherited properties (`--target constructor` is just unknown). */
function ownEntry<T>(record: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

function names(record: Readonly<Record<string, unknown>>): string {
  const keys = Object.keys(record);
  return keys.length > 0 ? keys.join(', ') : '(none)';
}

/**
 * Generates the key pair, certifies it, and only then writes the private key: a failure before
 * the write leaves no file behind.
 */
async function generate(request: KeysRequest, runner: RunnerConfig, file: string, deps: KeysDependencies, tfVars: KeysReport['tfVars'], deployStacks: readonly string[]): Promise<KeysReport> {
  const { publicKey, privateKey } = deps.generateKeyPair();
  const now = deps.now().getTime();
  // Whole seconds: the certificate holds no fractions, and notAfter should report what it holds.
  const notAfter = new Date(Math.floor((now + request.days * DAY_MS) / 1000) * 1000);
  const certificate = await createSelfSignedCertificate({
    // At most 60 characters: target names have <= 32, runner names <= 20 (RFC 5280 allows 64).
    subject: { commonName: `runner ${request.target}/${request.runner}`, organizationalUnit: runner.uuid },
    publicKey,
    privateKey,
    notBefore: new Date(now - CLOCK_SKEW_MS),
    notAfter,
  });
  writePrivateKeyFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, deps.keyFile);
  return {
    target: request.target,
    runner: request.runner,
    runnerUuid: runner.uuid,
    privateKeyFile: file,
    certificatePem: certificate.pem,
    publicKeyFingerprintSha256: publicKeyFingerprintSha256(publicKey),
    notAfter: notAfter.toISOString().replace('.000Z', 'Z'),
    tfVars: { privateKey: tfVars.privateKey, apiClientSecret: tfVars.apiClientSecret, ...(tfVars.certificate !== undefined ? { certificate: tfVars.certificate } : {}) },
    deployStacks,
  };
}

/** The variable names every cloud's secrets construct declares (`constructs/core/naming.ts`). */
function terraformVariables(runnerName: string, kubernetes: boolean): KeysReport['tfVars'] {
  const { apiClientSecret, privateKey, certificate } = secretVariableNames(runnerName);
  // run-controller (Kubernetes) also needs the certificate: it checks the key against it.
  return kubernetes ? { apiClientSecret, privateKey, certificate } : { apiClientSecret, privateKey };
}

/** The certificate, then copy-pasteable deploy commands, then what they imply. */
function humanReport(report: KeysReport, loaded: LoadedConfig, runner: RunnerConfig): string {
  const { privateKey, apiClientSecret, certificate } = report.tfVars;
  const version = runner.privateKeyVersion;
  const versionPath = `targets.${report.target}.runners.${report.runner}.privateKeyVersion`;
  return [
    `Generated an RSA-${MODULUS_BITS} key pair for runner "${report.runner}" of target "${report.target}" (meshStack runner ${report.runnerUuid}).`,
    `  private key:        ${report.privateKeyFile} (mode 0600; never commit, share or print it)`,
    `  public key SHA-256: ${report.publicKeyFingerprintSha256}`,
    `  certificate valid until ${report.notAfter}`,
    '',
    `1. Register this certificate as the public key of runner ${report.runnerUuid} in meshStack:`,
    '',
    report.certificatePem.trimEnd(),
    '',
    '2. Deploy with the private key and the API key secret, in bash or zsh. The read line waits for you to',
    '   paste the API key secret from meshStack (not echoed, not kept in shell history), then press Enter:',
    '',
    `  cd ${shellQuote(KIT_DIRECTORY)}`,
    `  export TF_VAR_${privateKey}="$(cat ${shellQuote(report.privateKeyFile)})"`,
    `  read -rs TF_VAR_${apiClientSecret} && export TF_VAR_${apiClientSecret}`,
    ...(certificate !== undefined ? [`  export TF_VAR_${certificate}='${report.certificatePem.trimEnd()}'`] : []),
    `  ${CONFIG_ENV}=${shellQuote(loaded.file)} npx cdktf deploy ${report.deployStacks.map(shellQuote).join(' ')}`,
    `  unset TF_VAR_${privateKey} TF_VAR_${apiClientSecret}${certificate !== undefined ? ` TF_VAR_${certificate}` : ''}`,
    '',
    'Notes:',
    "  - The deploy sends the key only when the runner's secrets are created (its first deploy) or when",
    `    privateKeyVersion changes (now ${version}: ${versionPath}); the API key secret likewise with apiClientSecretVersion.`,
    `    If this runner is already deployed, this is a key rotation: set privateKeyVersion: ${version + 1} in`,
    `    ${loaded.display} first, or the deploy sends nothing.`,
    '  - A deploy that must send a value whose variable is unset stops at plan, before anything changes, naming it.',
    '  - Replacing a registered key makes the sensitive inputs meshStack stored for this runner undecryptable:',
    '    register the certificate and deploy together, then re-enter those inputs in meshStack.',
    '  - Run the unset line afterwards, so the secrets do not linger in your shell.',
    '',
  ].join('\n');
}

/** Quotes a word for POSIX shells, leaving plain paths and names readable. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
