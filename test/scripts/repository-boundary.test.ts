/**
 * The tests stand alone in a clone with nothing beside it: reads beside the repository fail at run
 * time (test/support/repository-boundary.ts, a jest setup file), and no tracked file names a path
 * beside the repository.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isBesideRepository, REPOSITORY_ROOT } from '../support/repository-boundary';

const sibling = path.join(path.dirname(REPOSITORY_ROOT), 'shared', 'catalogs', 'gcp-permissions.txt');

describe('reads beside the repository', () => {
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
