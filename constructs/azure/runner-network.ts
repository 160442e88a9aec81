/**
 * The runners' private network on Azure, egress only: a VNet split into three subnets, each with
 * its own NSG, and one NAT gateway with a static public IP for all egress.
 *
 * - `runners`: delegated to `Microsoft.ContainerInstance/containerGroups` (one container group per
 *   runner, private IP only);
 * - `updater`: delegated to `Microsoft.App/environments` (the updater function's VNet integration),
 *   with a `Microsoft.Storage` service endpoint so the function reaches its own storage account
 *   without that account being open to the internet;
 * - `endpoints`: the private endpoints of the Key Vault and the container registry.
 *
 * Every subnet has `default_outbound_access_enabled = false` (no implicit public egress), and an
 * NSG whose last rules deny all inbound and all outbound traffic. Above them: runners and updater
 * may open TCP 443 (and the configured extra ports: runners only) to anywhere, nothing else; the
 * endpoints subnet admits HTTPS from the runner and updater subnets only, and nothing else. Azure's
 * own DNS (168.63.129.16) and instance metadata service are platform traffic NSGs do not filter.
 * The NAT gateway carries all egress of the runner and updater subnets; its public IP is the
 * `nat_egress_ips` output customers allow-list. VNet flow logs (version 2) go to the kit's storage
 * account and to traffic analytics in the target's Log Analytics workspace.
 */
import { NatGateway } from '@cdktf/provider-azurerm/lib/nat-gateway';
import { NatGatewayPublicIpAssociation } from '@cdktf/provider-azurerm/lib/nat-gateway-public-ip-association';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { NetworkWatcherFlowLog } from '@cdktf/provider-azurerm/lib/network-watcher-flow-log';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNatGatewayAssociation } from '@cdktf/provider-azurerm/lib/subnet-nat-gateway-association';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { Construct } from 'constructs';
import { formatCidr, parseCidr, splitCidr } from '../core/config/cidr';
import type { IRunnerNetwork } from '../core/interfaces';
import { flowLogName, natGatewayName, natPublicIpName, networkSecurityGroupName, SUBNETS, virtualNetworkName, type SubnetPurpose } from './azure-names';
import type { ResourceScope } from './resource-scope';

/** Subnet delegations (service names Azure accepts, azurerm 4.55.0's allow-list). */
export const DELEGATIONS = { runners: 'Microsoft.ContainerInstance/containerGroups', updater: 'Microsoft.App/environments' } as const;
/** NSG priorities: the kit's allow rules from 100 up, the closing denies at 4096 (the lowest priority). */
export const DENY_ALL_PRIORITY = 4096;

export interface RunnerNetworkProps {
  readonly scope: ResourceScope;
  readonly target: string;
  /** The VNet's address space, e.g. `10.42.0.0/22`: split into four, the first three used. */
  readonly cidr: string;
  /** TCP ports the runners may reach besides 443. @default [] */
  readonly egressExtraPorts?: readonly number[];
}

export interface FlowLogProps {
  /** Where flow logs are written (the kit's storage account). */
  readonly storageAccountId: string;
  /** Traffic analytics: the target's Log Analytics workspace. */
  readonly workspace: { readonly id: string; readonly workspaceId: string };
  /** The region's Network Watcher. */
  readonly networkWatcher: { readonly name: string; readonly resourceGroupName: string };
  /** Days flow logs are kept. @default 90 */
  readonly retentionDays?: number;
}

export class RunnerNetwork extends Construct implements IRunnerNetwork {
  readonly networkId: string;
  readonly runnerSubnetIds: readonly string[];
  readonly egressIps: readonly string[];
  readonly egressPorts: readonly number[];
  readonly subnetIds: Readonly<Record<SubnetPurpose, string>>;
  readonly subnetPrefixes: Readonly<Record<SubnetPurpose, string>>;
  readonly vnet: VirtualNetwork;
  /** What egress needs (the NAT associations): workloads wait for it. */
  readonly egress: readonly SubnetNatGatewayAssociation[];
  private readonly scope: ResourceScope;
  private readonly target: string;

