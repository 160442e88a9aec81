/**
 * Evaluates strings the way Terraform reads them in `cdk.tf.json`, with a real `terraform` binary
 * and no provider: each string becomes the value of an output in a JSON-syntax configuration, the
 * configuration is applied to a local state, and the outputs are read back. So template escapes,
 * interpolation and Unicode normalization are Terraform's own, not a model of them.
 *
 * References to resources (`${aws_x.y.arn}`) cannot be evaluated without the resources; callers
 * replace them first with `withoutReferences`, which leaves the escapes `$${` and `%%{` alone.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkRawValues } from '../../constructs/core/config/raw-values';
import { expectStatus, tf, writeCliConfig } from './terraform';

/** What `withoutReferences` puts where a reference was. */
export const REFERENCE_PLACEHOLDER = '<reference>';

/**
 * `template` with every plain interpolation `${...}` replaced by REFERENCE_PLACEHOLDER, scanning as
 * Terraform's lexer does, so the escapes `$${` and `%%{` stay what they are (text).
 */
export function withoutReferences(template: string): string {
  return template.replace(/\$\$\{|%%\{|\$\{[^{}]*\}/g, (m) => (m === '$${' || m === '%%{' ? m : REFERENCE_PLACEHOLDER));
}

/** Each template evaluated by Terraform (same keys in, same keys out). Throws with Terraform's output when it refuses one. */
export function evaluateWithTerraform(templates: Readonly<Record<string, string>>): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tf-eval-'));
  try {
    const cli = writeCliConfig(path.join(dir, 'cli.tfrc'), []);
    const keys = Object.keys(templates);
    const output = Object.fromEntries(keys.map((k, i) => [`o${i}`, { value: templates[k] }]));
    writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ output }));
    expectStatus(tf(dir, cli, ['init', '-input=false'], { timeoutMs: 60_000 }), 0, 'terraform init (no providers)');
    expectStatus(tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { timeoutMs: 120_000 }), 0, 'terraform apply (outputs only)');
    const shown = tf(dir, cli, ['output', '-json'], { timeoutMs: 60_000 });
    expectStatus(shown, 0, 'terraform output');
    const values = JSON.parse(shown.stdout) as Record<string, { value: string }>;
    return Object.fromEntries(keys.map((k, i) => [k, values[`o${i}`]!.value]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Strings rich in what Terraform treats specially: $, %, braces, doubled and tripled. */
export const templateHeavyString = (maxLength = 24) =>
  fc
    .array(fc.oneof(fc.constantFrom('$', '%', '{', '}', '${', '%{', '$${', '%%{', '$$', '%%', '\\', '"', '~'), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength })
    .map((parts) => parts.join(''))
    // What validation lets through (raw-values.ts): the rest is rejected with a field-level error.
    .filter((s) => checkRawValues(s).length === 0);

