/**
 * The Azure role documents of one example target, for auditors: under `policies/azure/<target>/`,
 * each custom role's definition in Azure's JSON form (what `az role definition create
 * --role-definition` takes), where it is assigned and to whom, every built-in role assignment the
 * kit makes, and a `GENERATED.md` listing the files with their hashes; plus the model
 * `policies/README.md`'s Azure section is rendered from (`auditor-readme.ts`).
 *
 * The documents come from the synthesized stack, so they are exactly what Terraform deploys: role
 * definitions and assignments as synthesized, every Terraform reference replaced by the literal
 * ARM id it has (names are deterministic: `azure-names.ts`), or by a placeholder for values Azure
 * assigns at creation (an identity's principal id). Justifications come from the permission
 * templates declared in the constructs.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Testing } from 'cdktf';
import type { KitConfig } from '../../core/config/schema';
import { POLICIES_DIR, policyBanner } from '../../core/permissions/policy-files';
import { addTargetStacks } from '../../../stacks/targets';
import { CustomRole } from '../custom-role';
import type { AzureTargetConfig } from '../config';
import { resourceGroupOf } from '../config';
import { armIds } from '../azure-names';
import type { AzureRoleDefinition } from './role-definition';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One assignment of a role: where, to whom, as auditors read it. */
export interface AuditedAssignment {
  /** The literal ARM scope. */
  readonly scope: string;
  /** What the scope is, in words. */
  readonly scopeLabel: string;
  /** The principal's object id, or a placeholder for one Azure assigns. */
  readonly principalId: string;
  readonly principal: string;
}

export interface AuditedAzureRole {
  readonly name: string;
  /** File stem: the role's kind (`operator`, `updater-runner`, ...). */
  readonly kind: string;
  readonly definitionFile: string;
  readonly assignmentsFile: string;
  readonly definition: AzureRoleDefinition;
  readonly roleDefinitionGuid: string;
  readonly assignments: readonly AuditedAssignment[];
  /** Justification per statement id, and the operations each statement lists. */
  readonly statements: readonly { readonly sid: string; readonly actions: readonly string[]; readonly plane: 'control' | 'data'; readonly justification: string }[];
  /** Who holds it: people (meshcloud operators) or a kit identity. */
  readonly heldBy: 'people' | 'service';
}

export interface AuditedBuiltInAssignment {
  readonly role: string;
  readonly scope: string;
  readonly scopeLabel: string;
  readonly principal: string;
  readonly why: string;
}

export interface AuditedAzureTarget {
  readonly target: string;
  readonly source: string;
  readonly subscriptionId: string;
  readonly resourceGroupId: string;
  readonly dir: string;
  readonly roles: readonly AuditedAzureRole[];
  readonly builtIns: readonly AuditedBuiltInAssignment[];
  readonly builtInsFile: string;
  /** The synthesized JSON (for verification tests). */
  readonly json: Json;
}

const toFileText = (doc: unknown) => `${JSON.stringify(doc, null, 2)}\n`;

