/**
 * The EKS cluster the runner workload runs on, private by default:
 *
 * - API endpoint private only (CKV_AWS_39); public access is an opt-in (`allowPublicEndpoint`)
 *   restricted to named CIDRs, never 0.0.0.0/0 (CKV_AWS_38), and warned about at synthesis.
 * - Kubernetes Secrets envelope-encrypted with the target's KMS key (CKV_AWS_58).
 * - All five control-plane log types (CKV_AWS_37) into a log group the kit creates first, KMS
 *   encrypted with retention (CKV_AWS_158 / 66); EKS would otherwise create it unencrypted and
 *   keep it forever.
 * - Authentication mode API: access entries (see `EksAccess`), not the aws-auth ConfigMap; the
 *   cluster creator gets no implicit admin.
 * - The VPC CNI as a managed add-on with network policy enforcement on (the runner namespace is
 *   default-deny), and the EKS Pod Identity agent add-on (the runners' cloud identity).
 * - One managed node group in the private subnets, launched from a template that requires IMDSv2
 *   with a hop limit of 1 (CKV_AWS_79 / 341: pods cannot reach the node's credentials) and
 *   encrypted root volumes.
 *
 * The cluster and node roles are AWS service roles carrying AWS's managed EKS policies (their
 * action lists are AWS's to maintain); they do not carry the kit's permissions boundary, which
 * would cut those policies down. The cluster role additionally may use the target key for
 * envelope encryption.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAddon } from '@cdktf/provider-aws/lib/eks-addon';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Annotations, DefaultTokenResolver, StringConcat, Tokenization, Token, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { EKS_DEFAULT_NODE_TYPES } from './config';
import { parseCidr } from '../core/config/cidr';
import { EKS_KUBERNETES_VERSIONS } from './config';
import type { IEncryptionKey } from '../core/interfaces';
import type { IKubernetesCluster } from '../core/compositions/kubernetes-cluster';
import { bind, type Permission, type PermissionTemplate } from '../core/permissions/permission';
import { AwsContext } from './aws-context';
import { relaxed, type RelaxationId } from './emulator-profile';
import { acknowledge } from './rules';
import { policyDocument, serviceTrustDocument, toJson } from './iam-policy-document';

/** Every control-plane log type (CKV_AWS_37). */
export const CONTROL_PLANE_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/**
 * Kubernetes versions the kit deploys: EKS versions in standard support when this kit version was
 * released (older ones cost extended-support fees). One list, shared with config validation.
 */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = EKS_KUBERNETES_VERSIONS;

/** VPC CNI add-on configuration: enforce Kubernetes NetworkPolicy. */
export const VPC_CNI_CONFIGURATION = JSON.stringify({ enableNetworkPolicy: 'true' });

/**
 * AWS managed policies of the two EKS service roles (names after `iam::aws:policy/`), each with
 * why it is attached: the check pack cannot read them (AWS-IAM-1), so each attachment is
 * acknowledged with this reason.
 */
export const CLUSTER_ROLE_MANAGED_POLICIES = {
  AmazonEKSClusterPolicy:
    "The EKS control plane's service role: AWS maintains what the control plane needs (network interfaces of the private endpoint, its security group); no kit-rendered equivalent exists.",
} as const;
export const NODE_ROLE_MANAGED_POLICIES = {
  AmazonEKSWorkerNodePolicy:
    "Nodes describe the cluster to join it and exchange Pod Identity tokens (eks-auth:AssumeRoleForPodIdentity): AWS's policy for EKS nodes.",
  AmazonEKS_CNI_Policy: 'The VPC CNI on each node gives pods VPC addresses (network interfaces and private IPs): AWS\'s policy for the CNI.',
  AmazonEC2ContainerRegistryPullOnly: "Nodes pull the runner images from the kit's ECR mirror: AWS's pull-only ECR policy (token, layers, images; no listing, no push).",
} as const;

export const USE_KEY_FOR_SECRETS_ENCRYPTION: PermissionTemplate = {
  sid: 'EnvelopeEncryptKubernetesSecrets',
  actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
  justification: "EKS encrypts Kubernetes Secrets (the runners' credentials) with the target's key, and only that key.",
};

