/** Small readers shared by the Azure rules: literal checks with the core's expression conventions. */
import { readBoolean, readString, unprovable } from '../../../core/rules/expressions';
import type { Finding } from '../../../core/rules/rule';
import type { JsonObject } from '../../../core/rules/synthesized-config';

/** A finding unless `body[attribute]` is literally `expected` (absent counts as `absentMeans`). */
export function requireBoolean(body: JsonObject, attribute: string, expected: boolean, absentMeans: boolean | undefined, why: string): Finding[] {
  const v = readBoolean(body[attribute]);
  if (v.kind === 'absent') return absentMeans === expected ? [] : [{ key: attribute, message: `${attribute} is not set (${absentMeans === undefined ? 'no default' : `Azure's default is ${absentMeans}`}): ${why}` }];
  if (v.kind === 'expression') return [{ key: attribute, message: unprovable(attribute, v.text) }];
  if (v.kind === 'literal' && v.value === expected) return [];
  return [{ key: attribute, message: `${attribute} is ${JSON.stringify(v.kind === 'literal' ? v.value : body[attribute])}: ${why}` }];
}

/** A finding unless `body[attribute]` is literally one of `allowed` (case-insensitive). */
export function requireString(body: JsonObject, attribute: string, allowed: readonly string[], why: string): Finding[] {
  const v = readString(body[attribute]);
  if (v.kind === 'expression') return [{ key: attribute, message: unprovable(attribute, v.text) }];
  if (v.kind === 'literal' && allowed.some((a) => a.toLowerCase() === v.value.toLowerCase())) return [];
  return [{ key: attribute, message: `${attribute} is ${v.kind === 'absent' ? 'not set' : JSON.stringify(body[attribute])} (expected ${allowed.join(' or ')}): ${why}` }];
}
