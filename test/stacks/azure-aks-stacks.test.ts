/**
 * The two AKS stacks of examples/azure-aks.yaml, synthesized once: every security setting of the
 * cluster the issue names, the node network, the runners' secrets and identities, the roles, the
 * workload stack's provider, credentials and images; the runner workload is the same construct
 * tree as on EKS (same Kubernetes objects, validated against the Kubernetes schemas); the check
 * packs pass. Then one test per override.
 */
import { AnnotationMetadataEntryType, Testing, type TerraformStack } from 'cdktf';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { AKS_SERVER_APPLICATION_ID } from '../../constructs/azure/aks-cluster';
import type { KitConfig } from '../../constructs/core/config/schema';
import { RulePack } from '../../constructs/core/rules/rule-pack';
import { addTargetStacks } from '../../stacks/targets';
import { exampleEksTarget, synthEks } from '../support/eks';
import { kubernetesObjects, schemaErrors } from '../support/kubernetes-objects';
import { COMMON_OUTPUTS } from '../support/outputs';
import { configFrom, REPO_ROOT, synthStack, type Json, type Synthesized } from '../support/synth';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'azure-aks.yaml');
const values = (s: Synthesized, type: string): Json[] => s.resources(type).map(([, b]) => b);

function exampleAks(patch: (t: Json) => void = () => undefined): KitConfig {
  const doc = parse(readFileSync(EXAMPLE, 'utf8')) as Json;
  patch(doc.targets.aksexample);
  return configFrom(stringify(doc));
}
function synthAks(config: KitConfig): { cluster: Synthesized; workload: Synthesized; stacks: TerraformStack[] } {
  const app = Testing.app();
  const stacks = addTargetStacks(app, config);
  return { cluster: synthStack(stacks[0]!), workload: synthStack(stacks[1]!), stacks };
}

