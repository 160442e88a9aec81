/**
 * Private networking with egress only, on GCP: a custom-mode VPC network; one regional subnet for
 * the runners and the updater (Private Google Access, flow logs); a Cloud Router with Cloud NAT
 * behind one reserved static IP (output `nat_egress_ips`, for customers' allow-lists), logging
 * every translation; and firewall rules: deny all egress at the lowest priority, allow TCP 443
 * (plus `egressExtraPorts`) only from the runners' and the updater's network tags. Nothing allows
 * ingress (GCP denies it by default; no rule opens it).
 */
import { ComputeAddress } from '@cdktf/provider-google/lib/compute-address';
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { Construct } from 'constructs';
import { acknowledge } from '../core/rules/acknowledgement';
import type { IRunnerNetwork } from '../core/interfaces';
import { GcpContext } from './gcp-context';
import { natAddressName, natName, networkName, routerName, runnerNetworkTag, subnetName, updaterNetworkTag } from './gcp-names';

/** The lowest priority a firewall rule can have: every allow rule wins over the deny-all. */
export const DENY_ALL_PRIORITY = 65534;
export const ALLOW_PRIORITY = 1000;

export interface RunnerNetworkProps {
  readonly target: string;
  /** The subnet's range (one regional subnet; Direct VPC egress takes its addresses from it). */
  readonly cidr: string;
  /** TCP ports besides 443. @default [] */
  readonly egressExtraPorts?: readonly number[];
  /** Secondary ranges of the subnet (GKE: pods and services). @default [] */
  readonly secondaryRanges?: readonly { readonly rangeName: string; readonly ipCidrRange: string }[];
}

export class RunnerNetwork extends Construct implements IRunnerNetwork {
  readonly networkId: string;
  readonly networkName: string;
  readonly subnetId: string;
  readonly runnerSubnetIds: readonly string[];
  readonly egressIps: readonly string[];
  readonly egressPorts: readonly number[];
  /** Network tags the allow rules select: the runners' and the updater's. */
  readonly runnerTag: string;
  readonly updaterTag: string;
  private readonly target: string;
  private readonly project: string;

  constructor(scope: Construct, id: string, props: RunnerNetworkProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    const project = ctx.projectId;
    const network = new ComputeNetwork(this, 'Resource', {
      name: networkName(props.target),
      project,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
      description: `private-runner-kit ${props.target}: runners and updater, egress through NAT only`,
      dependsOn: [...ctx.apis],
    });
    const subnet = new ComputeSubnetwork(this, 'Subnet', {
      name: subnetName(props.target),
      project,
      region: ctx.region,
      network: network.id,
      ipCidrRange: props.cidr,
      privateIpGoogleAccess: true,
      ...(props.secondaryRanges !== undefined && props.secondaryRanges.length > 0 ? { secondaryIpRange: props.secondaryRanges.map((r) => ({ rangeName: r.rangeName, ipCidrRange: r.ipCidrRange })) } : {}),
      logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 1, metadata: 'INCLUDE_ALL_METADATA' },
    });
    const router = new ComputeRouter(this, 'Router', { name: routerName(props.target), project, region: ctx.region, network: network.id });
    const address = new ComputeAddress(this, 'NatAddress', {
      name: natAddressName(props.target),
      project,
      region: ctx.region,
      addressType: 'EXTERNAL',
      networkTier: 'PREMIUM',
      description: `Egress IP of the runners of ${props.target} (allow-list it on your git servers)`,
    });
    new ComputeRouterNat(this, 'Nat', {
      name: natName(props.target),
      project,
      region: ctx.region,
      router: router.name,
      natIpAllocateOption: 'MANUAL_ONLY',
      natIps: [address.selfLink],
      sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
      subnetwork: [{ name: subnet.id, sourceIpRangesToNat: ['ALL_IP_RANGES'] }],
      logConfig: { enable: true, filter: 'ALL' },
    });
    this.runnerTag = runnerNetworkTag(props.target);
    this.updaterTag = updaterNetworkTag(props.target);
    this.egressPorts = [443, ...(props.egressExtraPorts ?? [])];
    new ComputeFirewall(this, 'DenyAllEgress', {
      name: `${props.target}-deny-all-egress`,
      project,
      network: network.id,
      direction: 'EGRESS',
      priority: DENY_ALL_PRIORITY,
      destinationRanges: ['0.0.0.0/0'],
      deny: [{ protocol: 'all' }],
      description: 'Nothing leaves the network unless a rule of higher priority allows it',
      logConfig: { metadata: 'INCLUDE_ALL_METADATA' },
    });
    new ComputeFirewall(this, 'AllowRunnerEgress', {
      name: `${props.target}-allow-runner-egress`,
      project,
      network: network.id,
      direction: 'EGRESS',
      priority: ALLOW_PRIORITY,
      targetTags: [this.runnerTag],
      destinationRanges: ['0.0.0.0/0'],
      allow: [{ protocol: 'tcp', ports: this.egressPorts.map(String) }],
      description: `The runners reach meshStack, git servers, registries and providers: TCP ${this.egressPorts.join(', ')}`,
    });
    new ComputeFirewall(this, 'AllowUpdaterEgress', {
      name: `${props.target}-allow-updater-egress`,
      project,
      network: network.id,
      direction: 'EGRESS',
      priority: ALLOW_PRIORITY,
      targetTags: [this.updaterTag],
      destinationRanges: ['0.0.0.0/0'],
      allow: [{ protocol: 'tcp', ports: ['443'] }],
      description: 'The updater reaches the upstream registry and Google APIs: HTTPS only',
    });
    this.target = props.target;
    this.project = project;
    this.networkId = network.id;
    this.networkName = network.name;
    this.subnetId = subnet.id;
    this.runnerSubnetIds = [subnet.id];
    this.egressIps = [address.address];
  }

  /**
   * Lets the instances tagged `tag` reach `ranges` inside the network on every TCP and UDP port
   * (GKE: nodes and pods talk to each other, to cluster DNS and to the control plane's private
   * endpoint on ports Kubernetes chooses). The ranges are the network's own: nothing outside it.
   */
  allowInternalEgress(id: string, props: { readonly tag: string; readonly ranges: readonly string[]; readonly description: string }): ComputeFirewall {
    const rule = new ComputeFirewall(this, id, {
      name: `${this.target}-allow-${id.toLowerCase()}`,
      project: this.project,
      network: this.networkId,
      direction: 'EGRESS',
      priority: ALLOW_PRIORITY,
      targetTags: [props.tag],
      destinationRanges: [...props.ranges],
      allow: [{ protocol: 'tcp' }, { protocol: 'udp' }],
      description: props.description,
    });
    const why = `Inside the network only (${props.ranges.join(', ')}): ${props.description}`;
    acknowledge(rule, 'GCP-NET-3', 'Allow::0', why);
    acknowledge(rule, 'GCP-NET-3', 'Allow::1', why);
    acknowledge(rule, 'GCP-NET-5', 'Allow::1', `${why} Cluster DNS answers over UDP.`);
    return rule;
  }
}
