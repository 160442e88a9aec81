import { NamespaceAccess, OPERATOR_RULES, UPDATER_RULES } from '../../../constructs/kubernetes/namespace-access';
import type { KubernetesRule } from '../../../constructs/kubernetes/rbac-rules';
import { RUN_CONTROLLER_RULES, RunControllerRbac } from '../../../constructs/kubernetes/run-controller-rbac';
import { kubernetesStack, synthOf } from '../../support/eks';
import { kubernetesObjects, schemaErrors } from '../../support/kubernetes-objects';
import type { Synthesized } from '../../support/synth';

describe('RunControllerRbac (required props)', () => {
  let s: Synthesized;
  beforeAll(() => {
    const stack = kubernetesStack();
    new RunControllerRbac(stack, 'Rbac', { namespace: 'meshstack-runner', serviceAccountNames: ['run-controller-default'] });
    s = synthOf(stack);
  });

  it("grants exactly meshcloud's published verbs (run-controller/k8s/rbac.yaml), namespaced", () => {
    const role = s.only('kubernetes_role_v1');
    expect(role.metadata).toMatchObject({ name: 'run-controller', namespace: 'meshstack-runner' });
    expect(role.rule).toEqual([
      { api_groups: ['batch'], resources: ['jobs'], verbs: ['create', 'get', 'list', 'watch', 'delete'] },
      { api_groups: [''], resources: ['secrets'], verbs: ['create', 'get', 'update', 'patch', 'delete'] },
      { api_groups: [''], resources: ['serviceaccounts'], verbs: ['create', 'get'] },
    ]);
  });

  it('creates nothing cluster-wide', () => {
    expect(s.count('kubernetes_cluster_role_v1')).toBe(0);
    expect(s.count('kubernetes_cluster_role_binding_v1')).toBe(0);
  });

  it('binds the Role to the controller ServiceAccount, which automounts no token itself (CKV_K8S_38)', () => {
    const binding = s.only('kubernetes_role_binding_v1');
    expect(binding.role_ref).toEqual({ api_group: 'rbac.authorization.k8s.io', kind: 'Role', name: expect.stringMatching(/kubernetes_role_v1\..*\.metadata\[0\]\.name/) });
    expect(binding.subject).toEqual([{ kind: 'ServiceAccount', name: expect.stringMatching(/kubernetes_service_account_v1\./), namespace: 'meshstack-runner' }]);
    const sa = s.only('kubernetes_service_account_v1');
    expect(sa.metadata).toMatchObject({ name: 'run-controller-default', namespace: 'meshstack-runner' });
    expect(sa.automount_service_account_token).toBe(false);
  });

  it('every rule carries a justification', () => {
    for (const r of RUN_CONTROLLER_RULES) expect(r.justification.length).toBeGreaterThan(20);
  });

  it('every object validates against the Kubernetes schemas', () => {
    expect(schemaErrors(kubernetesObjects(s))).toEqual({});
  });
});

describe('RunControllerRbac overrides and failures', () => {
  it('GIVEN two controllers THEN one Role binds both ServiceAccounts', () => {
    const stack = kubernetesStack();
    new RunControllerRbac(stack, 'Rbac', { namespace: 'ns', serviceAccountNames: ['run-controller-a', 'run-controller-b'], roleName: 'runner' });
    const s = synthOf(stack);
    expect(s.count('kubernetes_role_v1')).toBe(1);
    expect(s.only('kubernetes_role_v1').metadata.name).toBe('runner');
    expect(s.only('kubernetes_role_binding_v1').subject).toHaveLength(2);
  });

  it('fails when no ServiceAccount is given, or one twice', () => {
    expect(() => new RunControllerRbac(kubernetesStack(), 'R', { namespace: 'ns', serviceAccountNames: [] })).toThrow(/serviceAccountNames is empty/);
    expect(() => new RunControllerRbac(kubernetesStack(), 'R', { namespace: 'ns', serviceAccountNames: ['a', 'a'] })).toThrow(/lists a name twice/);
  });
});

describe('NamespaceAccess', () => {
  const build = (rules: readonly KubernetesRule[], group = 'private-runner-kit:operators') => {
    const stack = kubernetesStack();
    new NamespaceAccess(stack, 'Access', { namespace: 'meshstack-runner', name: 'meshcloud-operators', group, rules });
    return synthOf(stack);
  };

  it('operators: read-only pods, logs, events and jobs; no secrets, no exec, no writes', () => {
    const s = build(OPERATOR_RULES);
    const rules = s.only('kubernetes_role_v1').rule as { api_groups: string[]; resources: string[]; verbs: string[] }[];
    expect(rules).toEqual([
      { api_groups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
      { api_groups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['get', 'list', 'watch'] },
      { api_groups: ['batch'], resources: ['jobs'], verbs: ['get', 'list', 'watch'] },
    ]);
    const resources = rules.flatMap((r) => r.resources);
    expect(resources).not.toContain('secrets');
    expect(resources).not.toContain('pods/exec');
    expect(new Set(rules.flatMap((r) => r.verbs))).toEqual(new Set(['get', 'list', 'watch']));
    expect(schemaErrors(kubernetesObjects(s))).toEqual({});
  });

  it('binds the Role to the Kubernetes group, in the namespace only', () => {
    const s = build(OPERATOR_RULES);
    expect(s.only('kubernetes_role_binding_v1')).toMatchObject({
      metadata: { name: 'meshcloud-operators', namespace: 'meshstack-runner' },
      subject: [{ kind: 'Group', name: 'private-runner-kit:operators', api_group: 'rbac.authorization.k8s.io' }],
      role_ref: { kind: 'Role' },
    });
    expect(s.count('kubernetes_cluster_role_binding_v1')).toBe(0);
  });

  it('updater: patch the controller Deployment and its config file, watch its rollout and read the pods\' log; nothing else (no secrets, no exec, no proxy, no create/delete)', () => {
    const rules = build(UPDATER_RULES, 'private-runner-kit:updater').only('kubernetes_role_v1').rule;
    expect(rules).toEqual([
      { api_groups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'watch', 'patch'] },
      { api_groups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
      { api_groups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] },
      // The meshStack signal: the controller's own log (registration, polls); not pods/proxy.
      { api_groups: [''], resources: ['pods/log'], verbs: ['get'] },
      { api_groups: [''], resources: ['configmaps'], verbs: ['get', 'patch'] },
    ]);
  });

  it.each([
    ['a wildcard verb', { apiGroups: [''], resources: ['pods'], verbs: ['*'], justification: 'too broad for anyone' }, /uses "\*"/],
    ['a wildcard resource', { apiGroups: [''], resources: ['*'], verbs: ['get'], justification: 'too broad for anyone' }, /uses "\*"/],
    ['an escalating verb', { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['bind'], justification: 'would allow escalation' }, /grants bind/],
    ['no justification', { apiGroups: [''], resources: ['pods'], verbs: ['get'], justification: 'x' }, /justification/],
  ])('fails when a rule has %s', (_, rule, error) => {
    expect(() => build([rule])).toThrow(error);
  });

  it('fails when bound to a system: group', () => {
    expect(() => build(OPERATOR_RULES, 'system:masters')).toThrow(/system: groups belong to Kubernetes/);
  });
});
