/** AWS-EKS-2 (CKV_AWS_38): if the EKS endpoint is public (opt-in), it is not open to 0.0.0.0/0. */
import { block, isExpression, readBoolean, strings, unprovable } from '../../core/rules/expressions';
import { compliant, fromFindings, nonCompliant, notApplicable, type Rule } from '../../core/rules/rule';
import { WORLD_CIDRS } from './support/security-group-rules';

export const EKS_PUBLIC_ENDPOINT_RESTRICTED: Rule = {
  id: 'AWS-EKS-2',
  title: 'A public EKS endpoint is limited to named CIDRs, never 0.0.0.0/0',
  why: 'When a customer opts into a public API endpoint, the allow-list is the only network barrier; 0.0.0.0/0 (the provider default) removes it.',
  fix: "Set vpc_config.public_access_cidrs to the customer's admin networks (never 0.0.0.0/0 or ::/0), or turn the public endpoint off.",
  publicIds: ['CKV_AWS_38'],
  appliesTo: ['aws_eks_cluster'],
  check: (cluster) => {
    const vpc = block(cluster.body.vpc_config) ?? {};
    const pub = readBoolean(vpc.endpoint_public_access);
    if (pub.kind === 'literal' && pub.value === false) return notApplicable('the public endpoint is off');
    const cidrs = vpc.public_access_cidrs;
    if (cidrs === undefined) return nonCompliant('the endpoint is public and vpc_config.public_access_cidrs is unset (the provider default is ["0.0.0.0/0"])');
    if (isExpression(cidrs)) return nonCompliant(unprovable('vpc_config.public_access_cidrs', cidrs));
    const list = strings(cidrs);
    if (list.length === 0) return nonCompliant('the endpoint is public and vpc_config.public_access_cidrs is empty (AWS then allows 0.0.0.0/0)');
    const open = list.filter((c) => WORLD_CIDRS.includes(c));
    const unknown = list.filter((c) => isExpression(c));
    return open.length === 0 && unknown.length === 0
      ? compliant()
      : fromFindings([
          ...open.map((c) => ({ key: `Cidr::${c}`, message: `vpc_config.public_access_cidrs contains ${c}: the API is open to the internet` })),
          ...unknown.map((c) => ({ key: `Cidr::${c}`, message: unprovable('an entry of vpc_config.public_access_cidrs', c) })),
        ]);
  },
};
