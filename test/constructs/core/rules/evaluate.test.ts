import type { PlacedAcknowledgement } from '../../../../constructs/core/rules/acknowledgement';
import { evaluateRules, matchAcknowledgements } from '../../../../constructs/core/rules/evaluate';
import { fromFindings, notApplicable, type Rule } from '../../../../constructs/core/rules/rule';
import { SynthesizedConfig } from '../../../../constructs/core/rules/synthesized-config';

const PORTS: Rule = {
  id: 'TEST-2',
  title: 'Only port 443',
  why: 'Other ports are not needed.',
  fix: 'Remove the port.',
  publicIds: [],
  appliesTo: ['test_thing', 'data.test_source'],
  check: (r) => (r.kind === 'data' ? notApplicable('data sources grant nothing') : fromFindings(((r.body.ports as number[]) ?? []).filter((p) => p !== 443).map((p) => ({ key: `Port::${p}`, message: `port ${p}` })))),
};

describe('evaluateRules', () => {
  const config = SynthesizedConfig.fromJson({
    resource: { test_thing: { a: { ports: [22, 22, 8080] }, b: { ports: [443] } }, other_type: { c: { ports: [22] } } },
    data: { test_source: { d: {} } },
  });

  it('judges only the types a rule applies to, data sources included', () => {
    expect(evaluateRules(config, [PORTS]).results).toEqual([
      { ruleId: 'TEST-2', address: 'test_thing.a', status: 'non-compliant' },
      { ruleId: 'TEST-2', address: 'test_thing.b', status: 'compliant' },
      { ruleId: 'TEST-2', address: 'data.test_source.d', status: 'not-applicable', reason: 'data sources grant nothing' },
    ]);
  });

  it('merges the same key on one resource into one finding', () => {
    expect(evaluateRules(config, [PORTS]).findings.map((f) => [f.id, f.address])).toEqual([
      ['TEST-2[Port::22]', 'test_thing.a'],
      ['TEST-2[Port::8080]', 'test_thing.a'],
    ]);
  });
});

describe('matchAcknowledgements', () => {
  const finding = (address: string, key: string) => ({ ruleId: 'TEST-2', address, key, id: `TEST-2[${key}]`, message: 'm' });
  const findings = [finding('test_thing.a', 'Port::22'), finding('test_thing.b', 'Port::22')];
  const paths: Record<string, string> = { 'test_thing.a': 's/Group/A/Resource', 'test_thing.b': 's/Other/Resource' };
  const ack = (scopePath: string, reason = 'reason long enough'): PlacedAcknowledgement => ({ ruleId: 'TEST-2', findingKey: 'Port::22', reason, scopePath });
  const match = (acks: PlacedAcknowledgement[]) => matchAcknowledgements(findings, acks, (a) => paths[a] ?? 's', new Set(['TEST-2']));

  it('covers the finding below the acknowledgement\'s scope only', () => {
    const m = match([ack('s/Group')]);
    expect(m.acknowledged.map((f) => f.address)).toEqual(['test_thing.a']);
    expect(m.open.map((f) => f.address)).toEqual(['test_thing.b']);
  });

  it('does not treat a sibling whose name starts the same as inside the scope', () => {
    expect(match([ack('s/Group/A/Res')]).acknowledged).toEqual([]);
  });

  it('prefers the deepest acknowledgement when two cover one finding', () => {
    const m = match([ack('s/Group', 'the group-level reason'), ack('s/Group/A', 'the construct-level reason')]);
    expect(m.acknowledged.map((f) => f.reason)).toEqual(['the construct-level reason']);
  });

  it('reports an acknowledgement covering several findings as a problem, covering none of them', () => {
    const m = match([ack('s')]);
    expect(m.problems).toEqual([expect.stringContaining('covers 2 findings (test_thing.a, test_thing.b)')]);
    expect(m.open).toHaveLength(2);
  });
});
