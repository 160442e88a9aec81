/**
 * Loads a provider's compact schema: from memory, else from a cache file keyed by package name,
 * package version and schema format (node_modules/.cache/provider-schema/), else by deriving it from
 * the package's `.jsii` (1-4 s and up to ~700 MB for the large providers) and writing the cache.
 * Only the packages asked for are read: nothing here touches another provider's assembly.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractProviderSchema } from './jsii-extract';
import { SCHEMA_FORMAT, type ProviderSchema } from './schema';

/** Where each load came from and what it cost; tests read it to report timings and prove laziness. */
export interface SchemaLoad {
  readonly package: string;
  readonly from: 'memory' | 'cache' | 'assembly';
  readonly ms: number;
}

export interface LoadOptions {
  /** @default - `.cache/provider-schema` in the node_modules folder the package is installed in */
  readonly cacheDir?: string;
  /** @default - false; true skips the memory and file caches (a cold load, for measuring) */
  readonly cold?: boolean;
}

const memory = new Map<string, ProviderSchema>();
const loads: SchemaLoad[] = [];

/** The npm package that carries a provider's bindings, by the provider's type name (`kubernetes`). */
export function packageForProvider(providerType: string): string {
  return `@cdktf/provider-${providerType}`;
}

/** Every load so far in this process, oldest first. */
export function schemaLoads(): readonly SchemaLoad[] {
  return loads;
}

export function packageDir(pkg: string): string {
  return path.dirname(require.resolve(`${pkg}/package.json`));
}

/** The cache file a package's schema is stored in. */
export function cacheFile(pkg: string, version: string, cacheDir: string): string {
  return path.join(cacheDir, `${pkg.replace(/^@/, '').replace(/\//g, '+')}@${version}.format${SCHEMA_FORMAT}.json`);
}

function defaultCacheDir(dir: string): string {
  const i = dir.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  return path.join(i >= 0 ? dir.slice(0, i + '/node_modules'.length) : dir, '.cache', 'provider-schema');
}

/** Whether a package is installed (the gate names what is missing instead of failing obscurely). */
export function isInstalled(pkg: string): boolean {
  try {
    packageDir(pkg);
    return true;
  } catch {
    return false;
  }
}

export function loadProviderSchema(pkg: string, opts: LoadOptions = {}): ProviderSchema {
  const started = Date.now();
  const dir = packageDir(pkg);
  const version = (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  const key = `${pkg}@${version}`;
  const done = (schema: ProviderSchema, from: SchemaLoad['from']): ProviderSchema => {
    loads.push({ package: key, from, ms: Date.now() - started });
    memory.set(key, schema);
    return schema;
  };
  if (!opts.cold && memory.has(key)) return done(memory.get(key)!, 'memory');
  const file = cacheFile(pkg, version, opts.cacheDir ?? defaultCacheDir(dir));
  if (!opts.cold && existsSync(file)) {
    const cached = JSON.parse(readFileSync(file, 'utf8')) as ProviderSchema;
    if (cached.format === SCHEMA_FORMAT && cached.package === pkg && cached.packageVersion === version) return done(cached, 'cache');
  }
  const schema = extractProviderSchema(dir);
  mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a parallel test worker never reads half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(schema));
  renameSync(tmp, file);
  return done(schema, 'assembly');
}
