/**
 * The ACI stack of examples/azure-aci.yaml, synthesized once: every security-relevant attribute of
 * what a deploy creates (snake_case keys of the synthesized JSON), the outputs under the common
 * names, no secret anywhere, and the overrides (public registry, parked runner, trust material).
 */
import { Testing } from 'cdktf';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { UPDATER_OWNED_ATTRIBUTES } from '../../constructs/azure/aci-runner-group';
import { VERSION_TAGS } from '../../constructs/azure/azure-names';
import { RulePack } from '../../constructs/core/rules/rule-pack';
import { addTargetStacks } from '../../stacks/targets';
import { COMMON_OUTPUTS } from '../support/outputs';
import { configFrom, REPO_ROOT, Synthesized, type Json } from '../support/synth';
import { TEST_CA_PEM, TEST_KNOWN_HOSTS } from '../support/trust-material';

const EXAMPLE = path.join(REPO_ROOT, 'examples', 'azure-aci.yaml');

function synth(patch: (t: Json) => void = () => undefined): { s: Synthesized; stack: ReturnType<typeof addTargetStacks>[number] } {
  const doc = parse(readFileSync(EXAMPLE, 'utf8')) as Json;
  patch(doc.targets.aciexample);
  const [stack] = addTargetStacks(Testing.app(), configFrom(stringify(doc)));
  return { s: new Synthesized(JSON.parse(Testing.synth(stack!))), stack: stack! };
}

