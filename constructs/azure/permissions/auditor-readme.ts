/**
 * The Azure section of `policies/README.md`, for auditors: for each example target, every custom
 * role the kit defines (who holds it, what it may do, at which scopes, why, and what it cannot do)
 * and every built-in role it assigns, in the same shape as the AWS section.
 */
import { ASSIGN_IDENTITY, COMPUTE_WRITES, ESCALATING_OPERATIONS } from '../rules/role-no-escalation';
import type { AuditedAzureRole, AuditedAzureTarget } from './policy-documents';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (text: string) => `\`${text}\``;

/** What a role cannot do: the escalation operations and write or secret access it does not hold. */
export function cannotDo(role: AuditedAzureRole): string[] {
  const held = new Set([...role.definition.Actions, ...role.definition.DataActions].map((a) => a.toLowerCase()));
  const notHeld = ESCALATING_OPERATIONS.filter((op) => !held.has(op.toLowerCase()));
  const lines = [`Not granted (the Azure escalation paths): ${[...notHeld, ...(held.has(ASSIGN_IDENTITY.toLowerCase()) ? [] : [ASSIGN_IDENTITY])].map(code).join(', ')}.`];
  const writes = [...held].filter((a) => /\/write$|\/delete$/.test(a));
  lines.push(writes.length === 0 ? 'Writes and deletes nothing: no `*/write` or `*/delete` operation.' : `Writes only ${writes.map(code).join(', ')}, at the scopes below and nowhere else.`);
  lines.push(role.definition.DataActions.some((a) => /keyvault/i.test(a)) ? 'Holds a Key Vault data action.' : 'Reads no Key Vault secret, key or certificate (no Key Vault data action), and no account key or credential (no list-keys operation).');
  lines.push('Assignable only at the target\'s resource group: it cannot be assigned over anything else in the subscription.');
  if (held.has(ASSIGN_IDENTITY.toLowerCase())) {
    lines.push(
      `Holds ${code(ASSIGN_IDENTITY)} (the Azure twin of iam:PassRole), together with ${COMPUTE_WRITES.filter((w) => w.startsWith('Microsoft.ContainerInstance')).map(code).join(', ')} through another of the updater's roles: acknowledged (AZURE-IAM-3). Both only at the runners' own identities and groups; no person holds them.`,
    );
  }
  return lines;
}

