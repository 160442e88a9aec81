/**
 * The Azure roles of every example target, verified offline against the operation catalog
 * (data/catalogs/azure-operations.txt): every operation exists and sits on its plane; no operator
 * role holds a Key Vault secret data action, a Microsoft.Authorization write, any write or delete,
 * or anything of the Azure escalation list (security reference); the updater's writes are assigned
 * only at the runners' own resources; and every role is assignable only at the target's resource
 * group.
 */
import { ESCALATING_OPERATIONS, ASSIGN_IDENTITY } from '../../constructs/azure/rules/role-no-escalation';
import type { AuditedAzureTarget } from '../../constructs/azure/permissions/policy-documents';
import { exampleTargets } from '../../scripts/generate-policies';
import { azureOperations } from '../support/catalogs';

describe('Azure roles of the examples, against the operation catalog', () => {
  let targets: AuditedAzureTarget[];
  let catalog: Map<string, 'control' | 'data'>;
  beforeAll(() => {
    targets = exampleTargets().filter((t) => t.cloud === 'azure').map((t) => t.audited as AuditedAzureTarget);
    catalog = azureOperations();
  }, 120_000);

  const roles = () => targets.flatMap((t) => t.roles.map((r) => ({ t, r })));

  it('documents at least one Azure target with operator and updater roles', () => {
    expect(targets.length).toBeGreaterThan(0);
    expect(roles().map(({ r }) => r.kind).sort()).toEqual(expect.arrayContaining(['operator', 'operator-invoke', 'updater-runner', 'updater-identity', 'updater-network', 'updater-registry', 'updater-logs']));
  });

  it('every operation exists in the catalog and sits on its plane (Actions vs DataActions)', () => {
    const problems: string[] = [];
    for (const { r } of roles()) {
      for (const [ops, plane] of [[r.definition.Actions, 'control'], [r.definition.DataActions, 'data']] as const) {
        for (const op of ops) {
          const known = catalog.get(op.toLowerCase());
          if (known === undefined) problems.push(`${r.name}: ${op} is not an Azure operation`);
          else if (known !== plane) problems.push(`${r.name}: ${op} is a ${known}-plane operation, listed as ${plane}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the catalog check can fail: an unknown operation and a plane mix-up are found', () => {
    expect(catalog.get('microsoft.containerinstance/containergroups/restartall/action')).toBeUndefined();
    expect(catalog.get('microsoft.storage/storageaccounts/queueservices/queues/messages/add/action')).toBe('data');
  });

  it('no operator role holds a Key Vault secret data action, a Microsoft.Authorization write, any write or delete, or an escalation operation', () => {
    const problems: string[] = [];
    for (const { r } of roles().filter(({ r }) => r.heldBy === 'people')) {
      const all = [...r.definition.Actions, ...r.definition.DataActions];
      for (const op of all) {
        const lower = op.toLowerCase();
        if (/^microsoft\.keyvault\/vaults\/(secrets|keys|certificates)\//.test(lower)) problems.push(`${r.name}: ${op} touches Key Vault data`);
        if (lower.startsWith('microsoft.authorization/') && !lower.endsWith('/read')) problems.push(`${r.name}: ${op} writes authorization`);
        if (/\/(write|delete)$/.test(lower)) problems.push(`${r.name}: ${op} writes or deletes`);
        if ([...ESCALATING_OPERATIONS, ASSIGN_IDENTITY].some((e) => e.toLowerCase() === lower)) problems.push(`${r.name}: ${op} is an escalation path`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("the updater's writes and identity assignments are assigned only at the runners' own container groups and identities", () => {
    for (const { t, r } of roles().filter(({ r }) => r.heldBy === 'service')) {
      const writes = r.definition.Actions.filter((a) => /\/write$|assign\/action$/.test(a));
      if (writes.length === 0) continue;
      for (const a of r.assignments) {
        expect(a.scope.startsWith(`${t.resourceGroupId}/providers/`)).toBe(true);
        expect(a.scope).toMatch(new RegExp(`/providers/Microsoft\\.(ContainerInstance/containerGroups|ManagedIdentity/userAssignedIdentities)/${t.target}-[a-z0-9]+(-runner)?$`));
      }
    }
  });

  it('every role is assignable only at the target\'s resource group, and lists no wildcard', () => {
    for (const { t, r } of roles()) {
      expect(r.definition.AssignableScopes).toEqual([t.resourceGroupId]);
      expect([...r.definition.Actions, ...r.definition.DataActions].filter((a) => a.includes('*'))).toEqual([]);
      expect(r.definition.NotActions).toEqual([]);
    }
  });

  it('the operator invoke role is assigned at the request queue only, the read role at the resource group', () => {
    for (const t of targets) {
      const invoke = t.roles.find((r) => r.kind === 'operator-invoke')!;
      expect(invoke.assignments.map((a) => a.scope)).toEqual([expect.stringMatching(/\/queueServices\/default\/queues\/updater-requests$/)]);
      expect(t.roles.find((r) => r.kind === 'operator')!.assignments.map((a) => a.scope)).toEqual([t.resourceGroupId]);
    }
  });

  it('built-in roles: a runner reads only its own two secrets; nothing else reads secrets', () => {
    for (const t of targets) {
      const secretReaders = t.builtIns.filter((b) => b.role === 'Key Vault Secrets User');
      expect(secretReaders.length).toBeGreaterThan(0);
      for (const b of secretReaders) expect(b.scope).toMatch(/\/secrets\/[a-z0-9]+-(api-client-secret|private-key)$/);
      expect(t.builtIns.filter((b) => /Key Vault/.test(b.role) && b.role !== 'Key Vault Secrets User').map((b) => [b.role, b.principal])).toEqual([['Key Vault Secrets Officer', '<object-id-of:the identity running cdktf deploy>']]);
    }
  });
});
