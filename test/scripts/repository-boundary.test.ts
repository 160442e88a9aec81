/**
 * The tests stand alone in a clone with nothing beside it: reads beside the repository fail at run
 * time (test/support/repository-boundary.ts, a jest setup file), and no tracked file names a path
 * beside the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { besideCheck, CLONE_IN_TEMPORARY_FOLDER, isBesideRepository, REPOSITORY_ROOT } from '../support/repository-boundary';
import { describeWith, type Requirement } from '../support/requirements';

const sibling = path.join(path.dirname(REPOSITORY_ROOT), 'shared', 'catalogs', 'gcp-permissions.txt');

const notInTemporaryFolder: Requirement = {
  name: 'a clone outside the temporary folder',
  check: () => (CLONE_IN_TEMPORARY_FOLDER ? `the clone is in the temporary folder (${REPOSITORY_ROOT}), where only the neighbouring checkouts there at the start are guarded (covered by "the boundary in both layouts")` : undefined),
};

describe('the boundary in both layouts', () => {
  it('a clone at /work/main: every sibling is beside (/work/shared, /work/main-old), the rest is not', () => {
    const beside = besideCheck('/work/main');
    expect(beside('/work/shared/reference/x.md')).toBe(true);
    expect(beside('/work/main-old/file')).toBe(true);
    expect([beside('/work/main/data/x'), beside('/work'), beside('/tmp/emulator-x'), beside('/usr/share/x'), beside(3)]).toEqual([false, false, false, false, false]);
  });

  it('a clone in /tmp: the checkouts beside it when the tests started are guarded; the folders tests and the kit create there are not', () => {
    const beside = besideCheck('/tmp/ci', ['/tmp/shared', '/tmp/checkout-b']);
    expect(beside('/tmp/shared/reference/x.md')).toBe(true);
    expect(beside('/tmp/checkout-b')).toBe(true);
    expect([beside('/tmp/emulator-abc/state'), beside('/tmp/ci/package.json'), beside('/tmp')]).toEqual([false, false, false]);
  });
});

describeWith([notInTemporaryFolder], 'reads beside the repository', () => {
  it('GIVEN a path beside the repository WHEN a test reads it THEN the read throws, whether or not the path exists', () => {
    expect(() => readFileSync(sibling, 'utf8')).toThrow(/tests must not read outside the repository/);
    expect(() => existsSync(sibling)).toThrow(/tests must not read outside the repository/);
  });

  it('leaves paths inside the repository, temporary folders and system paths alone', () => {
    expect(existsSync(path.join(REPOSITORY_ROOT, 'package.json'))).toBe(true);
    expect(isBesideRepository(path.join(REPOSITORY_ROOT, 'data', 'README.md'))).toBe(false);
    expect(isBesideRepository('/tmp/x')).toBe(false);
    expect(isBesideRepository('/opt/tf-plugins')).toBe(false);
    expect(isBesideRepository(path.join(REPOSITORY_ROOT, '..', 'shared'))).toBe(true);
    expect(isBesideRepository(`${REPOSITORY_ROOT}-other/file`)).toBe(true);
  });
});

describe('tracked files', () => {
  const files = execFileSync('git', ['ls-files'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.(ts|js|sh|json|ya?ml)$/.test(f) && f !== 'package-lock.json' && !f.startsWith('policies/'));

  it('name no path beside the repository (../shared or a literal path.resolve/join climbing above the root)', () => {
    const offenders: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(REPOSITORY_ROOT, file), 'utf8');
      if (/\.\.\/shared\b|'\.\.', 'shared'/.test(text) && file !== 'test/scripts/repository-boundary.test.ts') offenders.push(`${file}: names ../shared`);
      for (const m of text.matchAll(/path\.(?:resolve|join)\(__dirname((?:,\s*'[^']*')+)\)/g)) {
        const parts = [...m[1]!.matchAll(/'([^']*)'/g)].map((p) => p[1]!);
        const resolved = path.resolve(path.dirname(path.join(REPOSITORY_ROOT, file)), ...parts);
        if (!resolved.startsWith(REPOSITORY_ROOT)) offenders.push(`${file}: ${m[0]} resolves to ${resolved}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