export interface EksPlatformProps {
  /** Cluster name (the target name); node group, roles and log group derive from it. */
  readonly clusterName: string;
  /** Kubernetes minor version, one of SUPPORTED_KUBERNETES_VERSIONS. */
  readonly kubernetesVersion: string;
  /** Private subnets (at least two zones) for the control-plane ENIs and the nodes. */
  readonly subnetIds: readonly string[];
  /** Encrypts Kubernetes Secrets. */
  readonly secretsKey: IEncryptionKey;
  /** Encrypts the control-plane log group; its policy must allow `/aws/eks/<cluster>/`. */
  readonly logKey: IEncryptionKey;
  /** @default 90 */
  readonly logRetentionDays?: number;
  /**
   * Opt-in: the API endpoint is also reachable from the internet, from `publicEndpointCidrs` only.
   * @default false - private endpoint only: deploy and operate from inside the VPC (or VPN / Direct Connect)
   */
  readonly allowPublicEndpoint?: boolean;
  /** Required with `allowPublicEndpoint`: the only sources allowed (never 0.0.0.0/0). */
  readonly publicEndpointCidrs?: readonly string[];
  /** @default EKS_DEFAULT_NODE_TYPES - 4 vCPU / 16 GiB (config validation sizes the node group for the workload) */
  readonly nodeTypes?: readonly string[];
  /** @default 'AL2023_x86_64_STANDARD'; use 'AL2023_ARM_64_STANDARD' with Graviton instance types */
  readonly nodeAmiType?: string;
  /** @default 2 - one node per zone, so the controller survives a zone failure */
  readonly nodeMinSize?: number;
  /** @default 4 */
  readonly nodeMaxSize?: number;
  /** @default nodeMinSize */
  readonly nodeDesiredSize?: number;
}

/** GiB of encrypted gp3 root volume per node: images and the runs' scratch space. */
const NODE_DISK_GIB = 50;

export class EksPlatform extends Construct implements IKubernetesCluster {
  readonly clusterName: string;
  readonly clusterArn: string;
  readonly clusterEndpoint: string;
  readonly clusterSecurityGroupId: string;
  readonly nodeGroupName: string;
  readonly nodeRoleArn: string;
  readonly clusterRoleArn: string;
  readonly controlPlaneLogGroupName: string;
  /** What must exist before pods can use EKS Pod Identity (the agent add-on), for dependsOn. */
  readonly podIdentityAgent: ITerraformDependable[];
  /** The cluster role's own permissions (besides AWS's managed policies), for auditors. */
  readonly clusterRolePermissions: readonly Permission[];
  readonly cluster: EksCluster;
  /** IKubernetesCluster: the API endpoint. */
  get endpoint(): string {
    return this.clusterEndpoint;
  }

