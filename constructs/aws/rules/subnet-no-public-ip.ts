/** AWS-VPC-3 (CKV_AWS_130): subnets do not give instances a public IP automatically. */
import { readBoolean, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const SUBNET_NO_PUBLIC_IP: Rule = {
  id: 'AWS-VPC-3',
  title: 'Subnets do not auto-assign public IPs',
  why: 'A subnet that maps public IPs on launch puts every network interface started in it on the internet, bypassing NAT egress-only.',
  fix: 'Set map_public_ip_on_launch = false (or leave it unset); only NAT gateways get public addresses, through Elastic IPs.',
  publicIds: ['CKV_AWS_130'],
  appliesTo: ['aws_subnet', 'aws_default_subnet'],
  check: (subnet) => {
    const v = readBoolean(subnet.body.map_public_ip_on_launch);
    if (v.kind === 'absent' ? subnet.type === 'aws_subnet' : v.kind === 'literal' && !v.value) return compliant();
    if (v.kind === 'expression') return nonCompliant(unprovable('map_public_ip_on_launch', v.text));
    return nonCompliant(`map_public_ip_on_launch is ${v.kind === 'absent' ? 'unset, and a default subnet maps public IPs by default' : JSON.stringify(v.value)}`);
  },
};
