/**
 * The schema gate catches each kind of mistake it claims to (seeded into the EKS workload stack for
 * the Kubernetes provider, and into small hand-written azurerm and google stacks to prove it is not
 * Kubernetes-specific), raises no false alarm on the kit's real AWS output, and loads only the
 * provider schemas it needs.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { exampleEksTarget, synthEks } from '../eks';
import { configFrom, EXAMPLE_AWS_ECS, synthConfig, type Json } from '../synth';
import { checkStack } from './check-stack';
import { references } from './expressions';
import { formatFinding, formatFindings, type CheckId, type Finding } from './findings';
import { cacheFile, loadProviderSchema, packageDir } from './schema-cache';

const brief = (findings: readonly Finding[]) => findings.map((f) => ({ check: f.check, address: f.address, path: f.path }));

interface Seeded {
  readonly mistake: string;
  readonly seed: (stack: Json) => void;
  /** The one finding expected; an address may be computed from the stack (synthesized ids). */
  readonly expected: { check: CheckId; address: string | ((stack: Json) => string); path: string };
}

/** Every seeded mistake yields exactly the one expected finding, and the untouched stack yields none. */
function seededSuite(provider: string, baseline: () => Json, cases: readonly Seeded[]): void {
  it(`the unseeded ${provider} stack passes`, () => {
    expect(formatFindings(checkStack(baseline(), { stack: 'test', providers: [provider] }))).toBe('');
  });
  it.each(cases.map((c) => [c.mistake, c] as const))(`${provider}: catches %s`, (_, c) => {
    const stack = structuredClone(baseline());
    c.seed(stack);
    const findings = checkStack(stack, { stack: 'test', providers: [provider] });
    const { address } = c.expected;
    expect(brief(findings)).toEqual([{ ...c.expected, address: typeof address === 'function' ? address(baseline()) : address }]);
    expect(findings[0]!.problem.length).toBeGreaterThan(10);
    expect(findings[0]!.fix.length).toBeGreaterThan(5);
  });
}