describe('ACI stack of examples/azure-aci.yaml', () => {
  let s: Synthesized;
  let text: string;
  beforeAll(() => {
    const r = synth();
    s = r.s;
    text = JSON.stringify(s.json);
  }, 60_000);

  it('pins azurerm 4.55.0 and configures subscription, tenant and Entra ID storage access', () => {
    expect(s.json.terraform.required_providers.azurerm).toEqual({ source: 'azurerm', version: '4.55.0' });
    expect(s.json.provider.azurerm[0]).toMatchObject({ subscription_id: '00000000-0000-4000-8000-000000000001', tenant_id: '00000000-0000-4000-8000-0000000000aa', storage_use_azuread: true });
  });

  it('runs the runner as one private container group in the delegated subnet, with its identity and no secret in its spec', () => {
    const g = s.only('azurerm_container_group');
    expect(g).toMatchObject({ name: 'aciexample-default', os_type: 'Linux', ip_address_type: 'Private', restart_policy: 'Always', identity: { type: 'UserAssigned' } });
    expect(g.subnet_ids).toEqual([expect.stringContaining('azurerm_subnet.Network_Subnet-runners')]);
    expect(g.image_registry_credential).toEqual([{ server: expect.stringContaining('azurerm_container_registry.'), user_assigned_identity_id: expect.stringContaining('azurerm_user_assigned_identity.Runner-default-Identity') }]);
    expect(g.dns_name_label).toBeUndefined();
    expect(g.diagnostics).toBeUndefined();
    for (const c of [...g.container, ...g.init_container]) {
      expect(c.secure_environment_variables).toBeUndefined();
      expect(c.image).toMatch(/^\$\{jsondecode\(azurerm_resource_deployment_script_azure_cli\.Updates_Bootstrap_\w+\.outputs\)\.runners\.default\.image\}$/);
      for (const v of c.volume) expect(v).toMatchObject({ empty_dir: true });
    }
    expect(g.container[0]).toMatchObject({ name: 'runner', cpu: 1, memory: 2, ports: [{ port: 8080, protocol: 'TCP' }] });
    expect(g.container[0].liveness_probe).toBeUndefined();
    expect(Object.keys(g.container[0].environment_variables).sort()).toEqual(['HOME', 'PORT', 'RUNNER_API_CLIENT_ID', 'RUNNER_API_URL', 'RUNNER_CONFIG_FILE', 'RUNNER_PRIVATE_KEY_FILE', 'RUNNER_UUID']);
    expect(g.container[0].volume).toEqual([{ empty_dir: true, mount_path: '/run/runner-kit', name: 'runner-files', read_only: true }]);
    expect(g.init_container[0].name).toBe('fetch-secrets');
    expect(g.init_container[0].environment_variables.KIT_VAULT_URI).toMatch(/azurerm_key_vault\.Vault_\w+\.vault_uri/);
  });

  it('records the bootstrap version in the group tags and ignores exactly what the updater owns', () => {
    const g = s.only('azurerm_container_group');
    expect(g.tags[VERSION_TAGS.version]).toMatch(/runners\.default\.to\}$/);
    expect(g.tags[VERSION_TAGS.digest]).toMatch(/runners\.default\.digest\}$/);
    expect(g.lifecycle.ignore_changes).toEqual([...UPDATER_OWNED_ATTRIBUTES]);
  });

  it('keeps secret values out of the configuration: write-only values from ephemeral variables, with a plan-time check', () => {
    const secrets = s.resources('azurerm_key_vault_secret').map(([, b]) => b);
    expect(secrets.map((b) => b.name).sort()).toEqual(['default-api-client-secret', 'default-private-key']);
    for (const b of secrets) {
      expect(b.value).toBeUndefined();
      expect(b.value_wo).toMatch(/var\.runner_default_(api_client_secret|private_key)/);
      expect(b.value_wo_version).toBe(1);
      expect(b.lifecycle.precondition[0].condition).toMatch(/length\(var\.runner_default_\w+\) >= 1 \|\| \(length\(data\.azurerm_resources\./);
    }
    expect(secrets.find((b) => b.name === 'default-private-key')!.value_wo).toBe('${base64encode(var.runner_default_private_key)}');
    for (const v of Object.values<Json>(s.json.variable)) expect(v).toMatchObject({ ephemeral: true, sensitive: true, default: '' });
    // No argument that carries a secret value anywhere in the stack.
    const keys = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) (keys.add(k), walk(x));
    };
    walk(s.json.resource);
    expect([...keys].filter((k) => ['workspace_key', 'primary_shared_key', 'secure_environment_variables', 'password', 'admin_password', 'storage_account_key', 'access_key', 'storage_access_key', 'secure_value', 'client_secret'].includes(k))).toEqual([]);
    expect(text.length).toBeGreaterThan(1000);
  });

  it('hardens the vault: RBAC, purge protection, deny by default with the deployer networks only, private endpoint', () => {
    expect(s.only('azurerm_key_vault')).toMatchObject({
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      soft_delete_retention_days: 90,
      network_acls: { default_action: 'Deny', bypass: 'None', ip_rules: ['203.0.113.0/28'] },
    });
    const endpoints = s.resources('azurerm_private_endpoint').map(([, e]) => e.private_service_connection.subresource_names[0]).sort();
    expect(endpoints).toEqual(['registry', 'vault']);
  });

  it('mirrors into a Premium registry with public access, admin user and anonymous pull off', () => {
    expect(s.only('azurerm_container_registry')).toMatchObject({ sku: 'Premium', admin_enabled: false, anonymous_pull_enabled: false, public_network_access_enabled: false, network_rule_bypass_option: 'AzureServices', export_policy_enabled: false });
  });

  it('gives every subnet an NSG, no default outbound access, delegations, and NAT egress for runners and updater', () => {
    const subnets = s.resources('azurerm_subnet').map(([, b]) => b);
    expect(subnets.map((b) => b.name).sort()).toEqual(['endpoints', 'runners', 'updater']);
    for (const b of subnets) expect(b.default_outbound_access_enabled).toBe(false);
    expect(subnets.find((b) => b.name === 'runners')!.delegation[0].service_delegation.name).toBe('Microsoft.ContainerInstance/containerGroups');
    expect(subnets.find((b) => b.name === 'updater')!.delegation[0].service_delegation.name).toBe('Microsoft.App/environments');
    expect(s.count('azurerm_subnet_network_security_group_association')).toBe(3);
    expect(s.count('azurerm_subnet_nat_gateway_association')).toBe(2);
    const rules = s.resources('azurerm_network_security_rule').map(([, r]) => r);
    expect(rules.filter((r) => r.direction === 'Inbound' && r.access === 'Allow')).toEqual([expect.objectContaining({ source_address_prefixes: ['10.42.0.0/24', '10.42.1.0/24'], destination_port_range: '443' })]);
    const egress = rules.filter((r) => r.direction === 'Outbound' && r.access === 'Allow');
    expect(egress.map((r) => r.destination_port_ranges).sort()).toEqual([['443'], ['443', '22']]);
    expect(rules.filter((r) => r.access === 'Deny' && r.priority === 4096)).toHaveLength(6);
    expect(s.only('azurerm_network_watcher_flow_log')).toMatchObject({ enabled: true, version: 2, network_watcher_name: 'NetworkWatcher_westeurope', resource_group_name: 'NetworkWatcherRG' });
  });

  it('runs the updater on Flex Consumption: private, its own identity, code from the deterministic bundle, the configuration document', () => {
    const app = s.only('azurerm_function_app_flex_consumption');
    expect(app).toMatchObject({ runtime_name: 'node', runtime_version: '22', public_network_access_enabled: false, https_only: true, storage_authentication_type: 'UserAssignedIdentity', webdeploy_publish_basic_authentication_enabled: false });
    const config = JSON.parse(app.app_settings.RUNNER_KIT_UPDATER_CONFIG);
    expect(config).toMatchObject({ target: 'aciexample', resourceGroup: 'private-runner-kit-aciexample', runners: [{ name: 'default', containerGroup: 'aciexample-default', mirrorRepository: 'aciexample/tf-block-runner' }], schedule: { cron: '0 * * * *', timeZone: 'Europe/Berlin', tickMinutes: 5 } });
    expect(s.only('azurerm_storage_blob')).toMatchObject({ name: 'released-package.zip', type: 'Block', content_md5: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(s.only('azurerm_storage_account')).toMatchObject({ shared_access_key_enabled: false, min_tls_version: 'TLS1_2', network_rules: { default_action: 'Deny' } });
    expect(s.only('azurerm_application_insights').local_authentication_disabled).toBe(true);
  });

  it('bootstraps inside the deploy with the updater identity, after its registry role', () => {
    const b = s.only('azurerm_resource_deployment_script_azure_cli');
    expect(b.script_content).toContain('python3 /tmp/runner-kit-bootstrap.py');
    expect(b.script_content).not.toContain('${');
    const plan = JSON.parse(b.environment_variable[0].value);
    expect(plan).toEqual({ registry: expect.stringMatching(/^rkaciexample[0-9a-f]{8}$/), loginServer: expect.stringMatching(/\.azurecr\.io$/), runners: [{ name: 'default', upstreamRegistry: 'https://ghcr.io', upstreamRepository: 'meshcloud/tf-block-runner', version: 'v1.3.0', mirrorRepository: 'aciexample/tf-block-runner' }] });
    expect(b.depends_on).toEqual([expect.stringContaining('azurerm_role_assignment.Updates_RegistryRole_Assignment-registry')]);
  });

  it('defines custom roles assignable only at the resource group, and assigns the runner roles at the runner only', () => {
    const definitions = s.resources('azurerm_role_definition').map(([, d]) => d);
    for (const d of definitions) expect(d.assignable_scopes).toEqual(['/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/private-runner-kit-aciexample']);
    expect(definitions.map((d) => d.name.split(' ')[1]).sort()).toEqual(['operator', 'operator-invoke', 'updater-identity', 'updater-logs', 'updater-network', 'updater-registry', 'updater-runner']);
    const runnerAssignments = s.resources('azurerm_role_assignment').filter(([id]) => id.startsWith('Updates_RunnerRole') || id.startsWith('Updates_IdentityRole'));
    expect(runnerAssignments.map(([, a]) => a.scope).sort()).toEqual([expect.stringMatching(/azurerm_container_group\.Runner-default_\w+\.id/), expect.stringMatching(/azurerm_user_assigned_identity\.Runner-default-Identity_\w+\.id/)]);
    const operator = s.resources('azurerm_role_assignment').filter(([id]) => id.startsWith('OperatorAccess'));
    expect(operator.map(([, a]) => a.principal_id)).toEqual(['11111111-2222-4333-8444-555555555555', '11111111-2222-4333-8444-555555555555']);
  });

  it('alerts on the runner\'s own word and on the updater\'s outcomes, to the action group', () => {
    const alerts = s.resources('azurerm_monitor_scheduled_query_rules_alert_v2').map(([, a]) => a);
    expect(alerts.map((a) => a.name).sort()).toEqual(['aciexample-default-cannot-reach-meshstack', 'aciexample-default-not-polling', 'aciexample-update-failed', 'aciexample-update-rolled-back', 'aciexample-updater-errors']);
    for (const a of alerts) expect(a.action.action_groups).toEqual([expect.stringContaining('azurerm_monitor_action_group.Alarms')]);
    expect(alerts.find((a) => a.name.endsWith('not-polling'))).toMatchObject({ window_duration: 'PT10M' });
    expect(s.only('azurerm_monitor_action_group').email_receiver).toEqual([{ name: 'email-1', email_address: 'oncall@example.com', use_common_alert_schema: true }]);
  });

  it('writes the common outputs under the same names as on AWS, plus its platform\'s', () => {
    const outputs = Object.keys(s.json.output);
    expect(outputs).toEqual(expect.arrayContaining([...COMMON_OUTPUTS, 'runner_services', 'runner_logs', 'runner_secrets', 'resource_group', 'key_vault', 'registry_login_server', 'updater_request_queue']));
  });

  it('acknowledges exactly two findings, each with its reason', () => {
    const { stack } = synth();
    Testing.synth(stack);
    const report = RulePack.reportOf(stack, 'azure')!;
    expect(report.open).toEqual([]);
    expect(report.acknowledged.map((a) => a.id).sort()).toEqual(['AZURE-IAM-3[Escalation::Microsoft.ManagedIdentity/userAssignedIdentities/assign/action+Microsoft.ContainerInstance/containerGroups/write]', 'AZURE-KV-2[public_network_access_enabled]']);
  }, 60_000);
});

