import { Token } from 'cdktf';
import { checkDigestReference } from '../../../constructs/kubernetes/image-reference';
import { formatCpu, formatMemory, parseCpuMillis, parseMemoryMiB } from '../../../constructs/kubernetes/quantity';
import { RunnerWorkload, sizeNamespace, type RunnerWorkloadController, type RunnerWorkloadProps } from '../../../constructs/kubernetes/runner-workload';
import { kubernetesStack, synthOf } from '../../support/eks';
import { kubernetesObjects, schemaErrors } from '../../support/kubernetes-objects';
import type { Synthesized } from '../../support/synth';

const image = (repo: string) => `registry.example.com/mirror/${repo}@sha256:${'b'.repeat(64)}`;
const controller = (runner: string, extra: Partial<RunnerWorkloadController> = {}): RunnerWorkloadController => ({
  runner,
  runnerUuid: '3f2b8c1e-5d4a-4c6b-9e7f-0a1b2c3d4e5f',
  apiClientId: `client-${runner}`,
  image: image('run-controller'),
  implementations: { TERRAFORM: { image: image('tf-block-runner'), resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } } } },
  ...extra,
});
const REQUIRED: RunnerWorkloadProps = {
  podSecurityVersion: 'v1.33',
  meshstackApiUrl: 'https://federation.example.meshcloud.io',
  ownedByWorkspace: 'platform-team',
  controllers: [controller('default')],
};
const build = (props: Partial<RunnerWorkloadProps> = {}) => {
  const stack = kubernetesStack();
  const w = new RunnerWorkload(stack, 'Workload', { ...REQUIRED, ...props });
  return { s: synthOf(stack), w };
};

describe('RunnerWorkload (required props)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = build().s;
  });

  it('puts everything into one namespace, meshstack-runner, Pod Security restricted', () => {
    expect(s.only('kubernetes_namespace_v1').metadata.name).toBe('meshstack-runner');
    expect(s.only('kubernetes_namespace_v1').metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const [type, byId] of Object.entries(s.json.resource as Record<string, Record<string, { metadata: { namespace?: string } }>>)) {
      if (type === 'kubernetes_namespace_v1') continue;
      for (const body of Object.values(byId)) expect(body.metadata.namespace).toMatch(/kubernetes_namespace_v1\./);
    }
  });

  it('sizes the quota from the runs in flight: 20 runs of 1 CPU / 2 GiB plus the controller during a rollout', () => {
    expect(s.only('kubernetes_resource_quota_v1').spec.hard).toEqual({
      pods: '22', // 20 runs + controller + surge pod
      'requests.cpu': '20200m', // 20 x 1 + 2 x 100m
      'requests.memory': '41216Mi', // 20 x 2Gi + 2 x 128Mi
      'limits.cpu': '41', // 20 x 2 + 2 x 500m
      'limits.memory': '41472Mi', // 20 x 2Gi + 2 x 256Mi
    });
    expect(s.only('kubernetes_limit_range_v1').spec.limit[0].max).toEqual({ cpu: '2', memory: '2Gi' });
  });

  it('one controller, its RBAC, default-deny policies, operator and updater Roles', () => {
    expect(s.count('kubernetes_deployment_v1')).toBe(1);
    expect(s.count('kubernetes_network_policy_v1')).toBe(4);
    const roles = s.resources('kubernetes_role_v1').map(([, b]) => b.metadata.name).sort();
    expect(roles).toEqual(['meshcloud-operators', 'run-controller', 'runner-updater']);
    const groups = s.resources('kubernetes_role_binding_v1').flatMap(([, b]) => b.subject.filter((x: { kind: string }) => x.kind === 'Group').map((x: { name: string }) => x.name)).sort();
    expect(groups).toEqual(['private-runner-kit:operators', 'private-runner-kit:updater']);
    expect(s.count('kubernetes_cluster_role_v1') + s.count('kubernetes_cluster_role_binding_v1')).toBe(0);
    expect(s.count('kubernetes_manifest')).toBe(0);
  });

  it('every object validates against the Kubernetes schemas', () => {
    expect(schemaErrors(kubernetesObjects(s))).toEqual({});
  });
});

