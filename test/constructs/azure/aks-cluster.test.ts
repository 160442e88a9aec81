/**
 * The AKS cluster construct on its own: required props only (every security-relevant attribute),
 * the public-endpoint opt-in, and what it refuses. The RunnerNetwork's node-subnet mode beside the
 * container-group mode it replaces.
 */
import { TerraformStack, Testing } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { AksCluster, type AksClusterProps } from '../../../constructs/azure/aks-cluster';
import { aksMaintenanceSchedule } from '../../../constructs/azure/aks-maintenance';
import { RunnerNetwork } from '../../../constructs/azure/runner-network';
import type { ResourceScope } from '../../../constructs/azure/resource-scope';
import { synthStack } from '../../support/synth';

const scope: ResourceScope = { subscriptionId: '00000000-0000-4000-8000-000000000001', tenantId: '00000000-0000-4000-8000-0000000000aa', resourceGroupName: 'rg', resourceGroupId: '/subscriptions/00000000-0000-4000-8000-000000000001/resourceGroups/rg', location: 'westeurope', tags: { 'managed-by': 'private-runner-kit' } };

function stackWith(make: (stack: TerraformStack) => void): TerraformStack {
  const stack = new TerraformStack(Testing.app(), 'test');
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  make(stack);
  return stack;
}
const props = (over: Partial<AksClusterProps> = {}): AksClusterProps => ({
  scope,
  target: 'prod',
  name: 'prod-cluster',
  kubernetesVersion: '1.33',
  nodeSubnetId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/runners',
  egress: [],
  vmSize: 'Standard_D4s_v5',
  minNodes: 2,
  maxNodes: 4,
  workspaceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w',
  registryId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/r',
  nodeResourceGroup: 'rg-nodes',
  maintenance: aksMaintenanceSchedule(undefined),
  deployerObjectId: '22222222-2222-4222-8222-222222222222',
  resourceGroupId: scope.resourceGroupId,
  resourceGroup: { fqn: 'azurerm_resource_group.rg' } as never,
  ...over,
});

describe('AksCluster', () => {
  it('with required props: private, Entra ID with Azure RBAC, no local accounts or run command, workload identity, Cilium, NAT egress, patched weekly', () => {
    const s = synthStack(stackWith((stack) => new AksCluster(stack, 'Cluster', props())));
    const c = s.only('azurerm_kubernetes_cluster');
    expect(c).toMatchObject({
      private_cluster_enabled: true,
      private_cluster_public_fqdn_enabled: false,
      local_account_disabled: true,
      run_command_enabled: false,
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true },
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      azure_policy_enabled: true,
      network_profile: { network_policy: 'cilium', outbound_type: 'userAssignedNATGateway' },
      default_node_pool: { node_public_ip_enabled: false, auto_scaling_enabled: true, min_count: 2, max_count: 4 },
      node_os_upgrade_channel: 'SecurityPatch',
      maintenance_window_node_os: { frequency: 'Weekly', day_of_week: 'Sunday', start_time: '00:00', duration: 4 },
    });
    expect(s.only('azurerm_role_definition').permissions[0].actions).toEqual(['Microsoft.Network/virtualNetworks/subnets/read', 'Microsoft.Network/virtualNetworks/subnets/join/action']);
  });

  it('GIVEN allowPublicEndpoint THEN authorized IP ranges only, no private DNS zone', () => {
    const c = synthStack(stackWith((stack) => new AksCluster(stack, 'Cluster', props({ allowPublicEndpoint: true, publicEndpointCidrs: ['203.0.113.0/24'] })))).only('azurerm_kubernetes_cluster');
    expect(c).toMatchObject({ private_cluster_enabled: false, api_server_access_profile: { authorized_ip_ranges: ['203.0.113.0/24'] } });
    expect(c.private_dns_zone_id).toBeUndefined();
  });

  it('fails when the public endpoint has no networks, or the pool minimum is above its maximum', () => {
    expect(() => stackWith((stack) => new AksCluster(stack, 'Cluster', props({ allowPublicEndpoint: true, publicEndpointCidrs: [] })))).toThrow(/allowPublicEndpoint needs publicEndpointCidrs/);
    expect(() => stackWith((stack) => new AksCluster(stack, 'Cluster', props({ minNodes: 5, maxNodes: 4 })))).toThrow(/minimum 5 is above its maximum 4/);
  });
});

describe('RunnerNetwork for AKS nodes', () => {
  it('GIVEN clusterNodes THEN the runner subnet is not delegated and its NSG admits the cluster\'s own traffic only between the subnet and the pod range; without it, container groups as before', () => {
    const aks = synthStack(stackWith((stack) => new RunnerNetwork(stack, 'Network', { scope, target: 'prod', cidr: '10.42.0.0/22', clusterNodes: { podCidr: '10.244.0.0/16' } })));
    expect(aks.find('azurerm_subnet', 'Subnet-runners').delegation).toBeUndefined();
    const internal = aks.resources('azurerm_network_security_rule').filter(([id]) => id.includes('cluster-internal')).map(([, r]) => r);
    expect(internal.map((r) => [r.direction, r.source_address_prefixes, r.destination_address_prefixes])).toEqual([
      ['Inbound', ['10.42.0.0/24', '10.244.0.0/16'], ['10.42.0.0/24', '10.244.0.0/16']],
      ['Outbound', ['10.42.0.0/24', '10.244.0.0/16'], ['10.42.0.0/24', '10.244.0.0/16']],
    ]);
    const aci = synthStack(stackWith((stack) => new RunnerNetwork(stack, 'Network', { scope, target: 'prod', cidr: '10.42.0.0/22' })));
    expect(aci.find('azurerm_subnet', 'Subnet-runners').delegation[0].service_delegation.name).toBe('Microsoft.ContainerInstance/containerGroups');
    expect(aci.resources('azurerm_network_security_rule').filter(([id]) => id.includes('cluster-internal'))).toEqual([]);
  });
});
