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
    (out[c.test] ??= {})[c.variable] = one(c.values);
  }
  return out;
}

export function renderStatement(p: Permission): IamStatement {
  const condition = renderConditions(p.conditions);
  return { Sid: p.sid, Effect: 'Allow', Action: one(p.actions), Resource: one(p.resources), ...(condition ? { Condition: condition } : {}) };
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

export function toJson(doc: IamPolicyDocument): string {
  return JSON.stringify(doc);
}
