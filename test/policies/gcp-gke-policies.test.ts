/**
 * The GCP IAM of the GKE example target (`examples/gcp-gke.yaml`), as the auditors' documents show
 * it (`policies/gcp/gkeexample/`, generated from the cluster stack), verified against the offline
 * permission catalog (`data/catalogs/gcp-permissions.txt`): every permission exists; no basic role;
 * token creator, actAs and Workload Identity only on single service accounts; the operator account
 * reads the cluster (get, connect) and nothing it could change or escalate with; the updater reaches
 * the cluster (get, connect: Kubernetes RBAC decides the rest), never acts as anyone and reads no
 * Cloud Logging (run-controller's log comes through its namespaced Role); the runner
 * identity holds nothing; the nodes hold GKE's node role and pull from the mirror; nobody reads the
 * secret values through IAM (run-controller gets them from the write-only Kubernetes Secret).
 */
import * as path from 'node:path';
import { loadConfigFile } from '../../constructs/core/config/load';
import { generateGcpTarget, type AuditedGcpTarget } from '../../constructs/gcp/permissions/policy-documents';
import { ESCALATION_PERMISSIONS } from '../../constructs/gcp/rules/support/iam';
import { gcpPermissions } from '../support/catalogs';
import { REPO_ROOT } from '../support/synth';

const SA_POWERS = ['iam.serviceAccounts.actAs', 'iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.getOpenIdToken', 'iam.serviceAccounts.signBlob', 'iam.serviceAccounts.signJwt', 'iam.serviceAccounts.implicitDelegation'];
/** What the predefined roles the stack binds contain (from their documentation; each permission is also in the catalog). */
const PREDEFINED: Readonly<Record<string, readonly string[]>> = {
  'roles/cloudkms.cryptoKeyEncrypterDecrypter': ['cloudkms.cryptoKeyVersions.useToDecrypt', 'cloudkms.cryptoKeyVersions.useToEncrypt'],
  'roles/iam.serviceAccountTokenCreator': ['iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.getOpenIdToken', 'iam.serviceAccounts.implicitDelegation', 'iam.serviceAccounts.signBlob', 'iam.serviceAccounts.signJwt'],
  'roles/iam.workloadIdentityUser': ['iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.getOpenIdToken'],
  'roles/artifactregistry.reader': ['artifactregistry.dockerimages.get', 'artifactregistry.dockerimages.list', 'artifactregistry.repositories.downloadArtifacts', 'artifactregistry.repositories.get', 'artifactregistry.repositories.list', 'artifactregistry.tags.get', 'artifactregistry.tags.list', 'artifactregistry.versions.get', 'artifactregistry.versions.list'],
  'roles/container.defaultNodeServiceAccount': ['autoscaling.sites.writeMetrics', 'logging.logEntries.create', 'logging.logEntries.route', 'monitoring.metricDescriptors.create', 'monitoring.metricDescriptors.list', 'monitoring.timeSeries.create', 'monitoring.timeSeries.list', 'resourcemanager.projects.get', 'serviceusage.services.use', 'stackdriver.resourceMetadata.write'],
};
const P = 'acme-runners';
const sa = (id: string) => `serviceAccount:gkeexample-${id}@${P}.iam.gserviceaccount.com`;

