/**
 * Reads and validates the kit's YAML config: YAML syntax and duplicate keys, then the schema per
 * target, then the semantic checks; every problem found is returned at once. Never throws for bad
 * input (only the caller decides to exit).
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { joinPath, type ConfigIssue } from './config-error';
import { CLOUDS, cloudTargetSchema, KitConfigSchema, PLATFORMS_BY_CLOUD, type Cloud, type KitConfig } from './schema';
import type { TargetConfig } from '../../../kinds';
import { checkRawValues } from './raw-values';
import { checkTarget, checkTargetName, type Add } from './semantic';

export const CONFIG_ENV = 'RUNNER_KIT_CONFIG';
export const DEFAULT_CONFIG_FILE = 'runner-kit.yaml';

export type LoadResult =
  | { readonly ok: true; readonly source: string; readonly config: KitConfig }
  | { readonly ok: false; readonly source: string; readonly issues: readonly ConfigIssue[] };

/** The config path: an explicit one, else $RUNNER_KIT_CONFIG, else ./runner-kit.yaml. */
export function resolveConfigPath(explicit?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  // An empty value counts as unset (CI systems often export empty variables).
  return path.resolve(cwd, explicit || env[CONFIG_ENV] || DEFAULT_CONFIG_FILE);
}

/** The largest config file the kit reads: far above any real config (the examples are ~2 KiB). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export function loadConfigFile(file: string): LoadResult {
  const source = path.relative(process.cwd(), file) || file;
  const read = readConfigText(file);
  if (typeof read !== 'string') return { ok: false, source, issues: [read] };
  return parseConfig(read, source);
}

/**
 * The file's text, or the issue why it cannot be a config file. Only a regular file of at most
 * MAX_CONFIG_BYTES is read: a device (`/dev/zero`), FIFO or socket could block or never end, so
 * the file is opened without blocking and checked through its descriptor (no check-then-open race).
 */
