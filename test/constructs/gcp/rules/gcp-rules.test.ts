/**
 * Every GCP rule against its fixtures: small synthesized-JSON fragments, judged as pure functions
 * (no synthesis). Each rule has at least one compliant and one non-compliant fixture.
 */
import { GCP_RULES } from '../../../../constructs/gcp/rules';
import { evaluateRules } from '../../../../constructs/core/rules/evaluate';
import { SynthesizedConfig } from '../../../../constructs/core/rules/synthesized-config';
import { requiredChecksSection } from '../../../support/catalogs';
import { resources, type RuleFixtures } from '../../aws/rules/fixtures/fixture';

const SA = 'runner@acme.iam.gserviceaccount.com';
const pool = (template: object) => resources({ google_cloud_run_v2_worker_pool: { p: { name: 'p', location: 'europe-west3', template } } });
const job = (template: object) => resources({ google_cloud_run_v2_job: { j: { name: 'j', location: 'europe-west3', template: { template } } } });
const vpc = { vpc_access: { egress: 'ALL_TRAFFIC', network_interfaces: [{ network: 'n', subnetwork: 's', tags: ['t-runner'] }] } };
const member = (type: string, role: string, m: string, extra: object = {}) => resources({ [type]: { b: { role, member: m, ...extra } } });
const customRole = (id: string, permissions: string[]) => ({ google_project_iam_custom_role: { r: { role_id: id, title: 't', permissions } } });
const bindCustom = (type: string, extra: object = {}) => ({ [type]: { b: { role: '${google_project_iam_custom_role.r.name}', member: `serviceAccount:${SA}`, ...extra } } });
const firewall = (body: object) => resources({ google_compute_firewall: { f: { name: 'f', network: 'n', ...body } } });

/** A GKE cluster as GkeCluster synthesizes it, with `patch` applied. */
const GOOD_CLUSTER = {
  name: 'c',
  location: 'europe-west3',
  enable_autopilot: true,
  deletion_protection: true,
  datapath_provider: 'ADVANCED_DATAPATH',
  private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true },
  control_plane_endpoints_config: { dns_endpoint_config: { allow_external_traffic: true }, ip_endpoints_config: { enabled: true } },
  master_authorized_networks_config: { cidr_blocks: [{ cidr_block: '10.42.0.0/22' }], gcp_public_cidrs_access_enabled: false, private_endpoint_enforcement_enabled: true },
  binary_authorization: { evaluation_mode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
  workload_identity_config: { workload_pool: 'acme.svc.id.goog' },
  database_encryption: { state: 'ENCRYPTED', key_name: '${google_kms_crypto_key.k.id}' },
  release_channel: { channel: 'REGULAR' },
  maintenance_policy: { daily_maintenance_window: { start_time: '03:00' } },
  cluster_autoscaling: { auto_provisioning_defaults: { service_account: '${google_service_account.nodes.email}' } },
};
const cluster = (patch: (c: Record<string, unknown>) => void = () => undefined) => {
  const c: Record<string, unknown> = JSON.parse(JSON.stringify(GOOD_CLUSTER));
  patch(c);
  return resources({ google_container_cluster: { c } });
};
const CLUSTER = 'google_container_cluster.c';

