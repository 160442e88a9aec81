/**
 * GcpCloudRunStack (examples/gcp-cloudrun.yaml), synthesized once: every security-relevant
 * attribute of what a deploy creates, that no secret value is in `cdk.tf.json`, what Terraform
 * leaves to the updater, and the same outputs as on AWS. Then options and bad input.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../constructs/core/config/load';
import { UPDATER_OWNED_FIELDS } from '../../constructs/gcp/cloudrun-runner-service';
import { RulePack } from '../../constructs/core/rules/rule-pack';
import { Testing } from 'cdktf';
import { addTargetStacks } from '../../stacks/targets';
import { COMMON_OUTPUTS } from '../support/outputs';
import { TEST_CA_PEM, TEST_KNOWN_HOSTS } from '../support/trust-material';
import { configFrom, REPO_ROOT, synthConfig, Synthesized, type Json } from '../support/synth';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'gcp-cloudrun.yaml');
function gcpExample(patch: (t: Json) => void = () => undefined): { name: string; text: string } {
  const doc = parse(readFileSync(EXAMPLE, 'utf8')) as Json;
  const name = Object.keys(doc.targets)[0]!;
  patch(doc.targets[name]);
  return { name, text: stringify(doc) };
}

/** The configuration literal of the updater job's start script (single-quoted shell word). */
function jobConfigText(container: Json): string {
  const m = /RUNNER_KIT_UPDATER_CONFIG='((?:[^']|'\\'')*)' /.exec(container.command[2] as string);
  if (m === null) throw new Error('no configuration in the updater job command');
  return m[1]!.replace(/'\\''/g, "'");
}

