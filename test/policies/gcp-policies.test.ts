/**
 * The GCP IAM of the example target (`examples/gcp-cloudrun.yaml`), as the auditors' documents show
 * it (`policies/gcp/`, generated from the synthesized stack), verified against the offline
 * permission catalog (`data/catalogs/gcp-permissions.txt`, every permission of a predefined role):
 * every permission exists; no basic role; token creator and actAs only on single service accounts;
 * the operator account can neither read a secret value nor act as the runner (or anyone), and holds
 * no setIamPolicy; the runner's account reads its two secrets and nothing else.
 */
import * as path from 'node:path';
import { loadConfigFile } from '../../constructs/core/config/load';
import { generateGcpTarget, type AuditedGcpTarget } from '../../constructs/gcp/permissions/policy-documents';
import { ESCALATION_PERMISSIONS } from '../../constructs/gcp/rules/support/iam';
import { gcpPermissions } from '../support/catalogs';
import { REPO_ROOT } from '../support/synth';

const SA_POWERS = ['iam.serviceAccounts.actAs', 'iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.getOpenIdToken', 'iam.serviceAccounts.signBlob', 'iam.serviceAccounts.signJwt', 'iam.serviceAccounts.implicitDelegation'];
/** What the predefined roles the stack binds contain (from their documentation; each is also in the catalog). */
const PREDEFINED: Readonly<Record<string, readonly string[]>> = {
  'roles/secretmanager.secretAccessor': ['secretmanager.versions.access'],
  'roles/cloudkms.cryptoKeyEncrypterDecrypter': ['cloudkms.cryptoKeyVersions.useToDecrypt', 'cloudkms.cryptoKeyVersions.useToEncrypt'],
  'roles/iam.serviceAccountTokenCreator': ['iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.getOpenIdToken', 'iam.serviceAccounts.implicitDelegation', 'iam.serviceAccounts.signBlob', 'iam.serviceAccounts.signJwt'],
};

