import { findRootImports, lint } from '../../scripts/lint-imports';
import { REPO_ROOT } from '../support/synth';

describe('lint: no root imports of @cdktf/provider-* packages', () => {
  // Package names are assembled at run time so this file does not itself contain a root import.
  const pkg = (name: string) => ['@cdktf', `provider-${name}`].join('/');

  it('flags root imports in every form', () => {
    const text = [
      `import { Vpc } from '${pkg('aws')}';`,
      `import * as aws from "${pkg('aws')}";`,
      `const google = require('${pkg('google')}');`,
      `const k = await import('${pkg('kubernetes')}');`,
    ].join('\n');
    expect(findRootImports(text, 'x.ts').map((f) => [f.line, f.pkg])).toEqual([
      [1, '@cdktf/provider-aws'], [2, '@cdktf/provider-aws'], [3, '@cdktf/provider-google'], [4, '@cdktf/provider-kubernetes'],
    ]);
  });

  it('accepts deep imports', () => {
    expect(findRootImports(`import { Vpc } from '${pkg('aws')}/lib/vpc';`, 'x.ts')).toEqual([]);
  });

  it('the repository has none', () => {
    expect(lint(REPO_ROOT)).toEqual([]);
  });
});
