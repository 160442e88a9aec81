import { EmulatorProfile } from '../../../constructs/aws/emulator-profile';
import { EksPlatform, type EksPlatformProps } from '../../../constructs/aws/eks-platform';
import { awsStack, synthOf, warnings } from '../../support/eks';
import { Synthesized, type Json } from '../../support/synth';

const KEY = { keyReference: 'arn:aws:kms:eu-central-1:123456789012:key/secrets' };
const LOG_KEY = { keyReference: 'arn:aws:kms:eu-central-1:123456789012:key/logs' };
const REQUIRED: EksPlatformProps = {
  clusterName: 'prod',
  kubernetesVersion: '1.33',
  subnetIds: ['subnet-0aaaaaaaaaaaaaaaa', 'subnet-0bbbbbbbbbbbbbbbb'],
  secretsKey: KEY,
  logKey: LOG_KEY,
};
const build = (props: Partial<EksPlatformProps> = {}, emulator = false) => {
  const stack = awsStack();
  if (emulator) EmulatorProfile.enable(stack);
  const platform = new EksPlatform(stack, 'Platform', { ...REQUIRED, ...props });
  return { s: synthOf(stack), stack, platform };
};
const role = (s: Synthesized, idPart: string): Json => s.find('aws_iam_role', idPart);