// ---------------------------------------------------------------------------------------------
// Kubernetes: mistakes seeded into the kit's real EKS workload stack.
// ---------------------------------------------------------------------------------------------
describe('schema gate: kubernetes (seeded into the EKS workload stack)', () => {
  let workload: Json;
  beforeAll(() => {
    workload = synthEks(exampleEksTarget().config).workload.json;
  }, 60_000);

  const first = (s: Json, type: string): [string, Json] => Object.entries<Json>(s.resource[type])[0]!;
  const deployment = (s: Json) => first(s, 'kubernetes_deployment_v1')[1];
  const podSpec = (s: Json) => deployment(s).spec.template.spec;
  const namespace = (s: Json) => first(s, 'kubernetes_namespace_v1')[1];
  // Addresses carry the synthesized ids, so they are resolved against the stack.
  const dep = (s: Json) => `kubernetes_deployment_v1.${first(s, 'kubernetes_deployment_v1')[0]}`;
  const ns = (s: Json) => `kubernetes_namespace_v1.${first(s, 'kubernetes_namespace_v1')[0]}`;

  seededSuite('kubernetes', () => workload, [
    { mistake: 'an unknown resource type', seed: (s) => (s.resource.kubernetes_deployment_v9 = { x: { metadata: {}, spec: {} } }), expected: { check: 'unknown-type', address: 'kubernetes_deployment_v9.x', path: '' } },
    { mistake: 'an unknown data source', seed: (s) => (s.data.kubernetes_namespace_v9 = { x: {} }), expected: { check: 'unknown-type', address: 'data.kubernetes_namespace_v9.x', path: '' } },
    { mistake: 'an unknown argument', seed: (s) => (namespace(s).metadata.lables = { a: 'b' }), expected: { check: 'unknown-argument', address: ns, path: 'metadata.lables' } },
    { mistake: 'an unknown argument deep in a nested block', seed: (s) => (podSpec(s).container[0].imag = 'x'), expected: { check: 'unknown-argument', address: dep, path: 'spec.template.spec.container[0].imag' } },
    { mistake: 'a computed-only attribute set', seed: (s) => (namespace(s).metadata.uid = 'x'), expected: { check: 'computed-only', address: ns, path: 'metadata.uid' } },
    { mistake: 'a missing required argument', seed: (s) => delete podSpec(s).container[0].name, expected: { check: 'missing-required', address: dep, path: 'spec.template.spec.container[0].name' } },
    { mistake: 'a missing required block', seed: (s) => delete deployment(s).spec.template, expected: { check: 'missing-required', address: dep, path: 'spec.template' } },
    { mistake: 'a string where a number is expected', seed: (s) => (deployment(s).spec.revision_history_limit = 'five'), expected: { check: 'wrong-type', address: dep, path: 'spec.revision_history_limit' } },
    { mistake: 'a string where a bool is expected', seed: (s) => (podSpec(s).automount_service_account_token = 'yes'), expected: { check: 'wrong-type', address: dep, path: 'spec.template.spec.automount_service_account_token' } },
    { mistake: 'a string where a list is expected', seed: (s) => (podSpec(s).container[0].command = 'run-controller'), expected: { check: 'wrong-type', address: dep, path: 'spec.template.spec.container[0].command' } },
    { mistake: 'a list where a map is expected', seed: (s) => (namespace(s).metadata.labels = ['a=b']), expected: { check: 'wrong-type', address: ns, path: 'metadata.labels' } },
    { mistake: 'two copies of an at-most-one block', seed: (s) => (podSpec(s).security_context = [{ run_as_non_root: true }, { run_as_user: '2000' }]), expected: { check: 'block-shape', address: dep, path: 'spec.template.spec.security_context' } },
    { mistake: 'a block written as an expression', seed: (s) => (podSpec(s).volume = '${tolist([])}'), expected: { check: 'block-shape', address: dep, path: 'spec.template.spec.volume' } },
    { mistake: 'a reference to an undeclared resource', seed: (s) => (deployment(s).metadata.namespace = '${kubernetes_namespace_v1.runner.metadata[0].name}'), expected: { check: 'undeclared-reference', address: dep, path: 'metadata.namespace' } },
    { mistake: 'a reference to an undeclared data source', seed: (s) => (s.provider.kubernetes[0].host = '${data.aws_eks_cluster.Clustr.endpoint}'), expected: { check: 'undeclared-reference', address: 'provider.kubernetes', path: 'host' } },
    { mistake: 'a reference to an attribute the type does not export', seed: (s) => (deployment(s).metadata.namespace = `\${${ns(s)}.metadta[0].name}`), expected: { check: 'unknown-attribute', address: dep, path: 'metadata.namespace' } },
    { mistake: 'unescaped shell text in a template', seed: (s) => (podSpec(s).container[0].args = ['echo ${HOME}']), expected: { check: 'undeclared-reference', address: dep, path: 'spec.template.spec.container[0].args[0]' } },
    { mistake: 'a depends_on naming an undeclared resource', seed: (s) => (deployment(s).depends_on = ['kubernetes_secret_v1.nope']), expected: { check: 'undeclared-reference', address: dep, path: 'depends_on[0]' } },
    { mistake: 'an ignore_changes path that does not exist', seed: (s) => deployment(s).lifecycle.ignore_changes.push('spec[0].template[0].spec[0].containr[0].image'), expected: { check: 'unknown-argument', address: dep, path: 'lifecycle.ignore_changes[4]' } },
    { mistake: 'an unknown provider argument', seed: (s) => (s.provider.kubernetes[0].hots = 'https://x'), expected: { check: 'unknown-argument', address: 'provider.kubernetes', path: 'hots' } },
    { mistake: 'a provider version the package does not describe', seed: (s) => (s.terraform.required_providers.kubernetes.version = '2.37.0'), expected: { check: 'provider-schema', address: 'provider.kubernetes', path: '' } },
  ]);

  it('the workload stack has the Kubernetes resources the gate is meant for', () => {
    expect(Object.keys(workload.resource).filter((t) => t.startsWith('kubernetes_')).length).toBeGreaterThanOrEqual(12);
  });

  it('reports stack, address, attribute path, the problem and the fix', () => {
    const stack = structuredClone(workload);
    podSpec(stack).container[0].imag = 'x';
    const [finding] = checkStack(stack, { stack: 'eksexample-workload', providers: ['kubernetes'] });
    expect(formatFinding(finding!)).toBe(
      `eksexample-workload: ${dep(workload)} spec.template.spec.container[0].imag: "imag" is not an argument of this block in hashicorp/kubernetes 2.38.0. Fix: remove it or rename it: did you mean "image"?`,
    );
  });

  it('accepts what Terraform converts or only knows at plan time (no false alarm)', () => {
    const stack = structuredClone(workload);
    deployment(stack).spec.revision_history_limit = '5'; // "5" converts to a number
    podSpec(stack).automount_service_account_token = 'true';
    podSpec(stack).termination_grace_period_seconds = '${var.grace}';
    podSpec(stack).container[0].args = '${concat(["a"], ["b"])}';
    podSpec(stack).container[0].working_dir = 42; // numbers convert to strings
    stack.variable = { grace: { type: 'number' } };
    expect(formatFindings(checkStack(stack, { stack: 'w', providers: ['kubernetes'] }))).toBe('');
  });

  it('checks only the providers it is asked to, and loads only their schemas', () => {
    const asked: string[] = [];
    const findings = checkStack(workload, { stack: 'w', providers: ['kubernetes'], loadSchema: (pkg) => (asked.push(pkg), loadProviderSchema(pkg)) });
    expect(findings).toEqual([]);
    expect(asked).toEqual(['@cdktf/provider-kubernetes']);
  });
});

