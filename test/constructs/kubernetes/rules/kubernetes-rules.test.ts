/**
 * Every Kubernetes rule against its fixtures: small synthesized-JSON fragments, judged as pure
 * functions (no synthesis). Each rule has at least one compliant and one non-compliant fixture.
 */
import { evaluateRules } from '../../../../constructs/core/rules/evaluate';
import { SynthesizedConfig } from '../../../../constructs/core/rules/synthesized-config';
import { KUBERNETES_RULES } from '../../../../constructs/kubernetes/rules';
import { requiredChecksSection } from '../../../support/catalogs';
import { KUBERNETES_FIXTURES as FIXTURES } from './fixtures';

describe('Kubernetes rules: fixtures', () => {
  it('every rule has a compliant and a non-compliant fixture, and every fixture a rule', () => {
    const ids = KUBERNETES_RULES.map((r) => r.id).sort();
    expect(Object.keys(FIXTURES).sort()).toEqual(ids);
    for (const id of ids) {
      expect({ id, compliant: FIXTURES[id]!.compliant.length > 0, nonCompliant: FIXTURES[id]!.nonCompliant.length > 0 }).toEqual({ id, compliant: true, nonCompliant: true });
    }
  });

  describe.each(KUBERNETES_RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    const fixtures = FIXTURES[id] ?? { compliant: [], nonCompliant: [] };
    const run = (json: object) => evaluateRules(SynthesizedConfig.fromJson(json), [rule]);

    it.each(fixtures.compliant.map((f) => [f.name, f] as const))('compliant: %s', (_name, f) => {
      const { results, findings } = run(f.json);
      expect(findings).toEqual([]);
      expect(results.length).toBeGreaterThan(0);
      expect(results.some((r) => r.status === (f.notApplicable ? 'not-applicable' : 'compliant'))).toBe(true);
    });

    it.each(fixtures.nonCompliant.map((f) => [f.name, f] as const))('non-compliant: %s', (_name, f) => {
      const { findings } = run(f.json);
      expect(findings.map((x) => x.key).sort()).toEqual([...(f.findings ?? [])].sort());
      for (const x of findings) expect(x.message.length).toBeGreaterThan(15);
    });
  });
});

describe('Kubernetes rules: metadata', () => {
  it('ids are unique, of the form K8S-<AREA>-<n>, and every rule says what, why and how to fix', () => {
    expect(new Set(KUBERNETES_RULES.map((r) => r.id)).size).toBe(KUBERNETES_RULES.length);
    for (const r of KUBERNETES_RULES) {
      expect(r.id).toMatch(/^K8S-[A-Z0-9]+-\d+$/);
      expect({ id: r.id, title: r.title.length > 10, why: r.why.length > 40, fix: r.fix.length > 20, appliesTo: r.appliesTo.length > 0 }).toEqual({ id: r.id, title: true, why: true, fix: true, appliesTo: true });
      for (const p of r.publicIds) expect(p).toMatch(/^CKV_K8S_\d+$/);
    }
  });

  it('maps every Checkov ID and kit-only row of the Kubernetes table in data/required-checks.md', () => {
    const table = requiredChecksSection('Kubernetes workload');
    const ids = new Set<string>();
    let kitOnly = 0;
    for (const cell of table.split('\n').map((l) => l.split('|')[1] ?? '')) {
      if (cell.trim() === 'kit-only') kitOnly += 1;
      for (const m of cell.matchAll(/CKV_K8S_(\d+)((?:\s*\/\s*\d+)*)(\.\.(\d+))?/g)) {
        ids.add(`CKV_K8S_${m[1]}`);
        for (const n of (m[2] ?? '').matchAll(/(\d+)/g)) ids.add(`CKV_K8S_${n[1]}`);
        if (m[4]) for (let i = Number(m[1]); i <= Number(m[4]); i++) ids.add(`CKV_K8S_${i}`);
      }
    }
    const mapped = new Set(KUBERNETES_RULES.flatMap((r) => r.publicIds));
    expect([...ids].sort()).toEqual([...mapped].sort());
    expect(ids.size).toBe(15);
    // At least one kit-only rule per kit-only row (the NetworkPolicy row is two: default-deny, egress ports).
    expect(kitOnly).toBe(4);
    expect(KUBERNETES_RULES.filter((r) => r.publicIds.length === 0).map((r) => r.id)).toEqual(['K8S-NS-1', 'K8S-NS-2', 'K8S-NET-1', 'K8S-NET-2', 'K8S-PDB-1']);
  });
});
