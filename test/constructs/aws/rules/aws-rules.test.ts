/**
 * Every AWS rule against its fixtures: small synthesized-JSON fragments, judged as pure functions
 * (no synthesis). Each rule has at least one compliant and one non-compliant fixture.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { AWS_RULES } from '../../../../constructs/aws/rules';
import { evaluateRules } from '../../../../constructs/core/rules/evaluate';
import { SynthesizedConfig } from '../../../../constructs/core/rules/synthesized-config';
import { REPO_ROOT } from '../../../support/synth';
import { ECS_FIXTURES } from './fixtures/ecs';
import { EKS_FIXTURES } from './fixtures/eks';
import type { RuleFixtures } from './fixtures/fixture';
import { IAM_FIXTURES } from './fixtures/iam';
import { NETWORK_FIXTURES } from './fixtures/network';
import { STORAGE_FIXTURES } from './fixtures/storage';

const FIXTURES: Readonly<Record<string, RuleFixtures>> = { ...NETWORK_FIXTURES, ...EKS_FIXTURES, ...ECS_FIXTURES, ...STORAGE_FIXTURES, ...IAM_FIXTURES };

describe('AWS rules: fixtures', () => {
  it('every rule has a compliant and a non-compliant fixture, and every fixture a rule', () => {
    const ids = AWS_RULES.map((r) => r.id).sort();
    expect(Object.keys(FIXTURES).sort()).toEqual(ids);
    for (const id of ids) {
      expect({ id, compliant: FIXTURES[id]!.compliant.length > 0, nonCompliant: FIXTURES[id]!.nonCompliant.length > 0 }).toEqual({ id, compliant: true, nonCompliant: true });
    }
  });

  describe.each(AWS_RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    const fixtures = FIXTURES[id] ?? { compliant: [], nonCompliant: [] };
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

describe('AWS rules: metadata', () => {
  it('ids are unique, of the form AWS-<AREA>-<n>, and every rule says what, why and how to fix', () => {
    expect(new Set(AWS_RULES.map((r) => r.id)).size).toBe(AWS_RULES.length);
    for (const r of AWS_RULES) {
      expect(r.id).toMatch(/^AWS-[A-Z0-9]+-\d+$/);
      expect({ id: r.id, title: r.title.length > 10, why: r.why.length > 40, fix: r.fix.length > 20, appliesTo: r.appliesTo.length > 0 }).toEqual({ id: r.id, title: true, why: true, fix: true, appliesTo: true });
      for (const p of r.publicIds) expect(p).toMatch(/^CKV2?_AWS_\d+$/);
    }
  });

  const reference = path.resolve(REPO_ROOT, '..', 'shared', 'reference', 'security-rules.md');
  (existsSync(reference) ? it : it.skip)('maps every Checkov ID of the AWS table in security-rules.md (skipped without ../shared)', () => {
    const text = readFileSync(reference, 'utf8');
    const table = text.slice(text.indexOf('## AWS'), text.indexOf('## Azure'));
    const ids = new Set<string>();
    for (const cell of table.split('\n').map((l) => l.split('|')[1] ?? '')) {
      for (const m of cell.matchAll(/(CKV2?_AWS_)(\d+)((?:\s*\/\s*(?:CKV2?_AWS_)?\d+)*)(\.\.(\d+))?/g)) {
        ids.add(`${m[1]}${m[2]}`);
        for (const n of (m[3] ?? '').matchAll(/(CKV2?_AWS_)?(\d+)/g)) ids.add(`${n[1] ?? m[1]}${n[2]}`);
        if (m[5]) for (let i = Number(m[2]); i <= Number(m[5]); i++) ids.add(`${m[1]}${i}`);
      }
    }
    const mapped = new Set(AWS_RULES.flatMap((r) => r.publicIds));
    expect(ids.size).toBeGreaterThan(30);
    expect([...ids].filter((id) => !mapped.has(id)).sort()).toEqual([]);
  });
});
