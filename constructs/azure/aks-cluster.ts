/**
 * The AKS cluster the runner workload runs on: private, Entra-secured, patched in the maintenance
 * window, sized for the Jobs the workload promises.
 *
 * - API server: private cluster (a private endpoint in the node subnet, AKS's own private DNS
 *   zone linked to the VNet), no public FQDN. Opt-in `allowPublicEndpoint` opens it to the
 *   configured networks only (authorized IP ranges), with a warning.
 * - Authentication and authorization: Entra ID only (managed Entra integration, local accounts
 *   disabled: no static admin kubeconfig exists), Azure RBAC for Kubernetes (role assignments at
 *   the cluster or at `namespaces/<ns>` decide; Kubernetes RBAC still applies beside it),
 *   `az aks command invoke` (run command) off.
 * - Identity: a user-assigned control-plane identity (joins the node subnet: a custom role with
 *   exactly subnets/read and subnets/join/action there), the OIDC issuer and workload identity on,
 *   so a runner's Azure identity can be federated with its service account (`AksRunnerIdentity`).
 * - Network: Azure CNI overlay (pods get addresses from `AKS_POD_CIDR`, outside the VNet), network
 *   policy enforced by Cilium (Azure CNI Powered by Cilium: eBPF, the engine AKS develops its
 *   network policy features on; Azure Network Policy Manager is being retired and Calico is
 *   supported by its vendor rather than by AKS), nodes without public IPs in the kit's runner
 *   subnet, egress through the kit's NAT gateway (`userAssignedNATGateway`: no outbound load
 *   balancer, no public IP of AKS's own).
 * - Operations: the Azure Policy add-on, Container Insights (Azure Monitor agent, managed-identity
 *   auth) and the control-plane logs (API server, audit, controller manager, scheduler,
 *   autoscaler, Entra guard) in the target's Log Analytics workspace; automatic patch upgrades of
 *   Kubernetes and node OS security patching (`SecurityPatch`) in AKS's planned maintenance
 *   windows derived from `updates.window` (`aks-maintenance.ts`); the image cleaner removes unused
 *   images from nodes.
 * - Nodes: one autoscaled node pool (system mode, it runs the runner workload too) of one VM size,
 *   Azure Linux, 110 pods per node, autoscaling bounds from the workload's demand
 *   (`aksNodeCounts`).
 * - Who reaches the API: the deployer (the identity running `cdktf deploy`: "Azure Kubernetes
 *   Service RBAC Cluster Admin" at the cluster, as the deployer is cluster admin on EKS); the
 *   kubelet pulls from the kit's mirror (AcrPull at the registry). Operators and the updater are
 *   granted namespace-scoped roles elsewhere (operator access, update pipeline).
 */
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Annotations, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IKubernetesCluster } from '../core/compositions/kubernetes-cluster';
import type { PermissionTemplate } from '../core/permissions/permission';
import type { AksMaintenanceSchedule } from './aks-maintenance';
import { AKS_MAX_PODS } from './aks-node-shapes';
import { AKS_NODE_POOL, aksClusterIdentityName, aksDiagnosticsName, roleDefinitionGuid, roleName } from './azure-names';
import { AKS_DNS_SERVICE_IP, AKS_POD_CIDR, AKS_SERVICE_CIDR } from './config';
import { CustomRole } from './custom-role';
import type { ResourceScope } from './resource-scope';
import { BUILT_IN_ROLES } from './runner-vault';

/** Built-in AKS roles the kit assigns. */
export const AKS_BUILT_IN_ROLES = { clusterAdmin: 'Azure Kubernetes Service RBAC Cluster Admin' } as const;
/** The Entra application of every AKS cluster's API server: tokens for the cluster are requested for it (one constant, shared with the updater). */
export { AKS_SERVER_APPLICATION_ID } from '../../updater/adapters/azure/aks-token';
/** Control-plane log categories sent to the workspace. */
export const AKS_CONTROL_PLANE_LOGS = ['kube-apiserver', 'kube-audit-admin', 'kube-controller-manager', 'kube-scheduler', 'cluster-autoscaler', 'guard'] as const;

