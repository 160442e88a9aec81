/**
 * Private networking with egress only. Workloads live in private subnets with no public IP; the
 * public subnets exist only to host NAT. The default security group allows nothing, the runner's
 * group allows no ingress and egress only TCP 443 plus configured extra ports (e.g. 22 for git
 * over SSH). VPC flow logs go to a KMS-encrypted log group; S3 traffic stays on a gateway endpoint.
 *
 * Bring your own VPC: pass `existingVpcId` and `existingPrivateSubnetIds`; then only the runner's
 * security group is created, and egress (NAT, flow logs) is the owner's.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import { VpcSecurityGroupEgressRule } from '@cdktf/provider-aws/lib/vpc-security-group-egress-rule';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { NetworkConfig } from '../core/config/schema';
import { formatCidr, parseCidr, splitCidr } from '../core/config/cidr';
import { bind, type PermissionTemplate } from '../core/permissions/permission';
import { AwsContext } from './aws-context';
import { ServiceRole } from './service-role';
import { acknowledge } from '../core/rules/acknowledgement';
import { ALLOWED_EGRESS_PORTS } from './rules/security-group-egress-ports';
import type { IEncryptionKey, IRunnerNetwork } from '../core/interfaces';

/** What the VPC flow logs service needs to deliver into its log group. */
export const FLOW_LOG_DELIVERY: PermissionTemplate = {
  sid: 'DeliverFlowLogs',
  actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
  justification: 'VPC flow logs write their records into the kit\'s flow-log group, and only there.',
};

/** The runner reaches meshStack, registries and git over HTTPS. */
export const HTTPS_PORT = 443;

export interface RunnerNetworkProps {
  /** Prefix of resource names (the target name). */
  readonly namePrefix: string;
  /**
   * IPv4 block of the VPC, split into one private and one public subnet per zone.
   * @default '10.42.0.0/22'
   */
  readonly cidr?: string;
  /**
   * Availability zones to use.
   * @default 2 - the minimum for zone-failure tolerance of the runner tasks
   */
  readonly zones?: number;
  /**
   * @default 'single' - one NAT gateway (cost); set 'perZone' so egress survives a zone failure
   */
  readonly natGateways?: 'single' | 'perZone';
  /** Bring your own VPC: its id (set together with existingSubnetIds). @default - the kit creates a VPC, subnets, NAT and flow logs */
  readonly existingNetworkId?: string;
  /** Bring your own VPC: private subnets with NAT egress (set together with existingNetworkId). @default - the kit creates subnets */
  readonly existingSubnetIds?: readonly string[];
  /**
   * TCP ports the runner may reach besides 443.
   * @default [] - HTTPS only; add 22 for git over SSH
   */
  readonly egressExtraPorts?: readonly number[];
  /** Encrypts the flow-log group. */
  readonly key: IEncryptionKey;
  /** Name of the flow-log group (inside the key's log-group prefix). */
  readonly flowLogGroupName: string;
  /** @default 90 */
  readonly logRetentionDays?: number;
}

export class RunnerNetwork extends Construct implements IRunnerNetwork {
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  /** Public IPs of the NAT gateways: what the customer allow-lists on their own git servers. */
  readonly natEgressIps: string[];
  readonly runnerSecurityGroupId: string;
  /** The flow-log delivery role, when the kit owns the VPC. */
  readonly flowLogRole?: ServiceRole;
  /** Ports the runner security group allows out, for checks and docs. */
  readonly egressPorts: readonly number[];
  // IRunnerNetwork
  get networkId(): string {
    return this.vpcId;
  }
  get runnerSubnetIds(): string[] {
    return this.privateSubnetIds;
  }
  get egressIps(): string[] {
    return this.natEgressIps;
  }

