/**
 * User text as Terraform text (constructs/core/terraform-text.ts): the escape is checked against a
 * real `terraform` binary, not against a model of Terraform's template rules.
 */
import fc from 'fast-check';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkRawValues } from '../../../constructs/core/config/raw-values';
import { EMPTY_DIRECTIVE, escapeTerraformTemplate, fromTerraformText, renderTemplate, toTerraformText, unescapeTerraformTemplate } from '../../../constructs/core/terraform-text';
import { describeWith } from '../../support/requirements';
import { expectStatus, terraform, tf, writeCliConfig } from '../../support/terraform';
import { evaluateWithTerraform, templateHeavyString, withoutReferences } from '../../support/terraform-eval';

describe('escapeTerraformTemplate', () => {
  const E = EMPTY_DIRECTIVE;
  it.each([
    ['${local.nope}', `$${E}{local.nope}`],
    ['id-${file("/etc/hostname")}', `id-$${E}{file("/etc/hostname")}`],
    ['%{ if true }x%{ endif }', '%%{ if true }x%%{ endif }'],
    ['$${already}', `$$${E}{already}`],
    ['x${', `x$${E}{`],
    ['$ { % { $$ %%', '$ { % { $$ %%'],
    ['plain text', 'plain text'],
  ])('escapes %j', (text, escaped) => {
    expect(escapeTerraformTemplate(text)).toBe(escaped);
    expect(unescapeTerraformTemplate(escaped)).toBe(text);
  });

  it('writes no "${" and no quote: cdktf would read a "${" as a hand-written expression, and a quote breaks embedded JSON', () => {
    fc.assert(
      fc.property(fc.oneof(templateHeavyString(40), fc.string({ unit: 'binary' })), (s) => {
        const escaped = escapeTerraformTemplate(s);
        expect(escaped.includes('${')).toBe(false);
        expect(escaped.split('"').length).toBe(s.split('"').length);
      }),
      { numRuns: 2000 },
    );
  });

  it('GIVEN any string THEN unescaping the escaped string gives it back (property)', () => {
    fc.assert(
      fc.property(fc.oneof(templateHeavyString(40), fc.string({ unit: 'binary' })), (s) => {
        expect(unescapeTerraformTemplate(escapeTerraformTemplate(s))).toBe(s);
        expect(withoutReferences(escapeTerraformTemplate(s))).toBe(escapeTerraformTemplate(s));
      }),
      { numRuns: 2000 },
    );
  });

  it('escapes keys and values deeply, except the backend settings Terraform reads literally', () => {
    const target = { apiClientId: '${x}', tags: { 'k${a}': '%{y}' }, list: ['${z}'], stateBackend: { type: 'local', path: 'st-${x}.tfstate' } };
    const escaped = toTerraformText(target);
    const e = (s: string) => s.replace('${', `$${EMPTY_DIRECTIVE}{`);
    expect(escaped).toEqual({ apiClientId: e('${x}'), tags: { [e('k${a}')]: '%%{y}' }, list: [e('${z}')], stateBackend: { type: 'local', path: 'st-${x}.tfstate' } });
    expect(fromTerraformText(escaped)).toEqual(target);
  });
});

describeWith([terraform], 'Terraform evaluates escaped text to the text itself', () => {
  it('GIVEN random strings rich in $ % { } THEN terraform evaluates each escaped one to exactly the string (property, batched)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(templateHeavyString(), fc.string({ unit: 'binary', maxLength: 20 }).filter((s) => checkRawValues(s).length === 0)), { minLength: 60, maxLength: 60 }), (strings) => {
        const templates = Object.fromEntries(strings.map((s, i) => [String(i), escapeTerraformTemplate(s)]));
        const evaluated = evaluateWithTerraform(templates);
        strings.forEach((s, i) => expect(evaluated[String(i)]).toBe(s));
      }),
      { numRuns: 4 },
    );
  }, 120_000);

  it('GIVEN templates the kit writes THEN renderTemplate renders them as terraform does', () => {
    const templates = { a: `x$${EMPTY_DIRECTIVE}{y}`, b: 'a$${b}%%{c}', c: `$$${EMPTY_DIRECTIVE}{`, d: '%%%{ z' };
    const byTerraform = evaluateWithTerraform(templates);
    for (const [k, t] of Object.entries(templates)) expect(renderTemplate(t, () => 'REF')).toBe(byTerraform[k]);
  }, 60_000);

  it('GIVEN unescaped user text THEN terraform would evaluate it (what the escape prevents)', () => {
    expect(evaluateWithTerraform({ a: 'x-${upper("y")}', b: escapeTerraformTemplate('x-${upper("y")}') })).toEqual({ a: 'x-Y', b: 'x-${upper("y")}' });
  }, 60_000);

  it('GIVEN a backend setting with ${ THEN terraform reads it literally (so stateBackend is never escaped)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tf-backend-'));
    try {
      const cli = writeCliConfig(path.join(dir, 'cli.tfrc'), []);
      writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ terraform: { backend: { local: { path: 'st-${x}-%{y}.tfstate' } } }, output: { o: { value: 'v' } } }));
      expectStatus(tf(dir, cli, ['init', '-input=false'], { timeoutMs: 60_000 }), 0, 'init');
      expectStatus(tf(dir, cli, ['apply', '-auto-approve', '-input=false'], { timeoutMs: 60_000 }), 0, 'apply');
      expect(existsSync(path.join(dir, 'st-${x}-%{y}.tfstate'))).toBe(true);
      expect(readdirSync(dir).filter((f) => f.endsWith('.tfstate'))).toEqual(['st-${x}-%{y}.tfstate']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