export const JOIN_NODE_SUBNET: PermissionTemplate = {
  sid: 'JoinNodeSubnet',
  actions: ['Microsoft.Network/virtualNetworks/subnets/read', 'Microsoft.Network/virtualNetworks/subnets/join/action'],
  justification: "AKS places the cluster's nodes and its API server's private endpoint in the kit's runner subnet; Azure requires the join right on that subnet, and only on it.",
};

export interface AksClusterProps {
  readonly scope: ResourceScope;
  readonly target: string;
  readonly name: string;
  /** Kubernetes minor version, e.g. `1.33` (AKS applies patch versions itself). */
  readonly kubernetesVersion: string;
  /** The runner subnet: nodes and the API server's private endpoint. */
  readonly nodeSubnetId: string;
  /** The NAT gateway association of that subnet: AKS checks it at creation (`userAssignedNATGateway`). */
  readonly egress: readonly ITerraformDependable[];
  readonly vmSize: string;
  readonly minNodes: number;
  readonly maxNodes: number;
  readonly workspaceId: string;
  readonly registryId: string;
  readonly nodeResourceGroup: string;
  readonly maintenance: AksMaintenanceSchedule;
  /** The identity Terraform runs as: cluster admin, to deploy the workload stack. */
  readonly deployerObjectId: string;
  readonly resourceGroupId: string;
  readonly resourceGroup: ITerraformDependable;
  /**
   * Risky opt-in: a public API endpoint, reachable from `publicEndpointCidrs` only.
   * @default false - private cluster: deploy the workload stack from inside the VNet (or a peered network)
   */
  readonly allowPublicEndpoint?: boolean;
  readonly publicEndpointCidrs?: readonly string[];
}

export class AksCluster extends Construct implements IKubernetesCluster {
  readonly clusterName: string;
  readonly endpoint: string;
  readonly clusterId: string;
  readonly oidcIssuerUrl: string;
  readonly cluster: KubernetesCluster;
  readonly networkRole: CustomRole;
  readonly deployerAccess: RoleAssignment;