describe('GCP IAM of examples/gcp-gke.yaml', () => {
  let t: AuditedGcpTarget;
  const catalog = gcpPermissions();
  const permissionsOf = (role: string): readonly string[] => t.roles.find((r) => r.role.name === role)?.role.includedPermissions ?? PREDEFINED[role] ?? [`<unknown role ${role}>`];
  const holdings = (member: string) => t.bindings.flatMap((b) => b.bindings.filter((x) => x.members.includes(member)).map((x) => ({ resource: b.resource, role: x.role, permissions: permissionsOf(x.role) })));
  beforeAll(() => {
    const loaded = loadConfigFile(path.join(REPO_ROOT, 'examples', 'gcp-gke.yaml'));
    if (!loaded.ok) throw new Error('example invalid');
    t = generateGcpTarget(loaded.config, 'gkeexample', 'examples/gcp-gke.yaml').audited;
  });

  it('has the roles and bindings of the cluster stack (the check cannot pass on nothing)', () => {
    expect(t.roles.map((r) => r.role.name.split('.').pop()).sort()).toEqual(['operatorCluster', 'operatorProject', 'operatorRecords', 'operatorUpdater', 'schedulerStart', 'updaterCluster', 'updaterExecutions', 'updaterMirror', 'updaterRecords']);
    expect(t.bindings.length).toBeGreaterThanOrEqual(7);
  });

  it('every permission of every custom role, and of the predefined roles bound, exists in the catalog; only known predefined roles are bound', () => {
    const all = [...t.roles.flatMap((r) => r.role.includedPermissions), ...Object.values(PREDEFINED).flat()];
    expect(all.filter((p) => !catalog.has(p))).toEqual([]);
    for (const b of t.bindings) for (const x of b.bindings) if (x.role.startsWith('roles/')) expect(Object.keys(PREDEFINED)).toContain(x.role);
  });

  it('no basic role anywhere', () => {
    expect(t.bindings.flatMap((b) => b.bindings.map((x) => x.role)).filter((r) => ['roles/owner', 'roles/editor', 'roles/viewer'].includes(r))).toEqual([]);
  });

  it('token creator, actAs and Workload Identity only on single service accounts', () => {
    for (const b of t.bindings) {
      for (const x of b.bindings) {
        if (!permissionsOf(x.role).some((p) => SA_POWERS.includes(p))) continue;
        expect({ role: x.role, resource: b.resource, via: b.via }).toEqual({ role: x.role, resource: expect.stringMatching(/^projects\/acme-runners\/serviceAccounts\/[a-z0-9-]+@acme-runners\.iam\.gserviceaccount\.com$/), via: 'google_service_account_iam_member' });
      }
    }
  });

  it('the operator account reads the cluster (get, connect), logs, records and starts the updater: no secret, no escalation, no IAM, no writes', () => {
    const held = holdings(sa('operator'));
    const permissions = held.flatMap((h) => h.permissions);
    expect(permissions).toEqual(expect.arrayContaining(['container.clusters.get', 'container.clusters.connect']));
    expect(permissions.filter((p) => p.startsWith('secretmanager.'))).toEqual([]);
    expect(permissions.filter((p) => (ESCALATION_PERMISSIONS as readonly string[]).includes(p) || p.endsWith('.setIamPolicy') || p.startsWith('iam.'))).toEqual([]);
    expect(permissions.filter((p) => /\.(create|update|delete|getCredentials|impersonate)$/.test(p))).toEqual([]);
    expect(permissions.filter((p) => p.startsWith('container.') && !['container.clusters.get', 'container.clusters.connect'].includes(p))).toEqual([]);
    const onOperator = t.bindings.find((b) => b.resource.endsWith(`/serviceAccounts/gkeexample-operator@${P}.iam.gserviceaccount.com`))!;
    expect(onOperator.bindings).toEqual([{ role: 'roles/iam.serviceAccountTokenCreator', members: ['group:runner-operators@meshcloud.io'] }]);
  });

  it('the updater reaches the cluster (get, connect) and promotes into the mirror; it acts as nobody, reads no secret and no Cloud Logging', () => {
    const permissions = holdings(sa('updater')).flatMap((h) => h.permissions);
    expect(permissions).toEqual(expect.arrayContaining(['container.clusters.get', 'container.clusters.connect', 'artifactregistry.repositories.uploadArtifacts']));
    expect(permissions.filter((p) => p.startsWith('iam.') || p.startsWith('secretmanager.') || p.startsWith('run.workerpools.') || p.startsWith('logging.'))).toEqual([]);
    expect(permissions.filter((p) => p.startsWith('container.') && !['container.clusters.get', 'container.clusters.connect'].includes(p))).toEqual([]);
  });

  it("the runner identity holds nothing; only run-controller's Kubernetes ServiceAccount may act as it", () => {
    expect(holdings(sa('r-default'))).toEqual([]);
    const onRunner = t.bindings.find((b) => b.resource.endsWith(`/serviceAccounts/gkeexample-r-default@${P}.iam.gserviceaccount.com`))!;
    expect(onRunner.bindings).toEqual([{ role: 'roles/iam.workloadIdentityUser', members: [`serviceAccount:${P}.svc.id.goog[meshstack-runner/run-controller-default]`] }]);
  });

  it("the nodes hold GKE's node role on the project and read the mirror, nothing else", () => {
    expect(holdings(sa('nodes')).map((h) => `${h.role} on ${h.resource}`).sort()).toEqual([
      `roles/artifactregistry.reader on projects/${P}/locations/europe-west3/repositories/gkeexample`,
      `roles/container.defaultNodeServiceAccount on projects/${P}`,
    ]);
  });

  it('nobody reads a secret value through IAM (run-controller gets them from its write-only Kubernetes Secret)', () => {
    expect(t.bindings.filter((b) => b.resource.includes('/secrets/'))).toEqual([]);
  });

  it('every permission of a kit role is justified', () => {
    for (const r of t.roles) {
      const justified = new Set(r.justifications.flatMap((j) => j.permissions));
      expect({ role: r.role.name, missing: r.role.includedPermissions.filter((p) => !justified.has(p)) }).toEqual({ role: r.role.name, missing: [] });
      for (const j of r.justifications) expect(j.justification.length).toBeGreaterThan(30);
    }
  });
});