  constructor(scope: Construct, id: string, props: RunnerNetworkProps) {
    super(scope, id);
    this.egressPorts = [HTTPS_PORT, ...(props.egressExtraPorts ?? [])];
    if (props.existingNetworkId !== undefined) {
      this.vpcId = props.existingNetworkId;
      this.privateSubnetIds = [...(props.existingSubnetIds ?? [])];
      this.publicSubnetIds = [];
      this.natEgressIps = [];
    } else {
      const built = this.buildVpc(props);
      this.vpcId = built.vpcId;
      this.privateSubnetIds = built.privateSubnetIds;
      this.publicSubnetIds = built.publicSubnetIds;
      this.natEgressIps = built.natEgressIps;
      this.flowLogRole = built.flowLogRole;
    }
    this.runnerSecurityGroupId = this.buildRunnerSecurityGroup(props).id;
  }

  private buildVpc(props: RunnerNetworkProps) {
    const ctx = AwsContext.of(this);
    const zones = props.zones ?? 2;
    const parsed = parseCidr(props.cidr ?? '10.42.0.0/22');
    if ('error' in parsed) throw new Error(`network.cidr "${props.cidr}" ${parsed.error}`);
    const blocks = splitCidr(parsed, 2 * zones).map(formatCidr);
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });

    const vpc = new Vpc(this, 'Resource', { cidrBlock: formatCidr(parsed), enableDnsSupport: true, enableDnsHostnames: true, tags: name('vpc') });
    // CKV2_AWS_12: the default security group allows nothing, so nothing can use it by accident.
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', { vpcId: vpc.id, ingress: [], egress: [], tags: name('default-deny') });

    const azs = new DataAwsAvailabilityZones(this, 'Zones', { state: 'available' });
    const zone = (i: number) => Fn.element(azs.names, i);
    const privateSubnets = Array.from({ length: zones }, (_, i) =>
      new Subnet(this, `PrivateSubnet${i + 1}`, { vpcId: vpc.id, cidrBlock: blocks[i]!, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: name(`private-${i + 1}`) }),
    );
    // Public subnets host only the NAT gateways; nothing in them gets a public IP automatically.
    const publicSubnets = Array.from({ length: zones }, (_, i) =>
      new Subnet(this, `PublicSubnet${i + 1}`, { vpcId: vpc.id, cidrBlock: blocks[zones + i]!, availabilityZone: zone(i), mapPublicIpOnLaunch: false, tags: name(`public-${i + 1}`) }),
    );

    const igw = new InternetGateway(this, 'InternetGateway', { vpcId: vpc.id, tags: name('igw') });
    const publicRoutes = new RouteTable(this, 'PublicRouteTable', { vpcId: vpc.id, tags: name('public') });
    new Route(this, 'PublicDefaultRoute', { routeTableId: publicRoutes.id, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.id });
    publicSubnets.forEach((s, i) => new RouteTableAssociation(this, `PublicRouteTableAssociation${i + 1}`, { subnetId: s.id, routeTableId: publicRoutes.id }));

    const natCount = props.natGateways === 'perZone' ? zones : 1;
    const nats = Array.from({ length: natCount }, (_, i) => {
      const eip = new Eip(this, `NatEip${i + 1}`, { domain: 'vpc', tags: name(`nat-${i + 1}`), dependsOn: [igw] });
      const nat = new NatGateway(this, `NatGateway${i + 1}`, { allocationId: eip.allocationId, subnetId: publicSubnets[i]!.id, tags: name(`nat-${i + 1}`), dependsOn: [igw] });
      return { eip, nat };
    });
    const privateRouteTables = privateSubnets.map((s, i) => {
      const table = new RouteTable(this, `PrivateRouteTable${i + 1}`, { vpcId: vpc.id, tags: name(`private-${i + 1}`) });
      new Route(this, `PrivateDefaultRoute${i + 1}`, { routeTableId: table.id, destinationCidrBlock: '0.0.0.0/0', natGatewayId: nats[i % natCount]!.nat.id });
      new RouteTableAssociation(this, `PrivateRouteTableAssociation${i + 1}`, { subnetId: s.id, routeTableId: table.id });
      return table;
    });
    // S3 (ECR image layers, Terraform state of runs) stays on the AWS network.
    new VpcEndpoint(this, 'S3Endpoint', {
      vpcId: vpc.id,
      serviceName: `com.amazonaws.${ctx.region}.s3`,
      vpcEndpointType: 'Gateway',
      routeTableIds: privateRouteTables.map((t) => t.id),
      tags: name('s3'),
    });

    // CKV2_AWS_11: every VPC has flow logs, into an encrypted log group with retention.
    const flowLogGroup = new CloudwatchLogGroup(this, 'FlowLogGroup', { name: props.flowLogGroupName, kmsKeyId: props.key.keyReference, retentionInDays: props.logRetentionDays ?? 90 });
    const flowLogRole = new ServiceRole(this, 'FlowLogRole', {
      name: `${props.namePrefix}-flow-logs`,
      description: 'Delivers VPC flow logs of the private runner network to CloudWatch Logs',
      service: 'vpc-flow-logs.amazonaws.com',
      trustConditions: [{ test: 'ArnLike', variable: 'aws:SourceArn', values: [ctx.arn('ec2', 'vpc-flow-log/*')] }],
      permissions: [bind(FLOW_LOG_DELIVERY, [flowLogGroup.arn, `${flowLogGroup.arn}:*`])],
    });
    new FlowLog(this, 'FlowLog', {
      vpcId: vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: flowLogGroup.arn,
      iamRoleArn: flowLogRole.roleArn,
      maxAggregationInterval: 60,
      tags: name('flow-log'),
    });

    return {
      vpcId: vpc.id,
      privateSubnetIds: privateSubnets.map((s) => s.id),
      publicSubnetIds: publicSubnets.map((s) => s.id),
      natEgressIps: nats.map((n) => n.eip.publicIp),
      flowLogRole,
    };
  }

  private buildRunnerSecurityGroup(props: RunnerNetworkProps): SecurityGroup {
    const sg = new SecurityGroup(this, 'RunnerSecurityGroup', {
      name: `${props.namePrefix}-runner`,
      description: 'meshStack runner: no ingress; egress only to the ports the runner needs',
      vpcId: this.vpcId,
      tags: { Name: `${props.namePrefix}-runner` },
    });
    for (const port of this.egressPorts) {
      const rule = new VpcSecurityGroupEgressRule(this, `RunnerEgress${port}`, {
        securityGroupId: sg.id,
        description: port === HTTPS_PORT ? 'HTTPS: meshStack API, image registry, git and provider downloads' : `TCP ${port} (configured extra egress port)`,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: '0.0.0.0/0',
      });
      // The check pack allows 443 and 22; any other port is the customer's opt-in, acknowledged here.
      if (!ALLOWED_EGRESS_PORTS.includes(port)) acknowledge(rule, 'AWS-SG-3', `Egress::tcp:${port}`, `TCP ${port} to the internet, opted in by network.egressExtraPorts`);
    }
    return sg;
  }
}

/** The network of a target as configured (`network` block), with its flow logs under the kit's log prefix. */
export function runnerNetworkProps(
  target: string,
  network: NetworkConfig,
  logs: { readonly key: IEncryptionKey; readonly groupPrefix: string; readonly retentionDays: number },
): RunnerNetworkProps {
  return {
    namePrefix: target,
    cidr: network.cidr,
    zones: network.zones,
    natGateways: network.natGateways,
    existingNetworkId: network.existingNetworkId,
    existingSubnetIds: network.existingSubnetIds,
    egressExtraPorts: network.egressExtraPorts,
    key: logs.key,
    flowLogGroupName: `${logs.groupPrefix}vpc-flow-logs`,
    logRetentionDays: logs.retentionDays,
  };
}