describe('GcpCloudRunStack (examples/gcp-cloudrun.yaml)', () => {
  let s: Synthesized;
  let text: string;
  beforeAll(() => {
    s = synthConfig(configFrom(gcpExample().text));
    text = JSON.stringify(s.json);
  });

  it('pins hashicorp/google 6.50.0, sets project and region, labels every resource with the kit labels and the customer labels', () => {
    expect(s.json.terraform.required_providers.google.version).toBe('6.50.0');
    const provider = s.json.provider.google[0];
    expect(provider).toMatchObject({ project: 'acme-runners', region: 'europe-west3', add_terraform_attribution_label: false });
    expect(provider.default_labels).toEqual({ 'cost-center': 'platform-engineering', 'managed-by': 'private-runner-kit', 'runner-kit-target': 'cloudrunexample' });
  });

  it('enables the APIs it needs and never disables them on destroy', () => {
    const apis = s.resources('google_project_service').map(([, b]) => b);
    expect(apis.map((a) => a.service)).toEqual(expect.arrayContaining(['run.googleapis.com', 'secretmanager.googleapis.com', 'artifactregistry.googleapis.com', 'cloudkms.googleapis.com', 'cloudscheduler.googleapis.com']));
    for (const a of apis) expect(a).toMatchObject({ disable_on_destroy: false, project: 'acme-runners' });
  });

  it('network: custom mode, a subnet with flow logs and Private Google Access, NAT on a reserved IP with logging, deny-all egress below tag-scoped 443 (+22) allows, no ingress', () => {
    expect(s.only('google_compute_network')).toMatchObject({ auto_create_subnetworks: false });
    expect(s.only('google_compute_subnetwork')).toMatchObject({ ip_cidr_range: '10.42.0.0/22', private_ip_google_access: true, log_config: { flow_sampling: 1 } });
    expect(s.only('google_compute_router_nat')).toMatchObject({ nat_ip_allocate_option: 'MANUAL_ONLY', log_config: { enable: true, filter: 'ALL' }, source_subnetwork_ip_ranges_to_nat: 'LIST_OF_SUBNETWORKS' });
    expect(s.only('google_compute_address')).toMatchObject({ address_type: 'EXTERNAL' });
    const rules = s.resources('google_compute_firewall').map(([, b]) => b);
    expect(rules.filter((r) => r.direction !== 'EGRESS')).toEqual([]);
    expect(rules.find((r) => r.deny)).toMatchObject({ priority: 65534, destination_ranges: ['0.0.0.0/0'], deny: [{ protocol: 'all' }] });
    expect(rules.find((r) => r.name.endsWith('allow-runner-egress'))).toMatchObject({ priority: 1000, target_tags: ['cloudrunexample-runner'], allow: [{ protocol: 'tcp', ports: ['443', '22'] }] });
    expect(rules.find((r) => r.name.endsWith('allow-updater-egress'))).toMatchObject({ target_tags: ['cloudrunexample-updater'], allow: [{ protocol: 'tcp', ports: ['443'] }] });
  });

  it('key: a symmetric Cloud KMS key rotating every 90 days, granted only to the service agents that encrypt with it', () => {
    expect(s.only('google_kms_crypto_key')).toMatchObject({ purpose: 'ENCRYPT_DECRYPT', rotation_period: '7776000s' });
    const members = s.resources('google_kms_crypto_key_iam_member').map(([, b]) => b.member);
    // Secret Manager, Artifact Registry, Cloud Run, Cloud Storage and Cloud Logging (the log bucket).
    expect(members).toHaveLength(5);
    for (const m of members) expect(m).toMatch(/^serviceAccount:service-\$\{data\.google_(project|storage_project_service_account)|^serviceAccount:\$\{data\.google_(storage_project_service_account|logging_project_cmek_settings)/);
  });

  it('mirror: one Artifact Registry repository, CMEK (after the agent grant), immutable tags, keeping keepReleases versions', () => {
    const repo = s.only('google_artifact_registry_repository');
    expect(repo).toMatchObject({ repository_id: 'cloudrunexample', format: 'DOCKER', docker_config: { immutable_tags: true }, cleanup_policy_dry_run: false });
    expect(repo.kms_key_name).toMatch(/^\$\{google_kms_crypto_key\./);
    expect(repo.cleanup_policies).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'KEEP', most_recent_versions: { keep_count: 10 } })]));
    expect(repo.depends_on.some((d: string) => d.startsWith('google_kms_crypto_key_iam_member.'))).toBe(true);
  });

  it('secrets: CMEK in the region, values only write-only from ephemeral variables, read by the runner account alone, per secret', () => {
    const secrets = s.resources('google_secret_manager_secret').map(([, b]) => b);
    expect(secrets).toHaveLength(4); // two values, two label-only written-version records
    for (const sec of secrets) expect(sec.replication.user_managed.replicas).toEqual([{ location: 'europe-west3', customer_managed_encryption: { kms_key_name: expect.stringMatching(/^\$\{google_kms_crypto_key\./) } }]);
    const versions = s.resources('google_secret_manager_secret_version').map(([, b]) => b);
    expect(versions.map((v) => v.secret_data_wo).sort()).toEqual(['${var.runner_default_api_client_secret}', '${var.runner_default_private_key}']);
    for (const v of versions) {
      expect(v.secret_data).toBeUndefined();
      expect(v.secret_data_wo_version).toBe(1);
      expect(v.lifecycle.precondition[0].condition).toMatch(/length\(var\.runner_default_\w+\) >= 1\) \|\| \(length\(data\.google_secret_manager_secrets\./);
    }
    for (const name of ['runner_default_api_client_secret', 'runner_default_private_key']) expect(s.json.variable[name]).toMatchObject({ sensitive: true, ephemeral: true, nullable: false, default: '' });
    const reads = s.resources('google_secret_manager_secret_iam_member').map(([, b]) => b);
    expect(reads).toHaveLength(2);
    for (const r of reads) expect(r).toMatchObject({ role: 'roles/secretmanager.secretAccessor', member: expect.stringMatching(/^serviceAccount:\$\{google_service_account\.Runner-default_ServiceAccount/) });
    const filters = s.resources('data.google_secret_manager_secrets' as never).length + Object.keys(s.json.data.google_secret_manager_secrets).length;
    expect(filters).toBe(2);
    for (const d of Object.values<Json>(s.json.data.google_secret_manager_secrets)) expect(d.filter).toMatch(/^labels\.runner_kit_written_target=cloudrunexample AND labels\.runner_kit_written_for=default-(api-client-secret|private-key) AND labels\.runner_kit_written_version=1$/);
  });

  it('no secret value and no PEM anywhere in cdk.tf.json', () => {
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY/);
    expect(text).not.toMatch(/"secret_data"\s*:/);
  });

  it('runner: a worker pool with its own account, all traffic through the VPC under the runner tag, the mirror image by digest, the key as a file and the client secret as a secret reference', () => {
    const pool = s.only('google_cloud_run_v2_worker_pool');
    expect(pool).toMatchObject({ name: 'cloudrunexample-default', location: 'europe-west3', launch_stage: 'BETA', deletion_protection: false, scaling: { scaling_mode: 'MANUAL', manual_instance_count: 1 } });
    const t = pool.template;
    expect(t.service_account).toMatch(/^\$\{google_service_account\.Runner-default_ServiceAccount_\w+\.email\}$/);
    expect(t.vpc_access).toEqual({ egress: 'ALL_TRAFFIC', network_interfaces: [{ network: expect.stringMatching(/^\$\{google_compute_network\./), subnetwork: expect.stringMatching(/^\$\{google_compute_subnetwork\./), tags: ['cloudrunexample-runner'] }] });
    expect(t.encryption_key).toMatch(/^\$\{google_kms_crypto_key\./);
    const c = t.containers[0];
    expect(c.name).toBe('runner');
    expect(c.image).toMatch(/^europe-west3-docker\.pkg\.dev\/acme-runners\/cloudrunexample\/tf-block-runner@\$\{jsondecode\(data\.google_storage_bucket_object_content\.Updates_Record-default_\w+\.content\)\.digest\}$/);
    expect(c.command).toEqual(['/bin/sh', '-c']);
    expect(c.args[0]).toMatch(/exec \/app\/entrypoint\.sh \/app\/tfrunner$/);
    expect(c.resources.limits).toEqual({ cpu: '1', memory: '2048Mi' });
    const env = Object.fromEntries(c.env.map((e: Json) => [e.name, e.value ?? e.value_source]));
    expect(env).toMatchObject({ HOME: '/home/meshcloud', RUNNER_UUID: '7a1c2e3d-4b5f-4a6e-8c9d-0e1f2a3b4c5d', RUNNER_PRIVATE_KEY_FILE: '/run/runner-kit-key/private-key.pem', RUNNER_CONFIG_FILE: '/tmp/runner-kit/runner-config.yml' });
    expect(env.RUNNER_API_CLIENT_SECRET).toEqual({ secret_key_ref: { secret: expect.stringMatching(/^\$\{google_secret_manager_secret\.Runner-default-Secrets_ApiClientSecret_/), version: 'latest' } });
    expect(Object.keys(env).filter((k) => k.startsWith('TF_'))).toEqual([]);
    expect(c.volume_mounts).toEqual([{ name: 'private-key', mount_path: '/run/runner-kit-key' }]);
    expect(t.volumes).toEqual([{ name: 'private-key', secret: { secret: expect.stringMatching(/PrivateKey/), items: [{ path: 'private-key.pem', version: 'latest', mode: 0o444 }] } }]);
  });

  it('Terraform leaves the image and the instance splits to the updater, and the pool waits for its secrets, grants and the records', () => {
    const pool = s.only('google_cloud_run_v2_worker_pool');
    expect(pool.lifecycle.ignore_changes).toEqual([...UPDATER_OWNED_FIELDS]);
    expect(UPDATER_OWNED_FIELDS).toEqual(['template[0].containers[0].image', 'instance_splits']);
    for (const prefix of ['google_secret_manager_secret_version.', 'google_secret_manager_secret_iam_member.', 'data.google_storage_bucket_object_content.']) expect(pool.depends_on.some((d: string) => d.startsWith(prefix))).toBe(true);
  });

  it('updater: a job (no endpoint) on the mirrored runtime, the bundle from the kit bucket, its own account, all traffic through the VPC; the schedule may only start it', () => {
    expect(s.count('google_cloud_run_v2_service')).toBe(0);
    const job = s.only('google_cloud_run_v2_job');
    const t = job.template.template;
    expect(t).toMatchObject({ max_retries: 0, timeout: '3600s', execution_environment: 'EXECUTION_ENVIRONMENT_GEN2', vpc_access: { egress: 'ALL_TRAFFIC' } });
    expect(t.service_account).toMatch(/Updates_ServiceAccount/);
    expect(t.containers[0].image).toMatch(/^europe-west3-docker\.pkg\.dev\/acme-runners\/cloudrunexample\/updater-runtime@\$\{jsondecode\(data\.google_storage_bucket_object_content\.Updates_Record-updater-runtime/);
    // The whole start is the command (an on-demand run can override args and env, never the command).
    const [sh, dashC, script] = t.containers[0].command as string[];
    expect([sh, dashC]).toEqual(['/bin/sh', '-c']);
    expect(t.containers[0].args).toBeUndefined();
    expect(script).toMatch(/^exec \/usr\/bin\/env -i CLOUD_RUN_JOB="\$CLOUD_RUN_JOB" CLOUD_RUN_EXECUTION="\$CLOUD_RUN_EXECUTION" CLOUD_RUN_TASK_INDEX="\$CLOUD_RUN_TASK_INDEX" CLOUD_RUN_TASK_COUNT="\$CLOUD_RUN_TASK_COUNT" RUNNER_KIT_PAYLOAD="\$RUNNER_KIT_PAYLOAD" RUNNER_KIT_UPDATER_CONFIG='.+' \/usr\/local\/bin\/node --enable-source-maps \/runner-kit\/updater\/[0-9a-f]{64}\.js$/);
    expect(t.volumes).toEqual([{ name: 'code', gcs: { bucket: expect.stringMatching(/google_storage_bucket\./), read_only: true } }]);
    expect(t.containers[0].env).toEqual([{ name: 'RUNNER_KIT_PAYLOAD', value: '{"action":"scheduled"}' }]);
    expect(JSON.parse(jobConfigText(t.containers[0]))).toMatchObject({ target: 'cloudrunexample', job: 'cloudrunexample-updater', schedulerServiceAccount: 'cloudrunexample-schedule@acme-runners.iam.gserviceaccount.com', runners: [{ name: 'default', workerPool: 'cloudrunexample-default', record: 'records/default.json' }] });
    const schedule = s.only('google_cloud_scheduler_job');
    expect(schedule).toMatchObject({ schedule: '0 * * * *', time_zone: 'Europe/Berlin', retry_config: { retry_count: 0 } });
    expect(schedule.http_target).toMatchObject({ http_method: 'POST', uri: 'https://run.googleapis.com/v2/projects/acme-runners/locations/europe-west3/jobs/cloudrunexample-updater:run', oauth_token: { scope: 'https://www.googleapis.com/auth/cloud-platform' } });
    const startRole = s.resources('google_project_iam_custom_role').map(([, b]) => b).find((r) => r.role_id.endsWith('schedulerStart'));
    expect(startRole?.permissions).toEqual(['run.jobs.run']);
  });

  it("runner-kit update runs with exactly the job's configuration document (names only, known at synthesis)", () => {
    const { expectedGcpUpdaterConfig } = require('../../constructs/gcp/updater-config') as typeof import('../../constructs/gcp/updater-config');
    const { unescapeTerraformTemplate } = require('../../constructs/core/terraform-text') as typeof import('../../constructs/core/terraform-text');
    const job = s.only('google_cloud_run_v2_job').template.template.containers[0];
    const document = jobConfigText(job);
    const config = configFrom(gcpExample().text);
    expect(JSON.parse(unescapeTerraformTemplate(document))).toEqual(expectedGcpUpdaterConfig('cloudrunexample', config.targets.cloudrunexample as never));
    expect(document).not.toContain('${');
  });

  it('bootstrap: the same bundle on the deploying machine before any worker pool; records read back by data sources', () => {
    const bootstrap = s.only('terraform_data');
    const step = bootstrap.provisioner[0]['local-exec'];
    expect(step.command).toMatch(/^node assets\/[\w/-]+\/[0-9a-f]{64}\.js bootstrap$/);
    expect(JSON.parse(step.environment.RUNNER_KIT_UPDATER_CONFIG)).toMatchObject({ bucket: 'rk-acme-runners-cloudrunexample', runtime: { upstreamRepository: 'library/node', tag: '22-alpine' } });
    expect(bootstrap.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^google_storage_bucket\./), expect.stringMatching(/^google_artifact_registry_repository\./)]));
    for (const d of Object.values<Json>(s.json.data.google_storage_bucket_object_content)) expect(d.depends_on).toEqual([expect.stringMatching(/^terraform_data\.Updates_Bootstrap/)]);
  });

  it('kit bucket: uniform access, public access prevention, CMEK, versioned', () => {
    expect(s.only('google_storage_bucket')).toMatchObject({ name: 'rk-acme-runners-cloudrunexample', uniform_bucket_level_access: true, public_access_prevention: 'enforced', versioning: { enabled: true }, location: 'EUROPE-WEST3' });
  });

  it('operator access: principals may only impersonate the operator account; it holds no escalation and no secret access', () => {
    const impersonate = s.resources('google_service_account_iam_member').map(([, b]) => b).filter((b) => b.role === 'roles/iam.serviceAccountTokenCreator');
    expect(impersonate).toEqual([expect.objectContaining({ member: 'group:runner-operators@meshcloud.io', service_account_id: expect.stringMatching(/OperatorAccess_\w+\.name/) })]);
    const roles = s.resources('google_project_iam_custom_role').map(([, b]) => b).filter((r) => r.role_id.includes('.operator'));
    expect(roles.map((r) => r.role_id).sort()).toEqual(['operatorProject', 'operatorRecords', 'operatorUpdater', 'operatorWorkerPools'].map((r) => `runnerKit.cloudrunexample.${r}`));
    const permissions = roles.flatMap((r) => r.permissions as string[]);
    expect(permissions.filter((p) => p.startsWith('secretmanager.') || p.startsWith('iam.') || p.endsWith('.setIamPolicy') || p.endsWith('.update') || p.endsWith('.create') || p.endsWith('.delete'))).toEqual([]);
  });

  it('logs: a kit-owned log bucket in the region keeps logs.retentionDays with the target key (granted to Cloud Logging first); a sink routes only the target\'s own lines into it', () => {
    const bucket = s.only('google_logging_project_bucket_config');
    expect(bucket).toMatchObject({ project: 'acme-runners', location: 'europe-west3', bucket_id: 'cloudrunexample-logs', retention_days: 90, cmek_settings: { kms_key_name: expect.stringMatching(/^\$\{google_kms_crypto_key\.Key_\w+\.id\}$/) } });
    const loggingGrant = s.resources('google_kms_crypto_key_iam_member').find(([, b]) => String(b.member).includes('data.google_logging_project_cmek_settings.'));
    expect(loggingGrant).toBeDefined();
    expect(bucket.depends_on).toEqual([`google_kms_crypto_key_iam_member.${loggingGrant![0]}`]);
    const sink = s.only('google_logging_project_sink');
    expect(sink).toMatchObject({ name: 'cloudrunexample-logs', unique_writer_identity: true, destination: 'logging.googleapis.com/projects/acme-runners/locations/europe-west3/buckets/cloudrunexample-logs' });
    expect(sink.filter).toBe(
      '(resource.type="cloud_run_worker_pool" AND resource.labels.worker_pool_name="cloudrunexample-default") OR (resource.type="cloud_run_job" AND resource.labels.job_name="cloudrunexample-updater") OR ' +
        '(resource.type="gce_subnetwork" AND resource.labels.subnetwork_name="cloudrunexample-runners") OR (resource.type="nat_gateway" AND resource.labels.gateway_name="cloudrunexample")',
    );
    expect(sink.exclusions).toBeUndefined();
  });

  it('alerts on the runner\'s own lines and on update outcomes and updater errors', () => {
    const filters = s.resources('google_logging_metric').map(([, b]) => b.filter as string);
    expect(filters.some((f) => f.includes('textPayload:"unexpected error:"') && f.includes('worker_pool_name="cloudrunexample-default"'))).toBe(true);
    expect(filters.some((f) => f.includes('textPayload:"[AUTH] Using"'))).toBe(true);
    expect(filters.some((f) => f.includes('jsonPayload.outcome="rolled-back"'))).toBe(true);
    expect(filters.some((f) => f.includes('severity>=ERROR'))).toBe(true);
    expect(s.count('google_monitoring_alert_policy')).toBe(5);
  });

  it('outputs the names every cloud writes, plus the CaaS ones and Cloud Run\'s own', () => {
    const expected = [...COMMON_OUTPUTS, 'runner_services', 'runner_logs', 'runner_secrets', 'project_id', 'runner_service_accounts', 'updater_bucket', 'updater_run_command'];
    expect(Object.keys(s.json.output).sort()).toEqual([...expected].sort());
    expect(s.json.output.runner_version_records.value).toEqual({ default: 'gs://rk-acme-runners-cloudrunexample/records/default.json' });
    expect(s.json.output.secret_inputs.value).toEqual(['runner_default_api_client_secret', 'runner_default_private_key']);
  });

  it('the GCP rule pack judged the stack: no open finding, two acknowledged project-level reads and the updater\'s actAs', () => {
    const app = Testing.app();
    const [stack] = addTargetStacks(app, configFrom(gcpExample().text));
    Testing.synth(stack!);
    const report = RulePack.reportOf(stack!, 'gcp')!;
    expect(report.open).toEqual([]);
    expect(report.acknowledged.map((f) => f.id).sort()).toEqual([
      'GCP-IAM-4[Project::runnerKit.cloudrunexample.operatorProject]',
      'GCP-IAM-4[Project::runnerKit.cloudrunexample.updaterLogs]',
      'GCP-IAM-5[Permission::iam.serviceAccounts.actAs]',
    ]);
  });
});

describe('GcpCloudRunStack options', () => {
  it('GIVEN stateBackend gcs THEN state goes to the bucket under the target\'s prefix', () => {
    const s = synthConfig(configFrom(gcpExample((t) => (t.stateBackend = { type: 'gcs', bucket: 'acme-tf-state' })).text));
    expect(s.json.terraform.backend.gcs).toEqual({ bucket: 'acme-tf-state', prefix: 'private-runner-kit/cloudrunexample' });
  });

  it('GIVEN trust material THEN the runner gets it as environment and the prelude writes it; GIVEN no operator access THEN no operator account', () => {
    const s = synthConfig(configFrom(gcpExample((t) => {
      t.trust = { caCertificates: TEST_CA_PEM, sshKnownHosts: TEST_KNOWN_HOSTS };
      delete t.operatorAccess;
    }).text));
    const c = s.only('google_cloud_run_v2_worker_pool').template.containers[0];
    expect(c.env.map((e: Json) => e.name)).toEqual(expect.arrayContaining(['KIT_EXTRA_CA_CERTIFICATES', 'KIT_SSH_KNOWN_HOSTS']));
    expect(c.args[0]).toContain('/usr/local/share/ca-certificates/private-runner-kit-extra-ca.crt');
    expect(s.resources('google_service_account').map(([, b]) => b.account_id)).not.toContain('cloudrunexample-operator');
    expect(s.json.output.operator_access).toBeUndefined();
  });

  it('GIVEN an existing key THEN no key ring or key is created, and the service agents are granted on it', () => {
    const key = 'projects/acme-runners/locations/europe-west3/keyRings/corp/cryptoKeys/runners';
    const s = synthConfig(configFrom(gcpExample((t) => (t.encryption = { existingKeyId: key })).text));
    expect(s.count('google_kms_key_ring') + s.count('google_kms_crypto_key')).toBe(0);
    for (const [, g] of s.resources('google_kms_crypto_key_iam_member')) expect(g.crypto_key_id).toBe(key);
  });

  it('GIVEN two runners THEN each has its own account, pool, secrets and the updater may roll out both', () => {
    const s = synthConfig(configFrom(gcpExample((t) => (t.runners.second = { uuid: '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b', apiClientId: 'c2', version: 'v1.3.0' })).text));
    expect(s.count('google_cloud_run_v2_worker_pool')).toBe(2);
    expect(s.resources('google_service_account').map(([, b]) => b.account_id)).toEqual(expect.arrayContaining(['cloudrunexample-r-default', 'cloudrunexample-r-second']));
    expect(s.resources('google_cloud_run_v2_worker_pool_iam_member').filter(([, b]) => String(b.role).includes('Updates_RoleWorkerPools'))).toHaveLength(2);
  });

  it('GIVEN logs.retentionDays 400 and two runners THEN the log bucket keeps 400 days and the sink routes both worker pools', () => {
    const s = synthConfig(configFrom(gcpExample((t) => {
      t.logs = { retentionDays: 400 };
      t.runners.second = { uuid: '0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b', apiClientId: 'c2', version: 'v1.3.0' };
    }).text));
    expect(s.only('google_logging_project_bucket_config').retention_days).toBe(400);
    const filter = s.only('google_logging_project_sink').filter as string;
    for (const pool of ['cloudrunexample-default', 'cloudrunexample-second']) expect(filter).toContain(`resource.labels.worker_pool_name="${pool}"`);
  });
});

describe('GCP config validation', () => {
  const issues = (patch: (t: Json) => void) => {
    const r = parseConfig(gcpExample(patch).text, 'test');
    return r.ok ? [] : r.issues;
  };
  it.each<[string, (t: Json) => void, string, RegExp]>([
    ['a project display name', (t) => (t.gcp.projectId = 'Acme Runners'), 'targets.cloudrunexample.gcp.projectId', /not a GCP project id/],
    ['3 vCPUs', (t) => (t.runners.default.vcpu = 3), 'targets.cloudrunexample.runners.default.vcpu', /not a Cloud Run worker pool CPU count/],
    ['8 GiB on one vCPU', (t) => (t.runners.default.memoryMiB = 8192), 'targets.cloudrunexample.runners.default.memoryMiB', /does not fit 1 vCPU on Cloud Run/],
    ['arm64', (t) => (t.runners.default.architecture = 'arm64'), 'targets.cloudrunexample.runners.default.architecture', /x86_64 only/],
    ['an upper-case label', (t) => (t.tags = { CostCenter: 'x' }), 'targets.cloudrunexample.tags.CostCenter', /not a GCP label key/],
    ['a label value with spaces', (t) => (t.tags = { team: 'Platform Team' }), 'targets.cloudrunexample.tags.team', /not a GCP label value/],
    ['a principal without a kind', (t) => (t.operatorAccess.principals = ['ops@meshcloud.io']), 'targets.cloudrunexample.operatorAccess.principals[0]', /not an IAM principal the kit accepts/],
    ['a retention of 0 days', (t) => (t.logs.retentionDays = 0), 'targets.cloudrunexample.logs.retentionDays', /1 to 3650 days/],
    ['a bring-your-own network', (t) => (t.network = { existingNetworkId: 'projects/p/global/networks/n', existingSubnetIds: ['a', 'b'] }), 'targets.cloudrunexample.network.existingNetworkId', /not available on GCP/],
    ['a key in another region', (t) => (t.encryption = { existingKeyId: 'projects/acme-runners/locations/us-east1/keyRings/r/cryptoKeys/k' }), 'targets.cloudrunexample.encryption.existingKeyId', /not the target's region europe-west3/],
    ['a runner name too long for a service account id', (t) => (t.runners = { abcdefghijklmnopqrs: t.runners.default }), 'targets.cloudrunexample.runners.abcdefghijklmnopqrs', /service account id "cloudrunexample-r-abcdefghijklmnopqrs" \(37 characters\), which GCP refuses/],
    ['an AWS block', (t) => (t.aws = { accountId: '123456789012' }), 'targets.cloudrunexample.aws', /target's cloud is "gcp"/],
    ['GKE settings on Cloud Run', (t) => (t.gcp.gke = { releaseChannel: 'STABLE' }), 'targets.cloudrunexample.gcp.gke', /platform is cloudrun/],
  ])('refuses %s, naming the field and the fix', (_name, patch, path, message) => {
    const found = issues(patch).filter((i) => i.path === path);
    expect(found.map((i) => i.message).join('\n')).toMatch(message);
    for (const i of found) expect(i.fix.length).toBeGreaterThan(5);
  });

  it('accepts the example as it is', () => {
    expect(issues(() => undefined)).toEqual([]);
  });
});