function readConfigText(file: string): string | ConfigIssue {
  const problem = (message: string, fix = `point ${CONFIG_ENV} or --config at a YAML file such as examples/aws-ecs.yaml`): ConfigIssue => ({ path: '(file)', received: file, message, fix });
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      return problem('config file not found', `create ${DEFAULT_CONFIG_FILE} (start from examples/aws-ecs.yaml), or point ${CONFIG_ENV} or --config at your file`);
    }
    return problem(code === 'EISDIR' ? 'is a directory, not a config file' : `cannot be read (${code ?? (e as Error).message})`);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return problem('is a directory, not a config file');
    if (!stat.isFile()) return problem('is not a regular file (a device, FIFO or socket): reading it could block or never end');
    if (stat.size > MAX_CONFIG_BYTES) return problem(`is ${stat.size} bytes; a config file is at most ${MAX_CONFIG_BYTES} bytes (1 MiB)`);
    const buffer = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    let length = 0;
    for (let n; length < buffer.length && (n = readSync(fd, buffer, length, buffer.length - length, null)) > 0; ) length += n;
    if (length > MAX_CONFIG_BYTES) return problem(`grew beyond ${MAX_CONFIG_BYTES} bytes (1 MiB) while being read`);
    return buffer.subarray(0, length).toString('utf8');
  } catch (e) {
    return problem(`cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  } finally {
    closeSync(fd);
  }
}

/** Validates config text. `source` names the file in messages. */
export function parseConfig(text: string, source = '(inline)'): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: false, lineCounter, prettyErrors: false });
  const yamlIssues: ConfigIssue[] = doc.errors.map((e) => {
    const pos = lineCounter.linePos(e.pos[0]);
    return {
      path: '(file)',
      received: pos ? `line ${pos.line}, column ${pos.col}` : undefined,
      message: `is not valid YAML: ${e.message.split('\n')[0]}`,
      fix: 'correct the YAML syntax at that position (indentation, quotes, colons)',
    };
  });
  if (yamlIssues.length > 0) return { ok: false, source, issues: yamlIssues };

  const duplicateIssues = findDuplicateKeys(doc.contents, [], lineCounter);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    return { ok: false, source, issues: [{ path: '(file)', received: undefined, message: `cannot be read as data: ${(e as Error).message}`, fix: 'remove recursive or excessive YAML aliases' }] };
  }
  const result = validateConfigObject(raw);
  const issues = [...duplicateIssues, ...(result.ok ? [] : result.issues)];
  if (issues.length > 0) return { ok: false, source, issues };
  return { ok: true, source, config: (result as { config: KitConfig }).config };
}

/** Validates an already-parsed config object (used by parseConfig and by tests). */
export function validateConfigObject(raw: unknown): { ok: true; config: KitConfig } | { ok: false; issues: ConfigIssue[] } {
  // Before the schema: it would silently drop `__proto__` keys, and Terraform would change some strings.
  const rawIssues = checkRawValues(raw);
  const top = KitConfigSchema.safeParse(raw, { reportInput: true });
  if (!top.success) return { ok: false, issues: [...rawIssues, ...translateIssues(top.error.issues, [], KitConfigSchema, raw)] };

  const issues: ConfigIssue[] = [...rawIssues];
  const targets: Record<string, TargetConfig> = {};
  // The kinds list, required here (not imported at the top): it loads every cloud's config module,
  // which imports this file's neighbours.
  const { cloudDefinition, CLOUD_DEFINITIONS, IMPLEMENTED_KINDS, TargetSchema, TARGET_KINDS } = require('../../../kinds') as typeof import('../../../kinds');
  const entries = Object.entries(top.data.targets);
  if (entries.length === 0) {
    issues.push({ path: 'targets', received: top.data.targets, message: 'has no target', fix: 'add a target, e.g. targets: { prod: { cloud: aws, platform: ecs, ... } } (see examples/)' });
  }
  for (const [name, rawTarget] of entries) {
    issues.push(...checkTargetName(name));
    const loose = (rawTarget !== null && typeof rawTarget === 'object' && !Array.isArray(rawTarget) ? rawTarget : {}) as Record<string, unknown>;
    const cloud = cloudDefinition(loose.cloud);
    // A cloud this version does not deploy yet: the neutral checks say so, and its shared fields are still checked.
    const schema = cloud?.targetSchema ?? ((CLOUDS as readonly unknown[]).includes(loose.cloud) ? pendingCloudSchema(loose.cloud as Cloud) : TargetSchema);
    const parsed = schema.safeParse(rawTarget, { reportInput: true });
    if (!parsed.success) issues.push(...translateIssues(parsed.error.issues, ['targets', name], schema, rawTarget));
    const typed = parsed.success && cloud !== undefined ? (parsed.data as TargetConfig) : undefined;
    // Semantic checks also run when the shape is wrong elsewhere, so all problems show at once.
    issues.push(...checkTarget(name, typed ?? rawTarget, IMPLEMENTED_KINDS));
    if (cloud !== undefined) {
      // The cloud's own checks and limits (ids, names, tags, quotas, sizes), then the kind's.
      const add: Add = (path, received, message, fix) => issues.push({ path: joinPath(['targets', name]) + (path ? `.${path}` : ''), received, message, fix });
      const t = (typed ?? loose) as Record<string, unknown>;
      issues.push(...cloud.check(name, t, add, typed));
      TARGET_KINDS.find((k) => k.cloud === cloud.cloud && k.platform === t.platform)?.check(t, add, typed);
    }
    if (typed !== undefined) targets[name] = typed;
  }
  for (const cloud of CLOUD_DEFINITIONS) {
    const ofCloud = Object.entries(targets).filter(([, t]) => t.cloud === cloud.cloud);
    // Each cloud checks its own targets (the filter above): its definition is typed for them.
    const across = cloud.checkAcrossTargets as ((targets: readonly (readonly [string, TargetConfig])[]) => ConfigIssue[]) | undefined;
    issues.push(...(across?.(ofCloud) ?? []));
  }
  return issues.length > 0 ? { ok: false, issues: dedupe(issues) } : { ok: true, config: { targets } };
}

/** The shared fields of a cloud this version does not deploy yet: shape errors still show with the "not available" one. */
function pendingCloudSchema(cloud: Cloud) {
  const platforms = PLATFORMS_BY_CLOUD[cloud] as unknown as readonly [string, ...string[]];
  return cloudTargetSchema(cloud, platforms, { [cloud]: z.unknown().optional(), stateBackend: z.unknown().optional(), operatorAccess: z.unknown().optional() });
}

function dedupe(issues: ConfigIssue[]): ConfigIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\u0000${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function findDuplicateKeys(node: YamlNode | null | undefined, at: string[], lc: LineCounter): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (isMap(node)) {
    const seen = new Set<string>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (seen.has(key)) {
        const offset = isScalar(pair.key) ? pair.key.range?.[0] : undefined;
        const where = offset !== undefined ? ` (line ${lc.linePos(offset).line})` : '';
        const isTarget = at.length === 1 && at[0] === 'targets';
        issues.push({
          path: joinPath([...at, key]),
          received: key,
          message: isTarget
            ? `is a duplicate target name${where}: target names become cdktf stack names and must be unique`
            : `is a duplicate key${where}: YAML would silently keep only the last one`,
          fix: isTarget ? 'rename one of the targets' : 'remove or merge the duplicate',
        });
      }
      seen.add(key);
      issues.push(...findDuplicateKeys(pair.value as YamlNode, [...at, key], lc));
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => issues.push(...findDuplicateKeys(item as YamlNode, [...at, String(i)], lc)));
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// zod issues -> ConfigIssue (field path, received value, what is wrong, how to fix)

type AnySchema = z.ZodType;

function translateIssues(zodIssues: readonly z.core.$ZodIssue[], prefix: (string | number)[], root: AnySchema, rawRoot: unknown): ConfigIssue[] {
  return zodIssues.flatMap((issue) => {
    const relPath = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const received = valueAt(rawRoot, relPath);
    const field = schemaAt(root, relPath);
    const description = field?.description;
    const pathText = joinPath([...prefix, ...relPath]) || '(file)';
    if (pathText === '(file)' && issue.code === 'invalid_type') {
      return [{ path: pathText, received, message: `must be a YAML map with a "targets" key, not ${received === null || received === undefined ? 'empty' : kindOf(received)}`, fix: 'start from examples/aws-ecs.yaml: targets: { <name>: { cloud: aws, platform: ecs, ... } }' }];
    }
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => {
          const allowed = objectKeys(field);
          const suggestion = allowed ? closest(key, allowed) : undefined;
          return {
            path: joinPath([...prefix, ...relPath, key]),
            received: valueAt(rawRoot, [...relPath, key]),
            message: 'is not a known field',
            fix: `${suggestion ? `did you mean "${suggestion}"? ` : ''}remove it${allowed ? `; allowed here: ${allowed.join(', ')}` : ''}`,
          };
        });
      case 'invalid_type':
        if (received === undefined) {
          return [{ path: pathText, received, message: 'is required', fix: `add it${description ? ` (${description})` : ''}` }];
        }
        return [{ path: pathText, received, message: `must be ${article(issue.expected)}, not ${kindOf(received)}`, fix: description ? `set ${article(issue.expected)}: ${description}` : `set ${article(issue.expected)}` }];
      case 'invalid_value':
        if (received === undefined) return [{ path: pathText, received, message: 'is required', fix: `add it, one of: ${issue.values.map((v) => String(v)).join(', ')}` }];
        return [{ path: pathText, received, message: 'is not an allowed value', fix: `use one of: ${issue.values.map((v) => String(v)).join(', ')}` }];
      case 'invalid_union': {
        const options = discriminatorValues(field);
        return [{ path: pathText, received, message: 'does not match any allowed form', fix: options ? `set "type" to one of: ${options.join(', ')}` : description ?? 'see the config reference in README.md' }];
      }
      case 'too_small':
        return [{ path: pathText, received, message: `is too small (minimum ${String(issue.minimum)}${issue.origin === 'string' ? ' characters' : issue.origin === 'array' ? ' items' : ''})`, fix: `use at least ${String(issue.minimum)}${description ? ` (${description})` : ''}` }];
      case 'too_big':
        return [{ path: pathText, received, message: `is too big (maximum ${String(issue.maximum)})`, fix: `use at most ${String(issue.maximum)}` }];
      default:
        return [{ path: pathText, received, message: issue.message, fix: description ?? 'see the config reference in README.md' }];
    }
  });
}

function valueAt(root: unknown, p: readonly PropertyKey[]): unknown {
  let cur: unknown = root;
  for (const key of p) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/** Walks the schema along a data path, through defaults, optionals, records and arrays. */
export function schemaAt(schema: AnySchema | undefined, p: readonly PropertyKey[]): AnySchema | undefined {
  let cur = unwrap(schema);
  for (const key of p) {
    if (cur === undefined) return undefined;
    const def = (cur as unknown as { def: Record<string, unknown> }).def;
    if (def.type === 'object') cur = unwrap((def.shape as Record<string, AnySchema>)[String(key)]);
    else if (def.type === 'record') cur = unwrap(def.valueType as AnySchema);
    else if (def.type === 'array') cur = unwrap(def.element as AnySchema);
    else return undefined;
  }
  return cur;
}

function unwrap(schema: AnySchema | undefined): AnySchema | undefined {
  let cur = schema;
  for (let i = 0; i < 5 && cur; i++) {
    const def = (cur as unknown as { def: { type: string; innerType?: AnySchema } }).def;
    if ((def.type === 'default' || def.type === 'optional' || def.type === 'prefault') && def.innerType) {
      // keep the outer description when the inner one is missing
      const outer = cur.description;
      cur = def.innerType;
      if (outer && !cur.description) return cur.describe(outer);
    } else break;
  }
  return cur;
}

function objectKeys(schema: AnySchema | undefined): string[] | undefined {
  const def = (schema as unknown as { def?: { type: string; shape?: Record<string, unknown> } } | undefined)?.def;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

function discriminatorValues(schema: AnySchema | undefined): string[] | undefined {
  const def = (schema as unknown as { def?: { type: string; options?: AnySchema[]; discriminator?: string } } | undefined)?.def;
  if (def?.type !== 'union' || !def.discriminator || !def.options) return undefined;
  return def.options.map((o) => {
    const lit = (o as unknown as { def: { shape: Record<string, { def: { values: unknown[] } }> } }).def.shape[def.discriminator!];
    return String(lit?.def.values[0]);
  });
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `a ${typeof v}`;
}

function article(expected: string): string {
  const names: Record<string, string> = { object: 'a map', record: 'a map', array: 'a list', string: 'a string', number: 'a number', boolean: 'true or false', int: 'an integer' };
  return names[expected] ?? expected;
}

/** The allowed key closest to a typo (edit distance <= 2), for "did you mean". */
function closest(key: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const a of allowed) {
    const d = editDistance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) [best, bestD] = [a, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length]!;
}