  constructor(scope: Construct, id: string, props: AksClusterProps) {
    super(scope, id);
    const s = props.scope;
    const base = { resourceGroupName: s.resourceGroupName, location: s.location, tags: { ...s.tags } };
    const isPublic = props.allowPublicEndpoint ?? false;
    if (isPublic && (props.publicEndpointCidrs ?? []).length === 0) throw new Error('allowPublicEndpoint needs publicEndpointCidrs (config validation checks this first)');
    if (props.minNodes > props.maxNodes) throw new Error(`node pool minimum ${props.minNodes} is above its maximum ${props.maxNodes}`);

    const identity = new UserAssignedIdentity(this, 'Identity', { ...base, name: aksClusterIdentityName(props.target) });
    this.networkRole = new CustomRole(this, 'NetworkRole', {
      name: roleName(s.subscriptionId, props.target, 'cluster-network'),
      roleDefinitionGuid: roleDefinitionGuid(s.subscriptionId, props.target, 'cluster-network'),
      description: `AKS cluster of ${props.target}: places its nodes in the kit's runner subnet.`,
      resourceGroupId: props.resourceGroupId,
      permissions: [JOIN_NODE_SUBNET],
      assignments: [{ id: 'node-subnet', scope: props.nodeSubnetId, scopeLabel: 'the runner (node) subnet', principalId: identity.principalId, principalLabel: "the AKS control plane's identity", newManagedIdentity: true }],
      dependsOn: [props.resourceGroup],
    });

    const window = {
      frequency: props.maintenance.frequency,
      interval: props.maintenance.interval,
      duration: props.maintenance.duration,
      startTime: props.maintenance.startTime,
      utcOffset: props.maintenance.utcOffset,
      ...(props.maintenance.dayOfWeek !== undefined ? { dayOfWeek: props.maintenance.dayOfWeek } : {}),
      ...(props.maintenance.dayOfMonth !== undefined ? { dayOfMonth: props.maintenance.dayOfMonth } : {}),
    };
    this.cluster = new KubernetesCluster(this, 'Resource', {
      ...base,
      name: props.name,
      dnsPrefix: props.name,
      kubernetesVersion: props.kubernetesVersion,
      // The uptime SLA and the larger control plane (the Free tier has neither and is for tests).
      skuTier: 'Standard',
      nodeResourceGroup: props.nodeResourceGroup,
      privateClusterEnabled: !isPublic,
      privateClusterPublicFqdnEnabled: false,
      ...(isPublic ? { apiServerAccessProfile: { authorizedIpRanges: [...props.publicEndpointCidrs!] } } : { privateDnsZoneId: 'System' }),
      localAccountDisabled: true,
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, tenantId: s.tenantId },
      runCommandEnabled: false,
      oidcIssuerEnabled: true,
      workloadIdentityEnabled: true,
      azurePolicyEnabled: true,
      imageCleanerEnabled: true,
      imageCleanerIntervalHours: 48,
      omsAgent: { logAnalyticsWorkspaceId: props.workspaceId, msiAuthForMonitoringEnabled: true },
      automaticUpgradeChannel: 'patch',
      nodeOsUpgradeChannel: 'SecurityPatch',
      maintenanceWindowAutoUpgrade: window,
      maintenanceWindowNodeOs: window,
      identity: { type: 'UserAssigned', identityIds: [identity.id] },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: 'overlay',
        networkDataPlane: 'cilium',
        networkPolicy: 'cilium',
        outboundType: 'userAssignedNATGateway',
        loadBalancerSku: 'standard',
        podCidr: AKS_POD_CIDR,
        serviceCidr: AKS_SERVICE_CIDR,
        dnsServiceIp: AKS_DNS_SERVICE_IP,
      },
      defaultNodePool: {
        name: AKS_NODE_POOL,
        vmSize: props.vmSize,
        vnetSubnetId: props.nodeSubnetId,
        nodePublicIpEnabled: false,
        autoScalingEnabled: true,
        minCount: props.minNodes,
        maxCount: props.maxNodes,
        maxPods: AKS_MAX_PODS,
        osSku: 'AzureLinux',
        onlyCriticalAddonsEnabled: false,
        temporaryNameForRotation: `${AKS_NODE_POOL}tmp`,
        upgradeSettings: { maxSurge: '1', drainTimeoutInMinutes: 30 },
        tags: { ...s.tags },
      },
      // The autoscaler owns the node count.
      lifecycle: { ignoreChanges: ['default_node_pool[0].node_count'] },
      dependsOn: [...this.networkRole.assignments, ...props.egress],
    });
    if (isPublic) {
      Annotations.of(this).addWarning(
        `kubernetes.allowPublicEndpoint: the API server of ${props.name} is reachable from the internet for ${props.publicEndpointCidrs!.join(', ')} (Entra ID authentication still applies). Prefer the private cluster and deploy from inside the VNet.`,
      );
    }

    new MonitorDiagnosticSetting(this, 'ControlPlaneLogs', {
      name: aksDiagnosticsName(props.target),
      targetResourceId: this.cluster.id,
      logAnalyticsWorkspaceId: props.workspaceId,
      logAnalyticsDestinationType: 'Dedicated',
      enabledLog: AKS_CONTROL_PLANE_LOGS.map((category) => ({ category })),
    });
    new RoleAssignment(this, 'KubeletPullsFromMirror', {
      scope: props.registryId,
      roleDefinitionName: BUILT_IN_ROLES.acrPull,
      principalId: this.cluster.kubeletIdentity.objectId,
      principalType: 'ServicePrincipal',
      skipServicePrincipalAadCheck: true,
      description: "The cluster's nodes (kubelet identity) pull the runner images from the kit's mirror registry.",
    });
    this.deployerAccess = new RoleAssignment(this, 'DeployerClusterAdmin', {
      scope: this.cluster.id,
      roleDefinitionName: AKS_BUILT_IN_ROLES.clusterAdmin,
      principalId: props.deployerObjectId,
      description: 'The identity running cdktf deploy deploys the runner workload stack onto the cluster (as the deployer is cluster admin on EKS).',
    });

    this.clusterName = this.cluster.name;
    this.clusterId = this.cluster.id;
    this.endpoint = isPublic ? this.cluster.fqdn : this.cluster.privateFqdn;
    this.oidcIssuerUrl = this.cluster.oidcIssuerUrl;
  }
}
