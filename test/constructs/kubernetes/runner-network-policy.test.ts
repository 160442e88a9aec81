import { RunnerNetworkPolicies, type RunnerNetworkPoliciesProps } from '../../../constructs/kubernetes/runner-network-policy';
import { kubernetesStack, synthOf } from '../../support/eks';
import { kubernetesObjects, schemaErrors } from '../../support/kubernetes-objects';
import type { Json, Synthesized } from '../../support/synth';

const build = (props: Partial<RunnerNetworkPoliciesProps> = {}) => {
  const stack = kubernetesStack();
  new RunnerNetworkPolicies(stack, 'Policies', { namespace: 'meshstack-runner', ...props });
  return synthOf(stack);
};
const policy = (s: Synthesized, name: string): Json => s.resources('kubernetes_network_policy_v1').map(([, b]) => b).find((b) => b.metadata.name === name)!;

describe('RunnerNetworkPolicies (required props)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = build();
  });

  it('denies all ingress and egress of every pod by default', () => {
    expect(policy(s, 'default-deny')).toMatchObject({ metadata: { namespace: 'meshstack-runner' }, spec: { pod_selector: {}, policy_types: ['Ingress', 'Egress'] } });
    expect(policy(s, 'default-deny').spec.ingress).toBeUndefined();
    expect(policy(s, 'default-deny').spec.egress).toBeUndefined();
  });

  it('no policy allows any ingress', () => {
    for (const [, p] of s.resources('kubernetes_network_policy_v1')) expect(p.spec.ingress).toBeUndefined();
  });

  it('lets every pod query DNS in kube-system, UDP and TCP 53 only', () => {
    expect(policy(s, 'allow-dns').spec).toEqual({
      pod_selector: {},
      policy_types: ['Egress'],
      egress: [{ to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }],
    });
  });

  it('lets the controller reach HTTPS only (meshStack and Kubernetes API), never the metadata endpoint', () => {
    expect(policy(s, 'run-controller-egress').spec).toEqual({
      pod_selector: { match_labels: { 'app.kubernetes.io/name': 'run-controller' } },
      policy_types: ['Egress'],
      egress: [
        {
          to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }, { ip_block: { cidr: '::/0', except: ['fd00:ec2::254/128'] } }],
          ports: [{ port: '443', protocol: 'TCP' }],
        },
      ],
    });
  });

  it("lets run pods (run-controller's label app.kubernetes.io/name=runner) reach HTTPS but never the cloud metadata endpoint", () => {
    expect(policy(s, 'runner-jobs-egress').spec).toEqual({
      pod_selector: { match_labels: { 'app.kubernetes.io/name': 'runner' } },
      policy_types: ['Egress'],
      egress: [
        {
          to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }, { ip_block: { cidr: '::/0', except: ['fd00:ec2::254/128'] } }],
          ports: [{ port: '443', protocol: 'TCP' }],
        },
      ],
    });
  });

  it('every object validates against the Kubernetes schemas', () => {
    expect(schemaErrors(kubernetesObjects(s))).toEqual({});
  });
});

describe('RunnerNetworkPolicies overrides and failures', () => {
  it('GIVEN egressExtraPorts [22] THEN controller and runs may also reach TCP 22', () => {
    const s = build({ egressExtraPorts: [22] });
    for (const name of ['run-controller-egress', 'runner-jobs-egress']) {
      expect(policy(s, name).spec.egress[0].ports).toEqual([{ port: '443', protocol: 'TCP' }, { port: '22', protocol: 'TCP' }]);
    }
  });

  it('GIVEN a controller extra destination THEN only the controller may reach it, on that port, with the reason annotated', () => {
    const s = build({ controllerExtraEgress: [{ cidr: '169.254.170.23/32', port: 80, reason: 'EKS Pod Identity agent credentials' }] });
    const controller = policy(s, 'run-controller-egress');
    expect(controller.spec.egress[1]).toEqual({ to: [{ ip_block: { cidr: '169.254.170.23/32' } }], ports: [{ port: '80', protocol: 'TCP' }] });
    expect(controller.metadata.annotations['private-runner-kit/extra-egress']).toMatch(/169\.254\.170\.23\/32:80: EKS Pod Identity/);
    expect(policy(s, 'runner-jobs-egress').spec.egress).toHaveLength(1);
    expect(schemaErrors(kubernetesObjects(s))).toEqual({});
  });

  it('DNS egress goes to the cluster DNS in kube-system only', () => {
    expect(policy(build({}), 'allow-dns').spec.egress[0].to[0].namespace_selector.match_labels).toEqual({ 'kubernetes.io/metadata.name': 'kube-system' });
  });

  it.each([
    [[0], /not a TCP port/],
    [[443], /443 is always allowed/],
    [[53], /53 is always allowed/],
    [[22, 22], /lists a port twice/],
  ])('fails when egressExtraPorts is %j', (ports, error) => {
    expect(() => build({ egressExtraPorts: ports })).toThrow(error);
  });

  it('fails when an extra destination is not a CIDR or has no reason', () => {
    expect(() => build({ controllerExtraEgress: [{ cidr: '169.254.170.23', port: 80, reason: 'identity agent credentials' }] })).toThrow(/not a CIDR/);
    expect(() => build({ controllerExtraEgress: [{ cidr: '169.254.170.23/32', port: 80, reason: '' }] })).toThrow(/give a reason/);
  });
});
