/**
 * Turns the Terraform references inside a synthesized AWS stack (`${aws_iam_role.x.arn}`,
 * `${data.aws_caller_identity.y.account_id}`) into the literal values they will have in a given
 * account and region, so the auditor files show real ARNs. Only what is derivable from the
 * synthesized configuration is resolved:
 * - data sources: account id, partition, region;
 * - a resource's plain arguments (`name`, `family`, ...), recursively;
 * - ARNs and ids of the resource types in `ARN_BUILDERS`, from their names;
 * - values AWS assigns at creation are written as explicit placeholders, never guessed:
 *   a secret's random 6-character suffix as `-??????` (the wildcard AWS documents for exactly this),
 *   a KMS key's id as `<key-id-of:alias/...>` (named by the key's alias), subnet, security group and
 *   VPC ids as `<subnet-id-of:Name>` etc. (`ID_PLACEHOLDERS`).
 * Anything else (functions, unknown types, attributes known only after apply) throws, naming the
 * expression and where it occurs. User text, escaped for Terraform (`constructs/core/terraform-text.ts`),
 * is rendered back to the text it stands for, as Terraform renders it.
 */
import { renderTemplate, UnsupportedTemplateError } from '../../core/terraform-text';

export type TerraformJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface LiteralContext {
  readonly accountId: string;
  readonly region: string;
  /** @default - derived from the region: aws, aws-cn or aws-us-gov */
  readonly partition?: string;
}

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

interface Env {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly json: TerraformJson;
  /** Resolves a value of the synthesized JSON (it may hold references itself). */
  readonly lit: (value: unknown, where: string) => string;
}

type ArnBuilder = (body: TerraformJson, env: Env, where: string) => string;

const regional = (service: string, resource: string) => (env: Env) => `arn:${env.partition}:${service}:${env.region}:${env.accountId}:${resource}`;
const named = (env: Env, body: TerraformJson, key: string, where: string): string => {
  if (body[key] === undefined) throw new Error(`${where}: the resource has no "${key}" to derive its ARN from`);
  return env.lit(body[key], `${where}.${key}`);
};
const iamPath = (env: Env, body: TerraformJson, where: string) => (body.path === undefined ? '/' : env.lit(body.path, `${where}.path`));

/** ARN of a resource, by Terraform type, from its configuration. */
export const ARN_BUILDERS: Readonly<Record<string, ArnBuilder>> = {
  aws_iam_role: (b, env, w) => `arn:${env.partition}:iam::${env.accountId}:role${iamPath(env, b, w)}${named(env, b, 'name', w)}`,
  aws_iam_policy: (b, env, w) => `arn:${env.partition}:iam::${env.accountId}:policy${iamPath(env, b, w)}${named(env, b, 'name', w)}`,
  aws_cloudwatch_log_group: (b, env, w) => regional('logs', `log-group:${named(env, b, 'name', w)}`)(env),
  aws_cloudwatch_metric_alarm: (b, env, w) => regional('cloudwatch', `alarm:${named(env, b, 'alarm_name', w)}`)(env),
  aws_ecs_cluster: (b, env, w) => regional('ecs', `cluster/${named(env, b, 'name', w)}`)(env),
  aws_ecs_service: (b, env, w) => {
    const cluster = named(env, b, 'cluster', w);
    const clusterName = cluster.includes(':cluster/') ? cluster.slice(cluster.indexOf(':cluster/') + ':cluster/'.length) : cluster;
    return regional('ecs', `service/${clusterName}/${named(env, b, 'name', w)}`)(env);
  },
  aws_eks_cluster: (b, env, w) => regional('eks', `cluster/${named(env, b, 'name', w)}`)(env),
  aws_ecr_repository: (b, env, w) => regional('ecr', `repository/${named(env, b, 'name', w)}`)(env),
  aws_lambda_function: (b, env, w) => regional('lambda', `function:${named(env, b, 'function_name', w)}`)(env),
  aws_lambda_alias: (b, env, w) => regional('lambda', `function:${named(env, b, 'function_name', w)}:${named(env, b, 'name', w)}`)(env),
  aws_scheduler_schedule: (b, env, w) => regional('scheduler', `schedule/${b.group_name === undefined ? 'default' : env.lit(b.group_name, `${w}.group_name`)}/${named(env, b, 'name', w)}`)(env),
  aws_secretsmanager_secret: (b, env, w) => regional('secretsmanager', `secret:${named(env, b, 'name', w)}-??????`)(env),
  aws_sns_topic: (b, env, w) => regional('sns', named(env, b, 'name', w))(env),
  aws_sqs_queue: (b, env, w) => regional('sqs', named(env, b, 'name', w))(env),
  aws_ssm_parameter: (b, env, w) => {
    const name = named(env, b, 'name', w);
    return regional('ssm', `parameter${name.startsWith('/') ? name : `/${name}`}`)(env);
  },
  aws_kms_key: (_b, env, w) => {
    const id = w.split('.').slice(0, 2).join('.');
    const aliases = Object.values((env.json.resource?.aws_kms_alias ?? {}) as Record<string, TerraformJson>)
      .filter((a) => a.target_key_id === `\${${id}.key_id}` || a.target_key_id === `\${${id}.arn}`)
      .map((a) => env.lit(a.name, `aws_kms_alias.name`));
    if (aliases.length === 0) throw new Error(`${w}: a KMS key id is assigned by AWS and this key has no alias to name it by`);
    return regional('kms', `key/${placeholder('key-id-of', aliases.sort()[0]!)}`)(env);
  },
};

