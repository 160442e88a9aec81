/**
 * The cloud-neutral way to declare a permission: what may be done, on what, under which
 * conditions, and why. Constructs declare their permissions as named constants built from this
 * type; renderers turn them into AWS IAM policy documents (`constructs/aws/iam-policy-document.ts`),
 * Azure custom role definitions (`azure-role-definition.ts`) and GCP custom roles
 * (`gcp-custom-role.ts`), and the auditor files (`policies/`) are generated from the same objects.
 *
 * Vocabulary per cloud: `actions` are IAM actions (`ecs:DescribeServices`) on AWS, resource-provider
 * operations (`Microsoft.ContainerInstance/containerGroups/read`) on Azure and IAM permissions
 * (`run.workerpools.get`) on GCP; `resources` are ARNs on AWS and scopes (ARM ids, project or
 * resource names) elsewhere.
 */
export interface PermissionCondition {
  /** Operator, e.g. `StringEquals`, `ArnLike`, `Bool`. */
  readonly test: string;
  /** Condition key, e.g. `iam:PassedToService`. */
  readonly variable: string;
  readonly values: readonly string[];
}

export type PermissionEffect = 'Allow' | 'Deny';

/**
 * Control plane (managing resources) or data plane (using them: reading a secret's value, a blob).
 * Only Azure tells them apart in a role definition (`actions` vs `dataActions`).
 */
export type PermissionPlane = 'control' | 'data';

export interface Permission {
  /** Statement id; letters and digits, unique within one policy or role. */
  readonly sid: string;
  /**
   * `Allow` grants; `Deny` overrides any grant (AWS only: permissions boundaries and guard rails).
   * @default 'Allow'
   */
  readonly effect?: PermissionEffect;
  /** Exact action names. Wildcards (`*`) only in `Deny` statements, where broader is safer. */
  readonly actions: readonly string[];
  /** Resource identifiers (ARNs on AWS). `*` only where the action supports no resource scoping. */
  readonly resources: readonly string[];
  readonly conditions?: readonly PermissionCondition[];
  /**
   * Which plane the actions belong to (Azure renders `data` as `dataActions`; other clouds reject it).
   * @default 'control'
   */
  readonly plane?: PermissionPlane;
  /** One line an auditor can read: why this is needed. */
  readonly justification: string;
}

/** A permission template: actions and justification fixed, resources bound where used. */
export interface PermissionTemplate {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly justification: string;
  /** @default 'Allow' */
  readonly effect?: PermissionEffect;
  /** @default 'control' */
  readonly plane?: PermissionPlane;
}

export function bind(template: PermissionTemplate, resources: readonly string[], conditions?: readonly PermissionCondition[]): Permission {
  return { ...template, resources, ...(conditions && conditions.length > 0 ? { conditions } : {}) };
}

export const SID_PATTERN = /^[A-Za-z0-9]+$/;
/** Shortest justification accepted: a reason, not a label (the same bar as acknowledgements). */
export const MIN_JUSTIFICATION_LENGTH = 10;

/**
 * Problems of one permission that no renderer can fix, as readable sentences (empty when valid):
 * sid characters, empty action or resource lists, wildcard actions in an `Allow`, a missing
 * justification. Renderers and roles call this before rendering.
 */
export function permissionProblems(p: Permission): string[] {
  const problems: string[] = [];
  const effect = p.effect ?? 'Allow';
  if (!SID_PATTERN.test(p.sid)) problems.push(`sid "${p.sid}" must be letters and digits only`);
  if (p.actions.length === 0) problems.push(`${p.sid}: has no action`);
  if (p.resources.length === 0) problems.push(`${p.sid}: has no resource (use "*" only where the action supports no resource scoping)`);
  if (effect === 'Allow') {
    for (const a of p.actions.filter((x) => x.includes('*'))) problems.push(`${p.sid}: wildcard action "${a}" in an Allow statement: list the exact actions`);
  }
  if (p.justification.trim().length < MIN_JUSTIFICATION_LENGTH) {
    problems.push(`${p.sid}: justification "${p.justification}" is too short: say in one line why the permission is needed`);
  }
  for (const c of p.conditions ?? []) {
    if (c.values.length === 0) problems.push(`${p.sid}: condition ${c.test} ${c.variable} has no value`);
  }
  return problems;
}

/** Throws one error listing every problem of `permissions` (see `permissionProblems`), and duplicate sids. */
export function assertValidPermissions(owner: string, permissions: readonly Permission[]): void {
  const problems = permissions.flatMap(permissionProblems);
  const seen = new Set<string>();
  for (const p of permissions) {
    if (seen.has(p.sid)) problems.push(`sid "${p.sid}" is used twice: statement ids must be unique within a policy`);
    seen.add(p.sid);
  }
  if (problems.length > 0) throw new Error(`${owner}: invalid permissions:\n  - ${problems.join('\n  - ')}`);
}

/** The service prefix of an action (`ecs` of `ecs:DescribeServices`; `Microsoft.App` on Azure; `run` on GCP). */
export function actionService(action: string): string {
  const colon = action.indexOf(':');
  if (colon > 0) return action.slice(0, colon);
  const slash = action.indexOf('/');
  if (slash > 0) return action.slice(0, slash);
  return action.slice(0, action.indexOf('.'));
}
