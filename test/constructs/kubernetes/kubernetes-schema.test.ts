/**
 * Every Kubernetes object the kit synthesizes, converted back to the object the provider sends,
 * validates against the Kubernetes OpenAPI schemas (kubernetes-models).
 */
import { exampleEksTarget, synthEks } from '../../support/eks';
import { CONVERTED_TYPES, kubernetesObjects, schemaErrors, toKubernetesObject, type KubernetesObject } from '../../support/kubernetes-objects';
import type { Synthesized } from '../../support/synth';

describe('Kubernetes objects of the EKS workload stack validate against the Kubernetes schemas', () => {
  let workload: Synthesized;
  let objects: KubernetesObject[];
  beforeAll(() => {
    workload = synthEks(exampleEksTarget().config).workload;
    objects = kubernetesObjects(workload);
  });

  it('converts every kubernetes_* resource of the stack (no type left out)', () => {
    const resources = Object.entries(workload.json.resource as Record<string, object>).filter(([t]) => t.startsWith('kubernetes_'));
    expect(objects).toHaveLength(resources.reduce((n, [, byId]) => n + Object.keys(byId).length, 0));
    expect(resources.map(([t]) => t).every((t) => CONVERTED_TYPES.includes(t))).toBe(true);
  });

  it('validates every object', () => {
    expect(schemaErrors(objects)).toEqual({});
    expect(objects.map((o) => o.kind).sort()).toEqual([
      'ConfigMap', 'ConfigMap', 'ConfigMap', 'Deployment', 'LimitRange', 'Namespace', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy', 'NetworkPolicy',
      'PodDisruptionBudget', 'ResourceQuota', 'Role', 'Role', 'Role', 'RoleBinding', 'RoleBinding', 'RoleBinding', 'Secret',
      'ServiceAccount', 'ServiceAccount',
    ]);
  });

  it('GIVEN two runners and every implementation type THEN every object still validates', () => {
    const { config } = exampleEksTarget((t) => {
      t.kubernetes.implementations = ['TERRAFORM', 'GITHUB_WORKFLOW', 'GITLAB_PIPELINE', 'AZURE_DEVOPS_PIPELINE', 'MANUAL'];
      t.runners.second = { ...t.runners.default, uuid: '9d9c2b5e-1c41-4c3a-8b9b-1f6a2c7d8e90', apiClientId: 'second', replicas: 2 };
      t.network.egressExtraPorts = [22, 7999];
    });
    const more = kubernetesObjects(synthEks(config).workload);
    expect(more.filter((o) => o.kind === 'Deployment')).toHaveLength(2);
    expect(schemaErrors(more)).toEqual({});
  });

  it('the converted Deployment carries the fields as Kubernetes names them', () => {
    const d = objects.find((o) => o.kind === 'Deployment')!.object as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(d.apiVersion).toBe('apps/v1');
    expect(d.spec.replicas).toBe(1);
    expect(d.spec.template.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 2000, runAsGroup: 2000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } });
    expect(d.spec.template.spec.volumes.find((v: any) => v.name === 'credentials').secret.defaultMode).toBe(0o440); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(d.spec.template.spec.containers[0].ports).toEqual([{ name: 'metrics', containerPort: 2112, protocol: 'TCP' }]);
  });
});

describe('the converter (test support) is strict', () => {
  const ns = { metadata: { name: 'x' } };

  it('fails when a resource has a field it does not know (a misspelt field cannot pass silently)', () => {
    expect(() => toKubernetesObject('kubernetes_namespace_v1', 'n', { metadata: { name: 'x', lables: { a: 'b' } } })).toThrow(/field\(s\) lables unknown/);
    expect(() => toKubernetesObject('kubernetes_deployment_v1', 'd', { metadata: { name: 'x' }, spec: { template: { spec: { container: [{ name: 'c', imag: 'i' }] } } } })).toThrow(/imag unknown/);
  });

  it('fails when a resource type has no converter', () => {
    expect(() => toKubernetesObject('kubernetes_manifest', 'm', ns)).toThrow(/no converter/);
  });

  it('maps the provider\'s string numbers and octal modes to Kubernetes integers', () => {
    const d = toKubernetesObject('kubernetes_deployment_v1', 'd', {
      metadata: { name: 'x' },
      spec: {
        replicas: '3',
        selector: { match_labels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { container: [{ name: 'c', image: 'i' }], volume: [{ name: 'v', config_map: { name: 'cm', default_mode: '0644' } }] } },
      },
    });
    expect(d.object).toMatchObject({ spec: { replicas: 3, template: { spec: { volumes: [{ configMap: { defaultMode: 0o644 } }] } } } });
    expect(() => d.validate()).not.toThrow();
  });

  it('lets the schema reject an invalid object (a Deployment without selector)', () => {
    const d = toKubernetesObject('kubernetes_deployment_v1', 'd', { metadata: { name: 'x' }, spec: { template: { spec: { container: [{ name: 'c', image: 'i' }] } } } });
    expect(() => d.validate()).toThrow(/selector/);
  });
});
