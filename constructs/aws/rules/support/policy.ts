/**
 * Reading IAM policy documents out of synthesized Terraform: JSON strings (what the kit renders
 * from its permission model, with `${...}` references inside strings) and
 * `data.aws_iam_policy_document` data sources referenced as `${data.aws_iam_policy_document.X.json}`.
 * Anything else (e.g. `${jsonencode(...)}`) cannot be read at synthesis and is reported as such.
 */
import { asReference, blocks, isExpression, refersTo, show, strings } from '../../../core/rules/expressions';
import type { JsonObject, JsonValue, SynthesizedConfig, TerraformResourceView } from '../../../core/rules/synthesized-config';

/** Principal type (`AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for `"Principal": "*"`) -> identifiers. */
export type Principals = Readonly<Record<string, readonly string[]>>;

export interface Statement {
  /** Position in the document (0-based), for messages. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources: readonly string[];
  readonly notResources?: readonly string[];
  readonly principals?: Principals;
  readonly notPrincipals?: Principals;
  /** Operator -> condition key -> values, as written. */
  readonly conditions: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>>;
}

export type PolicyRead = { readonly ok: true; readonly statements: readonly Statement[] } | { readonly ok: false; readonly problem: string };

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function principalsOf(v: unknown): Principals | undefined {
  if (v === undefined) return undefined;
  if (v === '*') return { '*': ['*'] };
  if (!isObject(v)) return { invalid: [JSON.stringify(v)] };
  return Object.fromEntries(Object.entries(v).map(([type, ids]) => [type, list(ids)]));
}

function conditionsOf(v: unknown): Statement['conditions'] {
  if (!isObject(v)) return {};
  return Object.fromEntries(Object.entries(v).map(([op, keys]) => [op, isObject(keys) ? Object.fromEntries(Object.entries(keys).map(([k, vals]) => [k, list(vals)])) : {}]));
}

/** Normalizes a parsed IAM JSON document. */
export function statementsOfDocument(doc: unknown): PolicyRead {
  if (!isObject(doc)) return { ok: false, problem: `the policy is ${show(doc)}, not a JSON object` };
  const raw = doc.Statement;
  const items = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const statements: Statement[] = [];
  for (const [index, s] of items.entries()) {
    if (!isObject(s)) return { ok: false, problem: `statement ${index} is ${show(s)}, not an object` };
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return { ok: false, problem: `statement ${index} has Effect ${show(s.Effect)}; IAM needs "Allow" or "Deny" as a literal` };
    statements.push({
      index,
      ...(typeof s.Sid === 'string' ? { sid: s.Sid } : {}),
      effect: s.Effect,
      actions: list(s.Action),
      ...(s.NotAction !== undefined ? { notActions: list(s.NotAction) } : {}),
      resources: list(s.Resource),
      ...(s.NotResource !== undefined ? { notResources: list(s.NotResource) } : {}),
      ...(s.Principal !== undefined ? { principals: principalsOf(s.Principal)! } : {}),
      ...(s.NotPrincipal !== undefined ? { notPrincipals: principalsOf(s.NotPrincipal)! } : {}),
      conditions: conditionsOf(s.Condition),
    });
  }
  return { ok: true, statements };
}

/** Converts an `aws_iam_policy_document` data source's blocks into statements. */
function statementsOfDataDocument(view: TerraformResourceView): PolicyRead {
  const b = view.body;
  for (const merged of ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json']) {
    if (b[merged] !== undefined) return { ok: false, problem: `${view.address} merges other documents (${merged}), which the pack cannot read; put all statements into one document` };
  }
  const principalBlocks = (v: JsonValue | undefined): Principals | undefined => {
    const bs = blocks(v);
    if (bs.length === 0) return undefined;
    const out: Record<string, string[]> = {};
    for (const p of bs) {
      const type = typeof p.type === 'string' ? p.type : 'invalid';
      const ids = strings(p.identifiers);
      if (type === 'AWS' && ids.length === 1 && ids[0] === '*') (out['*'] ??= []).push('*');
      else (out[type] ??= []).push(...ids);
    }
    return out;
  };
  const statements = blocks(b.statement).map((s, index): Statement => {
    const conditions: Record<string, Record<string, string[]>> = {};
    for (const c of blocks(s.condition)) {
      if (typeof c.test !== 'string' || typeof c.variable !== 'string') continue;
      (conditions[c.test] ??= {})[c.variable] = strings(c.values);
    }
    const principals = principalBlocks(s.principals);
    const notPrincipals = principalBlocks(s.not_principals);
    return {
      index,
      ...(typeof s.sid === 'string' ? { sid: s.sid } : {}),
      effect: s.effect === 'Deny' ? 'Deny' : 'Allow',
      actions: strings(s.actions),
      ...(s.not_actions !== undefined ? { notActions: strings(s.not_actions) } : {}),
      resources: strings(s.resources),
      ...(s.not_resources !== undefined ? { notResources: strings(s.not_resources) } : {}),
      ...(principals ? { principals } : {}),
      ...(notPrincipals ? { notPrincipals } : {}),
      conditions,
    };
  });
  return { ok: true, statements };
}