describe('EksPlatform (required props)', () => {
  let s: Synthesized;
  let stack: ReturnType<typeof build>['stack'];
  beforeAll(() => {
    ({ s, stack } = build());
  });

  it('CKV_AWS_39: the API endpoint is private only', () => {
    const c = s.only('aws_eks_cluster');
    expect(c.vpc_config).toEqual({ subnet_ids: REQUIRED.subnetIds, endpoint_private_access: true, endpoint_public_access: false });
    expect(warnings(stack)).toEqual([]);
  });

  it('CKV_AWS_58: Kubernetes Secrets are envelope-encrypted with the target key', () => {
    expect(s.only('aws_eks_cluster').encryption_config).toEqual({ resources: ['secrets'], provider: { key_arn: KEY.keyReference } });
  });

  it('CKV_AWS_37: all five control-plane log types, into an encrypted log group with retention created first', () => {
    const c = s.only('aws_eks_cluster');
    expect(c.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const logs = s.only('aws_cloudwatch_log_group');
    expect(logs).toMatchObject({ name: '/aws/eks/prod/cluster', kms_key_id: LOG_KEY.keyReference, retention_in_days: 90 });
    expect(c.depends_on).toContainEqual(expect.stringMatching(/^aws_cloudwatch_log_group\./));
  });

  it('access entries only (authentication mode API), and the creator gets no implicit admin', () => {
    expect(s.only('aws_eks_cluster')).toMatchObject({ name: 'prod', version: '1.33', access_config: { authentication_mode: 'API', bootstrap_cluster_creator_admin_permissions: false } });
    expect(s.only('aws_eks_cluster').lifecycle).toBeUndefined();
  });

  it('enforces network policy in the VPC CNI add-on, and installs the Pod Identity agent', () => {
    const cni = s.find('aws_eks_addon', 'VpcCni');
    expect(cni).toMatchObject({ addon_name: 'vpc-cni', resolve_conflicts_on_create: 'OVERWRITE', resolve_conflicts_on_update: 'OVERWRITE' });
    expect(JSON.parse(cni.configuration_values)).toEqual({ enableNetworkPolicy: 'true' });
    expect(s.find('aws_eks_addon', 'PodIdentityAgent').addon_name).toBe('eks-pod-identity-agent');
  });

  it('CKV_AWS_79 / CKV_AWS_341: nodes require IMDSv2 with a hop limit of 1, and encrypt their root volume', () => {
    const lt = s.only('aws_launch_template');
    expect(lt.metadata_options).toEqual({ http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 1, instance_metadata_tags: 'disabled' });
    expect(lt.block_device_mappings).toEqual([{ device_name: '/dev/xvda', ebs: { volume_size: 50, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } }]);
    expect(lt.tags).toBeUndefined(); // tags only in tag specifications
    expect(lt.tag_specifications.map((t: Json) => t.resource_type)).toEqual(['instance', 'volume']);
  });

  it('one managed node group in the private subnets, launched from that template, replaced one node at a time', () => {
    const ng = s.only('aws_eks_node_group');
    expect(ng).toMatchObject({
      node_group_name: 'prod-default',
      subnet_ids: REQUIRED.subnetIds,
      ami_type: 'AL2023_x86_64_STANDARD',
      capacity_type: 'ON_DEMAND',
      instance_types: ['m6i.xlarge'],
      scaling_config: { min_size: 2, max_size: 4, desired_size: 2 },
      update_config: { max_unavailable: 1 },
      launch_template: { id: expect.stringMatching(/aws_launch_template\..*\.id/), version: expect.stringMatching(/aws_launch_template\..*\.latest_version/) },
    });
    expect(ng.remote_access).toBeUndefined();
    expect(ng.lifecycle).toBeUndefined();
    expect(ng.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_eks_addon\..*VpcCni/)]));
  });

  it('the cluster role: trusted by EKS, AmazonEKSClusterPolicy, and the target key for Secrets only', () => {
    expect(JSON.parse(role(s, 'ClusterRole').assume_role_policy).Statement).toEqual([{ Sid: 'TrustService', Effect: 'Allow', Principal: { Service: 'eks.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    expect(role(s, 'ClusterRole').max_session_duration).toBe(3600);
    const attached = s.resources('aws_iam_role_policy_attachment').map(([, b]) => b.policy_arn as string);
    expect(attached.filter((a) => a.includes('AmazonEKSClusterPolicy'))).toEqual(['arn:${data.aws_partition.Partition.partition}:iam::aws:policy/AmazonEKSClusterPolicy']);
    const inline = JSON.parse(s.only('aws_iam_role_policy').policy);
    expect(inline.Statement).toEqual([{ Sid: 'EnvelopeEncryptKubernetesSecrets', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'], Resource: KEY.keyReference }]);
  });

  it('the node role: trusted by EC2, AWS managed policies to join, network pods and pull (pull-only) images', () => {
    expect(JSON.parse(role(s, 'NodeRole').assume_role_policy).Statement[0].Principal).toEqual({ Service: 'ec2.amazonaws.com' });
    const attached = s.resources('aws_iam_role_policy_attachment').map(([, b]) => (b.policy_arn as string).split('/').pop()).sort();
    expect(attached).toEqual(['AmazonEC2ContainerRegistryPullOnly', 'AmazonEKSClusterPolicy', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy']);
  });
});

describe('EksPlatform overrides', () => {
  it('GIVEN allowPublicEndpoint with CIDRs THEN the endpoint is public for those CIDRs only, with a warning', () => {
    const { s, stack } = build({ allowPublicEndpoint: true, publicEndpointCidrs: ['203.0.113.0/24'] });
    expect(s.only('aws_eks_cluster').vpc_config).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
    expect(warnings(stack)).toEqual([expect.stringMatching(/reachable from the internet .* from 203\.0\.113\.0\/24/)]);
  });

  it('GIVEN node settings THEN the node group and template use them', () => {
    const { s } = build({ nodeTypes: ['m7g.large', 'm7g.xlarge'], nodeAmiType: 'AL2023_ARM_64_STANDARD', nodeMinSize: 3, nodeMaxSize: 6, nodeDesiredSize: 4 });
    expect(s.only('aws_eks_node_group')).toMatchObject({ instance_types: ['m7g.large', 'm7g.xlarge'], ami_type: 'AL2023_ARM_64_STANDARD', scaling_config: { min_size: 3, max_size: 6, desired_size: 4 } });
  });

  it('GIVEN version 1.34 and 30 days retention THEN the cluster and its logs use them', () => {
    const { s } = build({ kubernetesVersion: '1.34', logRetentionDays: 30 });
    expect(s.only('aws_eks_cluster').version).toBe('1.34');
    expect(s.only('aws_cloudwatch_log_group').retention_in_days).toBe(30);
  });

  it('GIVEN the emulator relaxations THEN no add-ons, and the drifting attributes are ignored; nothing else changes', () => {
    const prod = build().s;
    const { s } = build({}, true);
    expect(s.count('aws_eks_addon')).toBe(0);
    expect(s.only('aws_eks_cluster').lifecycle).toEqual({ ignore_changes: ['access_config'] });
    expect(s.only('aws_eks_node_group').lifecycle).toEqual({ ignore_changes: ['remote_access', 'update_config'] });
    expect(s.only('aws_launch_template').lifecycle).toEqual({ ignore_changes: ['tag_specifications'] });
    // The production settings themselves stay, the emulator only ignores their drift.
    expect(s.only('aws_eks_cluster').access_config).toEqual(prod.only('aws_eks_cluster').access_config);
    expect(s.only('aws_launch_template').metadata_options).toEqual(prod.only('aws_launch_template').metadata_options);
  });
});

describe('EksPlatform failures', () => {
  it('fails when the public endpoint is opted in without CIDRs', () => {
    expect(() => build({ allowPublicEndpoint: true })).toThrow(/allowPublicEndpoint needs publicEndpointCidrs/);
  });

  it('CKV_AWS_38: fails when the public endpoint would be open to 0.0.0.0/0', () => {
    expect(() => build({ allowPublicEndpoint: true, publicEndpointCidrs: ['0.0.0.0/0'] })).toThrow(/whole internet \(CKV_AWS_38\)/);
  });

  it('fails when CIDRs are given without opting in, or are not CIDRs', () => {
    expect(() => build({ publicEndpointCidrs: ['203.0.113.0/24'] })).toThrow(/allowPublicEndpoint is not/);
    expect(() => build({ allowPublicEndpoint: true, publicEndpointCidrs: ['203.0.113.7/24'] })).toThrow(/host bits set/);
  });

  it('fails when the Kubernetes version is not one the kit deploys', () => {
    expect(() => build({ kubernetesVersion: '1.24' })).toThrow(/kubernetesVersion "1.24" is not a version the kit deploys on EKS: use one of 1\.31/);
  });

  it('fails when the subnets do not span two zones', () => {
    expect(() => build({ subnetIds: ['subnet-0aaaaaaaaaaaaaaaa'] })).toThrow(/at least two zones/);
  });

  it.each([
    [{ nodeMinSize: 0 }],
    [{ nodeMinSize: 3, nodeMaxSize: 2 }],
    [{ nodeDesiredSize: 5 }],
  ])('fails when node sizes are out of order (%j)', (sizes) => {
    expect(() => build(sizes)).toThrow(/1 <= nodeMinSize/);
  });

  it('fails on something that is not an instance type, or none', () => {
    expect(() => build({ nodeTypes: ['large'] })).toThrow(/"large" is not an EC2 instance type/);
    expect(() => build({ nodeTypes: [] })).toThrow(/nodeTypes is empty/);
  });
});
