/**
 * Test tiers that need a tool the machine may lack (terraform, the provider mirror, moto,
 * docker-registry, skopeo) skip with ONE line naming what is missing and how to get it. They never
 * pass silently, and a skipped tier never runs its body: the tier's own `describe` callback (which
 * may read files or start servers) is not called at all; jest records one skipped test whose title
 * is the skip line.
 *
 * CI lists the tools it provides in RUNNER_KIT_REQUIRED_TOOLS (comma-separated requirement names, or
 * their first word: `terraform` stands for "terraform >= 1.11"; `all` for every one): a listed tool
 * that is missing FAILS the tier instead of skipping it, so a broken install can never turn 20
 * registry tests into 20 silent skips.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface Requirement {
  /** Short name printed when missing, e.g. "terraform >= 1.11"; also the name RUNNER_KIT_REQUIRED_TOOLS lists. */
  readonly name: string;
  /** Returns undefined when available, or what is missing and how to get it. */
  readonly check: () => string | undefined;
}

export const REQUIRED_TOOLS_ENV = 'RUNNER_KIT_REQUIRED_TOOLS';

const cache = new Map<string, string | undefined>();

function cached(req: Requirement): string | undefined {
  if (!cache.has(req.name)) cache.set(req.name, req.check());
  return cache.get(req.name);
}

/** A binary on PATH that answers `<bin> <versionArgs>`; `install` says how to get it. */
export function binary(bin: string, versionArgs: string[] = ['--version'], install = `apt-get install ${bin}`): Requirement {
  return {
    name: bin,
    check: () => {
      try {
        execFileSync(bin, versionArgs, { stdio: 'pipe', timeout: 15_000 });
        return undefined;
      } catch {
        return `${bin} not found on PATH (${install})`;
      }
    },
  };
}

/** A path that must exist on the machine (a provider mirror); `hint` says how to get it. */
export function pathExists(name: string, p: string, hint: string): Requirement {
  return { name, check: () => (existsSync(p) ? undefined : `${name} not found at ${p} (${hint})`) };
}

export const dockerRegistry = binary('docker-registry', ['--version'], 'Debian package docker-registry');
export const skopeo = binary('skopeo', ['--version'], 'Debian package skopeo');

/** The requirement names that must be present (RUNNER_KIT_REQUIRED_TOOLS); `all` means every one. */
export function requiredTools(env: NodeJS.ProcessEnv = process.env): { readonly all: boolean; readonly names: ReadonlySet<string> } {
  const listed = (env[REQUIRED_TOOLS_ENV] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return { all: listed.includes('all'), names: new Set(listed) };
}

/** What `describeWith` does for a set of requirements: run, skip with a line, or fail with a line. */
export type TierDecision = { readonly run: true } | { readonly run: false; readonly fail: boolean; readonly line: string };

export function decideTier(name: string, requirements: readonly Requirement[], env: NodeJS.ProcessEnv = process.env): TierDecision {
  const missing = requirements.map((r) => ({ r, why: cached(r) })).filter((m): m is { r: Requirement; why: string } => m.why !== undefined);
  if (missing.length === 0) return { run: true };
  const required = requiredTools(env);
  const listed = (r: Requirement) => required.all || [...required.names].some((n) => r.name === n || r.name.startsWith(`${n} `));
  const fail = missing.some((m) => listed(m.r));
  const reasons = missing.map((m) => m.why).join('; ');
  return fail
    ? { run: false, fail: true, line: `MISSING "${name}": ${reasons}, but ${REQUIRED_TOOLS_ENV} requires it` }
    : { run: false, fail: false, line: `SKIPPED "${name}": ${reasons}` };
}

/**
 * `describe(name, fn)` when every requirement is met. Otherwise `fn` is never called: one skipped
 * test carries the skip line (or, for a tool CI requires, one failing test carries it).
 */
export function describeWith(requirements: readonly Requirement[], name: string, fn: () => void): void {
  const decision = decideTier(name, requirements);
  if (decision.run) {
    describe(name, fn);
    return;
  }
  process.stderr.write(`${decision.line}\n`);
  if (decision.fail) {
    describe(name, () => {
      it(decision.line, () => {
        throw new Error(decision.line);
      });
    });
  } else {
    describe.skip(name, () => {
      it(decision.line, () => undefined);
    });
  }
}