/** The documents of Azure target `target` of `config`. */
export function generateAzureTarget(config: KitConfig, target: string, source: string): { audited: AuditedAzureTarget; files: ReadonlyMap<string, string> } {
  const t = config.targets[target] as AzureTargetConfig | undefined;
  if (t === undefined) throw new Error(`${source}: no target ${target}`);
  if (t.cloud !== 'azure') throw new Error(`${source}: target ${target} is not an Azure target`);
  const app = new App({ outdir: mkdtempSync(path.join(tmpdir(), 'runner-kit-azure-policies-')), stackTraces: false });
  const [stack] = addTargetStacks(app, { targets: { [target]: t } });
  const json = JSON.parse(Testing.synth(stack!)) as Json;
  const sub = t.azure.subscriptionId;
  const rg = resourceGroupOf(target, t);
  const resolve = literalIds(json, sub, rg);
  const dir = `azure/${target}`;
  const files = new Map<string, string>();
  const write = (file: string, doc: unknown) => {
    const key = `${POLICIES_DIR}/${dir}/${file}`;
    if (files.has(key)) throw new Error(`target ${target}: two documents would be written to ${file}`);
    files.set(key, toFileText(doc));
  };

  const definitions = Object.entries<Json>(json.resource?.azurerm_role_definition ?? {});
  const assignments = Object.entries<Json>(json.resource?.azurerm_role_assignment ?? {});
  const roles: AuditedAzureRole[] = [];
  for (const role of CustomRole.allIn(stack!)) {
    const entry = definitions.find(([, d]) => d.name === role.roleName);
    if (!entry) throw new Error(`role ${role.roleName} is not in the synthesized stack`);
    const [address, body] = entry;
    const kind = role.roleName.split(' ')[1]!;
    const synthesized: AzureRoleDefinition = {
      Name: body.name,
      IsCustom: true,
      Description: body.description,
      Actions: body.permissions[0].actions,
      NotActions: body.permissions[0].not_actions,
      DataActions: body.permissions[0].data_actions,
      NotDataActions: body.permissions[0].not_data_actions,
      AssignableScopes: body.assignable_scopes,
    };
    const own = assignments.filter(([, a]) => a.role_definition_id === `\${azurerm_role_definition.${address}.role_definition_resource_id}`);
    const audited: AuditedAssignment[] = own.map(([id, a]) => {
      const spec = role.assignmentSpecs.find((s) => a.description === `${role.roleName} for ${s.principalLabel}` && id.includes(`Assignment-${s.id}`));
      return { scope: resolve(a.scope, `azurerm_role_assignment.${id}.scope`), scopeLabel: spec?.scopeLabel ?? spec?.scope ?? '', principalId: resolve(a.principal_id, `azurerm_role_assignment.${id}.principal_id`), principal: spec?.principalLabel ?? '' };
    });
    const definitionFile = `${kind}-role.json`;
    const assignmentsFile = `${kind}-assignments.json`;
    write(definitionFile, synthesized);
    write(assignmentsFile, audited.map((a) => ({ scope: a.scope, principalId: a.principalId, principalType: 'ServicePrincipal', roleDefinitionName: role.roleName })));
    roles.push({
      name: role.roleName,
      kind,
      definitionFile,
      assignmentsFile,
      definition: synthesized,
      roleDefinitionGuid: role.roleDefinitionGuid,
      assignments: audited,
      statements: role.permissions.map((p) => ({ sid: p.sid, actions: p.actions, plane: p.plane ?? 'control', justification: p.justification })),
      heldBy: kind.startsWith('operator') ? 'people' : 'service',
    });
  }
  const builtIns: AuditedBuiltInAssignment[] = assignments
    .filter(([, a]) => typeof a.role_definition_name === 'string')
    .map(([id, a]) => ({
      role: a.role_definition_name,
      scope: resolve(a.scope, `azurerm_role_assignment.${id}.scope`),
      scopeLabel: '',
      principal: resolve(a.principal_id, `azurerm_role_assignment.${id}.principal_id`),
      why: a.description ?? '',
    }))
    .sort((a, b) => a.role.localeCompare(b.role) || a.scope.localeCompare(b.scope));
  const builtInsFile = 'built-in-role-assignments.json';
  write(builtInsFile, builtIns.map((b) => ({ roleDefinitionName: b.role, scope: b.scope, principalId: b.principal, why: b.why })));
  roles.sort((a, b) => a.kind.localeCompare(b.kind));
  const audited: AuditedAzureTarget = { target, source, subscriptionId: sub, resourceGroupId: armIds.resourceGroup(sub, rg), dir, roles, builtIns, builtInsFile, json };
  files.set(`${POLICIES_DIR}/${dir}/GENERATED.md`, generatedIndex(audited, files));
  return { audited, files };
}

/**
 * A resolver of the synthesized stack's references to the literal ARM id of the resource (names
 * are deterministic), and of principal ids Azure assigns to `<principal-id-of:<identity name>>`.
 * Throws for a reference it cannot resolve, so a new kind of scope cannot slip into the files as
 * Terraform text.
 */
