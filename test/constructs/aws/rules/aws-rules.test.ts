/**
 * Every AWS rule against its fixtures: small synthesized-JSON fragments, judged as pure functions
 * (no synthesis). Each rule has at least one compliant and one non-compliant fixture.
 */
import { AWS_RULES } from '../../../../constructs/aws/rules';
import { lambdaSupportedRuntime } from '../../../../constructs/aws/rules/lambda-supported-runtime';
import { LAMBDA_RUNTIMES, UPDATER_LAMBDA_RUNTIME } from '../../../../constructs/aws/rules/support/lambda-runtimes';
import { evaluateRules } from '../../../../constructs/core/rules/evaluate';
import { SynthesizedConfig } from '../../../../constructs/core/rules/synthesized-config';
import { requiredChecksSection } from '../../../support/catalogs';
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

  it('maps every Checkov ID of the AWS table in data/required-checks.md', () => {
    const table = requiredChecksSection('AWS');
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

describe('AWS-LAMBDA-1 on a pinned date (the runtime table as data)', () => {
  const fn = (runtime: string) => ({ resource: { aws_lambda_function: { f: { function_name: 'u', runtime } } } });
  const judge = (runtime: string, day: string) => evaluateRules(SynthesizedConfig.fromJson(fn(runtime)), [lambdaSupportedRuntime(() => new Date(`${day}T12:00:00Z`))]).findings;

  it('GIVEN nodejs22.x THEN it passes until its deprecation day and fails from that day on, naming the dates', () => {
    expect(judge('nodejs22.x', '2027-04-29')).toEqual([]);
    const [finding] = judge('nodejs22.x', '2027-04-30');
    expect(finding?.message).toBe('runtime nodejs22.x is deprecated since 2027-04-30 (creating functions blocked from 2027-06-01, updating from 2027-07-01)');
  });

  it('GIVEN nodejs20.x on the day this kit moved off it THEN it fails', () => {
    expect(judge('nodejs20.x', '2026-12-04')).toHaveLength(1);
  });

  it("the updater's runtime is in the table and supported today", () => {
    const support = LAMBDA_RUNTIMES.find((r) => r.runtime === UPDATER_LAMBDA_RUNTIME);
    expect(support).toBeDefined();
    expect(new Date().toISOString().slice(0, 10) < support!.deprecated).toBe(true);
  });

  it('every table row has ordered dates (deprecated < block create < block update)', () => {
    for (const r of LAMBDA_RUNTIMES) expect([r.runtime, r.deprecated < r.blockCreate && r.blockCreate < r.blockUpdate]).toEqual([r.runtime, true]);
  });
});