/**
 * Ids AWS assigns at creation, per type: written as `<what:label>`, the label naming the resource
 * (its Name tag or name), so an auditor can tell which one is meant.
 */
export const ID_PLACEHOLDERS: Readonly<Record<string, { readonly what: string; readonly label: (b: TerraformJson) => unknown }>> = {
  aws_subnet: { what: 'subnet-id-of', label: (b) => b.tags?.Name },
  aws_security_group: { what: 'security-group-id-of', label: (b) => b.name },
  aws_vpc: { what: 'vpc-id-of', label: (b) => b.tags?.Name },
};

/** Attributes that are the ARN, per type (besides `arn`). */
const ARN_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_ecs_service: ['id'],
  aws_sns_topic: ['id'],
};

/** How a value AWS assigns at creation is shown: `<what:of-what>`. */
export function placeholder(what: string, of: string): string {
  return `<${what}:${of}>`;
}
/** Matches the placeholders `placeholder()` writes. */
export const PLACEHOLDER_RE = /<[a-z-]+:[^<>]+>/g;

const PLAIN_REFERENCE_RE = /^[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+\.[a-z_]+$/;

/**
 * A resolver of references in `json` (one synthesized stack) for `ctx`. The returned function
 * resolves strings, arrays and objects deeply; `where` names the location for error messages.
 */
export function literalResolver(json: TerraformJson, ctx: LiteralContext): <T>(value: T, where: string) => T {
  const partition = ctx.partition ?? partitionOf(ctx.region);
  const seen = new Set<string>();
  const resolveExpression = (expr: string, where: string): string => {
    const parts = expr.split('.');
    if (parts[0] === 'data' && parts.length === 4) {
      const [, type, , attr] = parts as [string, string, string, string];
      if (type === 'aws_caller_identity' && attr === 'account_id') return ctx.accountId;
      if (type === 'aws_partition' && attr === 'partition') return partition;
      if (type === 'aws_region' && (attr === 'name' || attr === 'region')) return ctx.region;
      throw new Error(`${where}: cannot resolve \${${expr}}: no literal for data source ${type}.${attr}`);
    }
    if (parts.length !== 3 || !PLAIN_REFERENCE_RE.test(expr)) throw new Error(`${where}: cannot resolve \${${expr}}: not a plain resource reference`);
    const [type, id, attr] = parts as [string, string, string];
    const body = json.resource?.[type]?.[id] as TerraformJson | undefined;
    if (body === undefined) throw new Error(`${where}: cannot resolve \${${expr}}: no resource ${type}.${id} in the stack`);
    const key = `${type}.${id}.${attr}`;
    if (seen.has(key)) throw new Error(`${where}: cannot resolve \${${expr}}: circular reference`);
    seen.add(key);
    try {
      const builder = ARN_BUILDERS[type];
      if ((attr === 'arn' || (ARN_ATTRIBUTES[type] ?? []).includes(attr)) && builder) {
        try {
          return builder(body, env, `${type}.${id}`);
        } catch (e) {
          throw new Error(`${where}: cannot resolve \${${expr}}: ${(e as Error).message}`);
        }
      }
      if (typeof body[attr] === 'string' || typeof body[attr] === 'number') return lit(body[attr], `${type}.${id}.${attr}`);
      const idPlaceholder = ID_PLACEHOLDERS[type];
      if (attr === 'id' && idPlaceholder) {
        const label = idPlaceholder.label(body);
        if (label === undefined) throw new Error(`${where}: cannot resolve \${${expr}}: the ${type} has no name to label its id by`);
        return placeholder(idPlaceholder.what, lit(label, `${type}.${id}.label`));
      }
      throw new Error(`${where}: cannot resolve \${${expr}}: ${attr} of ${type} is known only after apply (no literal form)`);
    } finally {
      seen.delete(key);
    }
  };
  const lit = (value: unknown, where: string): string => {
    if (typeof value === 'number') return String(value);
    if (typeof value !== 'string') throw new Error(`${where}: expected a string, got ${JSON.stringify(value)}`);
    // Rendered as Terraform does: references resolved, escaped user text (terraform-text.ts) as text.
    try {
      return renderTemplate(value, (expr) => resolveExpression(expr, where));
    } catch (e) {
      if (e instanceof UnsupportedTemplateError) throw new Error(`${where}: cannot resolve "${value}": unsupported Terraform expression`);
      throw e;
    }
  };
  const env: Env = { partition, region: ctx.region, accountId: ctx.accountId, json, lit };
  const deep = (value: unknown, where: string): unknown => {
    if (typeof value === 'string') return lit(value, where);
    if (Array.isArray(value)) return value.map((v, i) => deep(v, `${where}[${i}]`));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [lit(k, `${where} (key)`), deep(v, `${where}.${k}`)]));
    return value;
  };
  return <T>(value: T, where: string): T => deep(value, where) as T;
}