  constructor(scope: Construct, id: string, props: RunnerNetworkProps) {
    super(scope, id);
    const s = props.scope;
    const parsed = parseCidr(props.cidr);
    if ('error' in parsed) throw new Error(`network.cidr "${props.cidr}" ${parsed.error}`);
    const [runners, updater, endpoints] = splitCidr(parsed, 4).map(formatCidr) as [string, string, string];
    this.subnetPrefixes = { runners, updater, endpoints };
    const base = { resourceGroupName: s.resourceGroupName, location: s.location, tags: { ...s.tags } };

    this.vnet = new VirtualNetwork(this, 'Resource', { ...base, name: virtualNetworkName(props.target), addressSpace: [props.cidr] });
    const subnet = (purpose: SubnetPurpose, extra: Partial<ConstructorParameters<typeof Subnet>[2]> = {}) =>
      new Subnet(this, `Subnet-${purpose}`, {
        name: SUBNETS[purpose],
        resourceGroupName: s.resourceGroupName,
        virtualNetworkName: this.vnet.name,
        addressPrefixes: [this.subnetPrefixes[purpose]],
        defaultOutboundAccessEnabled: false,
        ...extra,
      });
    const subnets = {
      runners: subnet('runners', { delegation: [{ name: 'aci', serviceDelegation: { name: DELEGATIONS.runners, actions: ['Microsoft.Network/virtualNetworks/subnets/action'] } }] }),
      updater: subnet('updater', {
        delegation: [{ name: 'functions', serviceDelegation: { name: DELEGATIONS.updater, actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'] } }],
        serviceEndpoints: ['Microsoft.Storage'],
      }),
      // NSGs apply to private endpoints only with network policies on.
      endpoints: subnet('endpoints', { privateEndpointNetworkPolicies: 'Enabled' }),
    };
    this.subnetIds = { runners: subnets.runners.id, updater: subnets.updater.id, endpoints: subnets.endpoints.id };

    const egressPorts = [443, ...(props.egressExtraPorts ?? [])];
    this.egressPorts = egressPorts;
    for (const purpose of Object.keys(SUBNETS) as SubnetPurpose[]) {
      const nsg = new NetworkSecurityGroup(this, `Nsg-${purpose}`, { ...base, name: networkSecurityGroupName(props.target, purpose) });
      const rule = (name: string, r: Omit<ConstructorParameters<typeof NetworkSecurityRule>[2], 'name' | 'resourceGroupName' | 'networkSecurityGroupName'>) =>
        new NetworkSecurityRule(this, `Nsg-${purpose}-${name}`, { name, resourceGroupName: s.resourceGroupName, networkSecurityGroupName: nsg.name, ...r });
      if (purpose === 'endpoints') {
        rule('allow-https-from-kit-subnets', {
          description: 'HTTPS to the Key Vault and registry endpoints, from the runner and updater subnets only',
          priority: 100,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourcePortRange: '*',
          sourceAddressPrefixes: [runners, updater],
          destinationPortRange: '443',
          destinationAddressPrefix: endpoints,
        });
      } else {
        const ports = purpose === 'runners' ? egressPorts : [443];
        rule('allow-egress', {
          description: purpose === 'runners' ? `Runners: TCP ${ports.join(', ')} out (meshStack, git, registries, the kit's endpoints)` : "Updater: HTTPS out (Azure Resource Manager, upstream registry, its storage)",
          priority: 100,
          direction: 'Outbound',
          access: 'Allow',
          protocol: 'Tcp',
          sourcePortRange: '*',
          sourceAddressPrefix: this.subnetPrefixes[purpose],
          destinationPortRanges: ports.map(String),
          destinationAddressPrefix: '*',
        });
      }
      for (const direction of ['Inbound', 'Outbound'] as const) {
        rule(`deny-all-${direction.toLowerCase()}`, {
          description: `Nothing else ${direction === 'Inbound' ? 'in' : 'out'}: overrides Azure's default rules (which allow VNet-internal traffic and internet egress)`,
          priority: DENY_ALL_PRIORITY,
          direction,
          access: 'Deny',
          protocol: '*',
          sourcePortRange: '*',
          sourceAddressPrefix: '*',
          destinationPortRange: '*',
          destinationAddressPrefix: '*',
        });
      }
      new SubnetNetworkSecurityGroupAssociation(this, `Nsg-${purpose}-Association`, { subnetId: subnets[purpose].id, networkSecurityGroupId: nsg.id });
    }

    const ip = new PublicIp(this, 'NatEgressIp', { ...base, name: natPublicIpName(props.target), allocationMethod: 'Static', sku: 'Standard' });
    const nat = new NatGateway(this, 'Nat', { ...base, name: natGatewayName(props.target), skuName: 'Standard', idleTimeoutInMinutes: 10 });
    new NatGatewayPublicIpAssociation(this, 'NatIp', { natGatewayId: nat.id, publicIpAddressId: ip.id });
    this.egress = (['runners', 'updater'] as const).map((purpose) => new SubnetNatGatewayAssociation(this, `Nat-${purpose}`, { subnetId: subnets[purpose].id, natGatewayId: nat.id }));
    this.scope = s;
    this.target = props.target;

    this.networkId = this.vnet.id;
    this.runnerSubnetIds = [subnets.runners.id];
    this.egressIps = [ip.ipAddress];
  }

  /**
   * VNet flow logs (version 2) to `f.storageAccountId`, with traffic analytics in the workspace,
   * through the region's Network Watcher (which lives outside the kit's resource group: Azure makes
   * one per region and subscription).
   */
  addFlowLogs(f: FlowLogProps): NetworkWatcherFlowLog {
    return new NetworkWatcherFlowLog(this, 'FlowLogs', {
      name: flowLogName(this.target),
      networkWatcherName: f.networkWatcher.name,
      resourceGroupName: f.networkWatcher.resourceGroupName,
      location: this.scope.location,
      targetResourceId: this.vnet.id,
      storageAccountId: f.storageAccountId,
      enabled: true,
      version: 2,
      retentionPolicy: { enabled: true, days: f.retentionDays ?? 90 },
      trafficAnalytics: { enabled: true, workspaceId: f.workspace.workspaceId, workspaceRegion: this.scope.location, workspaceResourceId: f.workspace.id, intervalInMinutes: 10 },
      tags: { ...this.scope.tags },
    });
  }
}