describe('RunnerWorkload overrides and failures', () => {
  it('GIVEN two runners THEN two controllers, each with its own ServiceAccount, one Role bound to both', () => {
    const { s, w } = build({ controllers: [controller('a'), controller('b', { replicas: 2 })], maxConcurrentJobs: 5 });
    expect(s.resources('kubernetes_deployment_v1').map(([, b]) => b.metadata.name).sort()).toEqual(['run-controller-a', 'run-controller-b']);
    expect(s.resources('kubernetes_service_account_v1').map(([, b]) => b.metadata.name).sort()).toEqual(['run-controller-a', 'run-controller-b']);
    expect(s.find('kubernetes_role_binding_v1', 'ControllerRbac').subject).toHaveLength(2);
    expect(s.only('kubernetes_resource_quota_v1').spec.hard.pods).toBe(String(5 + 2 + 5 + 3));
    expect(Object.keys(w.controllers).sort()).toEqual(['a', 'b']);
  });

  it('GIVEN a namespace, extra ports and no operator / updater groups THEN those apply', () => {
    const { s, w } = build({ namespace: 'runners', egressExtraPorts: [22], operatorsGroup: null, updaterGroup: null });
    expect(s.only('kubernetes_namespace_v1').metadata.name).toBe('runners');
    expect(s.resources('kubernetes_role_v1').map(([, b]) => b.metadata.name)).toEqual(['run-controller']);
    expect(w.operatorAccess).toBeUndefined();
    expect(s.find('kubernetes_network_policy_v1', 'JobEgress').spec.egress[0].ports).toContainEqual({ port: '22', protocol: 'TCP' });
  });

  it('GIVEN custom groups THEN the Roles are bound to them', () => {
    const { s } = build({ operatorsGroup: 'ops', updaterGroup: 'upd' });
    expect(s.find('kubernetes_role_binding_v1', 'OperatorAccess').subject[0].name).toBe('ops');
    expect(s.find('kubernetes_role_binding_v1', 'UpdaterAccess').subject[0].name).toBe('upd');
  });

  it('fails when no runner is configured, or one twice', () => {
    expect(() => build({ controllers: [] })).toThrow(/controllers is empty/);
    expect(() => build({ controllers: [controller('a'), controller('a')] })).toThrow(/list a runner twice/);
  });

  it('sizes the LimitRange defaults inside the largest container even for small runs', () => {
    const small = sizeNamespace([controller('a', { implementations: { MANUAL: { image: image('manual'), resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '100m', memory: '128Mi' } } } } })], 1);
    expect(small.containerLimits).toMatchObject({ defaultCpu: '500m', defaultMemory: '256Mi', maxCpu: '500m', maxMemory: '256Mi' });
  });
});

describe('image references and quantities', () => {
  it('accepts only full references by digest; references resolved at plan time must show their @', () => {
    expect(() => checkDigestReference('image', image('x'))).not.toThrow();
    expect(() => checkDigestReference('image', `localhost:5000/a/b@sha256:${'0'.repeat(64)}`)).not.toThrow();
    expect(() => checkDigestReference('image', `${Token.asString({ resolve: () => 'x' })}@${Token.asString({ resolve: () => 'y' })}`)).not.toThrow();
    expect(() => checkDigestReference('image', Token.asString({ resolve: () => 'x' }))).toThrow(/build it as <mirror repository>@<digest>/);
    expect(() => checkDigestReference('image', `Registry.example.com/a@sha256:${'0'.repeat(64)}`)).toThrow(/not referenced by digest/);
  });

  it('parses and formats Kubernetes quantities', () => {
    expect([parseCpuMillis('250m'), parseCpuMillis('1'), parseCpuMillis('0.5')]).toEqual([250, 1000, 500]);
    expect([parseMemoryMiB('512Mi'), parseMemoryMiB('2Gi')]).toEqual([512, 2048]);
    expect([formatCpu(1500), formatCpu(2000), formatMemory(1536), formatMemory(2048)]).toEqual(['1500m', '2', '1536Mi', '2Gi']);
    expect(() => parseCpuMillis('1 core')).toThrow(/CPU quantity "1 core" is not valid/);
    expect(() => parseCpuMillis('0.0001')).toThrow(/whole number of millicores/);
  });
});
