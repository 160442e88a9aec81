/**
 * The JSON Schema of the config file (for editors and onboarding scripts) and the Markdown config
 * reference in the README, both generated from the zod schema, never written by hand.
 */
import { z } from 'zod';
import { KitConfigSchema, SHARED_TARGET_SHAPE, TARGET_NAME_PATTERN } from './schema';
import { CLOUD_DEFINITIONS, TargetSchema } from '../../../kinds';

export const JSON_SCHEMA_FILE = 'schema/runner-kit.schema.json';

type JsonSchema = {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  [k: string]: unknown;
};

/** The whole file's schema: targets by name, each validated by TargetSchema. */
export function kitJsonSchema(): JsonSchema {
  const file = KitConfigSchema.extend({
    targets: z.record(z.string().regex(TARGET_NAME_PATTERN), TargetSchema).describe('Deployment targets by name (the name becomes the cdktf stack name).'),
  });
  const schema = z.toJSONSchema(file, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
  return { $id: 'https://github.com/meshcloud/private-runner-kit/schema/runner-kit.schema.json', title: 'private-runner-kit configuration', ...schema };
}

export function jsonSchemaText(): string {
  return `${JSON.stringify(kitJsonSchema(), null, 2)}\n`;
}

interface Row {
  readonly path: string;
  readonly type: string;
  readonly required: boolean;
  readonly default?: unknown;
  readonly description: string;
}

/**
 * Rows of the config reference, depth first, in schema order: the fields every cloud shares as
 * `targets.<name>.<field>`, then each cloud's own (cloud, platform, its block, state backends,
 * operator access) as `targets.<name>[cloud=<cloud>].<field>`.
 */
export function referenceRows(): Row[] {
  const rows: Row[] = [];
  const shared = z.toJSONSchema(z.strictObject(SHARED_TARGET_SHAPE), { io: 'input' }) as JsonSchema;
  walk(shared, 'targets.<name>', rows);
  for (const cloud of CLOUD_DEFINITIONS) {
    const own = z.toJSONSchema(cloud.targetSchema, { io: 'input' }) as JsonSchema;
    const properties = Object.fromEntries(Object.entries(own.properties ?? {}).filter(([key]) => !(key in SHARED_TARGET_SHAPE)));
    walk({ ...own, properties }, `targets.<name>[cloud=${cloud.cloud}]`, rows);
  }
  return rows;
}

function walk(s: JsonSchema, at: string, rows: Row[]): void {
  if (s.properties) {
    for (const [key, child] of Object.entries(s.properties)) {
      const path = `${at}.${key}`;
      rows.push({ path, type: typeOf(child), required: s.required?.includes(key) ?? false, default: child.default, description: child.description ?? '' });
      descend(child, path, rows);
    }
  }
}

function descend(s: JsonSchema, path: string, rows: Row[]): void {
  if (s.properties) walk(s, path, rows);
  else if (s.additionalProperties && typeof s.additionalProperties === 'object' && s.additionalProperties.properties) walk(s.additionalProperties, `${path}.<name>`, rows);
  else if (s.oneOf ?? s.anyOf) {
    for (const option of (s.oneOf ?? s.anyOf)!) {
      const tag = option.properties?.type?.const;
      if (option.properties) walk({ ...option, properties: Object.fromEntries(Object.entries(option.properties).filter(([k]) => k !== 'type')) }, `${path}[type=${String(tag)}]`, rows);
    }
  }
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (s.oneOf ?? s.anyOf) {
    const tags = (s.oneOf ?? s.anyOf)!.map((o) => o.properties?.type?.const).filter((t) => t !== undefined);
    return tags.length > 0 ? `one of type: ${tags.map((t) => `\`${String(t)}\``).join(', ')}` : 'union';
  }
  if (s.type === 'object' && s.additionalProperties && typeof s.additionalProperties === 'object') return `map of ${typeOf(s.additionalProperties)}`;
  if (s.type === 'array' && s.items) return `list of ${typeOf(s.items)}`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

const escape = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function configReferenceMarkdown(): string {
  const lines = [
    '| field | type | required | default | description |',
    '|---|---|---|---|---|',
    ...referenceRows().map((r) =>
      `| \`${r.path}\` | ${r.type} | ${r.required ? 'yes' : ''} | ${r.default === undefined ? '' : `\`${escape(JSON.stringify(r.default))}\``} | ${escape(r.description)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export const REFERENCE_START = '<!-- config-reference:start (generated from constructs/core/config/schema.ts by `npm run generate`; do not edit) -->';
export const REFERENCE_END = '<!-- config-reference:end -->';

/** The README with its config reference section replaced by the generated one. */
export function withConfigReference(readme: string): string {
  const start = readme.indexOf(REFERENCE_START);
  const end = readme.indexOf(REFERENCE_END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${REFERENCE_START} ... ${REFERENCE_END}`);
  return `${readme.slice(0, start + REFERENCE_START.length)}\n${configReferenceMarkdown()}${readme.slice(end)}`;
}
