import { exampleTarget, synthConfig, Synthesized } from '../../support/synth';

describe('RunnerNetwork with defaults (2 zones, single NAT, egress 443 + 22 from the example)', () => {
  let s: Synthesized;
  beforeAll(() => {
    s = synthConfig(exampleTarget().config);
  });

  it('creates one VPC with DNS, split into a private and a public subnet per zone', () => {
    expect(s.only('aws_vpc')).toMatchObject({ cidr_block: '10.42.0.0/22', enable_dns_support: true, enable_dns_hostnames: true });
    const subnets = s.resources('aws_subnet').map(([, b]) => b);
    expect(subnets.map((b) => b.cidr_block).sort()).toEqual(['10.42.0.0/24', '10.42.1.0/24', '10.42.2.0/24', '10.42.3.0/24']);
    // CKV_AWS_130: no subnet hands out public IPs, not even the NAT-hosting public ones.
    for (const b of subnets) expect(b.map_public_ip_on_launch).toBe(false);
  });

  it('CKV2_AWS_12: the default security group has no rules at all', () => {
    expect(s.only('aws_default_security_group')).toMatchObject({ ingress: [], egress: [] });
  });

  it('the runner security group has no ingress and egress only on 443 and the configured extra ports', () => {
    const sg = s.find('aws_security_group', 'Network_');
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
    expect(s.count('aws_vpc_security_group_ingress_rule')).toBe(0);
    expect(s.count('aws_security_group_rule')).toBe(0);
    const egress = s.resources('aws_vpc_security_group_egress_rule').map(([, b]) => b);
    expect(egress.map((e) => [e.ip_protocol, e.from_port, e.to_port]).sort()).toEqual([['tcp', 22, 22], ['tcp', 443, 443]]);
    for (const e of egress) expect(e.cidr_ipv4).toBe('0.0.0.0/0');
  });

  it('routes private subnets through one NAT gateway and public subnets through the internet gateway', () => {
    expect(s.count('aws_nat_gateway')).toBe(1);
    expect(s.count('aws_eip')).toBe(1);
    const routes = s.resources('aws_route').map(([, b]) => b);
    expect(routes.filter((r) => r.nat_gateway_id).length).toBe(2);
    expect(routes.filter((r) => r.gateway_id).length).toBe(1);
  });

  it('CKV2_AWS_11: flow logs of all traffic go to a KMS-encrypted log group with retention', () => {
    expect(s.only('aws_flow_log')).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const group = s.find('aws_cloudwatch_log_group', 'FlowLogGroup');
    expect(group).toMatchObject({ name: '/private-runner-kit/ecsexample/vpc-flow-logs', retention_in_days: 90 });
    expect(group.kms_key_id).toMatch(/aws_kms_key\..*\.arn/);
  });

  it('the flow-log role may only write to the flow-log group', () => {
    const policy = Synthesized.policy(s.find('aws_iam_role_policy', 'FlowLogRole').policy);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams']);
    expect(policy.Statement[0].Resource).toEqual([expect.stringMatching(/FlowLogGroup.*\.arn\}$/), expect.stringMatching(/FlowLogGroup.*\.arn\}:\*$/)]);
    const trust = Synthesized.policy(s.find('aws_iam_role', 'FlowLogRole').assume_role_policy);
    expect(trust.Statement[0].Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
    expect(trust.Statement[0].Condition.StringEquals['aws:SourceAccount']).toMatch(/caller_identity/);
  });

  it('keeps S3 traffic on a gateway endpoint attached to the private route tables', () => {
    const ep = s.only('aws_vpc_endpoint');
    expect(ep).toMatchObject({ service_name: 'com.amazonaws.eu-central-1.s3', vpc_endpoint_type: 'Gateway' });
    expect(ep.route_table_ids).toHaveLength(2);
  });
});

describe('RunnerNetwork overrides', () => {
  it('GIVEN natGateways perZone and 3 zones THEN one NAT per zone and each private table uses its own', () => {
    const s = synthConfig(exampleTarget((t) => Object.assign(t.network, { natGateways: 'perZone', zones: 3 })).config);
    expect(s.count('aws_nat_gateway')).toBe(3);
    expect(s.count('aws_subnet')).toBe(6);
    const natIds = s.resources('aws_route').map(([, b]) => b.nat_gateway_id).filter(Boolean);
    expect(new Set(natIds).size).toBe(3);
    expect(s.json.output.nat_egress_ips.value).toHaveLength(3);
  });

  it('GIVEN no extra ports THEN egress is 443 only', () => {
    const s = synthConfig(exampleTarget((t) => (t.network.egressExtraPorts = [])).config);
    expect(s.resources('aws_vpc_security_group_egress_rule').map(([, b]) => b.from_port)).toEqual([443]);
  });

  it('GIVEN a bring-your-own VPC THEN only the runner security group is created, in that VPC', () => {
    const s = synthConfig(
      exampleTarget((t) => {
        t.network = { existingNetworkId: 'vpc-0abc1234def567890', existingSubnetIds: ['subnet-0aaa1111bbbb22223', 'subnet-0ccc3333dddd44445'] };
      }).config,
    );
    for (const type of ['aws_vpc', 'aws_subnet', 'aws_nat_gateway', 'aws_eip', 'aws_flow_log', 'aws_internet_gateway', 'aws_default_security_group']) {
      expect(s.count(type)).toBe(0);
    }
    expect(s.find('aws_security_group', 'Network_').vpc_id).toBe('vpc-0abc1234def567890');
    expect(s.only('aws_ecs_service').network_configuration.subnets).toEqual(['subnet-0aaa1111bbbb22223', 'subnet-0ccc3333dddd44445']);
    expect(s.json.output.nat_egress_ips.value).toEqual([]);
  });
});
