/**
 * The AWS policy documents of one example target, for auditors: one strict-JSON file per IAM
 * document under `policies/aws/<target>/` (each role's trust and permissions, the permissions
 * boundary), a `GENERATED.md` listing them with their hashes, and the model `policies/README.md`
 * is rendered from (`auditor-readme.ts`).
 *
 * The documents come from the synthesized stacks, so they are exactly what Terraform deploys, with
 * every Terraform reference replaced by its literal value for the example's account (`aws.accountId`)
 * and region (`literal-arns.ts`; an unresolvable reference fails the run). Justifications come from
 * the permissions declared in the constructs.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Testing, type TerraformStack } from 'cdktf';
import type { KitConfig } from '../../core/config/schema';
import { POLICIES_DIR, policyBanner } from '../../core/permissions/policy-files';
import { addTargetStacks } from '../../../stacks/targets';
import { PermissionsBoundary } from '../permissions-boundary';
import { KitRole, MAX_SESSION_SECONDS } from '../service-role';
import { type AuditedBoundary, type AuditedRole, type AuditedTarget, type AwsPolicyJson } from './auditor-readme';
import { literalResolver, type TerraformJson } from './literal-arns';

export { POLICIES_DIR, REGENERATE_COMMAND } from '../../core/permissions/policy-files';

/** One target's documents: the auditors' model and the files (paths relative to the repository). */
export interface GeneratedTarget {
  readonly audited: AuditedTarget;
  readonly files: ReadonlyMap<string, string>;
  /** The synthesized JSON of the target's stacks (for verification tests). */
  readonly jsons: readonly TerraformJson[];
}

const toFileText = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

function synthesizeTarget(config: KitConfig, target: string): { stack: TerraformStack; json: TerraformJson }[] {
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'runner-kit-policies-')), stackTraces: false });
  const stacks = addTargetStacks(app, { targets: { [target]: config.targets[target]! } });
  return stacks.map((stack) => ({ stack, json: JSON.parse(Testing.synth(stack)) as TerraformJson }));
}

type Resources = [string, TerraformJson][];
const resources = (json: TerraformJson, type: string): Resources => Object.entries((json.resource?.[type] ?? {}) as Record<string, TerraformJson>);
/** A file stem for a name: without the `<target>-` prefix. */
const stemOf = (target: string, name: string) => (name.startsWith(`${target}-`) ? name.slice(target.length + 1) : name);

/**
 * The literal documents of one AWS target of `config` (all its stacks). `source` names the config
 * file in banners. Throws when the target has no `aws.accountId` and on any Terraform reference that
 * has no literal value. A role that is not a kit role (no boundary) is documented as such; the
 * verification tests fail on it.
 */
