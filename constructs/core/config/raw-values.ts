/**
 * Checks that hold for every value of the config, whatever field it is in, run on the raw data
 * before the schema reads it (the schema would drop some of these silently):
 *
 * - map keys named `__proto__`: JavaScript cannot hold them as data, so the entry (a whole
 *   target, a runner, a tag) would vanish without a word;
 * - strings that would not arrive as written: not well-formed Unicode, control characters (a
 *   newline in a URL or an id), U+FEFF (Terraform drops it at the start of a string), text not in
 *   Unicode normalization form NFC (Terraform normalizes every string to NFC), and cdktf's own
 *   token marker `${TfToken[`, which cdktf would replace with a Terraform expression even when
 *   escaped. Everything else is escaped for Terraform at synthesis (`constructs/core/terraform-text.ts`)
 *   and arrives verbatim: a property-based test round-trips random strings through real Terraform;
 * - strings longer than any field takes (`MAX_STRING_LENGTH`; fields with a tighter limit say so);
 * - whole numbers too large to be exact (beyond 2^53), which no setting needs and which cdktf
 *   could mistake for one of its number tokens.
 *
 * Cloud-neutral: these are properties of Terraform, cdktf and JavaScript, not of a cloud.
 */
import { joinPath, type ConfigIssue } from './config-error';

/** No field of the config takes a longer string (the longest real values, URLs and ids, are far shorter). */
export const MAX_STRING_LENGTH = 4096;
/** Deeper nesting than any config needs (a target is 4 levels deep). */
const MAX_DEPTH = 32;
const CDKTF_TOKEN_MARKER = /[$#]\{TfToken\[/;
const CONTROL = /\p{Cc}/u;
/** Control characters besides line breaks (for the fields that hold lines of text). */
const CONTROL_BUT_LINE_BREAKS = /(?![\n\r])\p{Cc}/u;
/**
 * The fields that hold lines of text (PEM certificates, known-hosts lines), by their last two path
 * segments: line breaks allowed; their length limits and format are checked by `trust-check.ts`.
 */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set(['trust.caCertificates', 'trust.sshKnownHosts']);
/** A surrogate without its pair (what `String.prototype.isWellFormed` rejects; not in the ES2022 library). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every issue of `raw` that no field may have, with its path; `at` is the path of `raw`. */
export function checkRawValues(raw: unknown, at: readonly (string | number)[] = []): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  walk(raw, [...at], 0, issues);
  return issues;
}

function walk(value: unknown, at: (string | number)[], depth: number, issues: ConfigIssue[]): void {
  const path = joinPath(at) || '(file)';
  if (depth > MAX_DEPTH) {
    issues.push({ path, received: undefined, message: `is nested more than ${MAX_DEPTH} levels deep`, fix: 'flatten it: no field of the config nests that deep (see examples/)' });
    return;
  }
  if (typeof value === 'string') {
    issues.push(...stringIssues(value, path, 'value', MULTILINE_FIELDS.has(at.slice(-2).join('.'))));
    return;
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      issues.push({ path, received: value, message: 'is too large to be represented exactly (beyond 2^53)', fix: 'use a value in the documented range of the field' });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, [...at, i], depth + 1, issues));
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      const keyPath = joinPath([...at, key]);
      if (key === '__proto__') {
        issues.push({
          path: keyPath,
          received: key,
          message: 'is a key JavaScript cannot hold as data: the entry (a target, a runner, a tag) would silently disappear',
          fix: 'rename the key',
        });
        continue;
      }
      issues.push(...stringIssues(key, keyPath, 'key'));
      walk((value as Record<string, unknown>)[key], [...at, key], depth + 1, issues);
    }
  }
}

/** Why `text` would not reach the cloud as written, if it would not. */
function stringIssues(text: string, path: string, what: 'key' | 'value', multiline = false): ConfigIssue[] {
  const issue = (message: string, fix: string): ConfigIssue[] => [{ path, received: text, message: `${what === 'key' ? 'as a key, ' : ''}${message}`, fix }];
  if (!multiline && text.length > MAX_STRING_LENGTH) {
    return issue(`is ${text.length} characters long; no field takes more than ${MAX_STRING_LENGTH}`, 'shorten it (fields with a tighter limit name it in their description)');
  }
  if (LONE_SURROGATE.test(text)) return issue('is not well-formed Unicode text (it holds an unpaired surrogate)', 'write the text in UTF-8 without \\ud800-style escapes');
  const control = (multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL).exec(text);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    return issue(`contains the control character U+${code} at position ${control.index}: no field takes one (a newline would be passed on verbatim)`, 'remove it (check for a stray line break or tab in the value)');
  }
  if (text.includes('\uFEFF')) return issue('contains U+FEFF (byte-order mark), which Terraform drops from the start of a string', 'remove the invisible character (often pasted from a Windows editor)');
  if (text.normalize('NFC') !== text) {
    return issue('is not in Unicode normalization form NFC: Terraform normalizes every string to NFC, so the deployed value would differ', `write it in composed form: ${JSON.stringify(text.normalize('NFC'))}`);
  }
  if (CDKTF_TOKEN_MARKER.test(text)) {
    return issue('contains "${TfToken[", the marker of cdktf\'s internal references: cdktf would replace it with a Terraform expression', 'remove it; no real setting contains it');
  }
  return [];
}