export function literalIds(json: Json, sub: string, rg: string): (value: unknown, where: string) => string {
  const r = json.resource ?? {};
  const body = (type: string, name: string): Json => {
    const b = r[type]?.[name];
    if (!b) throw new Error(`reference to ${type}.${name}, which is not in the stack`);
    return b;
  };
  const literal = (value: unknown, where: string): string => {
    if (typeof value !== 'string') throw new Error(`${where}: expected a string, got ${JSON.stringify(value)}`);
    const m = /^\$\{(data\.)?([a-z_0-9]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/.exec(value);
    if (!m) {
      if (value.includes('${')) throw new Error(`${where}: ${value} has no literal value`);
      return value;
    }
    const [, data, type, name, attribute] = m as unknown as [string, string | undefined, string, string, string];
    if (data && type === 'azurerm_client_config' && attribute === 'object_id') return '<object-id-of:the identity running cdktf deploy>';
    const b = body(type, name);
    const rgId = armIds.resourceGroup(sub, rg);
    const named = (provider: string) => `${rgId}/providers/${provider}/${literal(b.name, `${type}.${name}.name`)}`;
    if (attribute === 'principal_id' && type === 'azurerm_user_assigned_identity') return `<principal-id-of:${literal(b.name, where)}>`;
    if (type === 'azurerm_resource_group' && attribute === 'id') return rgId;
    if (attribute === 'id' || attribute === 'resource_manager_id' || attribute === 'resource_versionless_id') {
      switch (type) {
        case 'azurerm_container_group':
          return named('Microsoft.ContainerInstance/containerGroups');
        case 'azurerm_user_assigned_identity':
          return named('Microsoft.ManagedIdentity/userAssignedIdentities');
        case 'azurerm_container_registry':
          return named('Microsoft.ContainerRegistry/registries');
        case 'azurerm_log_analytics_workspace':
          return named('Microsoft.OperationalInsights/workspaces');
        case 'azurerm_storage_account':
          return named('Microsoft.Storage/storageAccounts');
        case 'azurerm_key_vault':
          return named('Microsoft.KeyVault/vaults');
        case 'azurerm_application_insights':
          return named('Microsoft.Insights/components');
        case 'azurerm_subnet':
          return `${rgId}/providers/Microsoft.Network/virtualNetworks/${literalName(b.virtual_network_name, 'azurerm_virtual_network')}/subnets/${literal(b.name, where)}`;
        case 'azurerm_storage_queue':
          return `${literal(b.storage_account_id, where)}/queueServices/default/queues/${literal(b.name, where)}`;
        case 'azurerm_storage_container':
          return `${literal(b.storage_account_id, where)}/blobServices/default/containers/${literal(b.name, where)}`;
        case 'azurerm_key_vault_secret':
          return `${literal(b.key_vault_id, where)}/secrets/${literal(b.name, where)}`;
      }
    }
    throw new Error(`${where}: no literal value for ${type}.${name}.${attribute}`);
  };
  const literalName = (value: unknown, type: string): string => {
    const m = typeof value === 'string' ? /^\$\{([a-z_0-9]+)\.([A-Za-z0-9_-]+)\.name\}$/.exec(value) : null;
    if (m && m[1] === type) return literal(body(type, m[2]!).name, `${type}.${m[2]}.name`);
    return literal(value, type);
  };
  return literal;
}

function generatedIndex(t: AuditedAzureTarget, files: ReadonlyMap<string, string>): string {
  const rows = [...files.entries()].map(([file, text]) => [path.basename(file), createHash('sha256').update(text).digest('hex')] as const).sort(([a], [b]) => a.localeCompare(b));
  return [
    `# Generated Azure role documents of target \`${t.target}\``,
    '',
    `> ${policyBanner([t.source])}`,
    '',
    `Role definitions in Azure's JSON form (\`az role definition create --role-definition <file>\`), their assignments, and the built-in role assignments the kit makes, for subscription \`${t.subscriptionId}\` (JSON has no comments, so this banner lives here). What each operation is for: [policies/README.md](../../README.md).`,
    '',
    '| file | sha256 |',
    '|---|---|',
    ...rows.map(([f, h]) => `| [${f}](${f}) | \`${h}\` |`),
    '',
  ].join('\n');
}
