/**
 * The runner namespace's network policies (enforced by the cluster's network policy engine: the
 * VPC CNI on EKS, Azure / Cilium on AKS, Dataplane V2 on GKE):
 *
 * - `default-deny`: every pod, no ingress and no egress unless another policy allows it.
 * - `allow-dns`: every pod may query the cluster DNS (UDP and TCP 53 to kube-system).
 * - `run-controller-egress`: the controller may reach HTTPS (meshStack API, Kubernetes API) and
 *   the configured extra ports, plus named extra destinations (e.g. the node-local identity agent).
 * - `runner-jobs-egress`: run pods may reach HTTPS and the extra ports anywhere EXCEPT the cloud
 *   instance metadata endpoint, so a run cannot borrow the node's identity.
 *
 * No policy allows ingress: nothing connects to the runner.
 */
import { NetworkPolicyV1, type NetworkPolicyV1SpecEgress, type NetworkPolicyV1SpecEgressTo } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { Construct } from 'constructs';
import { parseCidr } from '../core/config/cidr';
import { CONTROLLER_APP, kitLabels, METADATA_ENDPOINT_CIDRS, NAME_LABEL, RUNNER_JOB_APP } from './labels';

export const HTTPS_PORT = 443;
export const DNS_PORT = 53;

/** One extra egress destination: a CIDR and a port. */
export interface EgressDestination {
  readonly cidr: string;
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
  /** Why this destination is needed; becomes a comment-like annotation on the policy. */
  readonly reason: string;
}

export interface RunnerNetworkPoliciesProps {
  readonly namespace: string;
  /**
   * TCP ports pods may reach besides 443 (e.g. 22 for git over SSH).
   * @default [] - HTTPS only
   */
  readonly egressExtraPorts?: readonly number[];
  /**
   * Extra destinations for the controller only (e.g. EKS Pod Identity agent 169.254.170.23:80).
   * @default [] - none
   */
  readonly controllerExtraEgress?: readonly EgressDestination[];
}

export class RunnerNetworkPolicies extends Construct {
  /** TCP ports pods may reach besides DNS, for checks and docs. */
  readonly egressPorts: readonly number[];

  constructor(scope: Construct, id: string, props: RunnerNetworkPoliciesProps) {
    super(scope, id);
    const extra = props.egressExtraPorts ?? [];
    extra.forEach((p) => {
      if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`egressExtraPorts: ${p} is not a TCP port; use 1-65535, e.g. 22 for git over SSH`);
      if (p === HTTPS_PORT || p === DNS_PORT) throw new Error(`egressExtraPorts: ${p} is always allowed; remove it`);
    });
    if (new Set(extra).size !== extra.length) throw new Error(`egressExtraPorts lists a port twice: ${extra.join(', ')}`);
    this.egressPorts = [HTTPS_PORT, ...extra];
    // Run pods can never reach the cloud's instance metadata endpoint, even on an allowed port.
    const denied = METADATA_ENDPOINT_CIDRS;
    for (const d of props.controllerExtraEgress ?? []) {
      if (!isCidr(d.cidr)) throw new Error(`controllerExtraEgress: "${d.cidr}" is not a CIDR; use e.g. 169.254.170.23/32`);
      if (!Number.isInteger(d.port) || d.port < 1 || d.port > 65535) throw new Error(`controllerExtraEgress: ${d.port} is not a port`);
      if (d.reason.trim().length < 10) throw new Error(`controllerExtraEgress to ${d.cidr}: give a reason of at least 10 characters`);
    }

    const ns = props.namespace;
    const tcp = (port: number) => ({ port: String(port), protocol: 'TCP' });
    const anywhereExcept: NetworkPolicyV1SpecEgressTo[] = [
      { ipBlock: { cidr: '0.0.0.0/0', except: denied.filter((c) => !c.includes(':')) } },
      { ipBlock: { cidr: '::/0', except: denied.filter((c) => c.includes(':')) } },
    ].map((t) => (t.ipBlock.except.length === 0 ? { ipBlock: { cidr: t.ipBlock.cidr } } : t));
    const webEgress: NetworkPolicyV1SpecEgress = { to: anywhereExcept, ports: this.egressPorts.map(tcp) };

    new NetworkPolicyV1(this, 'DefaultDeny', {
      metadata: { name: 'default-deny', namespace: ns, labels: kitLabels('default-deny') },
      spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] },
    });
    new NetworkPolicyV1(this, 'AllowDns', {
      metadata: { name: 'allow-dns', namespace: ns, labels: kitLabels('allow-dns') },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }],
            ports: [{ port: String(DNS_PORT), protocol: 'UDP' }, { port: String(DNS_PORT), protocol: 'TCP' }],
          },
        ],
      },
    });
    const extraEgress = props.controllerExtraEgress ?? [];
    new NetworkPolicyV1(this, 'ControllerEgress', {
      metadata: {
        name: 'run-controller-egress',
        namespace: ns,
        labels: kitLabels('run-controller-egress'),
        ...(extraEgress.length > 0 ? { annotations: { 'private-runner-kit/extra-egress': extraEgress.map((d) => `${d.cidr}:${d.port}: ${d.reason}`).join('; ') } } : {}),
      },
      spec: {
        podSelector: { matchLabels: { [NAME_LABEL]: CONTROLLER_APP } },
        policyTypes: ['Egress'],
        egress: [webEgress, ...extraEgress.map((d) => ({ to: [{ ipBlock: { cidr: d.cidr } }], ports: [{ port: String(d.port), protocol: d.protocol ?? 'TCP' }] }))],
      },
    });
    new NetworkPolicyV1(this, 'JobEgress', {
      metadata: { name: 'runner-jobs-egress', namespace: ns, labels: kitLabels('runner-jobs-egress') },
      spec: {
        podSelector: { matchLabels: { [NAME_LABEL]: RUNNER_JOB_APP } },
        policyTypes: ['Egress'],
        egress: [webEgress],
      },
    });
  }
}

function isCidr(c: string): boolean {
  if (c.includes(':')) return /^[0-9a-f:]+\/\d{1,3}$/i.test(c) && Number(c.split('/')[1]) <= 128;
  return !('error' in parseCidr(c));
}
