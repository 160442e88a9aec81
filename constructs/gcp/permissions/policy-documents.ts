/**
 * The GCP IAM documents of one example target, for auditors, in GCP's own JSON forms:
 * - `policies/gcp/<target>/roles/<role>.json`: each kit custom role as the IAM API's Role
 *   (`name`, `title`, `description`, `includedPermissions`, `stage`);
 * - `policies/gcp/<target>/bindings.json`: every IAM binding the stack creates, grouped by the
 *   resource it is set on, as that resource's IAM policy `bindings` (`role`, `members`);
 * - a `GENERATED.md` listing them with their hashes, and the model of the README's GCP section.
 *
 * The documents come from the synthesized stack, so they are exactly what Terraform deploys, with
 * Terraform references replaced by their literal values for the example's project (`gcp.projectId`,
 * `gcp.projectNumber`); an unresolvable reference fails the run. Justifications come from the
 * permissions declared in the constructs (`KitRole`).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import type { KitConfig } from '../../core/config/schema';
import type { CloudPolicies } from '../../core/target-kind';
import { addTargetStacks } from '../../../stacks/targets';
import type { GcpTargetConfig } from '../config';
import { KitRole } from '../kit-role';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface GcpRoleDocument {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly includedPermissions: readonly string[];
  readonly stage: string;
}

export interface GcpBindingsDocument {
  /** The resource the policy is set on (`projects/p`, `projects/p/serviceAccounts/x`, ...). */
  readonly resource: string;
  /** The Terraform resource type that sets it (`google_<kind>_iam_member`). */
  readonly via: string;
  readonly bindings: readonly { readonly role: string; readonly members: readonly string[] }[];
}

export interface AuditedGcpRole {
  readonly role: GcpRoleDocument;
  readonly file: string;
  readonly heldBy: string;
  /** Justification per permission. */
  readonly justifications: readonly { readonly sid: string; readonly permissions: readonly string[]; readonly justification: string }[];
}

export interface AuditedGcpTarget {
  readonly target: string;
  readonly source: string;
  readonly project: string;
  readonly region: string;
  readonly dir: string;
  readonly roles: readonly AuditedGcpRole[];
  readonly bindings: readonly GcpBindingsDocument[];
  /** The operator service account's email, when operator access is configured. */
  readonly operator?: string;
}

/** IAM member resource types and how to name the resource each sets a policy on. */
const MEMBER_TYPES: Readonly<Record<string, (b: Json, lit: (v: string) => string, project: string) => string>> = {
  google_project_iam_member: (b, lit) => `projects/${lit(b.project)}`,
  google_service_account_iam_member: (b, lit) => lit(b.service_account_id),
  google_cloud_run_v2_worker_pool_iam_member: (b, lit, p) => `projects/${b.project ? lit(b.project) : p}/locations/${lit(b.location)}/workerPools/${lit(b.name)}`,
  google_cloud_run_v2_job_iam_member: (b, lit, p) => `projects/${b.project ? lit(b.project) : p}/locations/${lit(b.location)}/jobs/${lit(b.name)}`,
  google_artifact_registry_repository_iam_member: (b, lit, p) => `projects/${b.project ? lit(b.project) : p}/locations/${lit(b.location)}/repositories/${lit(b.repository)}`,
  google_storage_bucket_iam_member: (b, lit) => `projects/_/buckets/${lit(b.bucket)}`,
  google_secret_manager_secret_iam_member: (b, lit, p) => `projects/${b.project ? lit(b.project) : p}/secrets/${lit(b.secret_id)}`,
  google_kms_crypto_key_iam_member: (b, lit) => lit(b.crypto_key_id),
};
export const IAM_MEMBER_TYPES = Object.keys(MEMBER_TYPES);

/**
 * Literal values of the references the IAM resources use, from the synthesized JSON and the
 * example's project (`projectNumber` for service agents).
 */