describe('ACI stack overrides', () => {
  it('GIVEN allowPublicRegistryEndpoint THEN a Standard registry, no registry endpoint, the finding acknowledged and a warning', () => {
    const { s } = synth((t) => (t.azure.allowPublicRegistryEndpoint = true));
    expect(s.only('azurerm_container_registry')).toMatchObject({ sku: 'Standard', public_network_access_enabled: true });
    expect(s.json.resource.azurerm_container_registry[Object.keys(s.json.resource.azurerm_container_registry)[0]!].network_rule_set).toBeUndefined();
    expect(s.resources('azurerm_private_endpoint').map(([, e]) => e.private_service_connection.subresource_names[0])).toEqual(['vault']);
  }, 60_000);

  it('GIVEN a parked runner (replicas 0) THEN its secrets and identity exist, no container group, no alerts of its own, and the updater skips it', () => {
    const { s } = synth((t) => (t.runners.default.replicas = 0));
    expect(s.count('azurerm_container_group')).toBe(0);
    expect(s.count('azurerm_key_vault_secret')).toBe(2);
    expect(s.resources('azurerm_monitor_scheduled_query_rules_alert_v2').map(([, a]) => a.name).sort()).toEqual(['aciexample-update-failed', 'aciexample-update-rolled-back', 'aciexample-updater-errors']);
    expect(JSON.parse(s.only('azurerm_function_app_flex_consumption').app_settings.RUNNER_KIT_UPDATER_CONFIG).runners[0].containerGroup).toBeUndefined();
  }, 60_000);

  it('GIVEN trust material THEN the init step writes it into volumes the runner mounts read-only, and it stays plain text', () => {
    const { s } = synth((t) => (t.trust = { caCertificates: TEST_CA_PEM, sshKnownHosts: TEST_KNOWN_HOSTS }));
    const g = s.only('azurerm_container_group');
    expect(g.container[0].volume.map((v: Json) => [v.name, v.mount_path, v.read_only])).toEqual([
      ['runner-files', '/run/runner-kit', true],
      ['extra-ca', '/usr/local/share/ca-certificates', true],
      ['ssh', '/home/meshcloud/.ssh', true],
    ]);
    expect(g.init_container[0].environment_variables.KIT_EXTRA_CA_CERTIFICATES).toBe(TEST_CA_PEM);
  }, 60_000);

  it('GIVEN an azurerm state backend THEN Entra ID authentication and one state blob per stack', () => {
    const { s } = synth((t) => (t.stateBackend = { type: 'azurerm', resourceGroupName: 'tfstate', storageAccountName: 'tfstate0123', containerName: 'tfstate' }));
    expect(s.json.terraform.backend.azurerm).toMatchObject({ use_azuread_auth: true, key: 'private-runner-kit/aciexample.tfstate', subscription_id: '00000000-0000-4000-8000-000000000001' });
  }, 60_000);
});

describe("the updater's Functions host settings", () => {
  it('load the extension bundle the queue trigger needs (only timer and HTTP are built into the host), base64 messages, one attempt, one request at a time', () => {
    const { hostJson } = require('../../constructs/azure/update-pipeline') as typeof import('../../constructs/azure/update-pipeline');
    const entry = readFileSync(path.join(REPO_ROOT, 'updater', 'entry', 'azure-function.ts'), 'utf8');
    expect(entry).toMatch(/app\.storageQueue\(/);
    const host = hostJson() as { extensionBundle?: { id: string; version: string }; extensions: { queues: Record<string, unknown> } };
    expect(host.extensionBundle).toEqual({ id: 'Microsoft.Azure.Functions.ExtensionBundle', version: '[4.*, 5.0.0)' });
    expect(host.extensions.queues).toMatchObject({ messageEncoding: 'base64', maxDequeueCount: 1, batchSize: 1, newBatchThreshold: 0 });
  });
});
