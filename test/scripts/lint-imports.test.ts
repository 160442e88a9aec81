import { findLayerBreaks, findRootImports, lint, lintLayers } from '../../scripts/lint-imports';
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

describe('lint: the cloud-neutral cores import no cloud, adapter, entry point or stack', () => {
  it('flags a core file reaching into an adapter or a cloud folder, in every import form', () => {
    const text = [
      "import { isDigest } from '../adapters/oci/digest';",
      "const aws = require('../../aws/config');",
      "const k = await import('../entry/aws-lambda');",
      "import { ok } from './digest';",
      "import { z } from 'zod';",
    ].join('\n');
    expect(findLayerBreaks(text, 'updater/core/version-record.ts').map((f) => [f.line, f.imports])).toEqual([
      [1, 'updater/adapters/oci/digest'], [3, 'updater/entry/aws-lambda'],
    ]);
    expect(findLayerBreaks(text, 'constructs/core/config/semantic.ts').map((f) => [f.line, f.imports])).toEqual([[2, 'constructs/aws/config']]);
  });

  it('lets adapters and clouds import the core', () => {
    expect(findLayerBreaks("import { isDigest } from '../../core/digest';", 'updater/adapters/oci/digest.ts')).toEqual([]);
  });

  it('the repository has none', () => {
    expect(lintLayers(REPO_ROOT)).toEqual([]);
  });
});