  constructor(scope: Construct, id: string, props: EksPlatformProps) {
    super(scope, id);
    const ctx = AwsContext.of(this);
    checkProps(props);
    const relax = (r: RelaxationId) => relaxed(this, r);
    const managedPolicy = (name: string) => `arn:${ctx.partition}:iam::aws:policy/${name}`;
    const name = props.clusterName;

    const clusterRole = new IamRole(this, 'ClusterRole', {
      name: `${name}-eks-cluster`,
      description: `EKS control plane of ${name}: manages the cluster's network interfaces and load balancers, encrypts its Secrets`,
      assumeRolePolicy: toJson(serviceTrustDocument('eks.amazonaws.com', [])),
      maxSessionDuration: 3600,
    });
    const attach = (roleId: string, roleName: string, policies: Readonly<Record<string, string>>) =>
      Object.entries(policies).map(([policy, reason]) => {
        const attachment = new IamRolePolicyAttachment(this, `${roleId}${policy}`, { role: roleName, policyArn: managedPolicy(policy) });
        acknowledge(attachment, 'AWS-IAM-1', `Attachment::${resolvedReference(this, managedPolicy(policy))}`, reason);
        return attachment;
      });
    const clusterAttachments = attach('ClusterRole', clusterRole.name, CLUSTER_ROLE_MANAGED_POLICIES);
    this.clusterRolePermissions = [bind(USE_KEY_FOR_SECRETS_ENCRYPTION, [props.secretsKey.keyReference])];
    const clusterKeyPolicy = new IamRolePolicy(this, 'ClusterRolePermissions', {
      role: clusterRole.name,
      name: 'permissions',
      policy: toJson(policyDocument(this.clusterRolePermissions)),
    });

    const logGroup = new CloudwatchLogGroup(this, 'ControlPlaneLogGroup', {
      // The name EKS writes to; created first so it is encrypted and expires.
      name: `/aws/eks/${name}/cluster`,
      kmsKeyId: props.logKey.keyReference,
      retentionInDays: props.logRetentionDays ?? 90,
    });

    const publicEndpoint = props.allowPublicEndpoint === true;
    if (publicEndpoint) {
      Annotations.of(this).addWarning(
        `EKS cluster ${name}: the Kubernetes API endpoint is reachable from the internet (allowPublicEndpoint), from ${(props.publicEndpointCidrs ?? []).join(', ')}. ` +
          'Prefer the private endpoint (deploy from inside the VPC, a VPN or Direct Connect).',
      );
    }
    this.cluster = new EksCluster(this, 'Resource', {
      name,
      roleArn: clusterRole.arn,
      version: props.kubernetesVersion,
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: publicEndpoint,
        ...(publicEndpoint ? { publicAccessCidrs: [...(props.publicEndpointCidrs ?? [])] } : {}),
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: props.secretsKey.keyReference } },
      enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
      accessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      ...(relax('eks-cluster-ignore-access-config') ? { lifecycle: { ignoreChanges: ['access_config'] } } : {}),
      dependsOn: [logGroup, ...clusterAttachments, clusterKeyPolicy],
    });

    if (publicEndpoint) {
      acknowledge(
        this.cluster,
        'AWS-EKS-1',
        `aws_eks_cluster.${this.cluster.friendlyUniqueId}`,
        `The customer opted into a public API endpoint (allowPublicEndpoint), reachable only from ${(props.publicEndpointCidrs ?? []).join(', ')} (AWS-EKS-2 still checks the restriction).`,
      );
    }

    const addons: EksAddon[] = [];
    if (!relax('eks-no-addons')) {
      addons.push(
        new EksAddon(this, 'VpcCni', {
          clusterName: this.cluster.name,
          addonName: 'vpc-cni',
          configurationValues: VPC_CNI_CONFIGURATION,
          // Take over the VPC CNI EKS installs at creation, with this configuration.
          resolveConflictsOnCreate: 'OVERWRITE',
          resolveConflictsOnUpdate: 'OVERWRITE',
        }),
        new EksAddon(this, 'PodIdentityAgent', {
          clusterName: this.cluster.name,
          addonName: 'eks-pod-identity-agent',
          resolveConflictsOnCreate: 'OVERWRITE',
          resolveConflictsOnUpdate: 'OVERWRITE',
        }),
      );
    }
    this.podIdentityAgent = addons.filter((a) => a.node.id === 'PodIdentityAgent');

    const nodeRole = new IamRole(this, 'NodeRole', {
      name: `${name}-eks-nodes`,
      description: `Worker nodes of EKS cluster ${name}: join the cluster, assign pod IPs, pull images from the mirror`,
      assumeRolePolicy: toJson(serviceTrustDocument('ec2.amazonaws.com', [])),
      maxSessionDuration: 3600,
    });
    const nodeAttachments = attach('NodeRole', nodeRole.name, NODE_ROLE_MANAGED_POLICIES);
    const nodeTags = { Name: `${name}-eks-node` };
    const launchTemplate = new LaunchTemplate(this, 'NodeLaunchTemplate', {
      name: `${name}-eks-nodes`,
      description: `Nodes of EKS cluster ${name}: IMDSv2 only, hop limit 1, encrypted root volume`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        // 1: the node itself reaches the metadata service; containers (one hop further) do not.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        { deviceName: '/dev/xvda', ebs: { volumeSize: NODE_DISK_GIB, volumeType: 'gp3', encrypted: 'true', deleteOnTermination: 'true' } },
      ],
      // Tags only in tag specifications (instances and volumes): see reference/aws-emulator.md.
      tagSpecifications: [
        { resourceType: 'instance', tags: nodeTags },
        { resourceType: 'volume', tags: nodeTags },
      ],
      ...(relax('eks-launch-template-ignore-tag-drift') ? { lifecycle: { ignoreChanges: ['tag_specifications'] } } : {}),
    });
    const minSize = props.nodeMinSize ?? 2;
    const nodeGroup = new EksNodeGroup(this, 'NodeGroup', {
      clusterName: this.cluster.name,
      nodeGroupName: `${name}-default`,
      nodeRoleArn: nodeRole.arn,
      subnetIds: [...props.subnetIds],
      amiType: props.nodeAmiType ?? 'AL2023_x86_64_STANDARD',
      capacityType: 'ON_DEMAND',
      instanceTypes: [...(props.nodeTypes ?? EKS_DEFAULT_NODE_TYPES)],
      scalingConfig: { minSize, maxSize: props.nodeMaxSize ?? 4, desiredSize: props.nodeDesiredSize ?? minSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: launchTemplate.id, version: Token.asString(launchTemplate.latestVersion) },
      labels: { 'private-runner-kit/node-group': 'default' },
      ...(relax('eks-node-group-ignore-drift') ? { lifecycle: { ignoreChanges: ['remote_access', 'update_config'] } } : {}),
      // The VPC CNI must carry its configuration before the first pod network exists.
      dependsOn: [...nodeAttachments, ...addons],
    });

    this.clusterName = this.cluster.name;
    this.clusterArn = this.cluster.arn;
    this.clusterEndpoint = this.cluster.endpoint;
    this.clusterSecurityGroupId = this.cluster.vpcConfig.clusterSecurityGroupId;
    this.nodeGroupName = nodeGroup.nodeGroupName;
    this.nodeRoleArn = nodeRole.arn;
    this.clusterRoleArn = clusterRole.arn;
    this.controlPlaneLogGroupName = logGroup.name;
  }
}