const FIXTURES: Readonly<Record<string, RuleFixtures>> = {
  'GCP-GKE-1': {
    compliant: [{ name: 'private nodes', json: cluster() }],
    nonCompliant: [
      { name: 'no private_cluster_config', json: cluster((c) => delete c.private_cluster_config), findings: [CLUSTER] },
      { name: 'public nodes', json: cluster((c) => (c.private_cluster_config = { enable_private_nodes: false })), findings: [CLUSTER] },
    ],
  },
  'GCP-GKE-2': {
    compliant: [
      { name: 'private endpoint, subnet authorized', json: cluster() },
      { name: 'public endpoint for one network', json: cluster((c) => ((c.private_cluster_config = { enable_private_nodes: true, enable_private_endpoint: false }), (c.master_authorized_networks_config = { cidr_blocks: [{ cidr_block: '203.0.113.0/24' }] }))) },
    ],
    nonCompliant: [
      { name: 'no authorized networks', json: cluster((c) => delete c.master_authorized_networks_config), findings: ['AuthorizedNetworks'] },
      { name: 'the whole internet', json: cluster((c) => (c.master_authorized_networks_config = { cidr_blocks: [{ cidr_block: '0.0.0.0/0' }] })), findings: ['Cidr::0.0.0.0/0'] },
      { name: 'every Google Cloud address', json: cluster((c) => (c.master_authorized_networks_config = { cidr_blocks: [], gcp_public_cidrs_access_enabled: true })), findings: ['GooglePublicCidrs'] },
      { name: 'public endpoint without networks', json: cluster((c) => ((c.private_cluster_config = { enable_private_nodes: true }), (c.master_authorized_networks_config = {}))), findings: ['PublicEndpoint'] },
    ],
  },
  'GCP-GKE-3': {
    compliant: [{ name: 'workload pool', json: cluster() }],
    nonCompliant: [
      { name: 'no workload identity', json: cluster((c) => delete c.workload_identity_config), findings: [CLUSTER] },
      { name: 'node metadata exposed', json: cluster((c) => (c.node_config = { workload_metadata_config: { mode: 'GCE_METADATA' } })), findings: [CLUSTER] },
    ],
  },
  'GCP-GKE-4': {
    compliant: [
      { name: 'Autopilot', json: cluster() },
      { name: 'Standard with shielded nodes', json: cluster((c) => ((c.enable_autopilot = false), (c.node_config = { shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true } }))) },
    ],
    nonCompliant: [
      { name: 'Standard, shielded nodes off, no secure boot', json: cluster((c) => ((c.enable_autopilot = false), (c.enable_shielded_nodes = false))), findings: ['ShieldedNodes', 'SecureBoot'] },
      { name: 'Standard, integrity monitoring off', json: cluster((c) => ((c.enable_autopilot = false), (c.node_config = { shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: false } }))), findings: ['IntegrityMonitoring'] },
    ],
  },
  'GCP-GKE-5': {
    compliant: [{ name: 'project policy enforced', json: cluster() }],
    nonCompliant: [
      { name: 'no binary authorization', json: cluster((c) => delete c.binary_authorization), findings: [CLUSTER] },
      { name: 'disabled', json: cluster((c) => (c.binary_authorization = { evaluation_mode: 'DISABLED' })), findings: [CLUSTER] },
    ],
  },
  'GCP-GKE-6': {
    compliant: [
      { name: 'Dataplane V2', json: cluster() },
      { name: 'network policy add-on', json: cluster((c) => ((c.enable_autopilot = false), delete c.datapath_provider, (c.network_policy = { enabled: true }))) },
    ],
    nonCompliant: [{ name: 'legacy dataplane without policy', json: cluster((c) => ((c.enable_autopilot = false), (c.datapath_provider = 'LEGACY_DATAPATH'))), findings: [CLUSTER] }],
  },
  'GCP-GKE-7': {
    compliant: [{ name: 'CMEK', json: cluster() }],
    nonCompliant: [
      { name: 'no database encryption', json: cluster((c) => delete c.database_encryption), findings: [CLUSTER] },
      { name: 'decrypted', json: cluster((c) => (c.database_encryption = { state: 'DECRYPTED' })), findings: [CLUSTER] },
    ],
  },
  'GCP-GKE-8': {
    compliant: [{ name: 'channel, window, protection', json: cluster() }],
    nonCompliant: [
      { name: 'nothing', json: cluster((c) => (delete c.release_channel, delete c.maintenance_policy, (c.deletion_protection = false))), findings: ['ReleaseChannel', 'MaintenanceWindow', 'DeletionProtection'] },
      { name: 'unspecified channel', json: cluster((c) => (c.release_channel = { channel: 'UNSPECIFIED' })), findings: ['ReleaseChannel'] },
    ],
  },
  'GCP-GKE-9': {
    compliant: [{ name: 'own node account', json: cluster() }],
    nonCompliant: [
      { name: 'no node account', json: cluster((c) => delete c.cluster_autoscaling), findings: [CLUSTER] },
      { name: 'default compute account', json: cluster((c) => (c.cluster_autoscaling = { auto_provisioning_defaults: { service_account: '123-compute@developer.gserviceaccount.com' } })), findings: [CLUSTER] },
    ],
  },
  'GCP-NET-1': {
    compliant: [{ name: 'flow logs on', json: resources({ google_compute_subnetwork: { s: { ip_cidr_range: '10.0.0.0/24', log_config: { flow_sampling: 1 } } } }) }],
    nonCompliant: [{ name: 'no log_config', json: resources({ google_compute_subnetwork: { s: { ip_cidr_range: '10.0.0.0/24' } } }), findings: ['google_compute_subnetwork.s'] }],
  },
  'GCP-NET-2': {
    compliant: [{ name: 'logging all', json: resources({ google_compute_router_nat: { n: { log_config: { enable: true, filter: 'ALL' } } } }) }],
    nonCompliant: [
      { name: 'no log_config', json: resources({ google_compute_router_nat: { n: {} } }), findings: ['google_compute_router_nat.n'] },
      { name: 'disabled', json: resources({ google_compute_router_nat: { n: { log_config: { enable: false, filter: 'ALL' } } } }), findings: ['google_compute_router_nat.n'] },
    ],
  },
  'GCP-NET-3': {
    compliant: [{ name: 'tcp 443', json: firewall({ direction: 'EGRESS', allow: [{ protocol: 'tcp', ports: ['443'] }] }) }],
    nonCompliant: [
      { name: 'all protocols', json: firewall({ direction: 'EGRESS', allow: [{ protocol: 'all' }] }), findings: ['Allow::0'] },
      { name: 'tcp without ports', json: firewall({ direction: 'EGRESS', allow: [{ protocol: 'tcp', ports: ['443'] }, { protocol: 'tcp' }] }), findings: ['Allow::1'] },
    ],
  },
  'GCP-NET-4': {
    compliant: [
      { name: 'egress rule', json: firewall({ direction: 'EGRESS', allow: [{ protocol: 'tcp', ports: ['443'] }] }), notApplicable: true },
      { name: 'ingress deny', json: firewall({ direction: 'INGRESS', deny: [{ protocol: 'all' }] }) },
    ],
    nonCompliant: [{ name: 'ingress allow (direction defaults to INGRESS)', json: firewall({ allow: [{ protocol: 'tcp', ports: ['22'] }] }), findings: ['google_compute_firewall.f'] }],
  },
  'GCP-NET-5': {
    compliant: [{ name: 'tagged tcp egress', json: firewall({ direction: 'EGRESS', target_tags: ['t-runner'], allow: [{ protocol: 'tcp', ports: ['443', '22'] }] }) }],
    nonCompliant: [
      { name: 'untagged', json: firewall({ direction: 'EGRESS', allow: [{ protocol: 'tcp', ports: ['443'] }] }), findings: ['Targets'] },
      { name: 'udp', json: firewall({ direction: 'EGRESS', target_tags: ['t'], allow: [{ protocol: 'udp', ports: ['53'] }] }), findings: ['Allow::0'] },
    ],
  },
  'GCP-RUN-1': {
    compliant: [
      { name: 'worker pool with own account', json: pool({ service_account: SA }) },
      { name: 'job with own account', json: job({ service_account: '${google_service_account.u.email}' }) },
    ],
    nonCompliant: [
      { name: 'no account', json: pool({}), findings: ['google_cloud_run_v2_worker_pool.p'] },
      { name: 'default compute account', json: job({ service_account: '123-compute@developer.gserviceaccount.com' }), findings: ['google_cloud_run_v2_job.j'] },
    ],
  },
  'GCP-RUN-2': {
    compliant: [{ name: 'all traffic through the VPC', json: pool({ service_account: SA, ...vpc }) }],
    nonCompliant: [
      { name: 'no vpc_access', json: pool({ service_account: SA }), findings: ['google_cloud_run_v2_worker_pool.p'] },
      { name: 'private ranges only', json: job({ vpc_access: { egress: 'PRIVATE_RANGES_ONLY' } }), findings: ['google_cloud_run_v2_job.j'] },
    ],
  },
  'GCP-RUN-3': {
    compliant: [{ name: 'internal only', json: resources({ google_cloud_run_v2_service: { s: { ingress: 'INGRESS_TRAFFIC_INTERNAL_ONLY', template: {} } } }) }],
    nonCompliant: [{ name: 'default ingress (all)', json: resources({ google_cloud_run_v2_service: { s: { template: {} } } }), findings: ['google_cloud_run_v2_service.s'] }],
  },
  'GCP-AR-1': {
    compliant: [{ name: 'CMEK', json: resources({ google_artifact_registry_repository: { r: { format: 'DOCKER', kms_key_name: '${google_kms_crypto_key.k.id}' } } }) }],
    nonCompliant: [{ name: 'Google-managed key', json: resources({ google_artifact_registry_repository: { r: { format: 'DOCKER' } } }), findings: ['google_artifact_registry_repository.r'] }],
  },
  'GCP-AR-2': {
    compliant: [{ name: 'immutable', json: resources({ google_artifact_registry_repository: { r: { format: 'DOCKER', docker_config: { immutable_tags: true } } } }) }],
    nonCompliant: [{ name: 'mutable', json: resources({ google_artifact_registry_repository: { r: { format: 'DOCKER', docker_config: { immutable_tags: false } } } }), findings: ['google_artifact_registry_repository.r'] }],
  },
  'GCP-KMS-1': {
    compliant: [
      { name: '90 days', json: resources({ google_kms_crypto_key: { k: { rotation_period: '7776000s' } } }) },
      { name: 'signing key', json: resources({ google_kms_crypto_key: { k: { purpose: 'ASYMMETRIC_SIGN' } } }), notApplicable: true },
    ],
    nonCompliant: [
      { name: 'no rotation', json: resources({ google_kms_crypto_key: { k: {} } }), findings: ['google_kms_crypto_key.k'] },
      { name: 'a year', json: resources({ google_kms_crypto_key: { k: { rotation_period: '31536000s' } } }), findings: ['google_kms_crypto_key.k'] },
    ],
  },
  'GCP-SM-1': {
    compliant: [{ name: 'user-managed with CMEK', json: resources({ google_secret_manager_secret: { s: { secret_id: 's', replication: { user_managed: { replicas: [{ location: 'europe-west3', customer_managed_encryption: { kms_key_name: 'k' } }] } } } } }) }],
    nonCompliant: [
      { name: 'automatic', json: resources({ google_secret_manager_secret: { s: { secret_id: 's', replication: { auto: {} } } } }), findings: ['google_secret_manager_secret.s'] },
      { name: 'a replica without key', json: resources({ google_secret_manager_secret: { s: { secret_id: 's', replication: { user_managed: { replicas: [{ location: 'europe-west3' }] } } } } }), findings: ['google_secret_manager_secret.s'] },
    ],
  },
  'GCP-GCS-1': {
    compliant: [{ name: 'private with CMEK', json: resources({ google_storage_bucket: { b: { name: 'b', uniform_bucket_level_access: true, public_access_prevention: 'enforced', encryption: { default_kms_key_name: 'k' } } } }) }],
    nonCompliant: [{ name: 'defaults', json: resources({ google_storage_bucket: { b: { name: 'b' } } }), findings: ['UniformAccess', 'PublicAccessPrevention', 'Encryption'] }],
  },
  'GCP-IAM-1': {
    compliant: [{ name: 'a service account', json: member('google_cloud_run_v2_job_iam_member', 'roles/run.invoker', `serviceAccount:${SA}`) }],
    nonCompliant: [
      { name: 'allUsers on a job', json: member('google_cloud_run_v2_job_iam_member', 'roles/run.invoker', 'allUsers'), findings: ['Member::allUsers'] },
      { name: 'allAuthenticatedUsers on the mirror', json: member('google_artifact_registry_repository_iam_member', 'roles/artifactregistry.reader', 'allAuthenticatedUsers'), findings: ['Member::allAuthenticatedUsers'] },
    ],
  },
  'GCP-IAM-2': {
    compliant: [{ name: 'a predefined role', json: member('google_secret_manager_secret_iam_member', 'roles/secretmanager.secretAccessor', `serviceAccount:${SA}`) }],
    nonCompliant: [{ name: 'editor on the project', json: member('google_project_iam_member', 'roles/editor', `serviceAccount:${SA}`, { project: 'p' }), findings: ['Role::roles/editor'] }],
  },
  'GCP-IAM-3': {
    compliant: [
      { name: 'token creator on one account', json: member('google_service_account_iam_member', 'roles/iam.serviceAccountTokenCreator', 'group:ops@example.com', { service_account_id: 'projects/p/serviceAccounts/x' }) },
      { name: 'custom actAs role on one account', json: resources({ ...customRole('rk.actAs', ['iam.serviceAccounts.actAs']), ...bindCustom('google_service_account_iam_member', { service_account_id: 'x' }) }) },
    ],
    nonCompliant: [
      { name: 'serviceAccountUser on the project', json: member('google_project_iam_member', 'roles/iam.serviceAccountUser', 'group:ops@example.com', { project: 'p' }), findings: ['Role::roles/iam.serviceAccountUser'] },
      { name: 'custom actAs role on the project', json: resources({ ...customRole('rk.actAs', ['iam.serviceAccounts.actAs']), ...bindCustom('google_project_iam_member', { project: 'p' }) }), findings: ['Role::rk.actAs'] },
    ],
  },
  'GCP-IAM-4': {
    compliant: [{ name: 'bound on a resource', json: member('google_storage_bucket_iam_member', 'roles/storage.objectViewer', `serviceAccount:${SA}`, { bucket: 'b' }), notApplicable: true }],
    nonCompliant: [{ name: 'a custom role on the project', json: resources({ ...customRole('rk.logs', ['logging.logEntries.list']), ...bindCustom('google_project_iam_member', { project: 'p' }) }), findings: ['Project::rk.logs'] }],
  },
  'GCP-IAM-5': {
    compliant: [{ name: 'read-only role', json: resources(customRole('rk.read', ['run.workerpools.get'])) }],
    nonCompliant: [{ name: 'actAs and setIamPolicy', json: resources(customRole('rk.bad', ['iam.serviceAccounts.actAs', 'run.jobs.setIamPolicy', 'run.jobs.get'])), findings: ['Permission::iam.serviceAccounts.actAs', 'Permission::run.jobs.setIamPolicy'] }],
  },
  'GCP-IAM-6': {
    compliant: [{ name: 'no key resource (the rule does not apply to accounts)', json: resources({ google_service_account: { a: { account_id: 'a' } } }), notApplicable: true }],
    nonCompliant: [{ name: 'a key', json: resources({ google_service_account_key: { k: { service_account_id: 'a' } } }), findings: ['google_service_account_key.k'] }],
  },
};

