/**
 * Terraform JSON strings: every string is a template; `${...}` interpolates an expression and
 * `$${` is a literal `${`. This finds the expressions in a string and the references
 * (`type.name.attr`, `data.type.name.attr`, `var.x`, ...) in an expression. It is not an HCL parser:
 * it strips string literals and reads traversals, which is what reference checking needs.
 */

/** A string that is exactly one interpolation (`"${expr}"`): its value may have any type. */
export function isSingleInterpolation(s: string): boolean {
  if (!s.startsWith('${')) return false;
  return closingBrace(s, 2) === s.length - 1;
}

/** A string holding at least one interpolation or directive (`${...}`, `%{...}`). */
export function isTemplate(s: string): boolean {
  return templateExpressions(s).length > 0;
}

/** Index of the `}` closing the interpolation whose body starts at `from`, or the string's length. */
function closingBrace(s: string, from: number): number {
  let depth = 0;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (c === '"') i = stringEnd(s, i) - 1;
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return s.length;
}

/** Index just past the quoted string literal that opens at `from` (which may hold templates). */
function stringEnd(s: string, from: number): number {
  for (let i = from + 1; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if ((c === '$' || c === '%') && s[i + 1] === '{') i = closingBrace(s, i + 2);
  }
  return s.length;
}

/** The bodies of every `${...}` and `%{...}` in a template string. */
export function templateExpressions(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if ((s[i] === '$' || s[i] === '%') && s[i + 1] === s[i] && s[i + 2] === '{') {
      i += 2; // `$${` / `%%{`: a literal
      continue;
    }
    if ((s[i] === '$' || s[i] === '%') && s[i + 1] === '{') {
      const end = closingBrace(s, i + 2);
      out.push(s.slice(i + 2, end));
      i = end;
    }
  }
  return out;
}

/** A traversal such as `aws_iam_role.x.arn` or `data.aws_eks_cluster.c.endpoint`. */
export interface Reference {
  readonly root: string;
  /** Attribute names after the root; index steps (`[0]`, `["k"]`, `[*]`, `.*`) are left out. Empty for a bare name. */
  readonly parts: readonly string[];
  readonly text: string;
}

const TRAVERSAL = /[A-Za-z_][\w-]*(?:\s*(?:\.\s*(?:[A-Za-z_][\w-]*|\*|\d+)|\[[^[\]]*\]))*/g;
const KEYWORDS = new Set(['true', 'false', 'null', 'for', 'in', 'if', 'else', 'endif', 'endfor']);
const FOR_BINDING = /\bfor\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\b/g;

/** An expression with its string literals blanked, plus the expressions templated inside them. */
function splitStrings(expr: string): { code: string; nested: string[] } {
  let code = '';
  const nested: string[] = [];
  for (let i = 0; i < expr.length; i++) {
    if (expr[i] === '"') {
      const end = stringEnd(expr, i);
      nested.push(...templateExpressions(expr.slice(i + 1, end - 1)));
      code += '""';
      i = end - 1;
    } else code += expr[i];
  }
  return { code, nested };
}

/** Every reference in an expression (not a function name, provider function, keyword, object key or for-variable). */
export function references(expr: string): Reference[] {
  const { code, nested } = splitStrings(expr);
  const bound = new Set<string>();
  for (const m of code.matchAll(FOR_BINDING)) for (const n of [m[1], m[2]]) if (n) bound.add(n);
  const out: Reference[] = [];
  for (const m of code.matchAll(TRAVERSAL)) {
    const start = m.index;
    if (/[\w.-]/.test(code[start - 1] ?? '') || code.slice(start - 2, start) === '::') continue; // mid-name, mid-traversal or a provider function
    const before = code.slice(0, start).trimEnd();
    const after = code.slice(start + m[0].length).trimStart();
    if (after.startsWith('(') || after.startsWith('::')) continue; // a function or a provider namespace
    const [root, ...rest] = m[0]
      .replace(/\[[^[\]]*\]/g, '')
      .split('.')
      .map((p) => p.trim());
    const parts = rest.filter((p) => p !== '' && p !== '*' && !/^\d+$/.test(p));
    if (bound.has(root!)) continue;
    if (parts.length === 0) {
      // A bare name: a keyword, an object key (`{ key = ... }`), or an invalid reference (often
      // shell text such as `${HOME}` that should have been escaped as `$${HOME}`).
      const objectKey = /^(?:=(?!=)|:)/.test(after) && /(?:^|[{,])$/.test(before);
      if (KEYWORDS.has(root!) || objectKey) continue;
    }
    out.push({ root: root!, parts, text: m[0] });
  }
  return [...out, ...nested.flatMap(references)];
}

/** Every reference in every string of a JSON value. */
export function referencesIn(value: unknown): Reference[] {
  if (typeof value === 'string') return templateExpressions(value).flatMap(references);
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(referencesIn);
  return [];
}
