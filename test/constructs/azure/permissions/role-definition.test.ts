import { azureRoleDefinition } from '../../../../constructs/azure/permissions/role-definition';
import type { Permission } from '../../../../constructs/core/permissions/permission';
import { azureOperations } from '../../../support/catalogs';

const RG = '/subscriptions/3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f/resourceGroups/rg-private-runner-kit';

/** Fixture: what an Azure operator role of the kit will hold (read-only diagnostics, run the updater). */
const OPERATOR: Permission[] = [
  {
    sid: 'ReadRunnerContainerGroups',
    actions: ['Microsoft.ContainerInstance/containerGroups/read', 'Microsoft.ContainerInstance/containerGroups/containers/logs/read'],
    resources: [RG],
    justification: "Shows the runner container groups' state, events and output.",
  },
  {
    sid: 'ReadMetricsAndAlerts',
    actions: ['Microsoft.Insights/Metrics/Read', 'Microsoft.Insights/MetricDefinitions/Read', 'Microsoft.Insights/MetricAlerts/Read'],
    resources: [RG],
    justification: "Reads the runners' metrics and the kit's alert rules.",
  },
  { sid: 'QueryRunnerLogs', actions: ['Microsoft.OperationalInsights/workspaces/query/read'], resources: [RG], justification: "Queries the kit's Log Analytics workspace." },
  { sid: 'RunUpdater', actions: ['microsoft.web/sites/functions/read', 'Microsoft.Web/sites/host/properties/read'], resources: [RG], justification: 'Finds the updater function to trigger it on demand.' },
];

/** Fixture: the runner identity reads its secrets from Key Vault (data plane) and pulls from the mirror. */
const RUNNER: Permission[] = [
  { sid: 'ReadRunnerSecrets', plane: 'data', actions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action'], resources: [RG], justification: "Reads the runner's API client secret and private key at start." },
  { sid: 'PullFromMirror', actions: ['Microsoft.ContainerRegistry/registries/pull/read'], resources: [RG], justification: "Pulls the runner image from the kit's registry mirror." },
];

/** security-rules.md: Azure operator escalation paths to keep away from operators. */
const AZURE_OPERATOR_ESCALATIONS = [
  'Microsoft.Authorization/roleAssignments/write',
  'Microsoft.ManagedIdentity/userAssignedIdentities/assign/action',
  'Microsoft.KeyVault/vaults/write',
  'Microsoft.ContainerInstance/containerGroups/containers/exec/action',
  'Microsoft.ContainerService/managedClusters/listClusterAdminCredential/action',
];

describe('azureRoleDefinition', () => {
  it('renders the az CLI form: control-plane Actions, data-plane DataActions, the scope as AssignableScopes', () => {
    expect(azureRoleDefinition({ name: 'private-runner-kit runner (fixture)', description: 'fixture' }, RUNNER)).toEqual({
      Name: 'private-runner-kit runner (fixture)',
      IsCustom: true,
      Description: 'fixture',
      Actions: ['Microsoft.ContainerRegistry/registries/pull/read'],
      NotActions: [],
      DataActions: ['Microsoft.KeyVault/vaults/secrets/getSecret/action'],
      NotDataActions: [],
      AssignableScopes: [RG],
    });
  });

  it('keeps the declared order and drops duplicates (deterministic output)', () => {
    const role = azureRoleDefinition({ name: 'op', description: 'd' }, [...OPERATOR, { ...OPERATOR[0]!, sid: 'Again' }]);
    expect(role.Actions).toEqual(OPERATOR.flatMap((p) => p.actions));
    expect(role.DataActions).toEqual([]);
  });

  it('the operator fixture holds none of the Azure operator escalation paths', () => {
    const role = azureRoleDefinition({ name: 'op', description: 'd' }, OPERATOR);
    const held = [...role.Actions, ...role.DataActions].map((a) => a.toLowerCase());
    expect(AZURE_OPERATOR_ESCALATIONS.filter((e) => held.includes(e.toLowerCase()))).toEqual([]);
  });

  it.each<[string, Permission[], RegExp]>([
    ['an operation is a wildcard (CKV_AZURE_39)', [{ ...RUNNER[1]!, actions: ['Microsoft.ContainerRegistry/*'] }], /wildcard action "Microsoft.ContainerRegistry\/\*"/],
    ['the action is not an Azure operation name', [{ ...RUNNER[1]!, actions: ['ecr:BatchGetImage'] }], /is not an Azure operation name/],
    ['a permission has a condition', [{ ...RUNNER[1]!, conditions: [{ test: 'StringEquals', variable: 'k', values: ['v'] }] }], /ABAC condition on the role assignment/],
    ['a permission denies', [{ ...RUNNER[1]!, effect: 'Deny' }], /Deny cannot be expressed/],
    ['the scope is a single resource', [{ ...RUNNER[1]!, resources: [`${RG}/providers/Microsoft.ContainerRegistry/registries/acr1`] }], /cannot be an assignable scope/],
    ['permissions have different scopes', [RUNNER[0]!, { ...RUNNER[1]!, resources: ['/subscriptions/3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f'] }], /split into one role per scope set/],
    ['there is no permission', [], /has no permissions/],
  ])('fails when %s', (_name, permissions, message) => {
    expect(() => azureRoleDefinition({ name: 'x', description: 'd' }, permissions)).toThrow(message);
  });
});

describe('Azure fixtures against the operation catalog (data/catalogs/azure-operations.txt)', () => {
  const catalog = azureOperations();
  it.each([
    ['operator', OPERATOR],
    ['runner', RUNNER],
  ])('every %s operation exists, in the plane it is declared in', (_name, permissions) => {
    const role = azureRoleDefinition({ name: 'x', description: 'd' }, permissions);
    const wrong = [
      ...role.Actions.filter((a) => catalog.get(a.toLowerCase()) !== 'control').map((a) => `${a}: ${catalog.get(a.toLowerCase()) ?? 'missing'} (declared control)`),
      ...role.DataActions.filter((a) => catalog.get(a.toLowerCase()) !== 'data').map((a) => `${a}: ${catalog.get(a.toLowerCase()) ?? 'missing'} (declared data)`),
    ];
    expect(wrong).toEqual([]);
  });

  it('the escalation paths of security-rules.md are real operation names (so the check above means something)', () => {
    expect(AZURE_OPERATOR_ESCALATIONS.filter((e) => !catalog.has(e.toLowerCase()))).toEqual([]);
  });
});