describe('GCP rules: fixtures', () => {
  it('every rule has a compliant and a non-compliant fixture, and every fixture a rule', () => {
    const ids = GCP_RULES.map((r) => r.id).sort();
    expect(Object.keys(FIXTURES).sort()).toEqual(ids);
  });

  describe.each(GCP_RULES.map((r) => [r.id, r] as const))('%s', (id, rule) => {
    const fixtures = FIXTURES[id] ?? { compliant: [], nonCompliant: [] };
    const run = (json: object) => evaluateRules(SynthesizedConfig.fromJson(json), [rule]);

    it.each(fixtures.compliant.map((f) => [f.name, f] as const))('compliant: %s', (_name, f) => {
      const { results, findings } = run(f.json);
      expect(findings).toEqual([]);
      if (f.notApplicable) expect(results.every((r) => r.status !== 'compliant')).toBe(true);
      else expect(results.some((r) => r.status === 'compliant')).toBe(true);
    });

    it.each(fixtures.nonCompliant.map((f) => [f.name, f] as const))('non-compliant: %s', (_name, f) => {
      const { findings } = run(f.json);
      expect(findings.map((x) => x.key).sort()).toEqual([...(f.findings ?? [])].sort());
      for (const x of findings) expect(x.message.length).toBeGreaterThan(15);
    });
  });
});

