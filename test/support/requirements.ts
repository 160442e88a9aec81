/**
 * Test tiers that need a tool the machine may lack (terraform, the provider mirror, moto,
 * docker-registry, ../shared) skip with ONE line naming what is missing. They never pass silently:
 * the suite is registered with `describe.skip`, so jest counts its tests as skipped, and the reason
 * is printed once to stderr and carried in the suite title.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

export interface Requirement {
  /** Short name printed when missing, e.g. "terraform >= 1.11". */
  readonly name: string;
  /** Returns undefined when available, or why it is not. */
  readonly check: () => string | undefined;
}

const cache = new Map<string, string | undefined>();

function cached(req: Requirement): string | undefined {
  if (!cache.has(req.name)) cache.set(req.name, req.check());
  return cache.get(req.name);
}

/** A binary on PATH that answers `<bin> <versionArgs>`. */
export function binary(bin: string, versionArgs: string[] = ['--version']): Requirement {
  return {
    name: bin,
    check: () => {
      try {
        execFileSync(bin, versionArgs, { stdio: 'pipe', timeout: 15_000 });
        return undefined;
      } catch {
        return `${bin} not found on PATH`;
      }
    },
  };
}

/** A path that must exist (the provider mirror, ../shared). */
export function pathExists(name: string, p: string, hint: string): Requirement {
  return { name, check: () => (existsSync(p) ? undefined : `${name} not found at ${p} (${hint})`) };
}

export const SHARED_DIR = path.resolve(__dirname, '..', '..', '..', 'shared');
export const sharedDir = pathExists('../shared', SHARED_DIR, 'clone the steering repo beside this one');

/** `describe` when every requirement is met, otherwise `describe.skip` plus one line on stderr. */
export function describeWith(requirements: Requirement[], name: string, fn: () => void): void {
  const missing = requirements.map(cached).filter((m): m is string => m !== undefined);
  if (missing.length === 0) {
    describe(name, fn);
    return;
  }
  const line = `SKIPPED "${name}": ${missing.join('; ')}`;
  process.stderr.write(`${line}\n`);
  describe.skip(`${name} [${line}]`, fn);
}
