import { RunnerNamespace, type RunnerNamespaceProps } from '../../../constructs/kubernetes/runner-namespace';
import { kubernetesStack, synthOf } from '../../support/eks';
import { kubernetesObjects, schemaErrors } from '../../support/kubernetes-objects';
import type { Synthesized } from '../../support/synth';

const REQUIRED: RunnerNamespaceProps = {
  name: 'meshstack-runner',
  podSecurityVersion: 'v1.33',
  quota: { pods: 24, requestsCpu: '11', requestsMemory: '21Gi', limitsCpu: '22', limitsMemory: '21Gi' },
  containerLimits: { defaultCpu: '500m', defaultMemory: '512Mi', defaultRequestCpu: '100m', defaultRequestMemory: '128Mi', maxCpu: '2', maxMemory: '2Gi' },
};
const build = (props: Partial<RunnerNamespaceProps> = {}) => {
  const stack = kubernetesStack();
  new RunnerNamespace(stack, 'Namespace', { ...REQUIRED, ...props });
  return synthOf(stack);
};

describe('RunnerNamespace (required props)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = build();
  });

  it('enforces, audits and warns Pod Security "restricted" at the pinned version', () => {
    expect(s.only('kubernetes_namespace_v1').metadata).toMatchObject({
      name: 'meshstack-runner',
      labels: {
        'pod-security.kubernetes.io/enforce': 'restricted',
        'pod-security.kubernetes.io/enforce-version': 'v1.33',
        'pod-security.kubernetes.io/audit': 'restricted',
        'pod-security.kubernetes.io/audit-version': 'v1.33',
        'pod-security.kubernetes.io/warn': 'restricted',
        'pod-security.kubernetes.io/warn-version': 'v1.33',
        'app.kubernetes.io/managed-by': 'private-runner-kit',
      },
    });
  });

  it('caps pods, requests and limits of the whole namespace (ResourceQuota)', () => {
    const q = s.only('kubernetes_resource_quota_v1');
    expect(q.metadata.namespace).toMatch(/^\$\{kubernetes_namespace_v1\..*\.metadata\[0\]\.name\}$/);
    expect(q.spec.hard).toEqual({ pods: '24', 'requests.cpu': '11', 'requests.memory': '21Gi', 'limits.cpu': '22', 'limits.memory': '21Gi' });
  });

  it('gives containers default requests and limits and refuses oversized ones (LimitRange)', () => {
    expect(s.only('kubernetes_limit_range_v1').spec.limit).toEqual([
      { type: 'Container', default: { cpu: '500m', memory: '512Mi' }, default_request: { cpu: '100m', memory: '128Mi' }, max: { cpu: '2', memory: '2Gi' } },
    ]);
  });

  it("CKV_K8S_38: the namespace's default ServiceAccount automounts no token", () => {
    expect(s.only('kubernetes_default_service_account_v1').automount_service_account_token).toBe(false);
  });

  it('every object validates against the Kubernetes schemas', () => {
    expect(schemaErrors(kubernetesObjects(s))).toEqual({});
  });
});

describe('RunnerNamespace overrides and failures', () => {
  it('GIVEN podSecurityVersion v1.34 THEN all three modes pin v1.34', () => {
    const labels = build({ podSecurityVersion: 'v1.34' }).only('kubernetes_namespace_v1').metadata.labels;
    expect([labels['pod-security.kubernetes.io/enforce-version'], labels['pod-security.kubernetes.io/audit-version'], labels['pod-security.kubernetes.io/warn-version']]).toEqual(['v1.34', 'v1.34', 'v1.34']);
  });

  it('fails when the Pod Security version is not pinned ("latest")', () => {
    expect(() => build({ podSecurityVersion: 'latest' })).toThrow(/podSecurityVersion "latest" is not a pinned Kubernetes minor version/);
  });

  it.each(['default', 'kube-system', 'kube-anything'])('fails when the namespace is the cluster\'s own (%s)', (name) => {
    expect(() => build({ name })).toThrow(/belongs to the cluster itself/);
  });

  it('fails when the namespace is not a DNS label', () => {
    expect(() => build({ name: 'Meshstack_Runner' })).toThrow(/not a valid Kubernetes name/);
  });

  it('fails when a quota request exceeds its limit', () => {
    expect(() => build({ quota: { ...REQUIRED.quota, requestsCpu: '30' } })).toThrow(/requests.cpu 30 is above limits.cpu 22/);
  });

  it('fails when container defaults exceed the maximum', () => {
    expect(() => build({ containerLimits: { ...REQUIRED.containerLimits, defaultMemory: '4Gi' } })).toThrow(/defaultRequest .* <= default \(4Gi\) <= max \(2Gi\)/);
  });

  it('fails on a quantity Kubernetes would not accept', () => {
    expect(() => build({ quota: { ...REQUIRED.quota, requestsMemory: '21GB' } })).toThrow(/memory quantity "21GB" is not valid/);
  });
});