describe('GCP rules: metadata', () => {
  it('ids are unique, of the form GCP-<AREA>-<n>, and every rule says what, why and how to fix', () => {
    expect(new Set(GCP_RULES.map((r) => r.id)).size).toBe(GCP_RULES.length);
    for (const r of GCP_RULES) {
      expect(r.id).toMatch(/^GCP-[A-Z0-9]+-\d+$/);
      expect({ id: r.id, title: r.title.length > 10, why: r.why.length > 40, fix: r.fix.length > 20, appliesTo: r.appliesTo.length > 0 }).toEqual({ id: r.id, title: true, why: true, fix: true, appliesTo: true });
      for (const p of r.publicIds) expect(p).toMatch(/^CKV2?_GCP_\d+$/);
    }
  });

  it('maps every Checkov ID of the GCP table in data/required-checks.md (Cloud Run and GKE)', () => {
    const table = requiredChecksSection('GCP');
    const ids = new Set<string>();
    for (const cell of table.split('\n').map((l) => l.split('|')[1] ?? '')) {
      for (const m of cell.matchAll(/(CKV2?_GCP_)(\d+)((?:\s*\/\s*\d+)*)/g)) {
        ids.add(`${m[1]}${m[2]}`);
        for (const n of (m[3] ?? '').matchAll(/(\d+)/g)) ids.add(`${m[1]}${n[1]}`);
      }
    }
    const mapped = new Set(GCP_RULES.flatMap((r) => r.publicIds));
    expect(ids.size).toBeGreaterThan(20);
    expect([...ids].filter((id) => !mapped.has(id)).sort()).toEqual([]);
    for (const gke of ['CKV_GCP_12', 'CKV_GCP_18', 'CKV_GCP_20', 'CKV_GCP_25', 'CKV_GCP_64', 'CKV_GCP_66', 'CKV_GCP_69']) expect(mapped.has(gke)).toBe(true);
  });
});
