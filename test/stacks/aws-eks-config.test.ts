/** Config validation of the `kubernetes` section and of EKS targets. */
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { parseConfig } from '../../constructs/core/config/load';
import { EXAMPLE_AWS_EKS } from '../support/eks';
import { EXAMPLE_AWS_ECS, type Json } from '../support/synth';

const issuesFor = (file: string, patch: (t: Json) => void) => {
  const doc = parse(readFileSync(file, 'utf8')) as Json;
  patch(doc.targets[Object.keys(doc.targets)[0]!]);
  const r = parseConfig(stringify(doc), 'test');
  return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
};
const eks = (patch: (t: Json) => void) => issuesFor(EXAMPLE_AWS_EKS, patch);

describe('config: EKS targets and the kubernetes section', () => {
  it('examples/aws-eks.yaml is valid, with defaults filled in', () => {
    const r = parseConfig(readFileSync(EXAMPLE_AWS_EKS, 'utf8'), 'example');
    expect(r.ok ? [] : r.issues).toEqual([]);
    if (!r.ok) return;
    expect(r.config.targets['eksexample']!.kubernetes).toMatchObject({
      ownedByWorkspace: 'platform-team', version: '1.33', namespace: 'meshstack-runner', implementations: ['TERRAFORM'],
      controllerImage: 'ghcr.io/meshcloud/run-controller', pollingIntervalSeconds: 10, allowPublicEndpoint: false, publicEndpointCidrs: [],
    });
  });

  it('fails when an EKS target has no kubernetes section (run-controller needs its workspace)', () => {
    expect(eks((t) => delete t.kubernetes)).toEqual([expect.stringMatching(/^targets\.eksexample\.kubernetes: is required on platform "eks"/)]);
  });

  it('fails when a container-as-a-service target has a kubernetes section', () => {
    expect(issuesFor(EXAMPLE_AWS_ECS, (t) => (t.kubernetes = { ownedByWorkspace: 'x' }))).toEqual([expect.stringMatching(/kubernetes: is set but platform "ecs" is not a Kubernetes platform/)]);
  });

  it('fails when ownedByWorkspace is missing', () => {
    expect(eks((t) => delete t.kubernetes.ownedByWorkspace)).toEqual([expect.stringMatching(/kubernetes\.ownedByWorkspace/)]);
  });

  it('fails when the Kubernetes version is not one the kit deploys on EKS', () => {
    expect(eks((t) => (t.kubernetes.version = '1.25'))).toEqual(['targets.eksexample.kubernetes.version: is not a Kubernetes version the kit deploys on EKS']);
  });

  it('fails when the public endpoint is opted in without networks, or open to the internet, or networks come without opt-in', () => {
    expect(eks((t) => (t.kubernetes.allowPublicEndpoint = true))).toEqual([expect.stringMatching(/publicEndpointCidrs: is empty but allowPublicEndpoint is true/)]);
    expect(eks((t) => Object.assign(t.kubernetes, { allowPublicEndpoint: true, publicEndpointCidrs: ['0.0.0.0/0'] }))).toEqual([expect.stringMatching(/publicEndpointCidrs\[0\]: opens the API endpoint to the whole internet/)]);
    expect(eks((t) => (t.kubernetes.publicEndpointCidrs = ['203.0.113.0/24']))).toEqual([expect.stringMatching(/is set but allowPublicEndpoint is not true/)]);
    expect(eks((t) => Object.assign(t.kubernetes, { allowPublicEndpoint: true, publicEndpointCidrs: ['203.0.113.0/33'] }))).toEqual([expect.stringMatching(/publicEndpointCidrs\[0\]: has a prefix length above 32/)]);
  });

  it.each([
    ['a namespace of the cluster', (t: Json) => (t.kubernetes.namespace = 'kube-system'), /kubernetes\.namespace: is not a namespace of its own/],
    ['an invalid namespace', (t: Json) => (t.kubernetes.namespace = 'Runner_NS'), /kubernetes\.namespace/],
    ['no implementation', (t: Json) => (t.kubernetes.implementations = []), /implementations: is empty/],
    ['an implementation twice', (t: Json) => (t.kubernetes.implementations = ['TERRAFORM', 'TERRAFORM']), /implementations: lists a type twice/],
    ['an unknown implementation', (t: Json) => (t.kubernetes.implementations = ['ANSIBLE']), /implementations/],
    ['a controller image with a tag', (t: Json) => (t.kubernetes.controllerImage = 'ghcr.io/meshcloud/run-controller:v1.3.0'), /controllerImage: is not an image repository/],
    ['a bad instance type', (t: Json) => (t.kubernetes.nodeTypes = ['big']), /nodeTypes\[0\]: is not an EC2 instance type/],
    ['min above max nodes', (t: Json) => Object.assign(t.kubernetes, { nodeMinSize: 5, nodeMaxSize: 4 }), /nodeMinSize: is above nodeMaxSize/],
    ['desired outside min..max', (t: Json) => (t.kubernetes.nodeDesiredSize = 9), /nodeDesiredSize: is outside nodeMinSize..nodeMaxSize/],
    ['an unknown field', (t: Json) => (t.kubernetes.nodeCount = 3), /kubernetes/],
  ])('fails on %s, naming the field', (_, patch, error) => {
    const issues = eks(patch);
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.join('\n')).toMatch(error);
  });

  it('EKS runners are not held to Fargate CPU / memory sizes (they size the Terraform Jobs)', () => {
    expect(eks((t) => Object.assign(t.runners.default, { vcpu: 1.5, memoryMiB: 3000 }))).toEqual([]);
  });
});
