/**
 * The check pack as a cdktf Aspect: applied to a stack, it judges the stack's synthesized
 * Terraform JSON with its rules when the stack is synthesized (`app.synth()` and
 * `Testing.synth()` alike), and fails synthesis on any finding that is not acknowledged, naming
 * the rule, the resource, what was found, why it matters and how to fix or acknowledge it.
 *
 * Why the synthesized JSON and not the constructs' attributes: the JSON (`stack.toTerraform()`)
 * is exactly what Terraform receives, with escape-hatch overrides applied, lazy values produced,
 * tokens resolved to `${...}` references and keys in snake_case, so what a rule judges is what
 * gets deployed. The aspect evaluates when it visits the stack node, which aspects visit first:
 * by then every construct has been built. (An aspect that itself mutates resources during
 * synthesis would not be seen; the kit has none.)
 *
 * Acknowledged findings are kept in the report (`RulePack.reportOf(stack)`) and added as info
 * annotations (they reach cdktf's manifest); acknowledgements that matched nothing are warnings.
 *
 * Apply it with `RulePack.applyTo(stack, { rules })`, once per stack, with every rule set the
 * stack needs (e.g. AWS and Kubernetes rules together).
 */
import { Annotations, Aspects, type IAspect, TerraformDataSource, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { type Acknowledgement, acknowledgementsIn, type PlacedAcknowledgement, validateAcknowledgement } from './acknowledgement';
import { type AcknowledgedFinding, evaluateRules, type FindingRecord, matchAcknowledgements, type RuleResult } from './evaluate';
import type { Rule, RuleMetadata } from './rule';
import { SynthesizedConfig } from './synthesized-config';

export interface RulePackProps {
  readonly rules: readonly Rule[];
  /**
   * Stack-level acknowledgements, each covering one finding anywhere in the stack.
   * @default - none; prefer `acknowledge(construct, ...)` next to the construct that needs it
   */
  readonly acknowledgements?: readonly Acknowledgement[];
}

export interface RuleReport {
  readonly stack: string;
  readonly rules: readonly RuleMetadata[];
  readonly results: readonly RuleResult[];
  readonly open: readonly FindingRecord[];
  readonly acknowledged: readonly AcknowledgedFinding[];
  readonly unused: readonly PlacedAcknowledgement[];
  readonly problems: readonly string[];
  /** Construct path of each finding's resource, by address. */
  readonly paths: Readonly<Record<string, string>>;
}

const PACK = Symbol.for('private-runner-kit.RulePack');
const REPORT = Symbol.for('private-runner-kit.RuleReport');
type Slots = { [PACK]?: RulePack; [REPORT]?: RuleReport };

export class RulePack implements IAspect {
  /** Adds a pack to `stack`. Throws if the stack already has one (give one pack all rule sets). */
  static applyTo(stack: TerraformStack, props: RulePackProps): RulePack {
    const slots = stack as unknown as Slots;
    if (slots[PACK]) throw new Error(`stack ${stack.node.id} already has a rule pack; pass all rule sets to one RulePack`);
    const pack = new RulePack(props);
    slots[PACK] = pack;
    Aspects.of(stack).add(pack);
    return pack;
  }

  /** The pack applied to `stack` with `applyTo`, if any. */
  static of(stack: TerraformStack): RulePack | undefined {
    return (stack as unknown as Slots)[PACK];
  }

  /** The report of the stack's last synthesis, if a pack ran on it. */
  static reportOf(stack: TerraformStack): RuleReport | undefined {
    return (stack as unknown as Slots)[REPORT];
  }

  readonly rules: readonly Rule[];
  private readonly acknowledgements: readonly Acknowledgement[];

  constructor(props: RulePackProps) {
    const ids = new Set<string>();
    for (const r of props.rules) {
      if (ids.has(r.id)) throw new Error(`rule pack: rule id ${r.id} appears twice; every rule needs its own id`);
      ids.add(r.id);
    }
    (props.acknowledgements ?? []).forEach((a) => validateAcknowledgement(a, 'RulePack acknowledgements'));
    this.rules = [...props.rules];
    this.acknowledgements = [...(props.acknowledgements ?? [])];
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const report = this.evaluate(node);
    (node as unknown as Slots)[REPORT] = report;
    annotate(node, report);
    if (report.open.length > 0 || report.problems.length > 0) throw new Error(formatFailure(report, this.rules));
  }

  /** Judges `stack` as synthesized now; does not throw for findings (see `visit`). */
  evaluate(stack: TerraformStack): RuleReport {
    const config = SynthesizedConfig.fromJson(stack.toTerraform());
    const { results, findings } = evaluateRules(config, this.rules);
    const elementPaths = addressPaths(stack);
    const pathOf = (address: string) => elementPaths.get(address) ?? stack.node.path;
    const placed = [
      ...this.acknowledgements.map((a) => ({ ...a, scopePath: stack.node.path })),
      ...acknowledgementsIn(stack),
    ];
    const match = matchAcknowledgements(findings, placed, pathOf, new Set(this.rules.map((r) => r.id)));
    return {
      stack: stack.node.id,
      rules: this.rules.map(({ check: _check, ...meta }) => meta),
      results,
      ...match,
      paths: Object.fromEntries(findings.map((f) => [f.address, pathOf(f.address)])),
    };
  }
}

/** Terraform address -> construct path of every resource and data source in the stack. */
function addressPaths(stack: TerraformStack): Map<string, string> {
  const paths = new Map<string, string>();
  for (const c of stack.node.findAll()) {
    if (TerraformResource.isTerraformResource(c)) paths.set(`${c.terraformResourceType}.${c.friendlyUniqueId}`, c.node.path);
    else if (TerraformDataSource.isTerraformDataSource(c)) paths.set(`data.${c.terraformResourceType}.${c.friendlyUniqueId}`, c.node.path);
  }
  return paths;
}

function annotate(stack: TerraformStack, report: RuleReport): void {
  const at = (path: string): IConstruct => stack.node.findAll().find((c) => c.node.path === path) ?? stack;
  for (const f of report.acknowledged) {
    Annotations.of(at(report.paths[f.address] ?? stack.node.path)).addInfo(`[acknowledged] ${f.id} on ${f.address}: ${f.message}. Reason: ${f.reason}`);
  }
  for (const a of report.unused) {
    Annotations.of(at(a.scopePath)).addWarning(`[rule pack] acknowledgement ${a.ruleId}[${a.findingKey}] matched no finding in stack ${report.stack}; remove it if it is stale`);
  }
}

/** The synthesis error: every open finding with what, why, fix and how to acknowledge; then acknowledgement problems. */
export function formatFailure(report: RuleReport, rules: readonly RuleMetadata[]): string {
  const byId = new Map(rules.map((r) => [r.id, r]));
  const lines = [`security rule pack: stack ${report.stack} has ${report.open.length} finding(s) not acknowledged${report.problems.length > 0 ? ` and ${report.problems.length} invalid acknowledgement(s)` : ''}:`];
  for (const f of report.open) {
    const rule = byId.get(f.ruleId);
    const path = report.paths[f.address] ?? report.stack;
    lines.push(
      `  ${f.id} on ${f.address} (construct ${path}): ${rule?.title ?? ''}`,
      `    found: ${f.message}`,
      `    why:   ${rule?.why ?? ''}`,
      `    fix:   ${rule?.fix ?? ''}`,
      `    or, if it is intended: acknowledge(<construct ${path} or a parent>, '${f.ruleId}', '${f.key}', '<reason, at least 10 characters>')`,
    );
  }
  for (const p of report.problems) lines.push(`  ${p}`);
  return lines.join('\n');
}