export function generateTarget(config: KitConfig, target: string, source: string): GeneratedTarget {
  const t = config.targets[target];
  if (!t) throw new Error(`${source}: no target ${target}`);
  if (t.cloud !== 'aws') throw new Error(`${source}: target ${target} is not an AWS target`);
  const accountId = t.aws?.accountId;
  if (accountId === undefined) throw new Error(`${source}: target ${target} needs aws.accountId to fill the generated policies (e.g. "123456789012")`);
  const dir = `aws/${target}`;
  const files = new Map<string, string>();
  const write = (file: string, doc: unknown) => {
    const key = `${POLICIES_DIR}/${dir}/${file}`;
    if (files.has(key)) throw new Error(`target ${target}: two documents would be written to ${file}`);
    files.set(key, toFileText(doc));
  };
  const roles: AuditedRole[] = [];
  const boundaries: AuditedBoundary[] = [];
  const jsons: TerraformJson[] = [];

  for (const { stack, json } of synthesizeTarget(config, target)) {
    jsons.push(json);
    const lit = literalResolver(json, { accountId, region: t.region });
    const kitRoles = KitRole.allIn(stack);
    const policies = resources(json, 'aws_iam_policy');
    const boundaryRefs = new Map<string, string>(); // Terraform reference -> policy name
    for (const boundary of stack.node.findAll().filter((c): c is PermissionsBoundary => c instanceof PermissionsBoundary)) {
      const entry = policies.find(([, b]) => b.name === boundary.policyName);
      if (!entry) throw new Error(`stack ${stack.node.id}: the boundary ${boundary.policyName} is not in the synthesized stack`);
      boundaryRefs.set(`\${aws_iam_policy.${entry[0]}.arn}`, boundary.policyName);
      const file = `${stemOf(target, boundary.policyName)}.json`;
      const document = lit(JSON.parse(entry[1].policy as string), `aws_iam_policy.${entry[0]}.policy`) as AwsPolicyJson;
      write(file, document);
      boundaries.push({ name: boundary.policyName, file, document, justifications: Object.fromEntries(boundary.statements().map((x) => [x.sid, x.justification])) });
    }
    const inline = resources(json, 'aws_iam_role_policy');
    const attachments = resources(json, 'aws_iam_role_policy_attachment');
    for (const [id, body] of resources(json, 'aws_iam_role')) {
      const name = lit(body.name as string, `aws_iam_role.${id}.name`);
      const kitRole = kitRoles.find((r) => r.declaredName === name);
      const refs = [`\${aws_iam_role.${id}.name}`, `\${aws_iam_role.${id}.id}`];
      const own = inline.filter(([, p]) => refs.includes(p.role));
      const trust = lit(JSON.parse(body.assume_role_policy as string), `aws_iam_role.${id}.assume_role_policy`) as AwsPolicyJson;
      const permissions: AwsPolicyJson | undefined =
        own.length === 0
          ? undefined
          : {
              Version: '2012-10-17',
              Statement: own.flatMap(([pid, p]) => (lit(JSON.parse(p.policy as string), `aws_iam_role_policy.${pid}.policy`) as AwsPolicyJson).Statement),
            };
      const stem = stemOf(target, name);
      const trustFile = `${stem}-trust.json`;
      const permissionsFile = permissions ? `${stem}-permissions.json` : undefined;
      write(trustFile, trust);
      if (permissions && permissionsFile) write(permissionsFile, permissions);
      const boundary = typeof body.permissions_boundary === 'string' ? boundaryRefs.get(body.permissions_boundary) ?? lit(body.permissions_boundary, `aws_iam_role.${id}.permissions_boundary`) : undefined;
      const service = trust.Statement.some((st) => st.Principal !== undefined && 'Service' in st.Principal);
      roles.push({
        name,
        assumedBy: kitRole?.assumedBy ?? (service ? 'service' : 'people'),
        kitRole: kitRole !== undefined,
        ...(boundary !== undefined ? { boundary } : {}),
        attachedPolicyArns: attachments.filter(([, a]) => refs.includes(a.role)).map(([aid, a]) => lit(a.policy_arn as string, `aws_iam_role_policy_attachment.${aid}.policy_arn`)),
        trustFile,
        ...(permissionsFile ? { permissionsFile, permissions } : {}),
        trust,
        maxSessionSeconds: (body.max_session_duration as number | undefined) ?? MAX_SESSION_SECONDS,
        justifications: Object.fromEntries((kitRole?.permissions ?? []).map((p) => [p.sid, p.justification])),
      });
    }
  }
  roles.sort((a, b) => a.name.localeCompare(b.name));
  const audited: AuditedTarget = { target, source, accountId, region: t.region, dir, roles, boundaries };
  files.set(`${POLICIES_DIR}/${dir}/GENERATED.md`, generatedIndex(audited, files));
  return { audited, files, jsons };
}


function generatedIndex(t: AuditedTarget, files: ReadonlyMap<string, string>): string {
  const rows = [...files.entries()]
    .map(([file, text]) => [path.basename(file), createHash('sha256').update(text).digest('hex')] as const)
    .sort(([a], [b]) => a.localeCompare(b));
  return [
    `# Generated IAM documents of target \`${t.target}\``,
    '',
    `> ${banner([t.source])}`,
    '',
    `The JSON files are strict IAM policy JSON, exactly what IAM receives for account \`${t.accountId}\` and region \`${t.region}\` (JSON has no comments, so this banner lives here). What each statement is for: [policies/README.md](../../README.md).`,
    '',
    '| file | sha256 |',
    '|---|---|',
    ...rows.map(([f, h]) => `| [${f}](${f}) | \`${h}\` |`),
    '',
  ].join('\n');
}

/** The banner of the generated files (cloud-neutral: `constructs/core/permissions/policy-files.ts`). */
export const banner = policyBanner;
