/**
 * Every Azure rule against its fixtures (pure functions, no synthesis): at least one compliant and
 * one non-compliant fixture each, the exact finding keys, and the metadata auditors read.
 */
import { AZURE_RULES } from '../../../../constructs/azure/rules';
import { evaluateRules } from '../../../../constructs/core/rules/evaluate';
import { SynthesizedConfig } from '../../../../constructs/core/rules/synthesized-config';
import { requiredChecksSection } from '../../../support/catalogs';
import { AZURE_FIXTURES } from './fixtures';

describe('Azure rules: fixtures', () => {
  it('every rule has a compliant and a non-compliant fixture, and every fixture a rule', () => {
    const ids = AZURE_RULES.map((r) => r.id).sort();
    expect(Object.keys(AZURE_FIXTURES).sort()).toEqual(ids);
    for (const id of ids) expect({ id, c: AZURE_FIXTURES[id]!.compliant.length > 0, n: AZURE_FIXTURES[id]!.nonCompliant.length > 0 }).toEqual({ id, c: true, n: true });
  });

  describe.each(AZURE_RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    const fixtures = AZURE_FIXTURES[id] ?? { compliant: [], nonCompliant: [] };
    const run = (json: object) => evaluateRules(SynthesizedConfig.fromJson(json), [rule]);

    it.each(fixtures.compliant.map((f) => [f.name, f] as const))('compliant: %s', (_name, f) => {
      const { results, findings } = run(f.json);
      expect(findings).toEqual([]);
      expect(results.some((r) => r.status === (f.notApplicable ? 'not-applicable' : 'compliant'))).toBe(true);
    });

    it.each(fixtures.nonCompliant.map((f) => [f.name, f] as const))('non-compliant: %s', (_name, f) => {
      const { findings } = run(f.json);
      expect(findings.map((x) => x.key).sort()).toEqual([...(f.findings ?? [])].sort());
      for (const x of findings) expect(x.message.length).toBeGreaterThan(15);
    });
  });
});

describe('Azure rules: metadata', () => {
  it('ids are unique, of the form AZURE-<AREA>-<n>, and every rule says what, why and how to fix', () => {
    expect(new Set(AZURE_RULES.map((r) => r.id)).size).toBe(AZURE_RULES.length);
    for (const r of AZURE_RULES) {
      expect(r.id).toMatch(/^AZURE-[A-Z0-9]+-\d+$/);
      expect({ id: r.id, title: r.title.length > 10, why: r.why.length > 40, fix: r.fix.length > 20 }).toEqual({ id: r.id, title: true, why: true, fix: true });
      for (const p of r.publicIds) expect(p).toMatch(/^CKV2?_AZURE_\d+$/);
    }
  });

  it('maps every Checkov ID of the Azure table in data/required-checks.md that the ACI variant can apply; the AKS ones are listed as pending', () => {
    const table = requiredChecksSection('Azure');
    const ids = new Set<string>();
    for (const line of table.split('\n').filter((l) => /^\| CKV/.test(l) && !/AKS/.test(l))) {
      const cell = line.split('|')[1]!;
      const [first, ...rest] = cell.split('/').map((x) => x.trim());
      ids.add(first!);
      const prefix = first!.replace(/\d+$/, '');
      for (const r of rest) ids.add(/^CKV/.test(r) ? r : `${prefix}${r}`);
    }
    const mapped = new Set(AZURE_RULES.flatMap((r) => r.publicIds));
    expect([...ids].filter((id) => !mapped.has(id))).toEqual([]);
    expect(ids.size).toBeGreaterThanOrEqual(12);
  });
});
