/**
 * The updater bundle: built from the repository's sources at synthesis, byte-identical across
 * builds and checkout locations, with the AWS SDK left to the Lambda runtime.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleFunction, KIT_ROOT } from '../../../../constructs/core/bundle/function-bundle';
import { UPDATER_ENTRY } from '../../../../constructs/aws/update-pipeline';

describe('bundleFunction(updater/entry/aws-lambda.ts)', () => {
  const bundle = bundleFunction({ entry: UPDATER_ENTRY });
  const code = () =>
    execFileSync('python3', ['-c', 'import sys,zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("index.js").decode())', bundle.zipPath]).toString();

  it('exports a handler and requires the AWS SDK from the runtime instead of bundling it', () => {
    const js = code();
    expect(js).toMatch(/handler/);
    expect(js).toContain('require("@aws-sdk/client-ecs")');
    expect(js).not.toContain('node_modules/@aws-sdk');
    // No absolute path of the build machine ends up in the bundle.
    expect(js).not.toContain(KIT_ROOT);
  });

  it('names the archive by its own hash and reports the base64 hash Lambda compares', () => {
    const bytes = readFileSync(bundle.zipPath);
    expect(path.basename(bundle.zipPath)).toBe(`${bundle.sha256Hex}.zip`);
    expect(bundle.sha256Base64).toBe(require('node:crypto').createHash('sha256').update(bytes).digest('base64'));
    expect(bundle.bytes).toBe(bytes.length);
  });

  it('the bundle loads in plain Node and rejects an invalid payload before touching AWS', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
    try {
      require('node:fs').writeFileSync(path.join(dir, 'index.js'), code());
      // The runtime provides the SDK; here the repository's copy stands in for it.
      symlinkSync(path.join(KIT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
      const out = execFileSync(process.execPath, ['-e', `require('./index.js').handler({action:'deploy'}).then(()=>process.exit(3), e=>{console.log(e.message)})`], { cwd: dir }).toString();
      expect(out).toContain('Invalid updater payload: "action" must be one of check, update, rollback; got "deploy"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is byte-identical when built again from another checkout location (no Terraform diff)', () => {
    const other = mkdtempSync(path.join(tmpdir(), 'checkout-'));
    try {
      for (const dir of ['updater', 'constructs', 'package.json', 'tsconfig.json']) cpSync(path.join(KIT_ROOT, dir), path.join(other, dir), { recursive: true });
      symlinkSync(path.join(KIT_ROOT, 'node_modules'), path.join(other, 'node_modules'));
      const script = `const {bundleFunction}=require('./constructs/core/bundle/function-bundle.ts');console.log(bundleFunction({entry:'${UPDATER_ENTRY}'}).sha256Hex)`;
      // A fresh build there (its node_modules, and so the bundle cache, is this checkout's).
      const hash = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: other, env: { ...process.env, RUNNER_KIT_BUNDLE_CACHE: 'off' } }).toString().trim();
      expect(hash).toBe(bundle.sha256Hex);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  }, 60_000);
});
