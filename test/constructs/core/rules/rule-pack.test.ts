/**
 * The check pack as an Aspect, with a cloud-neutral test rule over a generic resource type: it
 * judges what synthesis produces, fails synthesis on open findings, and honours acknowledgements
 * that cover exactly one finding.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Lazy, TerraformResource, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { acknowledge } from '../../../../constructs/core/rules/acknowledgement';
import { compliant, fromFindings, nonCompliant, type Rule } from '../../../../constructs/core/rules/rule';
import { RulePack } from '../../../../constructs/core/rules/rule-pack';

/** TEST-1: a thing is not open. */
const CLOSED: Rule = {
  id: 'TEST-1',
  title: 'Things are closed',
  why: 'An open thing lets anyone in.',
  fix: 'Set open = false.',
  publicIds: ['CKV_TEST_1'],
  appliesTo: ['test_thing'],
  check: (r) => (r.body.open === undefined || r.body.open === false ? compliant() : nonCompliant(`open is ${JSON.stringify(r.body.open)}`)),
};
/** TEST-2: one finding per listed port other than 443. */
const PORTS: Rule = {
  id: 'TEST-2',
  title: 'Only port 443',
  why: 'Other ports are not needed.',
  fix: 'Remove the port.',
  publicIds: [],
  appliesTo: ['test_thing'],
  check: (r) => fromFindings(((r.body.ports as number[] | undefined) ?? []).filter((p) => p !== 443).map((p) => ({ key: `Port::${p}`, message: `port ${p} is listed` }))),
};
const RULES = [CLOSED, PORTS];
const TEST_PACK = { name: 'test', idPrefix: 'TEST-', folder: 'test/constructs/core/rules', rules: RULES };

/** A construct holding one `test_thing` resource with the given attributes (id `Resource`). */
class Thing extends Construct {
  readonly resource: TerraformResource;
  constructor(scope: Construct, id: string, attributes: Record<string, unknown>) {
    super(scope, id);
    this.resource = new TerraformResource(this, 'Resource', { terraformResourceType: 'test_thing' });
    for (const [k, v] of Object.entries(attributes)) this.resource.addOverride(k, v);
  }
}

function stackWith(build: (stack: TerraformStack) => void, acknowledgements: Parameters<typeof RulePack.applyTo>[1]['acknowledgements'] = []): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test-stack');
  build(stack);
  RulePack.applyTo(stack, { ...TEST_PACK, acknowledgements });
  return stack;
}

