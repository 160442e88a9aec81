/**
 * Runs the terraform CLI offline against the machine's filesystem mirror of hashicorp/aws 5.100.0,
 * through a generated CLI config (nothing is downloaded). Checks Terraform >= 1.11, which the kit
 * needs for write-only attributes fed by ephemeral variables.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Requirement } from './requirements';

export const MIN_TERRAFORM = [1, 11] as const;
export const AWS_PROVIDER_VERSION = '5.100.0';
/**
 * Providers mirrored offline, so `terraform validate` covers their stacks; a stack needing any other
 * provider is checked by the schema gate instead (test/e2e/schema-gate.test.ts).
 */
export const MIRRORED_PROVIDERS: readonly string[] = ['aws'];
/** Where the mirror is: $RUNNER_KIT_PROVIDER_MIRROR, else the machine image's /opt/tf-plugins. */
export const PROVIDER_MIRROR = process.env.RUNNER_KIT_PROVIDER_MIRROR ?? '/opt/tf-plugins';

export const terraform: Requirement = {
  name: `terraform >= ${MIN_TERRAFORM.join('.')}`,
  check: () => {
    let version: string;
    try {
      version = JSON.parse(execFileSync('terraform', ['version', '-json'], { encoding: 'utf8', timeout: 20_000 })).terraform_version;
    } catch {
      return 'terraform not found on PATH (install Terraform >= 1.11)';
    }
    const [major, minor] = version.split('.').map(Number);
    const ok = major! > MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor! >= MIN_TERRAFORM[1]);
    return ok ? undefined : `terraform ${version} is too old (need >= ${MIN_TERRAFORM.join('.')} for write-only attributes)`;
  },
};

export const awsProviderMirror: Requirement = {
  name: `hashicorp/aws ${AWS_PROVIDER_VERSION} mirror`,
  check: () => {
    const dir = path.join(PROVIDER_MIRROR, 'registry.terraform.io', 'hashicorp', 'aws', AWS_PROVIDER_VERSION);
    return existsSync(dir) ? undefined : `hashicorp/aws ${AWS_PROVIDER_VERSION} mirror not found at ${dir} (set RUNNER_KIT_PROVIDER_MIRROR)`;
  },
};

/** Writes a CLI config that installs hashicorp/aws from the mirror and never from the network. */
export function writeCliConfig(file: string, providers: readonly string[] = ['aws']): string {
  writeFileSync(
    file,
    [
      'provider_installation {',
      '  filesystem_mirror {',
      `    path    = ${JSON.stringify(PROVIDER_MIRROR)}`,
      `    include = [${providers.map((p) => `"registry.terraform.io/hashicorp/${p}"`).join(', ')}]`,
      '  }',
      '  direct {',
      '    exclude = ["registry.terraform.io/*/*"]',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return file;
}

export interface TerraformRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform in `cwd` with the offline CLI config; `vars` become TF_VAR_ inputs. */
export function tf(cwd: string, cliConfig: string, args: string[], opts: { vars?: Record<string, string>; timeoutMs?: number } = {}): TerraformRun {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TF_VAR_') && !k.startsWith('AWS_')));
  Object.assign(env, { TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1' });
  for (const [k, v] of Object.entries(opts.vars ?? {})) env[`TF_VAR_${k}`] = v;
  const r: SpawnSyncReturns<string> = spawnSync('terraform', [...args, '-no-color'], { cwd, env, encoding: 'utf8', timeout: opts.timeoutMs ?? 600_000, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Fails with terraform's own output when a run did not exit as expected. */
export function expectStatus(run: TerraformRun, expected: number, what: string): void {
  if (run.status !== expected) {
    throw new Error(`${what}: terraform exited ${run.status}, expected ${expected}\n${run.stdout.slice(-4000)}\n${run.stderr.slice(-4000)}`);
  }
}