describe('AKS stacks (examples/azure-aks.yaml)', () => {
  let cluster: Synthesized;
  let workload: Synthesized;
  let stacks: TerraformStack[];
  let aks: Json;
  beforeAll(() => {
    ({ cluster, workload, stacks } = synthAks(exampleAks()));
    aks = cluster.only('azurerm_kubernetes_cluster');
  });

  it('synthesizes two stacks per target, the workload deployed after the cluster, each with its own state', () => {
    expect(stacks.map((s) => s.node.id)).toEqual(['aksexample-cluster', 'aksexample-workload']);
    expect(stacks[1]!.dependencies.map((d) => d.node.id)).toEqual(['aksexample-cluster']);
    expect(cluster.json.terraform.backend.local.path).toBe(path.resolve(process.cwd(), 'terraform.aksexample-cluster.tfstate'));
    expect(workload.json.terraform.backend.local.path).toBe(path.resolve(process.cwd(), 'terraform.aksexample-workload.tfstate'));
    expect(Object.keys(cluster.json.terraform.required_providers)).toEqual(['azurerm']);
    expect(Object.keys(workload.json.terraform.required_providers).sort()).toEqual(['azurerm', 'kubernetes']);
    // The workload stack creates no Azure resource of its own (no resource group either).
    expect(Object.keys(workload.json.resource).filter((t) => t.startsWith('azurerm_'))).toEqual([]);
  });

  it('cluster: private API server (no public FQDN), Entra ID with Azure RBAC, local accounts and run command off', () => {
    expect(aks).toMatchObject({
      name: 'aksexample-cluster',
      private_cluster_enabled: true,
      private_cluster_public_fqdn_enabled: false,
      private_dns_zone_id: 'System',
      role_based_access_control_enabled: true,
      local_account_disabled: true,
      run_command_enabled: false,
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true, tenant_id: '00000000-0000-4000-8000-0000000000aa' },
    });
    expect(aks.api_server_access_profile).toBeUndefined();
  });

  it('cluster: OIDC issuer and workload identity; a user-assigned control-plane identity that may only join the node subnet', () => {
    expect(aks).toMatchObject({ oidc_issuer_enabled: true, workload_identity_enabled: true, identity: { type: 'UserAssigned' } });
    const role = values(cluster, 'azurerm_role_definition').find((d) => / cluster-network /.test(d.name))!;
    expect(role.permissions[0].actions).toEqual(['Microsoft.Network/virtualNetworks/subnets/read', 'Microsoft.Network/virtualNetworks/subnets/join/action']);
    const assignment = cluster.find('azurerm_role_assignment', 'NetworkRole_Assignment-node-subnet');
    expect(assignment.scope).toMatch(/azurerm_subnet\.Network_Subnet-runners_.*\.id/);
    expect(aks.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/NetworkRole_Assignment-node-subnet/), expect.stringMatching(/azurerm_subnet_nat_gateway_association\.Network_Nat-runners/)]));
  });

  it('cluster: Azure CNI overlay, Cilium network policy, egress through the kit NAT gateway; nodes without public IPs in the kit subnet', () => {
    expect(aks.network_profile).toEqual({
      network_plugin: 'azure', network_plugin_mode: 'overlay', network_policy: 'cilium', network_data_plane: 'cilium',
      outbound_type: 'userAssignedNATGateway', load_balancer_sku: 'standard', pod_cidr: '10.244.0.0/16', service_cidr: '10.0.0.0/16', dns_service_ip: '10.0.0.10',
    });
    expect(aks.default_node_pool).toMatchObject({ node_public_ip_enabled: false, vnet_subnet_id: expect.stringMatching(/azurerm_subnet\.Network_Subnet-runners_/) });
    const subnet = cluster.find('azurerm_subnet', 'Subnet-runners');
    expect(subnet.delegation).toBeUndefined();
    expect(subnet.default_outbound_access_enabled).toBe(false);
    expect(cluster.find('azurerm_subnet_nat_gateway_association', 'Nat-runners').subnet_id).toMatch(/Subnet-runners/);
  });

  it('node subnet NSG: the cluster\'s own traffic between the node subnet and the pod range, nothing else beyond the runner egress and the closing denies', () => {
    const rules = cluster.resources('azurerm_network_security_rule').filter(([id]) => id.includes('Nsg-runners-')).map(([, r]) => r);
    const byName = Object.fromEntries(rules.map((r) => [r.name, r]));
    expect(Object.keys(byName).sort()).toEqual(['allow-cluster-internal-inbound', 'allow-cluster-internal-outbound', 'allow-egress', 'deny-all-inbound', 'deny-all-outbound']);
    for (const d of ['inbound', 'outbound']) {
      expect(byName[`allow-cluster-internal-${d}`]).toMatchObject({ access: 'Allow', protocol: '*', source_address_prefixes: ['10.42.0.0/24', '10.244.0.0/16'], destination_address_prefixes: ['10.42.0.0/24', '10.244.0.0/16'] });
    }
    expect(byName['allow-egress']).toMatchObject({ protocol: 'Tcp', destination_port_ranges: ['443', '22'], destination_address_prefix: '*' });
  });

  it('cluster: Azure Policy, Container Insights and the control-plane logs in the workspace; image cleaner', () => {
    expect(aks).toMatchObject({ azure_policy_enabled: true, oms_agent: { log_analytics_workspace_id: expect.stringMatching(/azurerm_log_analytics_workspace\.Logs/), msi_auth_for_monitoring_enabled: true }, image_cleaner_enabled: true });
    const diag = cluster.only('azurerm_monitor_diagnostic_setting');
    expect(diag.target_resource_id).toMatch(/azurerm_kubernetes_cluster\.Cluster/);
    expect(diag.enabled_log.map((l: Json) => l.category)).toEqual(['kube-apiserver', 'kube-audit-admin', 'kube-controller-manager', 'kube-scheduler', 'cluster-autoscaler', 'guard']);
  });

  it('cluster: a supported Kubernetes version from config, patch upgrades and node OS security patches in the window from updates.window', () => {
    const window = { frequency: 'Weekly', interval: 1, duration: 4, day_of_week: 'Saturday', start_time: '02:00', utc_offset: '+01:00' };
    expect(aks).toMatchObject({ kubernetes_version: '1.33', automatic_upgrade_channel: 'patch', node_os_upgrade_channel: 'SecurityPatch', maintenance_window_node_os: window, maintenance_window_auto_upgrade: window, sku_tier: 'Standard' });
  });

  it('cluster: one autoscaled pool of the configured size, bounds sized for maxConcurrentJobs, the autoscaler owning the count', () => {
    expect(aks.default_node_pool).toMatchObject({ vm_size: 'Standard_D4s_v5', auto_scaling_enabled: true, min_count: 2, max_count: 4, max_pods: 110, os_sku: 'AzureLinux' });
    expect(aks.default_node_pool.node_count).toBeUndefined();
    expect(aks.lifecycle.ignore_changes).toEqual(['default_node_pool[0].node_count']);
  });

  it("cluster: the runner's identity is federated with run-controller's service account and holds no Azure permission", () => {
    const fed = cluster.only('azurerm_federated_identity_credential');
    expect(fed).toMatchObject({ subject: 'system:serviceaccount:meshstack-runner:run-controller-default', audience: ['api://AzureADTokenExchange'], issuer: expect.stringMatching(/azurerm_kubernetes_cluster\.Cluster_.*\.oidc_issuer_url/) });
    const sa = workload.only('kubernetes_service_account_v1').metadata;
    expect(`system:serviceaccount:${sa.namespace}:${sa.name}`.replace(/\$\{[^}]+\}/, 'meshstack-runner')).toBe(fed.subject);
    const identity = cluster.resources('azurerm_user_assigned_identity').find(([id]) => id.includes('Runner-default-Identity'))!;
    const principal = `\${azurerm_user_assigned_identity.${identity[0]}.principal_id}`;
    expect(values(cluster, 'azurerm_role_assignment').filter((a) => a.principal_id === principal)).toEqual([]);
  });

  it("cluster: the runner's three credentials in the Key Vault, written write-only (PEMs base64: Key Vault strips line breaks)", () => {
    const secrets = values(cluster, 'azurerm_key_vault_secret');
    expect(secrets.map((s) => s.name).sort()).toEqual(['default-api-client-secret', 'default-certificate', 'default-private-key']);
    for (const s of secrets) {
      expect(s.value).toBeUndefined();
      expect(s.value_wo).toMatch(/^\$\{(base64encode\()?var\.runner_default_(api_client_secret|private_key|certificate)\)?\}$/);
    }
    expect(cluster.json.output.secret_inputs.value).toEqual(['runner_default_api_client_secret', 'runner_default_private_key', 'runner_default_certificate']);
  });

  it('cluster: the deployer is cluster admin, the kubelet pulls from the mirror; operators and the updater only at the runner namespace', () => {
    const builtIn = values(cluster, 'azurerm_role_assignment').filter((a) => a.role_definition_name !== undefined);
    expect(builtIn.find((a) => a.role_definition_name === 'Azure Kubernetes Service RBAC Cluster Admin')).toMatchObject({ scope: expect.stringMatching(/azurerm_kubernetes_cluster\.Cluster_.*\.id/), principal_id: '${data.azurerm_client_config.Deployer.object_id}' });
    expect(builtIn.find((a) => a.role_definition_name === 'AcrPull')).toMatchObject({ principal_id: expect.stringMatching(/kubelet_identity\[0\]\.object_id/), scope: expect.stringMatching(/azurerm_container_registry\.Registry/) });
    const namespaced = values(cluster, 'azurerm_role_assignment').filter((a) => typeof a.scope === 'string' && a.scope.includes('/namespaces/'));
    expect(namespaced.map((a) => a.scope)).toEqual([expect.stringMatching(/\.id\}\/namespaces\/meshstack-runner$/), expect.stringMatching(/\.id\}\/namespaces\/meshstack-runner$/)]);
  });

  it('cluster: the bootstrap promotes the controller and the job images; the digests are handed to the workload stack', () => {
    const script = cluster.only('azurerm_resource_deployment_script_azure_cli');
    const plan = JSON.parse(script.environment_variable[0].value);
    expect(plan.runners.map((r: Json) => [r.name, r.mirrorRepository, r.version])).toEqual([
      ['default', 'aksexample/run-controller', 'v1.3.0'],
      ['default/TERRAFORM', 'aksexample/tf-block-runner', 'v1.3.0'],
    ]);
    expect(Object.keys(cluster.json.output.mirrored_digests.value).sort()).toEqual(['ghcr.io/meshcloud/run-controller:v1.3.0', 'ghcr.io/meshcloud/tf-block-runner:v1.3.0']);
    expect(cluster.json.output.cluster_ca_certificate.sensitive).toBe(true);
  });

  it('cluster: the updater (Functions app) is configured for the cluster and the controller Deployment; it holds no container group role', () => {
    const settings = JSON.parse(cluster.only('azurerm_function_app_flex_consumption').app_settings.RUNNER_KIT_UPDATER_CONFIG);
    expect(settings.cluster).toEqual({ name: 'aksexample-cluster' });
    expect(settings.runners[0]).toMatchObject({ name: 'default', mirrorRepository: 'aksexample/run-controller', kubernetes: { namespace: 'meshstack-runner', deployment: 'run-controller-default' } });
    const roles = values(cluster, 'azurerm_role_definition').map((d) => d.name.split(' ')[1]).sort();
    expect(roles).toEqual(['cluster-network', 'operator', 'operator-invoke', 'operator-kubernetes', 'updater-cluster', 'updater-kubernetes', 'updater-registry']);
  });

  it("workload stack: Kubernetes configured from the cluster stack's outputs, an Entra token from kubelogin (exec: never in state)", () => {
    expect(workload.json.provider.kubernetes[0]).toEqual({
      host: '${data.terraform_remote_state.ClusterState.outputs.cluster_host}',
      cluster_ca_certificate: '${base64decode(data.terraform_remote_state.ClusterState.outputs.cluster_ca_certificate)}',
      exec: [{ api_version: 'client.authentication.k8s.io/v1beta1', command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', AKS_SERVER_APPLICATION_ID] }],
    });
    expect(workload.json.data.terraform_remote_state.ClusterState).toMatchObject({ backend: 'local', config: { path: path.resolve(process.cwd(), 'terraform.aksexample-cluster.tfstate') } });
  });

  it('workload stack: credentials read ephemerally from the Key Vault into the Secret\'s write-only data', () => {
    const eph = workload.json.ephemeral.azurerm_key_vault_secret as Json;
    expect(Object.values(eph).map((e) => (e as Json).name).sort()).toEqual(['default-api-client-secret', 'default-certificate', 'default-private-key']);
    for (const e of Object.values(eph)) expect((e as Json).key_vault_id).toBe('${data.terraform_remote_state.ClusterState.outputs.key_vault_id}');
    const secret = workload.only('kubernetes_secret_v1');
    expect(secret.data).toBeUndefined();
    expect(secret.data_wo['private-key.pem']).toBe('${base64decode(ephemeral.azurerm_key_vault_secret.default_private_key.value)}');
    expect(secret.data_wo_revision).toBe(1);
  });

  it('workload stack: images are the mirror digests the bootstrap promoted, by digest', () => {
    const container = workload.only('kubernetes_deployment_v1').spec.template.spec.container[0];
    expect(container.image).toMatch(/^rkaksexample[0-9a-f]{8}\.azurecr\.io\/aksexample\/run-controller@\$\{data\.terraform_remote_state\.ClusterState\.outputs\.mirrored_digests\["ghcr\.io\/meshcloud\/run-controller:v1\.3\.0"\]\}$/);
  });

  it('the runner workload is the one EKS runs: the same Kubernetes objects (types and names), valid against the Kubernetes schemas', () => {
    const eks = synthEks(exampleEksTarget((t) => (t.kubernetes.maxConcurrentJobs = 6)).config).workload;
    const shape = (s: Synthesized) =>
      Object.entries(s.json.resource)
        .filter(([type]) => type.startsWith('kubernetes_'))
        .flatMap(([type, byId]) => Object.values(byId as Json).map((b) => `${type} ${(b as Json).metadata?.name ?? ''}`))
        .sort();
    expect(shape(workload)).toEqual(shape(eks));
    expect(shape(workload).length).toBeGreaterThan(10);
    const objects = kubernetesObjects(workload);
    expect(objects.length).toBe(shape(workload).length);
    expect(schemaErrors(objects)).toEqual({});
  });

  it('the check packs pass on both stacks; only the vault\'s deployer network and the cluster\'s internal traffic are acknowledged', () => {
    const report = RulePack.reportOf(stacks[0]!, 'azure')!;
    expect(report.open).toEqual([]);
    expect(report.acknowledged.map((f) => `${f.ruleId}[${f.key}]`).sort()).toEqual(['AZURE-KV-2[public_network_access_enabled]', 'AZURE-NSG-2[Egress:ports:*]', 'AZURE-NSG-2[Egress:protocol:*]']);
    const status = (id: string) => report.results.filter((r) => r.ruleId === id).map((r) => `${r.address.split('.')[0]} ${r.status}`);
    for (const id of ['AZURE-AKS-1', 'AZURE-AKS-2', 'AZURE-AKS-3', 'AZURE-AKS-4', 'AZURE-AKS-5', 'AZURE-AKS-6', 'AZURE-AKS-7']) expect(status(id)).toContain('azurerm_kubernetes_cluster compliant');
    expect(RulePack.reportsOf(stacks[1]!).map((r) => [r.pack, r.open])).toEqual([['azure', []], ['kubernetes', []]]);
  });

  it('outputs what customers and onboarding scripts read, each with a description', () => {
    const platform = ['cluster_name', 'cluster_endpoint', 'runner_identities', 'runner_secrets', 'resource_group', 'cluster_id', 'cluster_host', 'oidc_issuer_url', 'kubeconfig_command', 'key_vault', 'key_vault_id', 'registry_login_server', 'mirrored_digests', 'log_workspace_id', 'updater_request_queue', 'cluster_ca_certificate'];
    expect(Object.keys(cluster.json.output).sort()).toEqual([...COMMON_OUTPUTS, ...platform].sort());
    for (const n of Object.keys(cluster.json.output)) expect(cluster.json.output[n].description.length).toBeGreaterThan(10);
    expect(Object.keys(workload.json.output).sort()).toEqual(['controller_deployments', 'controller_images', 'credentials_secrets', 'namespace', 'operators_group', 'updater_group']);
    expect(cluster.json.output.runner_version_records.value).toEqual({ default: 'aksexample-cluster: ConfigMap meshstack-runner/run-controller-default, annotation private-runner-kit/version-record' });
    expect(cluster.json.output.kubeconfig_command.value).toBe('az aks get-credentials --resource-group private-runner-kit-aksexample --name aksexample-cluster && kubelogin convert-kubeconfig -l azurecli');
  });
});

