/**
 * Request bodies checked against the official Cloud Run Admin API v2 definitions: the protos that
 * `@google-cloud/run` ships (`build/protos/protos.json`), read with protobufjs. The check is strict
 * where the API is: unknown fields, wrong JSON types, enum values that do not exist and output-only
 * fields (the API computes those; a client that sends them back has misread the message) are
 * problems; the fake answers them with 400, so it cannot drift from the real API.
 */
import * as path from 'node:path';
import { Enum, Root, Type, type Field } from 'protobufjs';

let root: Root | undefined;
function protos(): Root {
  if (root === undefined) {
    const file = path.join(path.dirname(require.resolve('@google-cloud/run/package.json')), 'build', 'protos', 'protos.json');
    root = Root.fromJSON(require(file) as object);
  }
  return root;
}

export function runMessage(name: string): Type {
  return protos().lookupType(`google.cloud.run.v2.${name}`);
}

const WELL_KNOWN_STRINGS = new Set(['google.protobuf.Timestamp', 'google.protobuf.Duration', 'google.protobuf.FieldMask']);
const INTEGER = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32']);
const LONG = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function isOutputOnly(field: Field): boolean {
  const behavior = (field.options ?? {})['(google.api.field_behavior)'];
  return behavior === 'OUTPUT_ONLY' || (Array.isArray(behavior) && behavior.includes('OUTPUT_ONLY'));
}

/** Every way `value` is not the JSON form of message `type` (proto3 JSON mapping); empty when it is. */
export function protoProblems(type: Type, value: unknown, at = type.name, opts: { readonly outputOnlyAllowed?: boolean } = {}): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected an object for ${type.fullName}`];
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = type.fields[key] ?? Object.values(type.fields).find((f) => f.name === key);
    if (field === undefined) {
      problems.push(`${at}.${key}: no such field in ${type.fullName}`);
      continue;
    }
    if (!opts.outputOnlyAllowed && isOutputOnly(field)) problems.push(`${at}.${key}: output only (the API computes it)`);
    field.resolve();
    if (field.map) {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) problems.push(`${at}.${key}: expected a map`);
      else for (const [k, mv] of Object.entries(v as Record<string, unknown>)) problems.push(...valueProblems(field, mv, `${at}.${key}[${k}]`, opts));
    } else if (field.repeated) {
      if (!Array.isArray(v)) problems.push(`${at}.${key}: expected a list`);
      else v.forEach((item, i) => problems.push(...valueProblems(field, item, `${at}.${key}[${i}]`, opts)));
    } else problems.push(...valueProblems(field, v, `${at}.${key}`, opts));
  }
  return problems;
}

function valueProblems(field: Field, v: unknown, at: string, opts: { readonly outputOnlyAllowed?: boolean }): string[] {
  const resolved = field.resolvedType;
  if (resolved instanceof Enum) return typeof v === 'string' && v in resolved.values ? [] : [`${at}: ${JSON.stringify(v)} is not a value of ${resolved.fullName}`];
  if (resolved instanceof Type) {
    if (WELL_KNOWN_STRINGS.has(resolved.fullName.replace(/^\./, ''))) return typeof v === 'string' ? [] : [`${at}: expected a string (${resolved.fullName})`];
    return protoProblems(resolved, v, at, opts);
  }
  if (field.type === 'string') return typeof v === 'string' ? [] : [`${at}: expected a string`];
  if (field.type === 'bool') return typeof v === 'boolean' ? [] : [`${at}: expected a boolean`];
  if (INTEGER.has(field.type)) return Number.isInteger(v) ? [] : [`${at}: expected an integer`];
  if (LONG.has(field.type)) return Number.isInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v)) ? [] : [`${at}: expected an integer (int64 as a string or number)`];
  if (field.type === 'double' || field.type === 'float') return typeof v === 'number' ? [] : [`${at}: expected a number`];
  if (field.type === 'bytes') return typeof v === 'string' ? [] : [`${at}: expected base64 text`];
  return [];
}