const synthError = (stack: TerraformStack): string => {
  try {
    Testing.synth(stack);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synthesis to fail');
};

describe('RulePack', () => {
  it('GIVEN compliant resources THEN synthesis succeeds and the report holds every verdict', () => {
    const stack = stackWith((s) => new Thing(s, 'A', { open: false, ports: [443] }));
    expect(() => Testing.synth(stack)).not.toThrow();
    const report = RulePack.reportOf(stack, 'test')!;
    expect(report.stack).toBe('test-stack');
    expect(report.results.map((r) => [r.ruleId, r.status])).toEqual([['TEST-1', 'compliant'], ['TEST-2', 'compliant']]);
    expect(report.open).toEqual([]);
    expect(report.rules.map((r) => r.id)).toEqual(['TEST-1', 'TEST-2']);
  });

  it('GIVEN a finding THEN synthesis fails with the rule id, resource, construct, what was found, why, fix and how to acknowledge', () => {
    const stack = stackWith((s) => new Thing(s, 'A', { open: true }));
    const message = synthError(stack);
    expect(message).toContain('stack test-stack has 1 finding(s) not acknowledged');
    expect(message).toMatch(/TEST-1\[test_thing\.A_[0-9A-F]{8}\] on test_thing\.A_[0-9A-F]{8} \(construct test-stack\/A\/Resource\): Things are closed/);
    expect(message).toContain('found: open is true');
    expect(message).toContain('why:   An open thing lets anyone in.');
    expect(message).toContain('fix:   Set open = false.');
    expect(message).toMatch(/acknowledge\(<construct test-stack\/A\/Resource or a parent>, 'TEST-1', 'test_thing\.A_[0-9A-F]{8}', '<reason, at least 10 characters>'\)/);
  });

  it('judges the synthesized values: lazy values produced and escape-hatch overrides applied', () => {
    const stack = stackWith((s) => {
      const t = new Thing(s, 'A', {});
      t.resource.addOverride('open', Lazy.anyValue({ produce: () => true }));
    });
    expect(synthError(stack)).toContain('found: open is true');
  });

  it('sees a reference to another resource as the Terraform expression, never as a literal', () => {
    const stack = stackWith((s) => {
      const other = new Thing(s, 'Other', {});
      new Thing(s, 'A', { open: other.resource.getBooleanAttribute('flag') });
    });
    expect(synthError(stack)).toMatch(/found: open is "\$\{test_thing\.Other_[0-9A-F]{8}\.flag\}"/);
  });

  it('GIVEN a finding acknowledged next to its construct THEN synthesis succeeds and the audit output lists it with the reason', () => {
    const stack = stackWith((s) => {
      const a = new Thing(s, 'A', { ports: [443, 22] });
      acknowledge(a, 'TEST-2', 'Port::22', 'git over SSH to the customer git server');
    });
    expect(() => Testing.synth(stack)).not.toThrow();
    const report = RulePack.reportOf(stack, 'test')!;
    expect(report.acknowledged).toEqual([
      expect.objectContaining({ id: 'TEST-2[Port::22]', ruleId: 'TEST-2', key: 'Port::22', reason: 'git over SSH to the customer git server', acknowledgedAt: 'test-stack/A' }),
    ]);
    const info = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/info').map((m) => m.data as string);
    expect(info).toEqual([expect.stringMatching(/^\[acknowledged\] TEST-2\[Port::22\] on test_thing\.A_[0-9A-F]{8}: port 22 is listed\. Reason: git over SSH/)]);
  });

  it('an acknowledgement covers one finding: the other findings of the same rule still fail synthesis', () => {
    const stack = stackWith((s) => {
      const a = new Thing(s, 'A', { ports: [22, 8080] });
      acknowledge(a, 'TEST-2', 'Port::22', 'git over SSH to the customer git server');
    });
    const message = synthError(stack);
    expect(message).toContain('has 1 finding(s) not acknowledged');
    expect(message).toContain('TEST-2[Port::8080]');
    expect(message).not.toContain('TEST-2[Port::22]');
  });

  it('GIVEN an acknowledgement at a scope holding two matching findings THEN synthesis fails and asks for a narrower scope', () => {
    const stack = stackWith((s) => {
      const group = new Construct(s, 'Group');
      new Thing(group, 'A', { ports: [22] });
      new Thing(group, 'B', { ports: [22] });
      acknowledge(group, 'TEST-2', 'Port::22', 'git over SSH to the customer git server');
    });
    expect(synthError(stack)).toMatch(/acknowledgement TEST-2\[Port::22\] at test-stack\/Group covers 2 findings \(test_thing\.Group_A_\w+, test_thing\.Group_B_\w+\); an acknowledgement covers one finding/);
  });

  it('GIVEN a stack-level acknowledgement (RulePack props or the stack itself) THEN it covers the one matching finding in the stack', () => {
    const viaProps = stackWith((s) => new Thing(s, 'A', { ports: [22] }), [{ ruleId: 'TEST-2', findingKey: 'Port::22', reason: 'git over SSH to the customer git server' }]);
    expect(() => Testing.synth(viaProps)).not.toThrow();
    expect(RulePack.reportOf(viaProps, 'test')!.acknowledged.map((f) => [f.id, f.acknowledgedAt])).toEqual([['TEST-2[Port::22]', 'test-stack']]);

    const onStack = stackWith((s) => {
      const a = new Thing(s, 'A', { open: true });
      acknowledge(s, 'TEST-1', `test_thing.${a.resource.friendlyUniqueId}`, 'accepted for this test stack only');
    });
    expect(() => Testing.synth(onStack)).not.toThrow();
    expect(RulePack.reportOf(onStack, 'test')!.acknowledged.map((f) => f.acknowledgedAt)).toEqual(['test-stack']);
  });

  it('GIVEN an acknowledgement that matches nothing THEN synthesis succeeds with a warning and the report lists it as unused', () => {
    const stack = stackWith((s) => acknowledge(new Thing(s, 'A', {}), 'TEST-2', 'Port::22', 'git over SSH, only when configured'));
    expect(() => Testing.synth(stack)).not.toThrow();
    expect(RulePack.reportOf(stack, 'test')!.unused.map((a) => [a.ruleId, a.findingKey, a.scopePath])).toEqual([['TEST-2', 'Port::22', 'test-stack/A']]);
    const warnings = stack.node.findAll().flatMap((c) => c.node.metadata).filter((m) => m.type === '@cdktf/warn').map((m) => m.data as string);
    expect(warnings).toEqual([expect.stringContaining('acknowledgement TEST-2[Port::22] matched no finding in stack test-stack')]);
  });

  it('GIVEN an acknowledgement for a rule the pack does not have THEN synthesis fails listing the known ids', () => {
    const stack = stackWith((s) => acknowledge(new Thing(s, 'A', {}), 'TEST-9', 'Port::22', 'a typo in the rule id'));
    expect(synthError(stack)).toContain('acknowledgement TEST-9[Port::22] at test-stack/A: no rule TEST-9 in this stack\'s rule packs (test); known ids: TEST-1, TEST-2');
  });

  describe('acknowledge() refuses', () => {
    const scope = () => new Thing(new TerraformStack(Testing.app(), 's'), 'A', {});
    it('a reason shorter than 10 characters', () => {
      expect(() => acknowledge(scope(), 'TEST-2', 'Port::22', 'because  ')).toThrow(/acknowledgement TEST-2\[Port::22\] at s\/A: reason "because" is 7 characters; give at least 10/);
    });
    it('a wildcard or empty finding key (a whole rule)', () => {
      expect(() => acknowledge(scope(), 'TEST-2', '*', 'the whole rule, please')).toThrow(/a whole rule cannot be acknowledged/);
      expect(() => acknowledge(scope(), 'TEST-2', ' ', 'the whole rule, please')).toThrow(/must name one finding/);
    });
    it('a malformed rule id', () => {
      expect(() => acknowledge(scope(), 'iam5', 'Action::x', 'lower-case ids are not kit ids')).toThrow(/rule id "iam5" is not a kit rule id/);
    });
    it('a bad stack-level acknowledgement when the pack is created', () => {
      expect(() => new RulePack({ ...TEST_PACK, acknowledgements: [{ ruleId: 'TEST-1', findingKey: 'x', reason: 'short' }] })).toThrow(/at RulePack test acknowledgements: reason "short" is 5 characters/);
    });
  });

  it('fails when a stack gets the same pack twice, a pack has two rules with one id, or a rule outside its prefix', () => {
    const stack = stackWith(() => undefined);
    expect(() => RulePack.applyTo(stack, TEST_PACK)).toThrow('stack test-stack already has the rule pack test (TEST-); apply each pack once');
    expect(() => new RulePack({ ...TEST_PACK, rules: [CLOSED, CLOSED] })).toThrow('rule pack test: rule id TEST-1 appears twice');
    expect(() => new RulePack({ ...TEST_PACK, idPrefix: 'OTHER-' })).toThrow('rule pack test: rule id TEST-1 does not start with the pack\'s prefix OTHER-');
  });

  it('names the rule and resource when a rule itself throws', () => {
    const broken: Rule = { ...CLOSED, id: 'TEST-3', check: () => { throw new Error('boom'); } };
    const stack = new TerraformStack(Testing.app(), 'broken');
    new Thing(stack, 'A', {});
    RulePack.applyTo(stack, { ...TEST_PACK, rules: [broken] });
    expect(() => Testing.synth(stack)).toThrow(/rule TEST-3 failed on test_thing\.A_[0-9A-F]{8}: boom/);
  });

  it('fails app.synth() too (what stacks/main.ts runs)', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'rule-pack-'));
    try {
      const app = new App({ outdir, skipValidation: true });
      const stack = new TerraformStack(app, 'app-stack');
      new Thing(stack, 'A', { open: true });
      RulePack.applyTo(stack, TEST_PACK);
      expect(() => app.synth()).toThrow(/TEST-1\[test_thing\.A_[0-9A-F]{8}\]/);
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('RulePack: packs compose on one stack', () => {
  /** OTHER-1: a second pack, judging the same resources with its own prefix. */
  const NAMED: Rule = { ...CLOSED, id: 'OTHER-1', title: 'Things are named', check: (r) => (typeof r.body.name === 'string' ? compliant() : nonCompliant('no name')) };
  const OTHER_PACK = { name: 'other', idPrefix: 'OTHER-', folder: 'x', rules: [NAMED] };

  function twoPacks(build: (stack: TerraformStack) => void): TerraformStack {
    const stack = new TerraformStack(Testing.app(), 'two-packs');
    build(stack);
    RulePack.applyTo(stack, TEST_PACK);
    RulePack.applyTo(stack, OTHER_PACK);
    return stack;
  }

  it('GIVEN a finding of each pack, each acknowledged THEN synthesis passes and each pack reports its own', () => {
    const stack = twoPacks((s) => {
      const a = new Thing(s, 'A', { open: true });
      // A finding on the resource as a whole is keyed by its address.
      acknowledge(a, 'TEST-1', `test_thing.${a.resource.friendlyUniqueId}`, 'open on purpose in this test');
      acknowledge(a, 'OTHER-1', `test_thing.${a.resource.friendlyUniqueId}`, 'unnamed on purpose in this test');
    });
    Testing.synth(stack);
    expect(RulePack.reportsOf(stack).map((r) => [r.pack, r.acknowledged.map((f) => f.ruleId)])).toEqual([
      ['test', ['TEST-1']],
      ['other', ['OTHER-1']],
    ]);
  });

  it('GIVEN an open finding of the second pack THEN synthesis fails naming it', () => {
    const stack = twoPacks((s) => void new Thing(s, 'A', { name: undefined }));
    const message = synthError(stack);
    expect(message).toMatch(/stack two-packs has 1 finding\(s\) not acknowledged/);
    expect(message).toMatch(/OTHER-1\[test_thing\.A_[0-9A-F]{8}\]/);
  });

  it('GIVEN an acknowledgement for a rule no pack of the stack has THEN the first pack reports it once', () => {
    const stack = twoPacks((s) => {
      const a = new Thing(s, 'A', { name: 'n' });
      acknowledge(a, 'AWS-IAM-4', 'Escalation::x', 'a rule of a pack this stack does not apply');
    });
    const message = synthError(stack);
    expect(message.match(/no rule AWS-IAM-4 in this stack's rule packs \(test, other\)/g)).toHaveLength(1);
  });
});

describe('RulePack: a synthesis resolves each stack once for its packs and its output', () => {
  it('GIVEN every example (one, two packs per stack) THEN toTerraform runs once per stack, and the JSON written equals a fresh resolution', () => {
    const { readdirSync, readFileSync } = require('node:fs') as typeof import('node:fs');
    const { parse } = require('yaml') as typeof import('yaml');
    const { parseConfig } = require('../../../../constructs/core/config/load') as typeof import('../../../../constructs/core/config/load');
    const { addTargetStacks } = require('../../../../stacks/targets') as typeof import('../../../../stacks/targets');
    const root = path.resolve(__dirname, '..', '..', '..', '..');
    const examples = readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.yaml'));
    const targets = Object.assign({}, ...examples.map((e) => (parse(readFileSync(path.join(root, 'examples', e), 'utf8')) as { targets: object }).targets));
    const loaded = parseConfig(JSON.stringify({ targets }));
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.issues));
    const outdir = mkdtempSync(path.join(tmpdir(), 'resolve-once-'));
    try {
      const app = new App({ outdir, stackTraces: false });
      const stacks = addTargetStacks(app, loaded.config);
      expect(stacks.some((s) => RulePack.packsOf(s).length > 1)).toBe(true);
      const spy = jest.spyOn(TerraformStack.prototype, 'toTerraform');
      try {
        app.synth();
        expect(spy).toHaveBeenCalledTimes(stacks.length);
      } finally {
        spy.mockRestore();
      }
      for (const stack of stacks) {
        const written = JSON.parse(readFileSync(path.join(outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8'));
        expect({ stack: stack.node.id, json: written }).toEqual({ stack: stack.node.id, json: JSON.parse(JSON.stringify(stack.toTerraform())) });
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});