// ---------------------------------------------------------------------------------------------
// azurerm and google: small hand-written stacks, to prove the gate is not Kubernetes-specific.
// ---------------------------------------------------------------------------------------------
const azurermStack = (): Json => ({
  terraform: { required_providers: { azurerm: { source: 'hashicorp/azurerm', version: '4.55.0' } } },
  provider: { azurerm: [{ features: [{}], subscription_id: '00000000-0000-0000-0000-000000000000' }] },
  variable: { api_client_secret: { type: 'string', sensitive: true, ephemeral: true } },
  data: { azurerm_client_config: { current: {} } },
  resource: {
    azurerm_resource_group: { rg: { name: 'rg-runner', location: 'westeurope', tags: { 'managed-by': 'private-runner-kit' } } },
    azurerm_key_vault: {
      kv: {
        name: 'kv-runner',
        location: '${azurerm_resource_group.rg.location}',
        resource_group_name: '${azurerm_resource_group.rg.name}',
        tenant_id: '${data.azurerm_client_config.current.tenant_id}',
        sku_name: 'standard',
        rbac_authorization_enabled: true,
        purge_protection_enabled: true,
        soft_delete_retention_days: 90,
        public_network_access_enabled: false,
        network_acls: { bypass: 'None', default_action: 'Deny', ip_rules: [] },
        tags: { 'managed-by': 'private-runner-kit' },
      },
    },
    azurerm_key_vault_secret: {
      api: { name: 'api-client-secret', key_vault_id: '${azurerm_key_vault.kv.id}', value_wo: '${var.api_client_secret}', value_wo_version: 1, depends_on: ['azurerm_key_vault.kv'] },
    },
  },
  output: { vault_uri: { value: '${azurerm_key_vault.kv.vault_uri}' } },
});

