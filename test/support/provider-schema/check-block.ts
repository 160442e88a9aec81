/**
 * Checks one block body of synthesized Terraform JSON against its schema struct: every argument
 * known, nothing computed-only set, required arguments present, values of the right primitive or
 * collection type (Terraform's own conversions allowed: "5" is a number, 5 is a string), nested
 * blocks of the right shape. An interpolation (`"${...}"`) is accepted wherever a value is.
 */
import { isSingleInterpolation, isTemplate } from './expressions';
import { suggestion, type CheckId } from './findings';
import { describeType, type NestedBlock, type ProviderSchema, type Struct, type ValueType } from './schema';

export type Report = (path: string, check: CheckId, problem: string, fix: string) => void;

type Json = Record<string, unknown>;

const NUMBER_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
// Terraform (cty) converts these strings to booleans; anything else fails.
const BOOL_TEXT = new Set(['true', 'false', '1', '0']);

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v === 'boolean' ? 'bool' : typeof v}`;
}

function join(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

export class BlockChecker {
  constructor(
    private readonly schema: ProviderSchema,
    private readonly report: Report,
  ) {}

  /**
   * Checks a block body. `meta` names keys that belong to Terraform, not the provider
   * (meta-arguments at the top of a resource; none inside nested blocks).
   */
  checkBody(body: unknown, structId: string, path: string, meta: ReadonlySet<string> = new Set()): void {
    const struct = this.struct(structId);
    if (!isObject(body)) {
      this.report(path, 'block-shape', `expects a block (a JSON object), got ${kindOf(body)} ${show(body)}`, 'write the block as an object of its arguments');
      return;
    }
    const present = new Set<string>();
    for (const [key, value] of Object.entries(body)) {
      if (key === '//' || meta.has(key)) continue;
      const at = join(path, key);
      if (key === 'dynamic') {
        this.checkDynamic(value, struct, path, present);
        continue;
      }
      const attribute = struct.attributes[key];
      const block = struct.blocks[key];
      if (attribute) {
        if (value !== null) present.add(key);
        this.checkValue(value, attribute.type, at);
      } else if (block) {
        if (!(Array.isArray(value) && value.length === 0) && value !== null) present.add(key);
        this.checkBlock(value, block, at, key);
      } else if (struct.computed.includes(key)) {
        this.report(at, 'computed-only', `"${key}" is computed by the provider and cannot be set`, 'remove it: the provider sets it; read it through a reference to the resource instead');
      } else {
        const known = [...Object.keys(struct.attributes), ...Object.keys(struct.blocks)];
        this.report(at, 'unknown-argument', `"${key}" is not an argument of this ${path ? 'block' : 'type'} in ${this.schema.source} ${this.schema.version}`, `remove it or rename it: ${suggestion(key, known, 'arguments')}`);
      }
    }
    for (const [name, a] of Object.entries(struct.attributes)) {
      if (a.required && !present.has(name)) this.report(join(path, name), 'missing-required', `required argument "${name}" (${describeType(a.type)}) is missing`, `set "${name}"`);
    }
    for (const [name, b] of Object.entries(struct.blocks)) {
      if (b.required && !present.has(name)) this.report(join(path, name), 'missing-required', `required block "${name}" is missing`, `add a "${name}" block`);
    }
  }

  private struct(id: string): Struct {
    const s = this.schema.structs[id];
    if (!s) throw new Error(`${this.schema.package}: schema has no struct ${id} (stale cache? delete node_modules/.cache/provider-schema)`);
    return s;
  }

  private checkBlock(value: unknown, block: NestedBlock, path: string, name: string): void {
    const shape = block.nesting === 'single' ? 'at most one block' : `a ${block.nesting} of blocks`;
    if (typeof value === 'string') {
      this.report(path, 'block-shape', `"${name}" is a nested block (${shape}) and cannot be set from ${isTemplate(value) ? 'an expression' : 'a string'}`, `write it as a JSON object (or a list of them); to generate blocks from an expression use a "dynamic" block`);
      return;
    }
    if (value === null) return;
    if (!Array.isArray(value)) {
      this.checkBody(value, block.struct, path);
      return;
    }
    if (block.nesting === 'single' && value.length > 1) {
      this.report(path, 'block-shape', `"${name}" takes at most one block, got ${value.length}`, `merge the ${value.length} copies into one "${name}" block`);
    }
    value.forEach((item, i) => this.checkBody(item, block.struct, join(path, i)));
  }

  private checkDynamic(value: unknown, struct: Struct, path: string, present: Set<string>): void {
    const at = join(path, 'dynamic');
    if (!isObject(value)) {
      this.report(at, 'block-shape', `"dynamic" expects an object of block names, got ${kindOf(value)}`, 'write dynamic blocks as {"dynamic": {"<block>": {"for_each": ..., "content": {...}}}}');
      return;
    }
    for (const [name, specs] of Object.entries(value)) {
      const block = struct.blocks[name];
      const where = join(at, name);
      if (!block) {
        const isAttribute = name in struct.attributes;
        this.report(where, 'unknown-argument', isAttribute ? `"${name}" is an attribute, not a block: it cannot be generated with "dynamic"` : `"${name}" is not a block of this type`, isAttribute ? `set "${name}" directly (an expression is allowed)` : suggestion(name, Object.keys(struct.blocks), 'blocks'));
        continue;
      }
      present.add(name);
      for (const [i, spec] of (Array.isArray(specs) ? specs : [specs]).entries()) {
        const specPath = Array.isArray(specs) ? join(where, i) : where;
        if (!isObject(spec) || !('for_each' in spec) || !isObject(spec.content)) {
          this.report(specPath, 'block-shape', 'a dynamic block needs "for_each" and a "content" object', 'add "for_each" and "content"');
          continue;
        }
        this.checkBody(spec.content, block.struct, join(specPath, 'content'));
      }
    }
  }

  /** Checks a value against an attribute type, allowing what Terraform converts or cannot know yet. */
  checkValue(value: unknown, type: ValueType, path: string): void {
    if (value === null || type === 'any') return;
    if (typeof value === 'string' && isSingleInterpolation(value)) return; // any type, known at plan time
    const template = typeof value === 'string' && isTemplate(value);
    const wrong = (expected: string, fix: string) => this.report(path, 'wrong-type', `expects ${expected}, got ${kindOf(value)} ${show(value)}`, fix);
    if (type === 'string') {
      if (isObject(value) || Array.isArray(value)) wrong('a string', 'pass a string, or an expression such as "${jsonencode(...)}" that yields one');
      return;
    }
    if (type === 'number') {
      if (typeof value === 'number' || template) return;
      if (typeof value === 'string' && NUMBER_TEXT.test(value.trim())) return;
      wrong('a number', 'pass a number (e.g. 1), or a "${...}" expression that yields one');
      return;
    }
    if (type === 'bool') {
      if (typeof value === 'boolean' || template) return;
      if (typeof value === 'string' && BOOL_TEXT.has(value)) return;
      wrong('a bool', 'pass true or false, or a "${...}" expression that yields one');
      return;
    }
    if ('list' in type) {
      if (!Array.isArray(value)) {
        wrong(`a list (${describeType(type)})`, `pass a JSON array${typeof value === 'string' ? ` such as [${show(value)}]` : ''}, or a "\${...}" expression that yields a list`);
        return;
      }
      value.forEach((item, i) => this.checkValue(item, type.list, join(path, i)));
      return;
    }
    if ('map' in type) {
      if (!isObject(value)) {
        wrong(`a map (${describeType(type)})`, 'pass a JSON object of keys to values, or a "${...}" expression that yields a map');
        return;
      }
      for (const [k, v] of Object.entries(value)) this.checkValue(v, type.map, `${path}[${JSON.stringify(k)}]`);
      return;
    }
    if (!isObject(value)) {
      wrong('an object', 'pass a JSON object with the attributes of this type');
      return;
    }
    this.checkBody(value, type.object, path);
  }
}
