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
 * Acknowledged findings are kept in the report (`RulePack.reportOf(stack, pack)`), added as info
 * annotations (they reach cdktf's manifest) and written per stack to
 * `cdktf.out/stacks/<stack>/rule-findings.json` by the app (`findingsReport`); acknowledgements that
 * matched nothing are warnings.
 *
 * Packs compose: `RulePack.applyTo(stack, AWS_RULE_PACK)` and `RulePack.applyTo(stack,
 * KUBERNETES_RULE_PACK)` on one stack, each with its own id prefix.
 */
import { Annotations, Aspects, type IAspect, TerraformDataSource, TerraformResource, TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { type Acknowledgement, acknowledgementsIn, type PlacedAcknowledgement, validateAcknowledgement } from './acknowledgement';
import { type AcknowledgedFinding, evaluateRules, type FindingRecord, matchAcknowledgements, type RuleResult } from './evaluate';
import { findingId, type Rule, type RuleMetadata } from './rule';
import { SynthesizedConfig } from './synthesized-config';

/**
 * A named set of rules with its own id prefix (after cdk-nag's NagPacks): `aws` (AWS-), `kubernetes`
 * (K8S-), `azure`, `gcp`. Packs compose: a stack applies every pack it needs, each judging the
 * whole stack with its own rules and matching the acknowledgements of its own prefix.
 */
export interface RulePackDefinition {
  /** Short name, e.g. `aws`; one pack of a name per stack. */
  readonly name: string;
  /** Every rule id of the pack starts with it, e.g. `AWS-`. */
  readonly idPrefix: string;
  /** Folder of the rule files, named in generated docs, e.g. `constructs/aws/rules`. */
  readonly folder: string;
  readonly rules: readonly Rule[];
}

export interface RulePackProps extends RulePackDefinition {
  /**
   * Stack-level acknowledgements, each covering one finding anywhere in the stack.
   * @default - none; prefer `acknowledge(construct, ...)` next to the construct that needs it
   */
  readonly acknowledgements?: readonly Acknowledgement[];
}

export interface RuleReport {
  readonly stack: string;
  /** The pack's name. */
  readonly pack: string;
  readonly rules: readonly RuleMetadata[];
  readonly results: readonly RuleResult[];
  readonly open: readonly FindingRecord[];
  readonly acknowledged: readonly AcknowledgedFinding[];
  readonly unused: readonly PlacedAcknowledgement[];
  readonly problems: readonly string[];
  /** Construct path of each finding's resource, by address. */
  readonly paths: Readonly<Record<string, string>>;
}

const PACKS = Symbol.for('private-runner-kit.RulePacks');
const REPORTS = Symbol.for('private-runner-kit.RuleReports');
const RESOLVED = Symbol.for('private-runner-kit.ResolvedStack');
type Slots = { [PACKS]?: RulePack[]; [REPORTS]?: Map<string, RuleReport>; [RESOLVED]?: Record<string, unknown> };

/**
 * The stack's JSON for this synthesis, resolved once: the first pack to visit resolves it, the
 * stack's other packs judge the same JSON (aspects only read and annotate), and the synthesis that
 * follows the aspects writes it instead of resolving the whole stack again (one call of
 * `toTerraform`, then the stack's own method is back; rules never change the JSON they judge). A stack's resolution is most of a synthesis's
 * work after loading; this saves one to two of them per stack.
 */
function resolvedFor(stack: TerraformStack, pack: RulePack): Record<string, unknown> {
  const slots = stack as unknown as Slots;
  const packs = RulePack.packsOf(stack);
  if (packs[0] === pack || slots[RESOLVED] === undefined) slots[RESOLVED] = stack.toTerraform() as Record<string, unknown>;
  const json = slots[RESOLVED];
  if (packs.length === 0 || packs[packs.length - 1] === pack) {
    delete slots[RESOLVED];
    const own = stack as unknown as { toTerraform: () => unknown };
    own.toTerraform = function once(this: TerraformStack) {
      delete (this as unknown as { toTerraform?: unknown }).toTerraform;
      return json;
    };
  }
  return json;
}

export class RulePack implements IAspect {
  /** Adds `props` as a pack of `stack`. Throws if the stack already has a pack of that name or id prefix. */
  static applyTo(stack: TerraformStack, props: RulePackProps): RulePack {
    const slots = stack as unknown as Slots;
    const packs = (slots[PACKS] ??= []);
    const clash = packs.find((p) => p.name === props.name || p.idPrefix === props.idPrefix);
    if (clash) throw new Error(`stack ${stack.node.id} already has the rule pack ${clash.name} (${clash.idPrefix}); apply each pack once`);
    const pack = new RulePack(props);
    packs.push(pack);
    Aspects.of(stack).add(pack);
    return pack;
  }

  /** The packs applied to `stack`, in the order they were applied. */
  static packsOf(stack: TerraformStack): readonly RulePack[] {
    return (stack as unknown as Slots)[PACKS] ?? [];
  }

  /** The reports of the stack's last synthesis, one per pack, in the order the packs were applied. */
  static reportsOf(stack: TerraformStack): readonly RuleReport[] {
    const reports = (stack as unknown as Slots)[REPORTS];
    return RulePack.packsOf(stack).flatMap((p) => (reports?.has(p.name) ? [reports.get(p.name)!] : []));
  }

  /** The report of pack `name` from the stack's last synthesis, if it ran. */
  static reportOf(stack: TerraformStack, name: string): RuleReport | undefined {
    return (stack as unknown as Slots)[REPORTS]?.get(name);
  }

  readonly name: string;
  readonly idPrefix: string;
  readonly folder: string;
  readonly rules: readonly Rule[];
  private readonly acknowledgements: readonly Acknowledgement[];

  constructor(props: RulePackProps) {
    const ids = new Set<string>();
    for (const r of props.rules) {
      if (ids.has(r.id)) throw new Error(`rule pack ${props.name}: rule id ${r.id} appears twice; every rule needs its own id`);
      if (!r.id.startsWith(props.idPrefix)) throw new Error(`rule pack ${props.name}: rule id ${r.id} does not start with the pack's prefix ${props.idPrefix}`);
      ids.add(r.id);
    }
    (props.acknowledgements ?? []).forEach((a) => {
      validateAcknowledgement(a, `RulePack ${props.name} acknowledgements`);
      if (!a.ruleId.startsWith(props.idPrefix)) throw new Error(`RulePack ${props.name} acknowledgements: ${a.ruleId} is not a rule of this pack (ids start with ${props.idPrefix})`);
    });
    this.name = props.name;
    this.idPrefix = props.idPrefix;
    this.folder = props.folder;
    this.rules = [...props.rules];
    this.acknowledgements = [...(props.acknowledgements ?? [])];
  }

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const report = this.judge(node, resolvedFor(node, this));
    const slots = node as unknown as Slots;
    (slots[REPORTS] ??= new Map()).set(this.name, report);
    annotate(node, report);
    if (report.open.length > 0 || report.problems.length > 0) throw new Error(formatFailure(report, this.rules));
  }

  /**
   * Judges `stack` as synthesized now; does not throw for findings (see `visit`). The pack matches
   * the acknowledgements of its own prefix; the first pack of the stack also reports those whose
   * rule belongs to no pack of the stack.
   */
  evaluate(stack: TerraformStack): RuleReport {
    return this.judge(stack, stack.toTerraform());
  }

  private judge(stack: TerraformStack, json: unknown): RuleReport {
    const config = SynthesizedConfig.fromJson(json as never);
    const { results, findings } = evaluateRules(config, this.rules);
    const elementPaths = addressPaths(stack);
    const pathOf = (address: string) => elementPaths.get(address) ?? stack.node.path;
    const packs = RulePack.packsOf(stack);
    const first = packs[0] === this || packs.length === 0;
    const ownedByAPack = (ruleId: string) => packs.some((p) => ruleId.startsWith(p.idPrefix)) || ruleId.startsWith(this.idPrefix);
    const placed = [...this.acknowledgements.map((a) => ({ ...a, scopePath: stack.node.path })), ...acknowledgementsIn(stack)].filter(
      (a) => a.ruleId.startsWith(this.idPrefix) || (first && !ownedByAPack(a.ruleId)),
    );
    const known = new Set([...this.rules.map((r) => r.id)]);
    const match = matchAcknowledgements(findings, placed, pathOf, known, packs.length > 0 ? packs.map((p) => p.name) : [this.name]);
    return {
      stack: stack.node.id,
      pack: this.name,
      rules: this.rules.map(({ check: _check, ...meta }) => meta),
      results,
      ...match,
      paths: Object.fromEntries(findings.map((f) => [f.address, pathOf(f.address)])),
    };
  }
}

/** What a stack's packs found and what was acknowledged, as written to `cdktf.out/stacks/<stack>/rule-findings.json`. */
export function findingsReport(stack: TerraformStack): object {
  return {
    stack: stack.node.id,
    packs: RulePack.reportsOf(stack).map((r) => ({
      pack: r.pack,
      rules: r.rules.map((x) => x.id),
      judged: r.results.length,
      acknowledged: r.acknowledged.map((f) => ({ finding: f.id, resource: f.address, construct: r.paths[f.address], message: f.message, reason: f.reason, acknowledgedAt: f.acknowledgedAt })),
      unusedAcknowledgements: r.unused.map((a) => ({ finding: findingId(a.ruleId, a.findingKey), at: a.scopePath, reason: a.reason })),
    })),
  };
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