/** Reads a policy attribute's value: a JSON string or a reference to a policy-document data source in the stack. */
export function readPolicy(value: JsonValue | undefined, config: SynthesizedConfig): PolicyRead {
  if (value === undefined || value === null) return { ok: false, problem: 'the policy document is missing' };
  if (typeof value !== 'string') return { ok: false, problem: `the policy is ${show(value)}, not a JSON string` };
  const ref = asReference(value);
  if (ref && ref.address.startsWith('data.aws_iam_policy_document.') && (ref.attribute === 'json' || ref.attribute === 'minified_json')) {
    const data = config.get(ref.address);
    return data ? statementsOfDataDocument(data) : { ok: false, problem: `${ref.address} is not in this stack` };
  }
  try {
    return statementsOfDocument(JSON.parse(value));
  } catch {
    return {
      ok: false,
      problem: isExpression(value)
        ? `the policy is the Terraform expression ${show(value)}, not a JSON document the pack can read`
        : `the policy ${show(value)} is not valid JSON`,
    };
  }
}

/** Resource types that carry identity policies (what a principal may do). */
export const POLICY_RESOURCE_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'] as const;
/** Principals whose effective permissions the pack assembles. */
export const PRINCIPAL_TYPES = ['aws_iam_role', 'aws_iam_user', 'aws_iam_group'] as const;

export interface IdentityPolicy {
  /** Resource holding the document. */
  readonly holder: TerraformResourceView;
  /** `policy`, or `inline_policy "<name>"` on a role. */
  readonly label: string;
  readonly read: PolicyRead;
}

/** The identity policy documents a resource itself holds (a policy resource, or a role's inline_policy blocks). */
export function policiesHeldBy(resource: TerraformResourceView, config: SynthesizedConfig): IdentityPolicy[] {
  if ((POLICY_RESOURCE_TYPES as readonly string[]).includes(resource.type)) {
    return [{ holder: resource, label: 'policy', read: readPolicy(resource.body.policy, config) }];
  }
  if (resource.type === 'aws_iam_role') {
    return blocks(resource.body.inline_policy)
      .filter((b) => b.policy !== undefined)
      .map((b) => ({ holder: resource, label: `inline_policy ${show(b.name ?? '')}`, read: readPolicy(b.policy, config) }));
  }
  return [];
}

/** A policy attached to a principal from outside the stack (e.g. an AWS managed policy): its content is unknown. */
export interface ExternalAttachment {
  readonly via: TerraformResourceView;
  readonly policyArn: string;
}

export interface PrincipalPermissions {
  readonly policies: readonly IdentityPolicy[];
  readonly external: readonly ExternalAttachment[];
}

const NAME_ATTRS = ['name', 'id'];

/** Everything a role, user or group holds in this stack: inline documents, policy resources naming it, attached stack policies; attached outside policies listed apart. */
export function permissionsOf(principal: TerraformResourceView, config: SynthesizedConfig): PrincipalPermissions {
  const policies: IdentityPolicy[] = [...policiesHeldBy(principal, config)];
  const external: ExternalAttachment[] = [];
  const attach = (via: TerraformResourceView, arn: JsonValue | undefined) => {
    const ref = asReference(arn);
    const target = ref && ref.attribute === 'arn' && ref.address.startsWith('aws_iam_policy.') ? config.get(ref.address) : undefined;
    if (target) policies.push(...policiesHeldBy(target, config));
    else if (typeof arn === 'string') external.push({ via, policyArn: arn });
  };
  const kind = principal.type.replace('aws_iam_', ''); // role | user | group
  for (const p of config.ofType(`aws_iam_${kind}_policy`)) {
    if (refersTo(p.body[kind], principal, NAME_ATTRS)) policies.push(...policiesHeldBy(p, config));
  }
  for (const a of config.ofType(`aws_iam_${kind}_policy_attachment`)) {
    if (refersTo(a.body[kind], principal, NAME_ATTRS)) attach(a, a.body.policy_arn);
  }
  for (const a of config.ofType('aws_iam_policy_attachment')) {
    if (strings(a.body[`${kind}s`]).some((v) => refersTo(v, principal, NAME_ATTRS))) attach(a, a.body.policy_arn);
  }
  if (kind === 'role') {
    for (const arn of strings(principal.body.managed_policy_arns)) attach(principal, arn);
    for (const a of config.ofType('aws_iam_role_policy_attachments_exclusive')) {
      if (refersTo(a.body.role_name, principal, NAME_ATTRS)) strings(a.body.policy_arns).forEach((arn) => attach(a, arn));
    }
  }
  return { policies, external };
}

