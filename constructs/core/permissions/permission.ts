/**
 * The cloud-neutral way to declare a permission: what may be done, on what, under which
 * conditions, and why. Constructs declare their permissions as named constants built from this
 * type; renderers turn them into AWS IAM policy documents (and later Azure / GCP custom roles),
 * and the auditor files are generated from the same objects.
 */
export interface PermissionCondition {
  /** Operator, e.g. `StringEquals`, `ArnLike`, `Bool`. */
  readonly test: string;
  /** Condition key, e.g. `iam:PassedToService`. */
  readonly variable: string;
  readonly values: readonly string[];
}

export interface Permission {
  /** Statement id; letters and digits. */
  readonly sid: string;
  readonly actions: readonly string[];
  /** Resource identifiers (ARNs on AWS). `*` only where the action supports no resource scoping. */
  readonly resources: readonly string[];
  readonly conditions?: readonly PermissionCondition[];
  /** One line an auditor can read: why this is needed. */
  readonly justification: string;
}

/** A permission template: actions and justification fixed, resources bound where used. */
export interface PermissionTemplate {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly justification: string;
}

export function bind(template: PermissionTemplate, resources: readonly string[], conditions?: readonly PermissionCondition[]): Permission {
  return { ...template, resources, ...(conditions && conditions.length > 0 ? { conditions } : {}) };
}
