import { RulePack } from '../../constructs/core/rules/rule-pack';
import { exampleEksTarget, synthEks, type EksStacks } from '../support/eks';
import type { Json, Synthesized } from '../support/synth';
import { COMMON_OUTPUTS } from '../support/outputs';

const values = (s: Synthesized, type: string): Json[] => s.resources(type).map(([, b]) => b);

describe('AWS EKS stacks (examples/aws-eks.yaml)', () => {
  let eks: EksStacks;
  let cluster: Synthesized;
  let workload: Synthesized;
  beforeAll(() => {
    eks = synthEks(exampleEksTarget().config);
    ({ cluster, workload } = eks);
  });

  it('synthesizes two stacks per target, the workload deployed after the cluster', () => {
    expect(eks.stacks.map((s) => s.node.id)).toEqual(['eksexample-cluster', 'eksexample-workload']);
    expect(eks.stacks[1]!.dependencies.map((d) => d.node.id)).toEqual(['eksexample-cluster']);
  });

  it('each stack keeps its own state, tags every AWS resource with the target, pins the providers', () => {
    expect(cluster.json.terraform.backend.local.path).toBe(require('node:path').resolve(process.cwd(), 'terraform.eksexample-cluster.tfstate'));
    expect(workload.json.terraform.backend.local.path).toBe(require('node:path').resolve(process.cwd(), 'terraform.eksexample-workload.tfstate'));
    for (const s of [cluster, workload]) {
      expect(s.json.provider.aws[0]).toMatchObject({ region: 'eu-central-1', default_tags: [{ tags: { 'managed-by': 'private-runner-kit', 'runner-kit-target': 'eksexample', 'cost-center': 'platform-engineering' } }] });
      expect(s.json.terraform.required_providers.aws.version).toBe('5.100.0');
    }
    expect(Object.keys(cluster.json.terraform.required_providers)).toEqual(['aws']);
    expect(workload.json.terraform.required_providers.kubernetes.version).toBe('2.38.0');
  });

  it('cluster stack: a private EKS cluster named after the target, on the kit network, with the target key', () => {
    const c = cluster.only('aws_eks_cluster');
    expect(c).toMatchObject({ name: 'eksexample', version: '1.33', vpc_config: { endpoint_private_access: true, endpoint_public_access: false } });
    expect(c.vpc_config.subnet_ids).toEqual([expect.stringMatching(/aws_subnet\..*PrivateSubnet1/), expect.stringMatching(/aws_subnet\..*PrivateSubnet2/)]);
    expect(c.encryption_config.provider.key_arn).toMatch(/aws_kms_key\.Key_/);
    expect(cluster.count('aws_kms_key')).toBe(2); // target key + control-plane log key
    expect(cluster.find('aws_kms_alias', 'ControlPlaneLogKey').name).toBe('alias/private-runner-kit/eksexample/eks-control-plane-logs');
    expect(cluster.find('aws_cloudwatch_log_group', 'ControlPlaneLogGroup').kms_key_id).toMatch(/aws_kms_key\.ControlPlaneLogKey/);
  });

  it('cluster stack: one mirror repository per image the runner needs (controller and Terraform runner)', () => {
    expect(values(cluster, 'aws_ecr_repository').map((r) => r.name).sort()).toEqual(['eksexample/run-controller', 'eksexample/tf-block-runner']);
  });

  it("cluster stack: the runner's three credentials in Secrets Manager, written write-only", () => {
    expect(values(cluster, 'aws_secretsmanager_secret').map((s) => s.name).sort()).toEqual([
      'eksexample/default/api-client-secret', 'eksexample/default/certificate', 'eksexample/default/private-key',
    ]);
    for (const v of values(cluster, 'aws_secretsmanager_secret_version')) {
      expect(v.secret_string).toBeUndefined();
      expect(v.secret_string_wo).toMatch(/^\$\{var\.runner_default_(api_client_secret|private_key|certificate)\}$/);
    }
    expect(cluster.json.output.secret_inputs.value).toEqual(['runner_default_api_client_secret', 'runner_default_private_key', 'runner_default_certificate']);
  });

  it("cluster stack: the runner's identity is bound to the controller's ServiceAccount the workload stack creates", () => {
    const assoc = cluster.only('aws_eks_pod_identity_association');
    const sa = workload.only('kubernetes_service_account_v1').metadata;
    expect(assoc.service_account).toBe(sa.name);
    expect(assoc.namespace).toBe(workload.only('kubernetes_namespace_v1').metadata.name);
    expect(cluster.find('aws_iam_role', 'Identity').name).toBe('eksexample-default-runner');
  });

  it('cluster stack: the deployer is cluster admin; the updater and meshcloud operators enter only as their namespaced Kubernetes groups', () => {
    const entries = values(cluster, 'aws_eks_access_entry');
    expect(entries).toHaveLength(3);
    expect(entries.find((e) => String(e.principal_arn).includes('aws_iam_role.Updates_Role'))).toMatchObject({ kubernetes_groups: ['private-runner-kit:updater'] });
    expect(entries.find((e) => String(e.principal_arn).includes('aws_iam_role.OperatorAccess'))).toMatchObject({ kubernetes_groups: ['private-runner-kit:operators'] });
    // Only the deployer has an access policy (cluster admin); the groups' rights are namespaced Roles.
    expect(cluster.only('aws_eks_access_policy_association').policy_arn).toMatch(/AmazonEKSClusterAdminPolicy$/);
  });

  it('cluster stack: the updater (bootstrap, schedule) promotes controller and job images and reaches only the cluster API on 443', () => {
    const config = JSON.parse(cluster.only('aws_lambda_function').environment.variables.RUNNER_KIT_UPDATER_CONFIG);
    expect(config.runners[0]).toMatchObject({
      platform: 'kubernetes',
      upstreamRepository: 'meshcloud/run-controller',
      mirrorRepository: 'eksexample/run-controller',
      cluster: 'eksexample',
      deployment: 'run-controller-default',
      implementations: [expect.objectContaining({ type: 'TERRAFORM', upstreamRepository: 'meshcloud/tf-block-runner', mirrorRepository: 'eksexample/tf-block-runner' })],
    });
    expect(cluster.only('aws_lambda_invocation').input).toBe('{"action":"bootstrap"}');
    const policy = JSON.parse(cluster.find('aws_iam_role_policy', 'Updates_Role_').policy);
    const sids = policy.Statement.map((st: Json) => st.Sid);
    expect(sids).toContain('FindRunnerCluster');
    for (const ecsOnly of ['RegisterRunnerTaskDefinitions', 'RollOutRunnerServices', 'PassRunnerRolesToEcsTasks']) expect(sids).not.toContain(ecsOnly);
    expect(cluster.find('aws_security_group_rule', 'Updates_ApiAccess')).toMatchObject({ type: 'ingress', from_port: 443, to_port: 443, source_security_group_id: expect.stringContaining('aws_security_group.Updates_SecurityGroup') });
  });

  it('workload stack: a later deploy does not revert an update (images, config file and its hash belong to the updater)', () => {
    expect(values(workload, 'kubernetes_deployment_v1')[0]!.lifecycle.ignore_changes).toEqual([
      'spec[0].template[0].spec[0].container[0].image',
      'spec[0].template[0].spec[0].init_container[0].image',
      'spec[0].template[0].metadata[0].annotations["private-runner-kit/config-sha256"]',
      'spec[0].template[0].metadata[0].annotations["private-runner-kit/version"]',
    ]);
    expect(values(workload, 'kubernetes_config_map_v1')[0]!.lifecycle.ignore_changes).toEqual(['data', 'metadata[0].annotations']);
  });

  it('workload stack: Kubernetes is configured from the existing cluster; the token is ephemeral, never in state', () => {
    expect(workload.json.provider.kubernetes[0]).toEqual({
      host: expect.stringMatching(/^\$\{data\.aws_eks_cluster\.Cluster\.endpoint\}$/),
      cluster_ca_certificate: '${base64decode(data.aws_eks_cluster.Cluster.certificate_authority[0].data)}',
      token: '${ephemeral.aws_eks_cluster_auth.cluster.token}',
    });
    expect(Object.values(workload.json.data.aws_eks_cluster)).toEqual([expect.objectContaining({ name: 'eksexample' })]);
    expect(workload.json.data.aws_eks_cluster_auth).toBeUndefined();
    expect(workload.json.ephemeral.aws_eks_cluster_auth).toEqual({ cluster: { name: 'eksexample' } });
  });

  it("workload stack: credentials read ephemerally from the cluster stack's secrets, into the Secret's write-only data", () => {
    const names = values(cluster, 'aws_secretsmanager_secret').map((s) => s.name).sort();
    expect(Object.values(workload.json.ephemeral.aws_secretsmanager_secret_version).map((e) => (e as Json).secret_id).sort()).toEqual(names);
    const secret = workload.only('kubernetes_secret_v1');
    expect(secret.data).toBeUndefined();
    expect(secret.data_wo['private-key.pem']).toBe('${ephemeral.aws_secretsmanager_secret_version.default_private_key.secret_string}');
    expect(secret.data_wo_revision).toBe(1);
  });

  it('workload stack: images are digests of the runner release in the mirror repositories of the cluster stack', () => {
    const repos = Object.values(workload.json.data.aws_ecr_image).map((i) => (i as Json).repository_name).sort();
    expect(repos).toEqual(values(cluster, 'aws_ecr_repository').map((r) => r.name).sort());
    for (const i of Object.values(workload.json.data.aws_ecr_image)) expect((i as Json).image_tag).toBe('v1.3.0');
    const container = workload.only('kubernetes_deployment_v1').spec.template.spec.container[0];
    expect(container.image).toMatch(/^\$\{data\.aws_ecr_repository\..*run-controller.*\.repository_url\}@\$\{data\.aws_ecr_image\..*run-controller.*\.image_digest\}$/);
  });

  it('workload stack: the controller config names the namespace, meshStack, the runner and its Terraform job size', () => {
    const config = workload.find('kubernetes_config_map_v1', 'Controller-default').data['config.yaml'] as string;
    expect(config).toContain('api:\n  url: "https://federation.example.meshcloud.io"\n  clientId: "runner-eksexample"');
    expect(config).toContain('uuid: "7a1c2e3d-4b5f-4a6b-8c7d-9e0f1a2b3c4d"');
    expect(config).toContain('ownedByWorkspace: "platform-team"');
    expect(config).toContain('maxConcurrentJobs: 6');
    expect(config).toContain('resources:\n      requests:\n        cpu: "1"\n        memory: "2Gi"\n      limits:\n        cpu: "2"\n        memory: "2Gi"');
  });

  it('workload stack: git over SSH (egressExtraPorts 22) and the Pod Identity agent for the controller only', () => {
    const policies = Object.fromEntries(values(workload, 'kubernetes_network_policy_v1').map((p) => [p.metadata.name, p.spec]));
    expect(policies['runner-jobs-egress'].egress[0].ports).toEqual([{ port: '443', protocol: 'TCP' }, { port: '22', protocol: 'TCP' }]);
    expect(policies['run-controller-egress'].egress[1]).toEqual({ to: [{ ip_block: { cidr: '169.254.170.23/32' } }], ports: [{ port: '80', protocol: 'TCP' }] });
  });

  it('the check pack passes on both stacks; only the four AWS managed policies of the EKS service roles are acknowledged', () => {
    const [clusterStack, workloadStack] = eks.stacks;
    const report = RulePack.reportOf(clusterStack!, 'aws')!;
    expect(report.open).toEqual([]);
    expect(report.acknowledged.map((f) => `${f.ruleId} ${f.key.split('/').pop()}`).sort()).toEqual([
      'AWS-IAM-1 AmazonEC2ContainerRegistryPullOnly', 'AWS-IAM-1 AmazonEKSClusterPolicy', 'AWS-IAM-1 AmazonEKSWorkerNodePolicy', 'AWS-IAM-1 AmazonEKS_CNI_Policy',
      'AWS-IAM-5 Action::ecr:GetAuthorizationToken', 'AWS-SG-2 Ingress::tcp:443',
    ]);
    for (const f of report.acknowledged) expect(f.reason.length).toBeGreaterThan(40);
    // The EKS and node rules judged the cluster and its launch template, and found them compliant.
    const status = (id: string) => report.results.filter((r) => r.ruleId === id).map((r) => `${r.address.split('.')[0]} ${r.status}`);
    for (const id of ['AWS-EKS-1', 'AWS-EKS-3', 'AWS-EKS-4']) expect(status(id)).toContain('aws_eks_cluster compliant');
    for (const id of ['AWS-EC2-1', 'AWS-EC2-2']) expect(status(id)).toContain('aws_launch_template compliant');
    expect(RulePack.reportsOf(workloadStack!).map((r) => [r.pack, r.open])).toEqual([['aws', []], ['kubernetes', []]]);
  });

  it('outputs what customers and onboarding scripts read, each with a description', () => {
    for (const [s, names] of [
      [cluster, [...COMMON_OUTPUTS, 'cluster_name', 'cluster_endpoint', 'runner_identities', 'runner_secrets', 'cluster_arn', 'kubeconfig_command', 'node_group_name', 'control_plane_log_group', 'deployer_principal_arn', 'public_subnet_ids', 'updater_on_demand']],
      [workload, ['namespace', 'controller_deployments', 'credentials_secrets', 'controller_images', 'operators_group', 'updater_group']],
    ] as const) {
      expect(Object.keys(s.json.output).sort()).toEqual([...names].sort());
      for (const n of names) expect(s.json.output[n].description.length).toBeGreaterThan(10);
    }
    expect(cluster.json.output.kubeconfig_command.value).toBe('aws eks update-kubeconfig --region eu-central-1 --name eksexample');
  });
});

