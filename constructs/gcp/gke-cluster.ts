/**
 * The GKE cluster of a Kubernetes target on GCP: Autopilot (Google manages and patches the nodes;
 * Workload Identity, Shielded nodes with secure boot and integrity monitoring, and Dataplane V2
 * network policy enforcement come with it and cannot be turned off), in the kit's network:
 * - private nodes (no public IP), their egress through the kit's Cloud NAT, tagged with the
 *   runners' network tag so the kit's firewall rules apply to them;
 * - the control plane reachable privately: its DNS endpoint (Google's front end authenticates every
 *   request with IAM, `container.clusters.connect`, before Kubernetes RBAC; no network path into the
 *   VPC is needed) and its private IP endpoint (authorized networks: the runners' subnet). A public
 *   IP endpoint only with `allowPublicEndpoint`, from `publicEndpointCidrs` only, with a warning;
 * - Binary Authorization enforcing the project's policy; Kubernetes Secrets encrypted with the
 *   target's key (application-layer encryption); control-plane logs;
 * - a release channel, a daily maintenance window, deletion protection;
 * - nodes run as a dedicated service account (never the default compute account) holding GKE's
 *   node role and the right to pull from the target's mirror, nothing else.
 */
import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member';
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import type { IKubernetesCluster } from '../core/compositions/kubernetes-cluster';
import { acknowledge } from '../core/rules/acknowledgement';
import { GcpContext } from './gcp-context';
import { GKE_PODS_RANGE, GKE_SERVICES_RANGE, gkeNodeServiceAccountId, serviceAccountEmail } from './gcp-names';
import type { MirrorRegistry } from './registry-mirror';
import type { RunnerKey } from './runner-key';
import type { RunnerNetwork } from './runner-network';

/** GKE's own role for node service accounts (logs, metrics, node metadata). */
export const NODE_ROLE = 'roles/container.defaultNodeServiceAccount';
export const MIRROR_READER_ROLE = 'roles/artifactregistry.reader';
/** Binary Authorization: every image is checked against the project's singleton policy. */
export const BINARY_AUTHORIZATION_MODE = 'PROJECT_SINGLETON_POLICY_ENFORCE';
export const CONTROL_PLANE_LOGS = ['SYSTEM_COMPONENTS', 'WORKLOADS', 'APISERVER', 'SCHEDULER', 'CONTROLLER_MANAGER'] as const;
export const MAINTENANCE_WINDOW_HOURS = 4;

export interface GkeClusterProps {
  readonly target: string;
  readonly clusterName: string;
  readonly key: RunnerKey;
  readonly network: RunnerNetwork;
  readonly registry: MirrorRegistry;
  /** The minimum Kubernetes minor version, e.g. `1.33` (the release channel may run newer). */
  readonly kubernetesVersion: string;
  /** @default 'REGULAR' - Google's default: versions proven in RAPID first */
  readonly releaseChannel?: 'RAPID' | 'REGULAR' | 'STABLE';
  /** Daily 4-hour maintenance window start, HH:MM UTC. @default '03:00' */
  readonly maintenanceStartTime?: string;
  /** The runners' subnet range: authorized on the private endpoint (nodes, the updater). */
  readonly subnetCidr: string;
  /**
   * Risky opt-in: a public IP endpoint, reachable from `publicEndpointCidrs` only.
   * @default false - the DNS endpoint (IAM-gated) and the private IP endpoint only
   */
  readonly allowPublicEndpoint?: boolean;
  /** With allowPublicEndpoint: the networks that may reach it (never 0.0.0.0/0). @default [] */
  readonly publicEndpointCidrs?: readonly string[];
  /**
   * Deletion protection: `cdktf destroy` fails until it is turned off in a deploy first.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

export class GkeCluster extends Construct implements IKubernetesCluster {
  readonly clusterName: string;
  /** The control plane's DNS endpoint (`https://...gke.goog`), as the deployer and the updater reach it. */
  readonly endpoint: string;
  readonly clusterId: string;
  readonly location: string;
  readonly nodeServiceAccountEmail: string;
  /** `<project>.svc.id.goog`: the Workload Identity pool of the project. */
  readonly workloadPool: string;
  readonly resource: ContainerCluster;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    const project = ctx.projectId;
    const cidrs = props.publicEndpointCidrs ?? [];
    if (props.allowPublicEndpoint === true) {
      if (cidrs.length === 0) throw new Error(`${props.clusterName}: allowPublicEndpoint needs publicEndpointCidrs (the networks that may reach the public endpoint)`);
      if (cidrs.some((c) => c.endsWith('/0'))) throw new Error(`${props.clusterName}: publicEndpointCidrs must not contain a /0 (the whole internet)`);
      Annotations.of(this).addWarning(
        `${props.clusterName}: the cluster's public IP endpoint is open to ${cidrs.join(', ')} (kubernetes.allowPublicEndpoint). Requests still need IAM and RBAC; prefer the DNS endpoint, which needs no network opening.`,
      );
    } else if (cidrs.length > 0) {
      throw new Error(`${props.clusterName}: publicEndpointCidrs is set without allowPublicEndpoint`);
    }
    if (props.maintenanceStartTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(props.maintenanceStartTime)) {
      throw new Error(`${props.clusterName}: maintenanceStartTime "${props.maintenanceStartTime}" is not HH:MM (UTC), e.g. 03:00`);
    }
    this.clusterName = props.clusterName;
    this.location = ctx.region;
    this.workloadPool = `${project}.svc.id.goog`;