describe('schema gate: azurerm (hand-written azurerm_key_vault)', () => {
  const kv = (s: Json) => s.resource.azurerm_key_vault.kv;
  seededSuite('azurerm', azurermStack, [
    { mistake: 'an unknown resource type', seed: (s) => (s.resource.azurerm_keyvault = { kv: { name: 'x' } }), expected: { check: 'unknown-type', address: 'azurerm_keyvault.kv', path: '' } },
    { mistake: 'an unknown argument', seed: (s) => (kv(s).sku = 'standard'), expected: { check: 'unknown-argument', address: 'azurerm_key_vault.kv', path: 'sku' } },
    { mistake: 'a computed-only attribute set', seed: (s) => (kv(s).vault_uri = 'https://kv-runner.vault.azure.net/'), expected: { check: 'computed-only', address: 'azurerm_key_vault.kv', path: 'vault_uri' } },
    { mistake: 'a missing required argument', seed: (s) => delete kv(s).tenant_id, expected: { check: 'missing-required', address: 'azurerm_key_vault.kv', path: 'tenant_id' } },
    { mistake: 'a missing required argument in a nested block', seed: (s) => delete kv(s).network_acls.default_action, expected: { check: 'missing-required', address: 'azurerm_key_vault.kv', path: 'network_acls.default_action' } },
    { mistake: 'a string where a number is expected', seed: (s) => (kv(s).soft_delete_retention_days = 'ninety'), expected: { check: 'wrong-type', address: 'azurerm_key_vault.kv', path: 'soft_delete_retention_days' } },
    { mistake: 'a number where a bool is expected', seed: (s) => (kv(s).purge_protection_enabled = 1), expected: { check: 'wrong-type', address: 'azurerm_key_vault.kv', path: 'purge_protection_enabled' } },
    { mistake: 'an object where a string is expected', seed: (s) => (kv(s).sku_name = { tier: 'standard' }), expected: { check: 'wrong-type', address: 'azurerm_key_vault.kv', path: 'sku_name' } },
    { mistake: 'two copies of an at-most-one block', seed: (s) => (kv(s).network_acls = [kv(s).network_acls, kv(s).network_acls]), expected: { check: 'block-shape', address: 'azurerm_key_vault.kv', path: 'network_acls' } },
    { mistake: 'a block that is not an object', seed: (s) => (kv(s).contact = ['ops@example.com']), expected: { check: 'block-shape', address: 'azurerm_key_vault.kv', path: 'contact[0]' } },
    { mistake: 'a reference to an undeclared resource', seed: (s) => (kv(s).resource_group_name = '${azurerm_resource_group.runner.name}'), expected: { check: 'undeclared-reference', address: 'azurerm_key_vault.kv', path: 'resource_group_name' } },
    { mistake: 'a reference to an undeclared data source', seed: (s) => (kv(s).tenant_id = '${data.azurerm_client_config.this.tenant_id}'), expected: { check: 'undeclared-reference', address: 'azurerm_key_vault.kv', path: 'tenant_id' } },
    { mistake: 'a reference to an undeclared variable', seed: (s) => (s.resource.azurerm_key_vault_secret.api.value_wo = '${var.api_secret}'), expected: { check: 'undeclared-reference', address: 'azurerm_key_vault_secret.api', path: 'value_wo' } },
    { mistake: 'a reference to an attribute the type does not export', seed: (s) => (s.output.vault_uri.value = '${azurerm_key_vault.kv.uri}'), expected: { check: 'unknown-attribute', address: 'output.vault_uri', path: 'value' } },
    { mistake: 'an unknown provider argument', seed: (s) => (s.provider.azurerm[0].subscription = 'x'), expected: { check: 'unknown-argument', address: 'provider.azurerm', path: 'subscription' } },
  ]);
});