/** Whether an `aws_iam_policy` is attached to some principal of the stack. */
export function isAttachedInStack(policy: TerraformResourceView, config: SynthesizedConfig): boolean {
  const refs = (v: JsonValue | undefined) => strings(v).some((s) => refersTo(s, policy, ['arn', 'id']));
  const attachmentTypes = ['aws_iam_role_policy_attachment', 'aws_iam_user_policy_attachment', 'aws_iam_group_policy_attachment', 'aws_iam_policy_attachment'];
  if (attachmentTypes.some((t) => config.ofType(t).some((a) => refs(a.body.policy_arn)))) return true;
  if (config.ofType('aws_iam_role').some((r) => refs(r.body.managed_policy_arns))) return true;
  return config.ofType('aws_iam_role_policy_attachments_exclusive').some((a) => refs(a.body.policy_arns));
}

/**
 * Whether an `aws_iam_policy` serves only as a permissions boundary (named by some role's or
 * user's `permissions_boundary`, attached to nothing): it caps permissions and grants none, so the
 * rules about what is granted do not apply to it.
 */
export function isBoundaryOnly(policy: TerraformResourceView, config: SynthesizedConfig): boolean {
  if (policy.type !== 'aws_iam_policy' || isAttachedInStack(policy, config)) return false;
  return ['aws_iam_role', 'aws_iam_user'].some((t) => config.ofType(t).some((p) => refersTo(p.body.permissions_boundary, policy, ['arn', 'id'])));
}

/** The verdict for a boundary-only policy under a rule about granted permissions. */
export const BOUNDARY_NOT_A_GRANT = 'a permissions boundary grants nothing; the policies of the roles it bounds are judged';

/** Case-insensitive glob match of an IAM action pattern (`ecs:*`, `ecs:Describe*`, `*`) against an action. */
export function actionMatches(pattern: string, action: string): boolean {
  let re = ACTION_PATTERNS.get(pattern);
  if (re === undefined) {
    re = new RegExp(`^${pattern.split('').map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`, 'i');
    ACTION_PATTERNS.set(pattern, re);
  }
  return re.test(action);
}

/** Compiled action patterns: the rules ask about the same few patterns many thousand times per synthesis. */
const ACTION_PATTERNS = new Map<string, RegExp>();

/** Whether an Allow statement grants `action` (by Action pattern, or by NotAction not excluding it). */
export function grants(statement: Statement, action: string): boolean {
  if (statement.effect !== 'Allow') return false;
  if (statement.notActions) return !statement.notActions.some((p) => actionMatches(p, action));
  return statement.actions.some((p) => actionMatches(p, action));
}

/** Allow statements of readable policies. */
export function allowStatements(policies: readonly IdentityPolicy[]): Statement[] {
  return policies.flatMap((p) => (p.read.ok ? p.read.statements.filter((s) => s.effect === 'Allow') : []));
}

/** Values of a condition key under operators matching `operator` (case-insensitive key, as IAM compares keys). */
export function conditionValues(statement: Statement, operator: RegExp, key: string): string[] | undefined {
  for (const [op, keys] of Object.entries(statement.conditions)) {
    if (!operator.test(op)) continue;
    for (const [k, values] of Object.entries(keys)) if (k.toLowerCase() === key.toLowerCase()) return [...values];
  }
  return undefined;
}

/** How a statement is named in messages: `statement "Sid"` or `statement 2`. */
export const statementName = (s: Statement): string => (s.sid ? `statement ${show(s.sid)}` : `statement ${s.index}`);

/** Whether `resource` is referenced as the given attribute by some resource of `type` (e.g. a role used as an ECS execution role). */
export function isReferencedAs(resource: TerraformResourceView, config: SynthesizedConfig, type: string, attribute: string, targetAttributes: readonly string[]): boolean {
  return config.ofType(type).some((r) => refersTo(r.body[attribute], resource, targetAttributes));
}