    const nodes = new ServiceAccount(this, 'NodeServiceAccount', {
      project,
      accountId: gkeNodeServiceAccountId(props.target),
      displayName: `Nodes of ${props.clusterName}`,
      description: 'The GKE nodes of the runner cluster: GKE node role and pulling from the target mirror, nothing else',
      dependsOn: [...ctx.apis],
    });
    this.nodeServiceAccountEmail = serviceAccountEmail(gkeNodeServiceAccountId(props.target), project);
    const nodeMember = `serviceAccount:${nodes.email}`;
    const nodeRole = new ProjectIamMember(this, 'NodeRole', { project, role: NODE_ROLE, member: nodeMember });
    acknowledge(this, 'GCP-IAM-4', `Project::${NODE_ROLE}`, "GKE's node role (write logs and metrics, read node metadata) is granted per project only, as GKE documents; the node account holds nothing else project-wide.");
    const pull = new ArtifactRegistryRepositoryIamMember(this, 'MirrorPull', { project, location: ctx.region, repository: props.registry.repositoryId, role: MIRROR_READER_ROLE, member: nodeMember, dependsOn: [props.registry.resource] });
    const secretsKey = props.key.grantEncryptDecrypt('Gke', ctx.serviceAgent('container-engine-robot.iam.gserviceaccount.com'));

    const authorized = [
      { cidrBlock: props.subnetCidr, displayName: 'runner subnet (nodes, updater)' },
      ...(props.allowPublicEndpoint === true ? cidrs.map((c, i) => ({ cidrBlock: c, displayName: `public endpoint ${i + 1}` })) : []),
    ];
    this.resource = new ContainerCluster(this, 'Resource', {
      project,
      name: props.clusterName,
      location: ctx.region,
      description: `private-runner-kit ${props.target}: meshStack run-controller and its run Jobs`,
      enableAutopilot: true,
      deletionProtection: props.deletionProtection ?? true,
      network: props.network.networkId,
      subnetwork: props.network.subnetId,
      networkingMode: 'VPC_NATIVE',
      datapathProvider: 'ADVANCED_DATAPATH',
      ipAllocationPolicy: { clusterSecondaryRangeName: GKE_PODS_RANGE, servicesSecondaryRangeName: GKE_SERVICES_RANGE, stackType: 'IPV4' },
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: props.allowPublicEndpoint !== true,
        masterGlobalAccessConfig: { enabled: false },
      },
      controlPlaneEndpointsConfig: {
        dnsEndpointConfig: { allowExternalTraffic: true },
        ipEndpointsConfig: { enabled: true },
      },
      masterAuthorizedNetworksConfig: { cidrBlocks: authorized, gcpPublicCidrsAccessEnabled: false, privateEndpointEnforcementEnabled: true },
      binaryAuthorization: { evaluationMode: BINARY_AUTHORIZATION_MODE },
      workloadIdentityConfig: { workloadPool: this.workloadPool },
      databaseEncryption: { state: 'ENCRYPTED', keyName: props.key.keyReference },
      releaseChannel: { channel: props.releaseChannel ?? 'REGULAR' },
      minMasterVersion: props.kubernetesVersion,
      maintenancePolicy: { dailyMaintenanceWindow: { startTime: props.maintenanceStartTime ?? '03:00' } },
      loggingConfig: { enableComponents: [...CONTROL_PLANE_LOGS] },
      nodePoolAutoConfig: { networkTags: { tags: [props.network.runnerTag] } },
      clusterAutoscaling: { autoProvisioningDefaults: { serviceAccount: nodes.email, oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'] } },
      dependsOn: [...ctx.apis, nodeRole, pull, secretsKey],
    });
    this.clusterId = this.resource.id;
    this.endpoint = `https://${this.resource.controlPlaneEndpointsConfig.dnsEndpointConfig.endpoint}`;
  }
}
