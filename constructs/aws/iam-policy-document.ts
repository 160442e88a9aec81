/**
 * Renders cloud-neutral permissions as AWS IAM policy documents (JSON text). Deterministic: actions
 * and resources keep their declared order, condition operators and keys are sorted. Values may be
 * cdktf tokens; they resolve to Terraform references inside the JSON string.
 */
import type { Permission, PermissionCondition } from '../core/permissions/permission';

export interface IamStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface IamPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: IamStatement[];
}

const one = (values: readonly string[]): string | string[] => (values.length === 1 ? values[0]! : [...values]);

export function renderConditions(conditions: readonly PermissionCondition[] | undefined): IamStatement['Condition'] | undefined {
  if (!conditions || conditions.length === 0) return undefined;
  const out: Record<string, Record<string, string | string[]>> = {};
  for (const c of [...conditions].sort((a, b) => a.test.localeCompare(b.test) || a.variable.localeCompare(b.variable))) {
    const block = (out[c.test] ??= {});
    if (block[c.variable] !== undefined) throw new Error(`condition ${c.test} ${c.variable} is given twice: merge the values into one condition`);
    block[c.variable] = one(c.values);
  }
  return out;
}

export function renderStatement(p: Permission): IamStatement {
  if (p.plane === 'data') throw new Error(`${p.sid}: AWS IAM has no data-plane distinction; remove plane: 'data'`);
  const condition = renderConditions(p.conditions);
  return { Sid: p.sid, Effect: p.effect ?? 'Allow', Action: one(p.actions), Resource: one(p.resources), ...(condition ? { Condition: condition } : {}) };
}

export function policyDocument(permissions: readonly Permission[]): IamPolicyDocument {
  return { Version: '2012-10-17', Statement: permissions.map(renderStatement) };
}

/** A trust policy letting one AWS service assume a role, guarded against the confused deputy. */
export function serviceTrustDocument(service: string, conditions: readonly PermissionCondition[]): IamPolicyDocument {
  const condition = renderConditions(conditions);
  return {
    Version: '2012-10-17',
    Statement: [{ Sid: 'TrustService', Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
  };
}

/**
 * A trust statement letting IAM principals of other accounts (account roots, roles, users; as ARNs)
 * call `actions` (e.g. `sts:AssumeRole`) on a role, under every one of `conditions`.
 */
export function principalTrustStatement(sid: string, principalArns: readonly string[], actions: readonly string[], conditions: readonly PermissionCondition[]): IamStatement {
  if (principalArns.length === 0) throw new Error(`${sid}: a trust policy needs at least one principal`);
  const condition = renderConditions(conditions);
  return { Sid: sid, Effect: 'Allow', Principal: { AWS: one(principalArns) }, Action: one(actions), ...(condition ? { Condition: condition } : {}) };
}

export function trustDocument(statements: readonly IamStatement[]): IamPolicyDocument {
  return { Version: '2012-10-17', Statement: [...statements] };
}

export function toJson(doc: IamPolicyDocument): string {
  return JSON.stringify(doc);
}

/** Values of a statement field as a list (`Action`, `Resource` or a principal may be one string). */
export function asList(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : [...value];
}
