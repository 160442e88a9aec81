/** AWS-ECS-1 (CKV_AWS_333): ECS services get no public IP. */
import { block, readBoolean, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';

export const ECS_NO_PUBLIC_IP: Rule = {
  id: 'AWS-ECS-1',
  title: 'ECS services get no public IP',
  why: 'A task with a public IP is reachable from the internet and leaves through its own address instead of the NAT, escaping the egress controls and the allow-listed egress IPs.',
  fix: 'Set network_configuration.assign_public_ip = false (or leave it unset) and run the service in private subnets with NAT egress.',
  publicIds: ['CKV_AWS_333'],
  appliesTo: ['aws_ecs_service'],
  check: (service) => {
    const v = readBoolean(block(service.body.network_configuration)?.assign_public_ip);
    if (v.kind === 'absent' || (v.kind === 'literal' && !v.value)) return compliant();
    if (v.kind === 'expression') return nonCompliant(unprovable('network_configuration.assign_public_ip', v.text));
    return nonCompliant(`network_configuration.assign_public_ip is ${JSON.stringify(v.value)}`);
  },
};