export function literalResolver(json: Json, t: { readonly project: string; readonly projectNumber: string; readonly region: string }): (value: string) => string {
  const res = (type: string, id: string): Json => {
    const body = json.resource?.[type]?.[id];
    if (body === undefined) throw new Error(`no ${type}.${id} in the stack`);
    return body as Json;
  };
  const resolveOne = (expr: string): string => {
    const m = /^(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)$/.exec(expr);
    if (m === null) throw new Error(`cannot resolve \${${expr}} to a literal`);
    const [, data, type, id, attr] = m;
    if (data !== undefined) {
      if (type === 'google_project' && attr === 'number') return t.projectNumber;
      if (type === 'google_storage_project_service_account' && attr === 'email_address') return `service-${t.projectNumber}@gs-project-accounts.iam.gserviceaccount.com`;
      // Cloud Logging's account for CMEK, as its CMEK settings name it (older projects: cmek-p<number>@gcp-sa-logging).
      if (type === 'google_logging_project_cmek_settings' && attr === 'service_account_id') return `service-${t.projectNumber}@gcp-sa-logging.iam.gserviceaccount.com`;
      throw new Error(`cannot resolve \${${expr}} to a literal`);
    }
    const body = res(type!, id!);
    const project = typeof body.project === 'string' ? lit(body.project) : t.project;
    switch (`${type}.${attr}`) {
      case 'google_service_account.email':
        return `${lit(body.account_id)}@${project}.iam.gserviceaccount.com`;
      case 'google_service_account.name':
        return `projects/${project}/serviceAccounts/${lit(body.account_id)}@${project}.iam.gserviceaccount.com`;
      case 'google_project_iam_custom_role.name':
        return `projects/${project}/roles/${lit(body.role_id)}`;
      case 'google_kms_key_ring.id':
        return `projects/${project}/locations/${lit(body.location)}/keyRings/${lit(body.name)}`;
      case 'google_kms_crypto_key.id':
        return `${lit(body.key_ring)}/cryptoKeys/${lit(body.name)}`;
      case 'google_secret_manager_secret.id':
        return `projects/${project}/secrets/${lit(body.secret_id)}`;
      case 'google_secret_manager_secret.secret_id':
        return lit(body.secret_id);
      case 'google_secret_manager_secret.project':
        return project;
      case 'google_cloud_run_v2_worker_pool.name':
      case 'google_cloud_run_v2_job.name':
      case 'google_storage_bucket.name':
        return lit(body.name);
      case 'google_cloud_run_v2_worker_pool.location':
      case 'google_cloud_run_v2_job.location':
        return lit(body.location);
      default:
        if (typeof body[attr!] === 'string') return lit(body[attr!]);
        throw new Error(`cannot resolve \${${expr}} to a literal`);
    }
  };
  const lit = (value: string): string => value.replace(/\$\{([^}]+)\}/g, (_m, expr: string) => resolveOne(expr.trim()));
  return lit;
}

export function generateGcpTarget(config: KitConfig, target: string, source: string): { files: Map<string, string>; audited: AuditedGcpTarget; json: Json } {
  const t = config.targets[target] as GcpTargetConfig | undefined;
  if (t?.cloud !== 'gcp') throw new Error(`${source}: target ${target} is not a GCP target`);
  const projectNumber = t.gcp.projectNumber;
  if (projectNumber === undefined) throw new Error(`${source}: target ${target} needs gcp.projectNumber to fill the generated policies (e.g. "123456789012")`);
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'runner-kit-policies-')), stackTraces: false });
  const [stack] = addTargetStacks(app, { targets: { [target]: t } });
  const json = JSON.parse(Testing.synth(stack!)) as Json;
  const lit = literalResolver(json, { project: t.gcp.projectId, projectNumber, region: t.region });
  const dir = `gcp/${target}`;
  const files = new Map<string, string>();
  const write = (file: string, doc: unknown) => files.set(`policies/${dir}/${file}`, `${JSON.stringify(doc, null, 2)}\n`);
  const kitRoles = KitRole.allIn(stack!);
  const roles: AuditedGcpRole[] = Object.entries<Json>(json.resource?.google_project_iam_custom_role ?? {})
    .map(([, body]) => {
      const roleId = lit(body.role_id);
      const kit = kitRoles.find((r) => r.roleId === roleId);
      const role: GcpRoleDocument = { name: `projects/${lit(body.project)}/roles/${roleId}`, title: lit(body.title), description: lit(body.description), includedPermissions: [...(body.permissions as string[])].sort(), stage: body.stage };
      return { role, file: `roles/${roleId.split('.').at(-1)}.json`, heldBy: kit?.heldBy ?? 'unknown', justifications: (kit?.permissions ?? []).map((p) => ({ sid: p.sid, permissions: [...p.actions], justification: p.justification })) };
    })
    .sort((a, b) => a.role.name.localeCompare(b.role.name));
  for (const r of roles) write(r.file, r.role);
  const byResource = new Map<string, { via: string; roles: Map<string, Set<string>> }>();
  for (const [type, resource] of Object.entries(MEMBER_TYPES)) {
    for (const [, body] of Object.entries<Json>(json.resource?.[type] ?? {})) {
      const scope = resource(body, lit, t.gcp.projectId);
      const entry = byResource.get(scope) ?? { via: type, roles: new Map<string, Set<string>>() };
      const role = lit(body.role);
      entry.roles.set(role, (entry.roles.get(role) ?? new Set()).add(lit(body.member)));
      byResource.set(scope, entry);
    }
  }
  const bindings: GcpBindingsDocument[] = [...byResource]
    .map(([resource, e]) => ({ resource, via: e.via, bindings: [...e.roles].sort(([a], [b]) => a.localeCompare(b)).map(([role, members]) => ({ role, members: [...members].sort() })) }))
    .sort((a, b) => a.resource.localeCompare(b.resource));
  write('bindings.json', bindings);
  const operator = Object.values<Json>(json.resource?.google_service_account ?? {}).find((b) => typeof b.account_id === 'string' && b.account_id.endsWith('-operator'));
  const audited: AuditedGcpTarget = { target, source, project: t.gcp.projectId, region: t.region, dir, roles, bindings, ...(operator !== undefined ? { operator: `${lit(operator.account_id)}@${t.gcp.projectId}.iam.gserviceaccount.com` } : {}) };
  const index = [...files.entries()].map(([f, text]) => [f.slice(`policies/${dir}/`.length), createHash('sha256').update(text).digest('hex')] as const).sort(([a], [b]) => a.localeCompare(b));
  files.set(
    `policies/${dir}/GENERATED.md`,
    [`# Generated GCP IAM documents of target \`${target}\``, '', `Generated from \`${source}\` by \`scripts/generate-policies.ts\`. Do not edit: regenerate with \`npm run policies\`.`, '', `Roles are the IAM API's Role objects for project \`${t.gcp.projectId}\`; \`bindings.json\` holds every binding the stack sets, by resource. What each permission is for: [policies/README.md](../../README.md#gcp).`, '', '| file | sha256 |', '|---|---|', ...index.map(([f, h]) => `| [${f}](${f}) | \`${h}\` |`), ''].join('\n'),
  );
  return { files, audited, json };
}

