/**
 * What a security rule is (after cdk-nag): metadata an auditor reads (id, what, why, fix, the public
 * IDs it maps to) plus one pure function that judges one synthesized resource and answers
 * compliant, non-compliant (with one finding or several, each with a key) or not applicable.
 *
 * Cloud-neutral: a rule sees a resource of the stack's synthesized Terraform JSON (snake_case keys,
 * Terraform references as `${...}` strings) and the whole configuration for cross-resource facts.
 * AWS rules live in `constructs/aws/rules/`, Kubernetes rules can live in
 * `constructs/kubernetes/rules/`; all run through the same `RulePack`.
 */
import type { SynthesizedConfig, TerraformResourceView } from './synthesized-config';

/** One problem a rule found on one resource. */
export interface Finding {
  /**
   * What is wrong in detail, unique per resource and rule, used to acknowledge exactly this
   * finding: e.g. `Action::ecs:UpdateService`, `Container::runner`, `Egress::tcp:8443`.
   * @default - the resource address (the rule judges the resource as a whole)
   */
  readonly key?: string;
  /** What was found, concretely (values, names), in one sentence. */
  readonly message: string;
}

export type Verdict =
  | { readonly status: 'compliant' }
  | { readonly status: 'not-applicable'; readonly reason: string }
  | { readonly status: 'non-compliant'; readonly findings: readonly Finding[] };

export type RuleStatus = Verdict['status'];

export interface RuleMetadata {
  /** Kit rule id, `<CLOUD>-<AREA>-<n>` (e.g. `AWS-ECS-2`); never reused for another meaning. */
  readonly id: string;
  /** What the rule requires, one line. */
  readonly title: string;
  /** Why it matters: the risk a finding leaves open. */
  readonly why: string;
  /** How to fix a finding (what to change), one or two sentences. */
  readonly fix: string;
  /** Public IDs this rule implements or is stricter than (Checkov); empty for kit-only rules. */
  readonly publicIds: readonly string[];
  /** Terraform types the rule judges; data sources as `data.<type>`. */
  readonly appliesTo: readonly string[];
}

export interface Rule extends RuleMetadata {
  /** Judges one resource of an `appliesTo` type. Pure: no side effects, same input same verdict. */
  readonly check: (resource: TerraformResourceView, config: SynthesizedConfig) => Verdict;
}

export const compliant = (): Verdict => ({ status: 'compliant' });

export const notApplicable = (reason: string): Verdict => ({ status: 'not-applicable', reason });

export const nonCompliant = (message: string, key?: string): Verdict => ({
  status: 'non-compliant',
  findings: [key === undefined ? { message } : { key, message }],
});

/** Compliant when there are no findings, non-compliant with all of them otherwise. */
export const fromFindings = (findings: readonly Finding[]): Verdict =>
  findings.length === 0 ? compliant() : { status: 'non-compliant', findings };

/** `<ruleId>[<key>]`: how a finding is named in errors, acknowledgements and the audit output. */
export const findingId = (ruleId: string, key: string): string => `${ruleId}[${key}]`;