describe('AKS stacks options', () => {
  it('GIVEN allowPublicEndpoint with CIDRs THEN a public API server for those networks only, with a warning', () => {
    const { cluster, stacks } = synthAks(exampleAks((t) => {
      t.kubernetes.allowPublicEndpoint = true;
      t.kubernetes.publicEndpointCidrs = ['203.0.113.0/24'];
    }));
    const aks = cluster.only('azurerm_kubernetes_cluster');
    expect(aks).toMatchObject({ private_cluster_enabled: false, api_server_access_profile: { authorized_ip_ranges: ['203.0.113.0/24'] } });
    expect(aks.private_dns_zone_id).toBeUndefined();
    const warnings = stacks[0]!.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type === AnnotationMetadataEntryType.WARN).map((m) => String(m.data)));
    expect(warnings.some((w) => /allowPublicEndpoint: the API server of aksexample-cluster is reachable from the internet for 203\.0\.113\.0\/24/.test(w))).toBe(true);
    expect(RulePack.reportOf(stacks[0]!, 'azure')!.open).toEqual([]);
  });

  it('GIVEN an azurerm state backend THEN the workload stack reads the cluster stack\'s own state blob with Entra ID', () => {
    const { cluster, workload } = synthAks(exampleAks((t) => (t.stateBackend = { type: 'azurerm', resourceGroupName: 'tfstate', storageAccountName: 'tfstate0123', containerName: 'tfstate' })));
    expect(cluster.json.terraform.backend.azurerm).toMatchObject({ key: 'private-runner-kit/aksexample-cluster.tfstate', use_azuread_auth: true });
    expect(workload.json.data.terraform_remote_state.ClusterState).toMatchObject({
      backend: 'azurerm',
      config: { key: 'private-runner-kit/aksexample-cluster.tfstate', storage_account_name: 'tfstate0123', container_name: 'tfstate', resource_group_name: 'tfstate', use_azuread_auth: true },
    });
  });

  it('GIVEN two runners, arm64 and more implementation types THEN each runner gets its credentials and identity; every release image is promoted; Arm64 nodes', () => {
    const { cluster, workload } = synthAks(exampleAks((t) => {
      t.kubernetes.implementations = ['TERRAFORM', 'GITHUB_WORKFLOW'];
      delete t.kubernetes.nodeTypes;
      t.runners.default.architecture = 'arm64';
      t.runners.second = { ...t.runners.default, uuid: '6c3d4e5f-7081-4b92-8c3d-4e5f6a7b8c9d', apiClientId: 'runner-two' };
    }));
    expect(cluster.only('azurerm_kubernetes_cluster').default_node_pool.vm_size).toBe('Standard_D4ps_v5');
    expect(cluster.count('azurerm_federated_identity_credential')).toBe(2);
    expect(cluster.count('azurerm_key_vault_secret')).toBe(6);
    const plan = JSON.parse(cluster.only('azurerm_resource_deployment_script_azure_cli').environment_variable[0].value);
    expect(plan.runners.map((r: Json) => r.name)).toEqual(['default', 'default/TERRAFORM', 'default/GITHUB_WORKFLOW', 'second', 'second/TERRAFORM', 'second/GITHUB_WORKFLOW']);
    expect(workload.count('kubernetes_deployment_v1')).toBe(2);
    expect(schemaErrors(kubernetesObjects(workload))).toEqual({});
  });

  it('GIVEN no operator access THEN no operator role, and the updater keeps its namespace role', () => {
    const { cluster } = synthAks(exampleAks((t) => delete t.operatorAccess));
    const roles = values(cluster, 'azurerm_role_definition').map((d) => d.name.split(' ')[1]).sort();
    expect(roles).toEqual(['cluster-network', 'updater-cluster', 'updater-kubernetes', 'updater-registry']);
  });
});