describe('GCP IAM of examples/gcp-cloudrun.yaml', () => {
  let t: AuditedGcpTarget;
  const catalog = gcpPermissions();
  const permissionsOf = (role: string): readonly string[] => t.roles.find((r) => r.role.name === role)?.role.includedPermissions ?? PREDEFINED[role] ?? [`<unknown role ${role}>`];
  /** Every (resource, role, permissions) a member holds. */
  const holdings = (member: string) => t.bindings.flatMap((b) => b.bindings.filter((x) => x.members.includes(member)).map((x) => ({ resource: b.resource, role: x.role, permissions: permissionsOf(x.role) })));
  beforeAll(() => {
    const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', 'gcp-cloudrun.yaml'));
    if (!loaded.ok) throw new Error('example invalid');
    t = generateGcpTarget(loaded.config, 'cloudrunexample', 'examples/gcp-cloudrun.yaml').audited;
  });

  it('has the roles and bindings (the check cannot pass on nothing)', () => {
    expect(t.roles.length).toBeGreaterThanOrEqual(10);
    expect(t.bindings.length).toBeGreaterThanOrEqual(8);
  });

  it('every permission of every custom role, and of the predefined roles bound, exists in the catalog', () => {
    const all = [...t.roles.flatMap((r) => r.role.includedPermissions), ...Object.values(PREDEFINED).flat()];
    expect(all.filter((p) => !catalog.has(p))).toEqual([]);
    for (const b of t.bindings) for (const x of b.bindings) if (x.role.startsWith('roles/')) expect(Object.keys(PREDEFINED)).toContain(x.role);
  });

  it('no basic role anywhere', () => {
    expect(t.bindings.flatMap((b) => b.bindings.map((x) => x.role)).filter((r) => ['roles/owner', 'roles/editor', 'roles/viewer'].includes(r))).toEqual([]);
  });

  it('token creator and actAs only on single service accounts', () => {
    for (const b of t.bindings) {
      for (const x of b.bindings) {
        if (!permissionsOf(x.role).some((p) => SA_POWERS.includes(p))) continue;
        expect({ role: x.role, resource: b.resource, via: b.via }).toEqual({ role: x.role, resource: expect.stringMatching(/^projects\/acme-runners\/serviceAccounts\/[a-z0-9-]+@acme-runners\.iam\.gserviceaccount\.com$/), via: 'google_service_account_iam_member' });
      }
    }
  });

  it('the operator account cannot read secret values, act as or impersonate any account, change IAM or roles, or write anything but executions', () => {
    const operator = `serviceAccount:${t.operator}`;
    const held = holdings(operator);
    expect(held.length).toBeGreaterThanOrEqual(4);
    const permissions = held.flatMap((h) => h.permissions);
    expect(permissions.filter((p) => p.startsWith('secretmanager.'))).toEqual([]);
    expect(permissions.filter((p) => (ESCALATION_PERMISSIONS as readonly string[]).includes(p) || p.endsWith('.setIamPolicy') || p.startsWith('iam.'))).toEqual([]);
    expect(permissions.filter((p) => /\.(create|update|delete)$/.test(p))).toEqual([]);
    expect(held.filter((h) => h.resource.includes('/serviceAccounts/') || h.resource.includes('/secrets/'))).toEqual([]);
    // Who may become the operator account: the configured principals, through token creator on it alone.
    const onOperator = t.bindings.find((b) => b.resource.endsWith(`/serviceAccounts/${t.operator}`))!;
    expect(onOperator.bindings).toEqual([{ role: 'roles/iam.serviceAccountTokenCreator', members: ['group:runner-operators@meshcloud.io'] }]);
  });

  it("the runner's account reads its own two secrets and holds nothing else; nobody else reads them", () => {
    const runner = 'serviceAccount:cloudrunexample-r-default@acme-runners.iam.gserviceaccount.com';
    expect(holdings(runner).map((h) => `${h.role} on ${h.resource}`).sort()).toEqual([
      'roles/secretmanager.secretAccessor on projects/acme-runners/secrets/cloudrunexample-default-api-client-secret',
      'roles/secretmanager.secretAccessor on projects/acme-runners/secrets/cloudrunexample-default-private-key',
    ]);
    const readers = t.bindings.filter((b) => b.resource.includes('/secrets/')).flatMap((b) => b.bindings.flatMap((x) => x.members));
    expect([...new Set(readers)]).toEqual([runner]);
  });

  it('only the updater may act as the runner, and only on the runner\'s own account', () => {
    const onRunner = t.bindings.find((b) => b.resource.endsWith('/serviceAccounts/cloudrunexample-r-default@acme-runners.iam.gserviceaccount.com'))!;
    expect(onRunner.bindings).toEqual([{ role: 'projects/acme-runners/roles/runnerKit.cloudrunexample.updaterActAsRunner', members: ['serviceAccount:cloudrunexample-updater@acme-runners.iam.gserviceaccount.com'] }]);
    expect(permissionsOf(onRunner.bindings[0]!.role)).toEqual(['iam.serviceAccounts.actAs']);
  });

  it('the schedule starts the job as defined and nothing else', () => {
    expect(holdings('serviceAccount:cloudrunexample-schedule@acme-runners.iam.gserviceaccount.com')).toEqual([
      { resource: 'projects/acme-runners/locations/europe-west3/jobs/cloudrunexample-updater', role: 'projects/acme-runners/roles/runnerKit.cloudrunexample.schedulerStart', permissions: ['run.jobs.run'] },
    ]);
  });

  it('every permission of a kit role is justified', () => {
    for (const r of t.roles) {
      const justified = new Set(r.justifications.flatMap((j) => j.permissions));
      expect({ role: r.role.name, missing: r.role.includedPermissions.filter((p) => !justified.has(p)) }).toEqual({ role: r.role.name, missing: [] });
      for (const j of r.justifications) expect(j.justification.length).toBeGreaterThan(30);
    }
  });
});