describe('AWS EKS stacks options', () => {
  it('GIVEN stateBackend s3 THEN each stack has its own state object, encrypted, S3-locked', () => {
    const { cluster, workload } = synthEks(exampleEksTarget((t) => (t.stateBackend = { type: 's3', bucket: 'acme-tf-state' })).config);
    expect(cluster.json.terraform.backend.s3).toEqual({ bucket: 'acme-tf-state', key: 'private-runner-kit/eksexample-cluster.tfstate', region: 'eu-central-1', encrypt: true, use_lockfile: true });
    expect(workload.json.terraform.backend.s3.key).toBe('private-runner-kit/eksexample-workload.tfstate');
    const keyed = synthEks(exampleEksTarget((t) => (t.stateBackend = { type: 's3', bucket: 'acme-tf-state', key: 'states/eks.tfstate' })).config);
    expect([keyed.cluster.json.terraform.backend.s3.key, keyed.workload.json.terraform.backend.s3.key]).toEqual(['states/eks-cluster.tfstate', 'states/eks-workload.tfstate']);
  });

  it('GIVEN aws.endpoint THEN the cluster stack differs from production only by the documented EKS relaxations', () => {
    const prod = synthEks(exampleEksTarget().config).cluster.json.resource as Json;
    const emu = synthEks(exampleEksTarget((t) => (t.aws.endpoint = 'http://127.0.0.1:4566')).config).cluster.json.resource as Json;
    const left = Object.keys(prod).filter((t) => !(t in emu)).sort();
    expect(left).toEqual(['aws_eks_access_entry', 'aws_eks_access_policy_association', 'aws_eks_addon', 'aws_eks_pod_identity_association', 'aws_security_group_rule']);
    // The updater's own relaxations (function key, log group, its decrypt right and the boundary's
    // share of it) are asserted by the ECS stack's emulator test; here they are set aside.
    const updaterRelaxed = new Set(['aws_lambda_function', 'aws_iam_role_policy', 'aws_iam_policy']);
    const strip = (r: Json) =>
      Object.fromEntries(
        Object.entries(r)
          .filter(([t]) => !updaterRelaxed.has(t))
          .map(([t, byId]) => [t, Object.fromEntries(Object.entries(byId as Json).map(([id, b]) => [id, { ...(b as Json), lifecycle: undefined, depends_on: undefined }]))]),
      );
    const prodKept = Object.fromEntries(Object.entries(prod).filter(([t]) => t in emu));
    expect(strip(emu)).toEqual(strip(prodKept));
    // Preconditions (the secret inputs' plan-time check) are production behaviour: only ignore_changes can relax.
    const lifecycles = Object.entries(emu).flatMap(([t, byId]) => Object.values(byId as Json).filter((b) => (b as Json).lifecycle?.ignore_changes).map((b) => [t, { ignore_changes: (b as Json).lifecycle.ignore_changes }]));
    expect(lifecycles).toEqual([
      ['aws_eks_cluster', { ignore_changes: ['access_config'] }],
      ['aws_eks_node_group', { ignore_changes: ['remote_access', 'update_config'] }],
      ['aws_launch_template', { ignore_changes: ['tag_specifications'] }],
      // Not a relaxation: the updater owns the version records in production too.
      ['aws_ssm_parameter', { ignore_changes: ['value'] }],
    ]);
  });

  it('GIVEN allowPublicEndpoint with CIDRs THEN the cluster endpoint is public for those only', () => {
    const { cluster, stacks } = synthEks(exampleEksTarget((t) => Object.assign(t.kubernetes, { allowPublicEndpoint: true, publicEndpointCidrs: ['203.0.113.0/24'] })).config);
    expect(cluster.only('aws_eks_cluster').vpc_config).toMatchObject({ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
    const report = RulePack.reportOf(stacks[0]!, 'aws')!;
    expect(report.acknowledged.filter((f) => f.ruleId.startsWith('AWS-EKS')).map((f) => f.ruleId)).toEqual(['AWS-EKS-1']);
    expect(report.results.filter((r) => r.ruleId === 'AWS-EKS-2').map((r) => r.status)).toEqual(['compliant']);
  });

  it('GIVEN two runners, arm64 and more implementation types THEN each runner gets its credentials, identity and controller; images are mirrored once', () => {
    const { cluster, workload } = synthEks(
      exampleEksTarget((t) => {
        t.kubernetes.implementations = ['TERRAFORM', 'GITHUB_WORKFLOW'];
        t.kubernetes.nodeTypes = ['m7g.large'];
        t.runners.default.architecture = 'arm64';
        t.runners.second = { ...t.runners.default, uuid: '9d9c2b5e-1c41-4c3a-8b9b-1f6a2c7d8e90', apiClientId: 'second', privateKeyVersion: 2 };
      }).config,
    );
    expect(cluster.count('aws_secretsmanager_secret')).toBe(6);
    expect(cluster.count('aws_eks_pod_identity_association')).toBe(2);
    expect(values(cluster, 'aws_ecr_repository').map((r) => r.name).sort()).toEqual(['eksexample/github-block-runner', 'eksexample/run-controller', 'eksexample/tf-block-runner']);
    expect(cluster.only('aws_eks_node_group').ami_type).toBe('AL2023_ARM_64_STANDARD');
    expect(workload.count('kubernetes_deployment_v1')).toBe(2);
    expect(Object.keys(workload.json.data.aws_ecr_image)).toHaveLength(3);
    expect(values(workload, 'kubernetes_secret_v1').map((s) => s.data_wo_revision).sort()).toEqual([1, 2]);
    const config = values(workload, 'kubernetes_config_map_v1')[0]!.data['config.yaml'];
    expect(config).toContain('GITHUB_WORKFLOW:');
    expect(config).toContain('SPRING_PROFILES_ACTIVE: "kubernetes"');
  });

  it('GIVEN operator access THEN the cluster stack maps the updater and operator roles to the kit groups', () => {
    const { addAwsEksStacks } = require('../../stacks/aws-eks-stacks') as typeof import('../../stacks/aws-eks-stacks');
    const { Testing } = require('cdktf') as typeof import('cdktf');
    const { name, config } = exampleEksTarget();
    const [clusterStack] = addAwsEksStacks(Testing.app(), name, config.targets[name]! as import('../../constructs/aws/config').AwsTargetConfig);
    const groups = Object.values(JSON.parse(Testing.synth(clusterStack)).resource.aws_eks_access_entry).map((e) => (e as Json).kubernetes_groups);
    expect(groups).toEqual(expect.arrayContaining([['private-runner-kit:updater'], ['private-runner-kit:operators']]));
  });
});