function checkProps(props: EksPlatformProps): void {
  const name = props.clusterName;
  if (!Token.isUnresolved(name) && !/^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/.test(name)) {
    throw new Error(`EKS cluster name "${name}" is invalid: use 1-100 letters, digits, hyphens and underscores, starting with a letter or digit`);
  }
  if (!SUPPORTED_KUBERNETES_VERSIONS.includes(props.kubernetesVersion)) {
    throw new Error(`kubernetesVersion "${props.kubernetesVersion}" is not a version the kit deploys on EKS: use one of ${SUPPORTED_KUBERNETES_VERSIONS.join(', ')}`);
  }
  if (!Token.isUnresolved(props.subnetIds) && props.subnetIds.length < 2) {
    throw new Error(`EKS cluster ${name}: subnetIds has ${props.subnetIds.length} subnet(s): EKS needs private subnets in at least two zones`);
  }
  const cidrs = props.publicEndpointCidrs ?? [];
  if (props.allowPublicEndpoint === true) {
    if (cidrs.length === 0) {
      throw new Error(`EKS cluster ${name}: allowPublicEndpoint needs publicEndpointCidrs: list the networks allowed to reach the API (e.g. your office egress, 203.0.113.0/24), or keep the endpoint private`);
    }
    for (const c of cidrs) {
      const parsed = parseCidr(c);
      if ('error' in parsed) throw new Error(`EKS cluster ${name}: publicEndpointCidrs "${c}" ${parsed.error}`);
      if (parsed.prefix === 0) throw new Error(`EKS cluster ${name}: publicEndpointCidrs "${c}" opens the API endpoint to the whole internet (CKV_AWS_38): list specific networks`);
    }
  } else if (cidrs.length > 0) {
    throw new Error(`EKS cluster ${name}: publicEndpointCidrs is set but allowPublicEndpoint is not: set allowPublicEndpoint: true to open the endpoint to them, or remove publicEndpointCidrs`);
  }
  const min = props.nodeMinSize ?? 2;
  const max = props.nodeMaxSize ?? 4;
  const desired = props.nodeDesiredSize ?? min;
  if (!(Number.isInteger(min) && Number.isInteger(max) && Number.isInteger(desired) && min >= 1 && min <= desired && desired <= max && max <= 100)) {
    throw new Error(`EKS cluster ${name}: node group sizes must satisfy 1 <= nodeMinSize (${min}) <= nodeDesiredSize (${desired}) <= nodeMaxSize (${max}) <= 100`);
  }
  const types = props.nodeTypes ?? EKS_DEFAULT_NODE_TYPES;
  if (types.length === 0) throw new Error(`EKS cluster ${name}: nodeTypes is empty: list at least one, e.g. m6i.large`);
  for (const t of types) if (!/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(t)) throw new Error(`EKS cluster ${name}: nodeTypes "${t}" is not an EC2 instance type (e.g. m6i.large)`);
}

/** A value as it appears in the synthesized JSON (`${data...}` references), e.g. for finding keys. */
function resolvedReference(scope: Construct, value: string): string {
  return String(Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()), preparing: false }));
}
