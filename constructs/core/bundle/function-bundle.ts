/**
 * Bundles a TypeScript entry point of the kit (e.g. the updater's AWS Lambda handler) into one
 * JavaScript file and a deterministic ZIP, at synthesis. Same sources and same esbuild version give
 * the same bytes on every machine and in every checkout location, so an unchanged updater causes
 * no Terraform diff.
 *
 * The AWS SDK v3 is left out: the Lambda Node.js runtime provides it, and leaving it out keeps the
 * archive small and the bundle readable for auditors.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { deterministicZip } from './deterministic-zip';

/** The repository root: entry points are given relative to it, and bundle paths are relative to it. */
export const KIT_ROOT = path.resolve(__dirname, '..', '..', '..');

export interface FunctionBundle {
  /** Absolute path of the ZIP (content-addressed, under the OS temp directory). */
  readonly zipPath: string;
  /** base64 of the ZIP's SHA-256, as Lambda's `source_code_hash` expects. */
  readonly sha256Base64: string;
  /** hex SHA-256 of the ZIP. */
  readonly sha256Hex: string;
  readonly bytes: number;
  /** Absolute path of the bundled JavaScript file alone (content-addressed), for runtimes that take a file (a Cloud Run job). */
  readonly jsPath: string;
  /** hex SHA-256 of that file. */
  readonly jsSha256Hex: string;
}

export interface FunctionBundleOptions {
  /** Entry point relative to the kit root, e.g. `updater/entry/aws-lambda.ts`. */
  readonly entry: string;
  /** File name of the bundle inside the ZIP. @default 'index.js' (handler `index.handler`) */
  readonly fileName?: string;
  /**
   * esbuild target: the Node.js version the code runs on in the cloud, e.g. `node22`.
   * @default 'node22' - code deployed into clouds targets Node.js 22
   */
  readonly target?: string;
  /** Module prefixes the runtime provides. @default ['@aws-sdk/*'] */
  readonly external?: readonly string[];
  /** More files for the ZIP beside the bundle (e.g. Azure Functions' host.json and package.json). @default [] */
  readonly extraFiles?: readonly { readonly name: string; readonly content: string }[];
}

const cache = new Map<string, FunctionBundle>();

/** Bundles `entry` (cached per process: several stacks share one bundle). */
export function bundleFunction(options: FunctionBundleOptions): FunctionBundle {
  const key = JSON.stringify(options);
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const result = buildSync({
    absWorkingDir: KIT_ROOT,
    entryPoints: [options.entry],
    bundle: true,
    write: false,
    platform: 'node',
    target: options.target ?? 'node22',
    format: 'cjs',
    external: [...(options.external ?? ['@aws-sdk/*'])],
    sourcemap: false,
    minify: false,
    legalComments: 'eof',
    charset: 'utf8',
    // Paths in the bundle's comments stay inside the checkout even when node_modules is a symlink.
    preserveSymlinks: true,
    logLevel: 'silent',
    outfile: options.fileName ?? 'index.js',
  });
  if (result.errors.length > 0) {
    throw new Error(`bundling ${options.entry} failed: ${result.errors.map((e) => e.text).join('; ')}`);
  }
  const code = Buffer.from(result.outputFiles[0].contents);
  const zip = deterministicZip([
    { name: options.fileName ?? 'index.js', content: code },
    ...(options.extraFiles ?? []).map((f) => ({ name: f.name, content: Buffer.from(f.content, 'utf8') })),
  ]);
  const sha = createHash('sha256').update(zip);
  const sha256Hex = sha.copy().digest('hex');
  const dir = path.join(tmpdir(), 'private-runner-kit-bundles');
  mkdirSync(dir, { recursive: true });
  const zipPath = path.join(dir, `${sha256Hex}.zip`);
  // Write then rename, so a concurrent synthesis never reads a half-written archive.
  const partial = `${zipPath}.${process.pid}.partial`;
  writeFileSync(partial, zip);
  renameSync(partial, zipPath);
  const jsSha256Hex = createHash('sha256').update(code).digest('hex');
  const jsPath = path.join(dir, `${jsSha256Hex}.js`);
  const partialJs = `${jsPath}.${process.pid}.partial`;
  writeFileSync(partialJs, code);
  renameSync(partialJs, jsPath);
  const bundle = { zipPath, sha256Base64: sha.digest('base64'), sha256Hex, bytes: zip.length, jsPath, jsSha256Hex };
  cache.set(key, bundle);
  return bundle;
}