const code = (s: string) => `\`${s}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderGcpReadme(targets: readonly AuditedGcpTarget[]): string {
  const out = [
    '## GCP',
    '',
    'Every custom role the kit creates on GCP and every binding it sets, for each GCP example target. GCP roles carry no resources: each role is bound on the resources it is for (a worker pool, the updater job, the mirror repository, the kit\'s bucket, one service account), and only where GCP grants a permission per project (reading log entries and alerts) on the project. No basic role (owner, editor, viewer) is bound anywhere; token creator and actAs are bound only on single service accounts.',
    '',
    '- `gcp/<target>/roles/<role>.json`: the custom role as the IAM API returns it. `gcp/<target>/bindings.json`: the bindings by resource, in the form of that resource\'s IAM policy.',
    '- Verified by tests (`test/policies/gcp-policies.test.ts`): every permission exists (`data/catalogs/gcp-permissions.txt`); no basic role; token creator and actAs only on single service accounts; the operator service account can neither read a secret value nor act as (or impersonate) any service account, and holds no `setIamPolicy`; the runner\'s account holds only `secretAccessor` on its own two secrets; these files match what the code generates.',
    '',
    '### Who may start the updater, and what it accepts from each',
    '',
    'The updater is a Cloud Run job: no endpoint, started through the Cloud Run API. It reads who started its execution from the execution itself (`creator`, set by Cloud Run; a payload cannot say it): the schedule\'s service account, which may only start the job as defined (`run.jobs.run`, no overrides), gets `scheduled`; everyone else (operators, with `run.jobs.runWithOverrides`, passing `RUNNER_KIT_PAYLOAD`) only `check`, `update`, `rollback`. The deploy\'s `bootstrap` runs only outside Cloud Run, on the deploying machine.',
    '',
  ];
  for (const t of targets) {
    out.push(`### Target \`${t.target}\` (${code(t.source)}, project ${code(t.project)}, ${t.region})`, '');
    if (t.operator !== undefined) out.push(`Operator access: meshcloud's principals impersonate ${code(t.operator)} (token creator on that account only).`, '');
    for (const r of t.roles) {
      out.push(`#### ${code(r.role.name.split('/').at(-1)!)}: ${r.role.title}`, '', `Held by ${r.heldBy}. [${r.file}](gcp/${t.target}/${r.file}). Bound on: ${t.bindings.filter((b) => b.bindings.some((x) => x.role === r.role.name)).map((b) => code(b.resource)).join(', ') || '(nothing)'}.`, '', '| Permissions | Why |', '|---|---|');
      for (const j of r.justifications) out.push(`| ${j.permissions.map(code).join(', ')} | ${cell(j.justification)} |`);
      out.push('');
    }
    out.push('Predefined roles the stack binds:', '', '| Role | On | Members |', '|---|---|---|');
    for (const b of t.bindings) for (const x of b.bindings) if (x.role.startsWith('roles/')) out.push(`| ${code(x.role)} | ${code(b.resource)} | ${x.members.map(code).join(', ')} |`);
    out.push('');
  }
  return out.join('\n');
}

export function gcpPolicies(): CloudPolicies {
  return {
    folder: 'gcp',
    documents: (config, target, source) => {
      const { files, audited } = generateGcpTarget(config, target, source);
      return { files, audited };
    },
    readme: (audited) => renderGcpReadme(audited as AuditedGcpTarget[]),
  };
}