export function renderAzurePolicyReadme(targets: readonly AuditedAzureTarget[], banner: string): string {
  if (targets.length === 0) return '';
  const lines = [
    '# Azure roles of the private-runner-kit, for auditors',
    '',
    `> ${banner}`,
    '',
    "Every custom role the kit defines on Azure and every role it assigns: who holds it, every operation it may perform and why, at which scopes, and what it cannot do. Generated from the same declarations the deployed stacks are synthesized from (`constructs/azure/*.ts`, `PermissionTemplate` constants), for each example configuration in `examples/`.",
    '',
    '## How to read the files',
    '',
    "- `azure/<target>/<role>-role.json`: a custom role definition in Azure's JSON form (`az role definition create --role-definition <file>` takes it unchanged). `AssignableScopes` is the target's resource group, and only it.",
    '- `azure/<target>/<role>-assignments.json`: where the role is assigned and to whom. A role applies its operations at every scope it is assigned at, so the assignments are part of what it grants: each is at the narrowest scope (one container group, one identity, the registry, one queue).',
    "- `azure/<target>/built-in-role-assignments.json`: the built-in roles the kit assigns (a runner's AcrPull on the registry and Key Vault Secrets User on its own two secrets; the updater's data roles on its own storage and telemetry; the deploying identity's rights to write the secrets and upload the updater's package).",
    "- Values Azure assigns at creation are placeholders, never guessed: `<principal-id-of:<identity name>>` is that managed identity's principal id, `<object-id-of:the identity running cdktf deploy>` the deploying user's or pipeline's object id.",
    '- Verified by tests (`test/policies/azure-roles.test.ts`): every operation exists in the offline catalog (`data/catalogs/azure-operations.txt`) and sits on its plane (Actions vs DataActions); no wildcard; no operator role holds a Key Vault secret data action, a `Microsoft.Authorization/*` write, any `*/write` or `*/delete`, or an operation of the escalation list; the updater\'s writes are assigned only at the runners\' own resources; these files match what the code generates.',
    '',
    '## Who may ask the updater for a run, and what it accepts from each',
    '',
    'The updater (`updater/entry/azure-function.ts`) has no HTTP endpoint. How it was triggered decides the invoker; the payload names the action, and each invoker may request only its own (`ACTIONS_BY_INVOKER` in `updater/core/payload.ts`); anything else is rejected before anything is read or changed.',
    '',
    '| Invoker | How | Who may | Actions accepted |',
    '|---|---|---|---|',
    "| the deploy | the bootstrap deployment script (`<target>-bootstrap`), run by Azure as the updater's identity at the first deploy | whoever runs `cdktf deploy` | promotes each runner's configured release (nothing else runs) |",
    '| the schedule | the function\'s timer (every 5 minutes; `updates.schedule` in `updates.timeZone` gates the run) | no principal: the function\'s own timer | `scheduled` |',
    "| on demand | a message in the updater's request queue (`updater-requests`) | the operator application (`operator-invoke` role, at that queue only); the customer's administrators | `check`, `update`, `rollback` |",
    '',
    'An operator cannot start a bootstrap or a scheduled run, and the schedule can neither roll back nor move to a requested version. `runner-kit update` runs the same updater from an administrator\'s machine with their own Azure credentials.',
    '',
  ];
  for (const t of targets) {
    lines.push(`## Target \`${t.target}\``, '', `From \`${t.source}\`, subscription \`${t.subscriptionId}\`, resource group \`${t.resourceGroupId}\`. Files: [${t.dir}/](${t.dir}/) ([GENERATED.md](${t.dir}/GENERATED.md) lists them).`, '');
    lines.push('| Role | Held by | Assigned at | Operations | Escalation held |', '|---|---|---|---|---|');
    for (const r of t.roles) {
      const ops = r.definition.Actions.length + r.definition.DataActions.length;
      const escalation = [...r.definition.Actions].some((a) => a.toLowerCase() === ASSIGN_IDENTITY.toLowerCase()) ? 'identity assign + container group write (acknowledged, see below)' : 'none';
      lines.push(`| ${code(r.name)} | ${r.heldBy === 'people' ? 'people (meshcloud operators)' : "the updater's identity"} | ${r.assignments.map((a) => a.scopeLabel || a.scope).join('; ') || '(nothing: no runner deployed)'} | ${ops} | ${escalation} |`);
    }
    lines.push('');
    for (const r of t.roles) {
      lines.push(`### ${code(r.name)}`, '');
      lines.push(`Held by **${r.heldBy === 'people' ? 'people** (meshcloud operators, through their application\'s service principal)' : "a kit identity** (the updater's user-assigned identity; no person can use it)"}. Files: [${r.definitionFile}](${t.dir}/${r.definitionFile}), [${r.assignmentsFile}](${t.dir}/${r.assignmentsFile}). Role definition id: \`${r.roleDefinitionGuid}\`.`, '');
      lines.push('**Assigned at**', '');
      if (r.assignments.length === 0) lines.push('- nowhere yet (no runner of this target has a container group).');
      for (const a of r.assignments) lines.push(`- ${a.scopeLabel ? `${a.scopeLabel}: ` : ''}${code(a.scope)}, to ${a.principal ? `${a.principal} ` : ''}(${code(a.principalId)})`);
      lines.push('', '**May do**', '', '| Sid | Operations | Plane | Why |', '|---|---|---|---|');
      for (const s of r.statements) lines.push(`| ${s.sid} | ${s.actions.map(code).join('<br>')} | ${s.plane} | ${cell(s.justification)} |`);
      lines.push('', '**Cannot do**', '', ...cannotDo(r).map((l) => `- ${l}`), '');
    }
    lines.push('### Built-in role assignments', '', '| Role | Scope | Principal | Why |', '|---|---|---|---|');
    for (const b of t.builtIns) lines.push(`| ${b.role} | ${code(b.scope)} | ${code(b.principal)} | ${cell(b.why)} |`);
    lines.push('');
  }
  return lines.join('\n');
}
