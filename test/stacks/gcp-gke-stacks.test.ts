/**
 * The two GKE stacks of examples/gcp-gke.yaml, synthesized once: every security setting of the
 * Autopilot cluster, the network it needs, the identities and access, that no secret value is in
 * either `cdk.tf.json`, the workload stack's provider (DNS endpoint, exec plugin: no token in state)
 * and its write-only credentials, the Kubernetes objects against the Kubernetes schemas, the
 * outputs. Then options (public endpoint) and bad input.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../constructs/core/config/load';
import { unescapeTerraformTemplate } from '../../constructs/core/terraform-text';
import { expectedGcpUpdaterConfig } from '../../constructs/gcp/updater-config';
import { addTargetStacks } from '../../stacks/targets';
import { COMMON_OUTPUTS } from '../support/outputs';
import { kubernetesObjects, schemaErrors } from '../support/kubernetes-objects';
import { describeWith } from '../support/requirements';
import { configFrom, REPO_ROOT, Synthesized, synthStack, type Json } from '../support/synth';
import { evaluateWithTerraform } from '../support/terraform-eval';
import { terraform } from '../support/terraform';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'gcp-gke.yaml');
function gkeExample(patch: (t: Json) => void = () => undefined): string {
  const doc = parse(readFileSync(EXAMPLE, 'utf8')) as Json;
  patch(doc.targets.gkeexample);
  return stringify(doc);
}
function synthGke(text: string): { cluster: Synthesized; workload: Synthesized; warnings: string[] } {
  const app = Testing.app();
  const stacks = addTargetStacks(app, configFrom(text));
  expect(stacks.map((s) => s.node.id)).toEqual(['gkeexample-cluster', 'gkeexample-workload']);
  const [cluster, workload] = stacks.map((s) => synthStack(s));
  const warnings = stacks.flatMap((s) => s.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === 'aws:cdk:warning' || m.type === 'warning' || /warn/i.test(m.type)).map((m) => String(m.data))));
  return { cluster: cluster!, workload: workload!, warnings };
}

describe('GKE stacks (examples/gcp-gke.yaml)', () => {
  let cluster: Synthesized;
  let workload: Synthesized;
  let gke: Json;
  beforeAll(() => {
    ({ cluster, workload } = synthGke(readFileSync(EXAMPLE, 'utf8')));
    gke = cluster.only('google_container_cluster');
  });

  it('cluster: Autopilot in the kit network, private nodes, DNS endpoint and private IP endpoint only, authorized networks = the runner subnet', () => {
    expect(gke).toMatchObject({
      name: 'gkeexample',
      location: 'europe-west3',
      enable_autopilot: true,
      networking_mode: 'VPC_NATIVE',
      private_cluster_config: { enable_private_nodes: true, enable_private_endpoint: true, master_global_access_config: { enabled: false } },
      control_plane_endpoints_config: { dns_endpoint_config: { allow_external_traffic: true }, ip_endpoints_config: { enabled: true } },
      master_authorized_networks_config: { cidr_blocks: [{ cidr_block: '10.42.0.0/22' }], gcp_public_cidrs_access_enabled: false, private_endpoint_enforcement_enabled: true },
      ip_allocation_policy: { cluster_secondary_range_name: 'pods', services_secondary_range_name: 'services' },
    });
    expect(gke.network).toMatch(/^\$\{google_compute_network\.Network_/);
    expect(gke.subnetwork).toMatch(/^\$\{google_compute_subnetwork\.Network_Subnet_/);
  });

  it('cluster: Workload Identity, Dataplane V2, Binary Authorization, Secrets encrypted with the target key, control-plane logs', () => {
    expect(gke).toMatchObject({
      workload_identity_config: { workload_pool: 'acme-runners.svc.id.goog' },
      datapath_provider: 'ADVANCED_DATAPATH',
      binary_authorization: { evaluation_mode: 'PROJECT_SINGLETON_POLICY_ENFORCE' },
      database_encryption: { state: 'ENCRYPTED' },
      logging_config: { enable_components: ['SYSTEM_COMPONENTS', 'WORKLOADS', 'APISERVER', 'SCHEDULER', 'CONTROLLER_MANAGER'] },
    });
    expect(gke.database_encryption.key_name).toMatch(/^\$\{google_kms_crypto_key\.Key_/);
    // GKE's service agent may use the key (and waits for it).
    const grants = cluster.resources('google_kms_crypto_key_iam_member').map(([, b]) => b.member);
    expect(grants).toContain('serviceAccount:service-${data.google_project.GcpContext_Project_04CEEBAF.number}@container-engine-robot.iam.gserviceaccount.com');
    expect(gke.enable_shielded_nodes).toBeUndefined(); // Autopilot: always on, and the provider refuses setting it
  });

  it('cluster: release channel, daily maintenance window, minimum version, deletion protection', () => {
    expect(gke).toMatchObject({ release_channel: { channel: 'REGULAR' }, maintenance_policy: { daily_maintenance_window: { start_time: '03:00' } }, min_master_version: '1.33', deletion_protection: true });
  });

  it('nodes: a dedicated service account with GKE\'s node role and mirror read only, tagged for the kit\'s egress rules', () => {
    expect(gke.cluster_autoscaling.auto_provisioning_defaults.service_account).toMatch(/^\$\{google_service_account\.Cluster_NodeServiceAccount_/);
    expect(gke.node_pool_auto_config).toEqual({ network_tags: { tags: ['gkeexample-runner'] } });
    const nodes = cluster.find('google_service_account', 'NodeServiceAccount');
    expect(nodes.account_id).toBe('gkeexample-nodes');
    expect(cluster.find('google_project_iam_member', 'NodeRole')).toMatchObject({ role: 'roles/container.defaultNodeServiceAccount' });
    expect(cluster.find('google_artifact_registry_repository_iam_member', 'MirrorPull')).toMatchObject({ role: 'roles/artifactregistry.reader', repository: 'gkeexample' });
  });

  it('network: the subnet carries the pod and service ranges; nodes and pods may reach only the network\'s own ranges (TCP/UDP) besides 443 (+22); no ingress', () => {
    expect(cluster.only('google_compute_subnetwork')).toMatchObject({ ip_cidr_range: '10.42.0.0/22', private_ip_google_access: true, secondary_ip_range: [{ range_name: 'pods', ip_cidr_range: '10.96.0.0/17' }, { range_name: 'services', ip_cidr_range: '10.100.0.0/20' }] });
    const rules = cluster.resources('google_compute_firewall').map(([, b]) => b);
    expect(rules.filter((r) => r.direction !== 'EGRESS')).toEqual([]);
    expect(rules.find((r) => r.name === 'gkeexample-allow-clusteregress')).toMatchObject({ target_tags: ['gkeexample-runner'], destination_ranges: ['10.42.0.0/22', '10.96.0.0/17', '10.100.0.0/20'], allow: [{ protocol: 'tcp' }, { protocol: 'udp' }] });
    expect(rules.find((r) => r.name.endsWith('allow-runner-egress'))).toMatchObject({ target_tags: ['gkeexample-runner'], destination_ranges: ['0.0.0.0/0'], allow: [{ protocol: 'tcp', ports: ['443', '22'] }] });
    expect(rules.find((r) => r.deny)).toMatchObject({ priority: 65534, deny: [{ protocol: 'all' }] });
    expect(cluster.only('google_compute_router_nat')).toMatchObject({ subnetwork: [{ source_ip_ranges_to_nat: ['ALL_IP_RANGES'] }], log_config: { enable: true, filter: 'ALL' } });
  });

  it('logs: the kit\'s log bucket (region, retention, CMEK) receives the runner namespace\'s, the cluster\'s, the updater\'s and the network\'s lines', () => {
    expect(cluster.only('google_logging_project_bucket_config')).toMatchObject({ location: 'europe-west3', retention_days: 90, bucket_id: 'gkeexample-logs' });
    const filter: string = cluster.only('google_logging_project_sink').filter;
    for (const clause of [
      '(resource.type="k8s_container" AND resource.labels.cluster_name="gkeexample" AND resource.labels.namespace_name="meshstack-runner")',
      '(resource.type="k8s_cluster" AND resource.labels.cluster_name="gkeexample")',
      '(resource.type="cloud_run_job" AND resource.labels.job_name="gkeexample-updater")',
      '(resource.type="nat_gateway" AND resource.labels.gateway_name="gkeexample")',
    ]) {
      expect(filter).toContain(clause);
    }
    expect(filter).not.toContain('cloud_run_worker_pool');
  });

  it('enables the GKE API besides Cloud Run\'s (the updater is a Cloud Run job); the workload stack enables none', () => {
    expect(cluster.resources('google_project_service').map(([, b]) => b.service)).toEqual(expect.arrayContaining(['container.googleapis.com', 'run.googleapis.com', 'secretmanager.googleapis.com']));
    expect(workload.count('google_project_service')).toBe(0);
  });

  it('identity: the runner\'s service account holds nothing; run-controller\'s Kubernetes ServiceAccount may act as it (Workload Identity)', () => {
    expect(cluster.find('google_service_account', 'Runner-default-Identity')).toMatchObject({ account_id: 'gkeexample-r-default' });
    expect(cluster.find('google_service_account_iam_member', 'WorkloadIdentity')).toMatchObject({ role: 'roles/iam.workloadIdentityUser', member: 'serviceAccount:acme-runners.svc.id.goog[meshstack-runner/run-controller-default]' });
    const members = [...cluster.resources('google_project_iam_member'), ...cluster.resources('google_secret_manager_secret_iam_member')].map(([, b]) => b.member);
    expect(members.filter((m) => String(m).includes('Runner-default-Identity') || String(m).includes('gkeexample-r-default'))).toEqual([]);
  });

  it('secrets: API client secret, private key and certificate in Secret Manager (CMEK, one region), written write-only from ephemeral variables', () => {
    const secrets = cluster.resources('google_secret_manager_secret').map(([, b]) => b.secret_id);
    expect(secrets).toEqual(expect.arrayContaining(['gkeexample-default-api-client-secret', 'gkeexample-default-private-key', 'gkeexample-default-certificate']));
    for (const [, v] of cluster.resources('google_secret_manager_secret_version')) expect(v.secret_data_wo).toMatch(/^\$\{var\.runner_default_(api_client_secret|private_key|certificate)\}$/);
    for (const name of ['runner_default_api_client_secret', 'runner_default_private_key', 'runner_default_certificate']) {
      expect(cluster.json.variable[name]).toMatchObject({ ephemeral: true, sensitive: true });
      expect(workload.json.variable[name]).toMatchObject({ ephemeral: true, sensitive: true, default: '' });
    }
  });

  it('no secret value, token or key in either cdk.tf.json', () => {
    for (const s of [cluster, workload]) {
      const text = JSON.stringify(s.json);
      expect(text).not.toMatch(/-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----|access_token|client_key|password/i);
      expect(s.json.data?.google_client_config).toBeUndefined();
    }
  });

  it('workload provider: the cluster\'s DNS endpoint, authenticated by gke-gcloud-auth-plugin (no token in state), no CA needed (public certificate)', () => {
    const connection = {
      host: 'https://${data.google_container_cluster.Cluster.control_plane_endpoints_config[0].dns_endpoint_config[0].endpoint}',
      exec: [{ api_version: 'client.authentication.k8s.io/v1beta1', command: 'gke-gcloud-auth-plugin', args: ['--use_application_default_credentials'] }],
    };
    expect(workload.json.provider.kubernetes).toEqual([
      { ...connection, ignore_annotations: ['^iam\\.gke\\.io\\/gcp-service-account$'] },
      { ...connection, alias: 'identity' },
    ]);
    expect(workload.json.data.google_container_cluster.Cluster).toEqual({ name: 'gkeexample', location: 'europe-west3', project: 'acme-runners' });
  });

  it('identity: run-controller\'s ServiceAccount is annotated with the runner\'s GCP service account (its own provider configuration; the default one ignores that annotation)', () => {
    const annotation = workload.only('kubernetes_annotations');
    expect(annotation).toMatchObject({
      provider: 'kubernetes.identity',
      api_version: 'v1',
      kind: 'ServiceAccount',
      annotations: { 'iam.gke.io/gcp-service-account': 'gkeexample-r-default@acme-runners.iam.gserviceaccount.com' },
      metadata: { name: expect.stringContaining('kubernetes_service_account_v1.Workload_ControllerRbac_ServiceAccount1_'), namespace: expect.stringContaining('kubernetes_namespace_v1.') },
      depends_on: [expect.stringMatching(/^kubernetes_service_account_v1\./)],
    });
    expect(new RegExp(workload.json.provider.kubernetes[0].ignore_annotations[0]).test('iam.gke.io/gcp-service-account')).toBe(true);
    expect(new RegExp(workload.json.provider.kubernetes[0].ignore_annotations[0]).test('iam.gke.io/gcp-service-account-x')).toBe(false);
    // The same account the cluster stack lets exactly this ServiceAccount act as.
    expect(cluster.find('google_service_account', 'Runner-default-Identity').account_id).toBe('gkeexample-r-default');
    expect(workload.only('kubernetes_service_account_v1').metadata.name).toBe('run-controller-default');
  });

  it('workload: the shared run-controller workload with mirror digests looked up in Artifact Registry, credentials written write-only', () => {
    const images = workload.json.data.google_artifact_registry_docker_image;
    expect(Object.values(images).map((i) => (i as Json).image_name).sort()).toEqual(['run-controller:v1.3.0', 'tf-block-runner:v1.3.0']);
    const deployment = workload.only('kubernetes_deployment_v1');
    const container = deployment.spec.template.spec.container[0];
    expect(container.image).toBe('europe-west3-docker.pkg.dev/acme-runners/gkeexample/run-controller@${local.digest_run_controller_v1_3_0}');
    expect(workload.only('kubernetes_secret_v1')).toMatchObject({
      data_wo: { 'api-client-secret': '${var.runner_default_api_client_secret}', 'private-key.pem': '${var.runner_default_private_key}', 'certificate.pem': '${var.runner_default_certificate}' },
      data_wo_revision: 1,
    });
    expect(workload.only('kubernetes_secret_v1').data).toBeUndefined();
  });

  it('workload: a plan that would write the credentials Secret empty stops (precondition), unless the revision is recorded as written; the record holds revisions only', () => {
    const secret = workload.only('kubernetes_secret_v1');
    const [pre] = secret.lifecycle.precondition;
    expect(pre.condition).toContain('length(var.runner_default_api_client_secret) >= 1');
    expect(pre.condition).toContain('length(var.runner_default_certificate) >= 1');
    expect(pre.condition).toMatch(/lookup\(coalesce\(data\.kubernetes_config_map_v1\.CredentialsGuard_Recorded_[0-9A-F]+\.data, \{\}\), "default", "none"\) == "1"/);
    expect(pre.error_message).toMatch(/^TF_VAR_runner_default_api_client_secret, TF_VAR_runner_default_private_key and TF_VAR_runner_default_certificate must all be set: revision 1 .* Nothing was changed/);
    expect(workload.json.data.kubernetes_config_map_v1).toEqual({ [Object.keys(workload.json.data.kubernetes_config_map_v1)[0]!]: { metadata: { name: 'runner-kit-credentials-written', namespace: 'meshstack-runner' } } });
    const record = workload.find('kubernetes_config_map_v1', 'CredentialsGuard');
    expect(record.data).toEqual({ default: '1' });
    expect(record.depends_on).toEqual([expect.stringMatching(/^kubernetes_secret_v1\.Workload_Controller-default_Credentials_/)]);
  });

  it('workload: the GKE metadata server is the only extra egress of the controller (Workload Identity)', () => {
    const policies = workload.resources('kubernetes_network_policy_v1').map(([, b]) => JSON.stringify(b));
    expect(policies.some((p) => p.includes('169.254.169.252/32') && p.includes('988'))).toBe(true);
    expect(policies.some((p) => p.includes('169.254.169.254/32'))).toBe(true);
  });

  it('access: the updater\'s and the operators\' service accounts are bound (kind User) to the namespaced updater and read-only Roles', () => {
    const bindings = workload.resources('kubernetes_role_binding_v1').map(([, b]) => b);
    const userBinding = (email: string) => bindings.find((b) => b.subject.some((s: Json) => s.kind === 'User' && s.name === email));
    expect(userBinding('gkeexample-updater@acme-runners.iam.gserviceaccount.com')).toMatchObject({ role_ref: { kind: 'Role', name: expect.stringContaining('kubernetes_role_v1.Workload_UpdaterAccess_') }, metadata: { namespace: expect.stringContaining('kubernetes_namespace_v1') } });
    expect(userBinding('gkeexample-operator@acme-runners.iam.gserviceaccount.com')).toMatchObject({ role_ref: { kind: 'Role', name: expect.stringContaining('kubernetes_role_v1.Workload_OperatorAccess_') } });
    expect(workload.resources('kubernetes_cluster_role_binding_v1')).toEqual([]);
  });

  it('every Kubernetes object of the workload stack validates against the Kubernetes schemas', () => {
    // kubernetes_annotations patches an object; it is not one.
    const { kubernetes_annotations: _patch, ...objectsOnly } = workload.json.resource;
    const objects = kubernetesObjects(new Synthesized({ ...workload.json, resource: objectsOnly }));
    expect(objects.length).toBeGreaterThanOrEqual(20);
    expect(schemaErrors(objects)).toEqual({});
  });

  it('outputs: the common names, plus the cluster, its kubeconfig command over the DNS endpoint and the updater command', () => {
    for (const o of COMMON_OUTPUTS) expect(Object.keys(cluster.json.output)).toContain(o);
    expect(cluster.json.output.kubeconfig_command.value).toBe('gcloud container clusters get-credentials gkeexample --project acme-runners --location europe-west3 --dns-endpoint');
    expect(cluster.json.output.cluster_endpoint.value).toMatch(/^https:\/\/\$\{google_container_cluster\.Cluster_.*\.control_plane_endpoints_config\[0\]\.dns_endpoint_config\[0\]\.endpoint\}$/);
    expect(Object.keys(workload.json.output)).toEqual(expect.arrayContaining(['namespace', 'controller_deployments', 'credentials_secrets']));
  });

  it('the updater job rolls run-controller on the cluster: its configuration names the cluster, namespace, Deployment and job images', () => {
    const job = cluster.only('google_cloud_run_v2_job');
    // The configuration is a literal in the job's command (an on-demand run cannot override it).
    const m = /RUNNER_KIT_UPDATER_CONFIG='((?:[^']|'\\'')*)' /.exec(job.template.template.containers[0].command[2] as string);
    const text = m![1]!.replace(/'\\''/g, "'");
    const doc = JSON.parse(unescapeTerraformTemplate(text));
    expect(doc.runners).toEqual([
      expect.objectContaining({ name: 'default', upstreamRepository: 'meshcloud/run-controller', mirrorPackage: 'run-controller', kubernetes: { cluster: 'gkeexample', namespace: 'meshstack-runner', deployment: 'run-controller-default', implementations: [{ type: 'TERRAFORM', upstreamRegistry: 'https://ghcr.io', upstreamRepository: 'meshcloud/tf-block-runner', mirrorPackage: 'tf-block-runner' }] } }),
    ]);
    expect(doc.runners[0].workerPool).toBeUndefined();
    expect(cluster.count('google_cloud_run_v2_worker_pool_iam_member')).toBe(0);
    // runner-kit update runs with exactly this document (names only, known at synthesis).
    expect(doc).toEqual(expectedGcpUpdaterConfig('gkeexample', configFrom(readFileSync(EXAMPLE, 'utf8')).targets.gkeexample as never));
    expect(text).not.toContain('${');
  });
});

describeWith([terraform], 'the credentials guard, evaluated by Terraform', () => {
  it('passes with all three values, or with none when the revision is recorded; stops otherwise', () => {
    const { workload } = synthGke(gkeExample((t) => (t.runners.default.privateKeyVersion = 2)));
    const condition: string = workload.only('kubernetes_secret_v1').lifecycle.precondition[0].condition;
    expect(condition).toContain('== "2"');
    const record = /data\.kubernetes_config_map_v1\.[A-Za-z0-9_-]+\.data/.exec(condition)![0];
    const at = (values: [string, string, string], recorded: string) =>
      condition
        .replace('var.runner_default_api_client_secret', JSON.stringify(values[0]))
        .replace('var.runner_default_private_key', JSON.stringify(values[1]))
        .replace('var.runner_default_certificate', JSON.stringify(values[2]))
        .replace(record, recorded);
    const cases: Record<string, [[string, string, string], string]> = {
      first_deploy_with_values: [['s', 'k', 'c'], 'null'],
      first_deploy_without: [['', '', ''], 'null'],
      one_missing: [['s', '', 'c'], 'null'],
      written_no_input: [['', '', ''], '{ default = "2" }'],
      bumped_no_input: [['', '', ''], '{ default = "1" }'],
      other_runner_recorded: [['', '', ''], '{ other = "2" }'],
    };
    const results = evaluateWithTerraform(Object.fromEntries(Object.entries(cases).map(([k, [v, r]]) => [k, at(v, r)])));
    expect(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, String(v)]))).toEqual({
      first_deploy_with_values: 'true',
      first_deploy_without: 'false',
      one_missing: 'false',
      written_no_input: 'true',
      bumped_no_input: 'false',
      other_runner_recorded: 'false',
    });
  }, 180_000);
});

describe('GKE options', () => {
  it('GIVEN allowPublicEndpoint with networks THEN the public IP endpoint is on, for those networks only, with a warning', () => {
    const { cluster, warnings } = synthGke(gkeExample((t) => ((t.kubernetes.allowPublicEndpoint = true), (t.kubernetes.publicEndpointCidrs = ['203.0.113.0/24']))));
    const gke = cluster.only('google_container_cluster');
    expect(gke.private_cluster_config.enable_private_endpoint).toBe(false);
    expect(gke.master_authorized_networks_config.cidr_blocks.map((c: Json) => c.cidr_block)).toEqual(['10.42.0.0/22', '203.0.113.0/24']);
    expect(warnings.join('\n')).toMatch(/public IP endpoint is open to 203\.0\.113\.0\/24/);
  });

  it('GIVEN another release channel and window THEN the cluster follows them', () => {
    const { cluster } = synthGke(gkeExample((t) => (t.gcp.gke = { releaseChannel: 'STABLE', maintenanceStartTime: '22:30' })));
    expect(cluster.only('google_container_cluster')).toMatchObject({ release_channel: { channel: 'STABLE' }, maintenance_policy: { daily_maintenance_window: { start_time: '22:30' } } });
  });

  it('GIVEN no operator access THEN no operator account, role or Kubernetes binding', () => {
    const { cluster, workload } = synthGke(gkeExample((t) => delete t.operatorAccess));
    expect(cluster.resources('google_service_account').map(([, b]) => b.account_id)).not.toContain('gkeexample-operator');
    expect(JSON.stringify(workload.json)).not.toContain('gkeexample-operator@');
  });
});

describe('GKE config validation', () => {
  const issues = (patch: (t: Json) => void) => {
    const r = parseConfig(gkeExample(patch));
    return r.ok ? [] : r.issues;
  };
  it.each<[string, (t: Json) => void, string, RegExp]>([
    ['node types (Autopilot)', (t) => (t.kubernetes.nodeTypes = ['e2-standard-4']), 'targets.gkeexample.kubernetes.nodeTypes', /Autopilot/],
    ['a node group size', (t) => (t.kubernetes.nodeMaxSize = 5), 'targets.gkeexample.kubernetes.nodeMaxSize', /Autopilot/],
    ['a version the kit does not deploy', (t) => (t.kubernetes.version = '1.27'), 'targets.gkeexample.kubernetes.version', /not a Kubernetes version the kit deploys on GKE/],
    ['arm64', (t) => (t.runners.default.architecture = 'arm64'), 'targets.gkeexample.runners.default.architecture', /x86_64/],
    ['8 GiB on one vCPU', (t) => (t.runners.default.memoryMiB = 8192), 'targets.gkeexample.runners.default.memoryMiB', /does not fit 1 vCPU on GKE Autopilot/],
    ['a maintenance time that is not HH:MM', (t) => (t.gcp.gke.maintenanceStartTime = '3am'), 'targets.gkeexample.gcp.gke.maintenanceStartTime', /HH:MM/],
    ['pods overlapping the subnet', (t) => (t.gcp.gke.podsCidr = '10.42.0.0/17'), 'targets.gkeexample.gcp.gke.podsCidr', /overlaps network\.cidr/],
    ['services overlapping the pods', (t) => (t.gcp.gke.servicesCidr = '10.96.0.0/20'), 'targets.gkeexample.gcp.gke.servicesCidr', /overlaps gcp\.gke\.podsCidr/],
    ['a public pods range', (t) => (t.gcp.gke.podsCidr = '8.8.0.0/17'), 'targets.gkeexample.gcp.gke.podsCidr', /not in a private range/],
    ['a too small pods range', (t) => (t.gcp.gke.podsCidr = '10.96.0.0/24'), 'targets.gkeexample.gcp.gke.podsCidr', /GKE needs \/13 to \/21/],
    ['an unknown release channel', (t) => (t.gcp.gke.releaseChannel = 'BETA'), 'targets.gkeexample.gcp.gke.releaseChannel', /./],
    ['a public endpoint open to the internet', (t) => ((t.kubernetes.allowPublicEndpoint = true), (t.kubernetes.publicEndpointCidrs = ['0.0.0.0/0'])), 'targets.gkeexample.kubernetes.publicEndpointCidrs[0]', /whole internet/],
    ['no kubernetes block', (t) => delete t.kubernetes, 'targets.gkeexample.kubernetes', /required on platform "gke"/],
  ])('refuses %s, naming the field and the fix', (_name, patch, field, message) => {
    const found = issues(patch).filter((i) => i.path === field);
    expect(found.map((i) => i.message).join('\n')).toMatch(message);
    for (const i of found) expect(i.fix.length).toBeGreaterThan(5);
  });

  it('accepts the example as it is, and without the gcp.gke block (defaults)', () => {
    expect(issues(() => undefined)).toEqual([]);
    expect(issues((t) => delete t.gcp.gke)).toEqual([]);
  });
});
