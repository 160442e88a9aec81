/**
 * User text as Terraform text: the one place where config values are escaped for Terraform.
 *
 * Terraform reads every string of `cdk.tf.json` (resource and provider arguments, outputs, map
 * keys) as a template: `${...}` interpolates an expression and `%{...}` runs a directive. A config
 * value such as `id-${file("/etc/hostname")}` would therefore be evaluated at plan time, reading the
 * deployer's files into a task definition.
 *
 * The escape, chosen for Terraform and for cdktf:
 * - `%{` becomes `%%{`, Terraform's escape for a literal `%{`;
 * - `${` becomes `$` + an empty directive + `{` (`$%{ if false }%{ endif }{`), which Terraform
 *   renders as `${`. Terraform's own escape `$${` cannot be used: cdktf scans every string that
 *   also holds a reference for hand-written `${ ... }` and renders the references after an unclosed
 *   one without their braces, so a user value `x${` written as `x$${` would break the kit's own
 *   references later in the same string (found by test/stacks/user-text.property.test.ts). The
 *   escaped text contains no `${` at all, so cdktf sees nothing in it, and no quote, so it stays
 *   valid inside the JSON documents the kit embeds in strings (container definitions, policies).
 *
 * The stacks receive the config through `toTerraformText` (`stacks/targets.ts`): every string of
 * the target, keys included, escaped before any construct sees it, so every construct writes user
 * text as text without having to remember to. Two exceptions:
 * - backend settings (`stateBackend`): Terraform reads them literally, without templates (an
 *   escaped value would be taken as written), and they can hold no expression;
 * - values the kit hands to something other than Terraform (the updater's configuration object
 *   the CLI runs with) are turned back with `fromTerraformText`; the document in the function's
 *   environment stays escaped, since Terraform renders it into the real text.
 *
 * Validation (`raw-values.ts`) rejects what escaping cannot carry: cdktf's own token marker
 * `${TfToken[`, which cdktf would resolve before Terraform sees anything, and text Terraform would
 * change (non-NFC text, control characters, U+FEFF). Property-based tests render escaped random
 * strings with a real `terraform` binary, alone and inside synthesized stacks.
 */

/** A template directive that renders as nothing; it separates a `$` from the `{` after it. */
export const EMPTY_DIRECTIVE = '%{ if false }%{ endif }';

/** `text` as a Terraform template that renders exactly `text`. */
export function escapeTerraformTemplate(text: string): string {
  return text.replace(/\$\{|%\{/g, (m) => (m === '${' ? `$${EMPTY_DIRECTIVE}{` : '%%{'));
}

/**
 * A template rendered as Terraform does, for the parts the kit writes: the escapes `$${` and
 * `%%{`, the empty directive, and plain interpolations `${<expr>}` (handed to `interpolate`).
 * Anything else that opens an interpolation or a directive throws: it has no literal form.
 */
export function renderTemplate(template: string, interpolate: (expression: string) => string): string {
  return template.replace(TEMPLATE_ELEMENT, (m, expression: string | undefined) => {
    if (m === '$${' || m === '%%{') return m.slice(1);
    if (m === EMPTY_DIRECTIVE) return '';
    if (expression !== undefined) return interpolate(expression);
    throw new UnsupportedTemplateError(`"${template}" holds a Terraform template element (${m}...) that has no literal form`);
  });
}

/** Thrown by `renderTemplate` for template elements the kit never writes. */
export class UnsupportedTemplateError extends Error {
  override readonly name = 'UnsupportedTemplateError';
}
/** One template element, scanned left to right as Terraform's lexer does. */
const TEMPLATE_ELEMENT = new RegExp(`\\$\\$\\{|%%\\{|${EMPTY_DIRECTIVE.replace(/[{}$]/g, (c) => `\\${c}`)}|\\$\\{([^{}]*)\\}|\\$\\{|%\\{`, 'g');

/**
 * The text an escaped template renders: the inverse of `escapeTerraformTemplate`. References
 * `${...}` are kept as they are (the kit's own, resolved by Terraform at plan time).
 */
export function unescapeTerraformTemplate(template: string): string {
  return renderTemplate(template, (expression) => `\${${expression}}`);
}

/** The parts of a target that Terraform reads literally (no templates): never escaped. */
const LITERAL_FIELDS: ReadonlySet<string> = new Set(['stateBackend']);

/** `value` with every string, object keys included, escaped for Terraform; `LITERAL_FIELDS` of the top level left as they are. */
export function toTerraformText<T>(value: T): T {
  return mapStrings(value, escapeTerraformTemplate, LITERAL_FIELDS) as T;
}

/** The inverse of `toTerraformText`, for values the kit hands to code instead of Terraform. */
export function fromTerraformText<T>(value: T): T {
  return mapStrings(value, unescapeTerraformTemplate, LITERAL_FIELDS) as T;
}

function mapStrings(value: unknown, f: (s: string) => string, skipAtTop?: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => (skipAtTop?.has(k) ? [k, v] : [f(k), mapStrings(v, f)])));
  }
  return value;
}