const googleStack = (): Json => ({
  terraform: { required_providers: { google: { source: 'hashicorp/google', version: '6.50.0' } } },
  provider: { google: [{ project: 'runner-project', region: 'europe-west3' }] },
  resource: {
    google_compute_network: { vpc: { name: 'runner-vpc', auto_create_subnetworks: false, routing_mode: 'REGIONAL', mtu: 1460 } },
    google_compute_subnetwork: {
      subnet: {
        name: 'runner-subnet',
        network: '${google_compute_network.vpc.id}',
        ip_cidr_range: '10.42.0.0/24',
        region: 'europe-west3',
        private_ip_google_access: true,
        log_config: { aggregation_interval: 'INTERVAL_5_SEC', flow_sampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
      },
    },
    google_compute_firewall: {
      egress: {
        name: 'runner-egress-443',
        network: '${google_compute_network.vpc.self_link}',
        direction: 'EGRESS',
        destination_ranges: ['0.0.0.0/0'],
        allow: [{ protocol: 'tcp', ports: ['443'] }],
        priority: 1000,
      },
    },
  },
});

describe('schema gate: google (hand-written google_compute_network)', () => {
  const net = (s: Json) => s.resource.google_compute_network.vpc;
  const fw = (s: Json) => s.resource.google_compute_firewall.egress;
  seededSuite('google', googleStack, [
    { mistake: 'an unknown resource type', seed: (s) => (s.resource.google_compute_vpc = { vpc: { name: 'x' } }), expected: { check: 'unknown-type', address: 'google_compute_vpc.vpc', path: '' } },
    { mistake: 'an unknown argument', seed: (s) => (net(s).auto_create_subnets = false), expected: { check: 'unknown-argument', address: 'google_compute_network.vpc', path: 'auto_create_subnets' } },
    { mistake: 'a computed-only attribute set', seed: (s) => (net(s).self_link = 'projects/p/global/networks/runner-vpc'), expected: { check: 'computed-only', address: 'google_compute_network.vpc', path: 'self_link' } },
    { mistake: 'a missing required argument', seed: (s) => delete net(s).name, expected: { check: 'missing-required', address: 'google_compute_network.vpc', path: 'name' } },
    { mistake: 'a missing required argument in a set block', seed: (s) => delete fw(s).allow[0].protocol, expected: { check: 'missing-required', address: 'google_compute_firewall.egress', path: 'allow[0].protocol' } },
    { mistake: 'a string where a number is expected', seed: (s) => (net(s).mtu = 'jumbo'), expected: { check: 'wrong-type', address: 'google_compute_network.vpc', path: 'mtu' } },
    { mistake: 'a string where a bool is expected', seed: (s) => (net(s).auto_create_subnetworks = 'no'), expected: { check: 'wrong-type', address: 'google_compute_network.vpc', path: 'auto_create_subnetworks' } },
    { mistake: 'a string where a list is expected', seed: (s) => (fw(s).destination_ranges = '0.0.0.0/0'), expected: { check: 'wrong-type', address: 'google_compute_firewall.egress', path: 'destination_ranges' } },
    { mistake: 'two copies of an at-most-one block', seed: (s) => (s.resource.google_compute_subnetwork.subnet.log_config = [{ flow_sampling: 0.5 }, { flow_sampling: 1 }]), expected: { check: 'block-shape', address: 'google_compute_subnetwork.subnet', path: 'log_config' } },
    { mistake: 'a reference to an undeclared resource', seed: (s) => (s.resource.google_compute_subnetwork.subnet.network = '${google_compute_network.runner.id}'), expected: { check: 'undeclared-reference', address: 'google_compute_subnetwork.subnet', path: 'network' } },
    { mistake: 'a reference to an attribute the type does not export', seed: (s) => (fw(s).network = '${google_compute_network.vpc.selflink}'), expected: { check: 'unknown-attribute', address: 'google_compute_firewall.egress', path: 'network' } },
    { mistake: 'an unknown provider argument', seed: (s) => (s.provider.google[0].projekt = 'x'), expected: { check: 'unknown-argument', address: 'provider.google', path: 'projekt' } },
  ]);
});

// ---------------------------------------------------------------------------------------------
// No false alarms: the kit's real AWS output against @cdktf/provider-aws's schema.
// ---------------------------------------------------------------------------------------------
describe('schema gate: no false alarm on the kit’s real AWS output (@cdktf/provider-aws)', () => {
  const blocks = (json: Json) => ['resource', 'data'].reduce((n, section) => n + Object.values<Json>(json[section] ?? {}).reduce((m, byName) => m + Object.keys(byName).length, 0), 0);

  it('examples/aws-ecs.yaml: zero findings over every resource and data source', () => {
    const json = synthConfig(configFrom(readFileSync(EXAMPLE_AWS_ECS, 'utf8'))).json;
    expect(blocks(json)).toBeGreaterThan(50);
    expect(formatFindings(checkStack(json, { stack: 'ecsexample', providers: ['aws'] }))).toBe('');
  }, 60_000);

  it('examples/aws-eks.yaml: zero findings in the cluster stack and the AWS part of the workload stack', () => {
    const { cluster, workload } = synthEks(exampleEksTarget().config);
    expect(blocks(cluster.json)).toBeGreaterThan(50);
    expect(formatFindings(checkStack(cluster.json, { stack: 'eksexample-cluster', providers: ['aws'] }))).toBe('');
    expect(formatFindings(checkStack(workload.json, { stack: 'eksexample-workload' }))).toBe('');
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------
// The parts: schema derivation, cache, expression reading.
// ---------------------------------------------------------------------------------------------
describe('provider schema derivation and cache', () => {
  let cacheDir: string;
  beforeAll(() => {
    cacheDir = mkdtempSync(path.join(tmpdir(), 'provider-schema-'));
  });
  afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

  it('derives the schema from the .jsii once, then reads it from a cache file keyed by package name and version', () => {
    const version = JSON.parse(readFileSync(path.join(packageDir('@cdktf/provider-kubernetes'), 'package.json'), 'utf8')).version as string;
    const file = cacheFile('@cdktf/provider-kubernetes', version, cacheDir);
    expect(path.basename(file)).toMatch(/^cdktf\+provider-kubernetes@12\.1\.1\.format\d+\.json$/);
    expect(existsSync(file)).toBe(false);
    const cold = loadProviderSchema('@cdktf/provider-kubernetes', { cacheDir, cold: true });
    expect(existsSync(file)).toBe(true);
    const warm = loadProviderSchema('@cdktf/provider-kubernetes', { cacheDir });
    expect(warm).toBe(cold); // from memory within a process
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(cold);
    expect({ source: cold.source, version: cold.version, resources: Object.keys(cold.resources).length }).toEqual({ source: 'hashicorp/kubernetes', version: '2.38.0', resources: 82 });
  }, 60_000);

  it('derives what the bindings say about shape: at-most-one, list and set blocks, computed-only attributes', () => {
    const k8s = loadProviderSchema('@cdktf/provider-kubernetes');
    const deployment = k8s.structs[k8s.resources.kubernetes_deployment_v1!.struct]!;
    expect(deployment.blocks.metadata).toMatchObject({ nesting: 'single', required: true });
    const metadata = k8s.structs[deployment.blocks.metadata!.struct]!;
    expect(metadata.computed).toEqual(expect.arrayContaining(['uid', 'resource_version', 'generation']));
    const google = loadProviderSchema('@cdktf/provider-google');
    const firewall = google.structs[google.resources.google_compute_firewall!.struct]!;
    expect(firewall.blocks.allow).toMatchObject({ nesting: 'set', required: false });
    expect(firewall.attributes.name).toEqual({ type: 'string', required: true });
    expect(firewall.attributes.source_ranges).toEqual({ type: { list: 'string' }, required: false });
  }, 60_000);
});

describe('reading references out of expressions', () => {
  const roots = (expr: string) => references(expr).map((r) => [r.root, ...r.parts].join('.'));

  it('reads resource, data, var and nested references, not function names or for-variables', () => {
    expect(roots('jsondecode(aws_lambda_invocation.b.result).runners.default.to')).toEqual(['aws_lambda_invocation.b.result']);
    expect(roots('base64decode(data.aws_eks_cluster.c.certificate_authority[0].data)')).toEqual(['data.aws_eks_cluster.c.certificate_authority.data']);
    expect(roots('[for s in aws_subnet.private : s.id if s.map_public_ip_on_launch == false]')).toEqual(['aws_subnet.private']);
    expect(roots('sha256(kubernetes_config_map_v1.c.data["config.yaml"])')).toEqual(['kubernetes_config_map_v1.c.data']);
    expect(roots('var.enabled ? aws_kms_key.k[0].arn : null')).toEqual(['var.enabled', 'aws_kms_key.k.arn']);
    expect(roots('"prefix-${random_id.x.hex}"')).toEqual(['random_id.x.hex']);
    expect(roots('provider::aws::arn_parse(aws_iam_role.r.arn).account_id')).toEqual(['aws_iam_role.r.arn']);
    expect(roots('{ name = var.name, n = 1.5e3 }')).toEqual(['var.name']);
  });

  it('reports a bare name (unescaped shell text) but not keywords', () => {
    expect(roots('HOME')).toEqual(['HOME']);
    expect(roots('true && null == null')).toEqual([]);
  });
});
