/**
 * Reading synthesized attribute values without mistaking Terraform expressions for literals.
 *
 * In synthesized JSON a cdktf token has become a Terraform expression string such as
 * `${aws_kms_key.Key_961B73FD.arn}` or `arn:${data.aws_partition.Partition.partition}:iam::...`.
 * Its value is unknown at synthesis, so rules follow two conventions:
 * - presence checks ("a key is set"): an expression counts as set;
 * - value checks ("rotation is on", "no public IP"): an expression cannot be proven, so it is a
 *   finding that says so (use a literal, or acknowledge it with a reason).
 */
import { EMPTY_DIRECTIVE } from '../terraform-text';
import type { JsonObject, JsonValue, TerraformResourceView } from './synthesized-config';

/** `${...}` interpolation or `%{...}` template directive, not escaped as `$${` / `%%{`. */
const EXPRESSION = /(^|[^$%])[$%]\{/;

/**
 * True when `value` holds an interpolation or directive; user text escaped by the kit
 * (`constructs/core/terraform-text.ts`: `$${`, `%%{` and the empty directive) is text, not one.
 */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && EXPRESSION.test(value.split(EMPTY_DIRECTIVE).join('\u0000'));
}

/** A value as a rule sees it: absent, a literal, or a Terraform expression it cannot evaluate. */
export type Literal<T> =
  | { readonly kind: 'absent' }
  | { readonly kind: 'literal'; readonly value: T }
  | { readonly kind: 'expression'; readonly text: string }
  | { readonly kind: 'invalid'; readonly value: unknown };

const absent = { kind: 'absent' } as const;

export function readBoolean(value: unknown): Literal<boolean> {
  if (value === undefined || value === null) return absent;
  if (typeof value === 'boolean') return { kind: 'literal', value };
  if (value === 'true' || value === 'false') return { kind: 'literal', value: value === 'true' };
  if (isExpression(value)) return { kind: 'expression', text: value };
  return { kind: 'invalid', value };
}

export function readNumber(value: unknown): Literal<number> {
  if (value === undefined || value === null) return absent;
  if (typeof value === 'number') return { kind: 'literal', value };
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return { kind: 'literal', value: Number(value) };
  if (isExpression(value)) return { kind: 'expression', text: value };
  return { kind: 'invalid', value };
}

export function readString(value: unknown): Literal<string> {
  if (value === undefined || value === null) return absent;
  if (isExpression(value)) return { kind: 'expression', text: value };
  if (typeof value === 'string') return { kind: 'literal', value };
  return { kind: 'invalid', value };
}

/** Set = present and not empty; an expression counts as set (its value is decided at plan time). */
export function isSet(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.trim().length > 0;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** A value for messages: short, quoted strings, JSON otherwise. */
export function show(value: unknown): string {
  const text = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** What a rule reports for a value it could not evaluate. */
export function unprovable(attribute: string, text: string): string {
  return `${attribute} is the Terraform expression ${show(text)}, which cannot be checked at synthesis`;
}

/**
 * A nested block as a list: JSON may hold a single block as an object or as a list of objects.
 * Expressions and other values yield no blocks.
 */
export function blocks(value: JsonValue | undefined): JsonObject[] {
  if (Array.isArray(value)) return value.filter((v): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v));
  if (typeof value === 'object' && value !== null) return [value as JsonObject];
  return [];
}

/** The first block of a nested block attribute, if any. */
export function block(value: JsonValue | undefined): JsonObject | undefined {
  return blocks(value)[0];
}

/** String elements of a list attribute (a single string counts as a list of one). */
export function strings(value: JsonValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export interface Reference {
  /** `aws_iam_role.Role_1234ABCD` or `data.aws_iam_policy_document.X` */
  readonly address: string;
  /** Attribute path after the address, e.g. `arn` or `names`. */
  readonly attribute: string;
}

const REF = /^(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_.\[\]"-]+)$/;

/** The single reference `value` is made of (`${aws_iam_role.X.arn}`), or undefined. */
export function asReference(value: unknown): Reference | undefined {
  if (typeof value !== 'string' || !value.startsWith('${') || !value.endsWith('}')) return undefined;
  const inner = value.slice(2, -1).trim();
  const m = REF.exec(inner);
  if (!m) return undefined;
  return { address: `${m[1] ?? ''}${m[2]}.${m[3]}`, attribute: m[4]! };
}

const EMBEDDED_REF = /\b(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)\.[A-Za-z_]/g;

/** Addresses of every resource or data source an expression mentions (var., local. excluded). */
export function referencedAddresses(value: string): string[] {
  const out = new Set<string>();
  for (const part of value.split('${').slice(1)) {
    const inner = part.split('}')[0] ?? '';
    for (const m of inner.matchAll(EMBEDDED_REF)) {
      const type = m[2]!;
      if (!m[1] && ['var', 'local', 'module', 'each', 'count', 'path', 'terraform', 'self'].includes(type)) continue;
      out.add(`${m[1] ?? ''}${type}.${m[3]}`);
    }
  }
  return [...out];
}

/**
 * Whether `value` designates `target`: a reference to one of its `attributes`
 * (`${aws_iam_role.X.arn}`), or a literal equal to the target's own literal attribute.
 */
export function refersTo(value: unknown, target: TerraformResourceView, attributes: readonly string[]): boolean {
  const ref = asReference(value);
  if (ref) return ref.address === target.address && attributes.includes(ref.attribute);
  if (typeof value !== 'string' || isExpression(value)) return false;
  return attributes.some((a) => typeof target.body[a] === 'string' && !isExpression(target.body[a]) && target.body[a] === value);
}
