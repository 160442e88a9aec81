import { gcpCustomRole } from '../../../../constructs/gcp/permissions/custom-role';
import type { Permission } from '../../../../constructs/core/permissions/permission';
import { gcpPermissions } from '../../../support/catalogs';

const PROJECT = 'projects/acme-runners';

/** Fixture: what a GCP operator role of the kit will hold (read-only diagnostics, run the updater job). */
const OPERATOR: Permission[] = [
  { sid: 'ReadWorkerPools', actions: ['run.workerpools.get', 'run.workerpools.list'], resources: [PROJECT], justification: "Shows the runner worker pools' state and revisions." },
  { sid: 'ReadLogs', actions: ['logging.logEntries.list', 'logging.logs.list'], resources: [PROJECT], justification: "Reads the runners' and the updater's log entries." },
  { sid: 'ReadMetricsAndAlerts', actions: ['monitoring.timeSeries.list', 'monitoring.metricDescriptors.list', 'monitoring.alertPolicies.get', 'monitoring.alertPolicies.list'], resources: [PROJECT], justification: "Reads the runners' metrics and the kit's alert policies." },
  { sid: 'RunUpdater', actions: ['run.jobs.get', 'run.jobs.run', 'run.executions.get'], resources: [PROJECT], justification: 'Runs the updater job on demand and follows its execution.' },
];

/** security-rules.md: GCP operator escalation paths (any *.setIamPolicy too). */
const GCP_OPERATOR_ESCALATIONS = [
  'iam.serviceAccounts.actAs', 'iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.getOpenIdToken', 'iam.serviceAccounts.signBlob',
  'iam.serviceAccounts.signJwt', 'iam.serviceAccounts.implicitDelegation', 'iam.serviceAccountKeys.create', 'iam.roles.update',
];

describe('gcpCustomRole', () => {
  it('renders includedPermissions sorted and unique, stage GA, and returns the binding scope', () => {
    const { role, bindingScopes } = gcpCustomRole({ roleId: 'privateRunnerKitOperator', title: 'private-runner-kit operator', description: 'fixture' }, [...OPERATOR, { ...OPERATOR[0]!, sid: 'Again' }]);
    expect(role.stage).toBe('GA');
    expect(role.roleId).toBe('privateRunnerKitOperator');
    expect(role.includedPermissions).toEqual([...new Set(OPERATOR.flatMap((p) => p.actions))].sort());
    expect(bindingScopes).toEqual([PROJECT]);
  });

  it('the operator fixture holds none of the GCP escalation paths and no setIamPolicy', () => {
    const { role } = gcpCustomRole({ roleId: 'op_fixture', title: 't', description: 'd' }, OPERATOR);
    expect(role.includedPermissions.filter((p) => GCP_OPERATOR_ESCALATIONS.includes(p) || p.endsWith('.setIamPolicy'))).toEqual([]);
  });

  it.each<[string, Partial<Permission>, RegExp]>([
    ['a name is not service.resource.verb', { actions: ['run.get'] }, /is not a GCP permission name/],
    ['a name has a wildcard', { actions: ['run.workerpools.*'] }, /wildcard action|is not a GCP permission name/],
    ['there is a condition', { conditions: [{ test: 'StringEquals', variable: 'k', values: ['v'] }] }, /IAM condition on the binding/],
    ['it denies', { effect: 'Deny' }, /deny policy/],
    ['it claims a data plane', { plane: 'data' }, /no data-plane distinction/],
  ])('fails when %s', (_name, patch, message) => {
    expect(() => gcpCustomRole({ roleId: 'role_x', title: 't', description: 'd' }, [{ ...OPERATOR[0]!, ...patch }])).toThrow(message);
  });

  it('fails when permissions name different resources, or the role id is invalid', () => {
    expect(() => gcpCustomRole({ roleId: 'role_x', title: 't', description: 'd' }, [OPERATOR[0]!, { ...OPERATOR[1]!, resources: ['projects/other'] }])).toThrow(/split into one role per resource set/);
    expect(() => gcpCustomRole({ roleId: 'x', title: 't', description: 'd' }, OPERATOR)).toThrow(/roleId "x" must be 3-64 characters/);
  });
});

describe('GCP fixtures against the permission catalog (data/catalogs/gcp-permissions.txt)', () => {
  const catalog = gcpPermissions();
  it('every operator permission exists', () => {
    const { role } = gcpCustomRole({ roleId: 'op_fixture', title: 't', description: 'd' }, OPERATOR);
    expect(role.includedPermissions.filter((p) => !catalog.has(p))).toEqual([]);
  });

  it('the escalation paths of security-rules.md are real permission names', () => {
    expect(GCP_OPERATOR_ESCALATIONS.filter((p) => !catalog.has(p))).toEqual([]);
  });
});
