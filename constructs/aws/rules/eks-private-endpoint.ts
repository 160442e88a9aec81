/** AWS-EKS-1 (CKV_AWS_39): the EKS API endpoint is private. */
import { block, readBoolean, unprovable } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';

export const EKS_PRIVATE_ENDPOINT: Rule = {
  id: 'AWS-EKS-1',
  title: 'EKS API endpoint private, not public',
  why: 'A public Kubernetes API endpoint is reachable from the internet; a leaked credential or an API vulnerability is then exploitable from anywhere instead of only from inside the VPC.',
  fix: 'Set vpc_config.endpoint_public_access = false and endpoint_private_access = true (the provider defaults are the opposite). If a customer opts into a public endpoint, acknowledge this finding and restrict public_access_cidrs (AWS-EKS-2).',
  publicIds: ['CKV_AWS_39'],
  appliesTo: ['aws_eks_cluster'],
  check: (cluster) => {
    const vpc = block(cluster.body.vpc_config) ?? {};
    const findings: Finding[] = [];
    const pub = readBoolean(vpc.endpoint_public_access);
    if (pub.kind === 'expression') findings.push({ message: unprovable('vpc_config.endpoint_public_access', pub.text) });
    else if (!(pub.kind === 'literal' && pub.value === false)) findings.push({ message: `vpc_config.endpoint_public_access is ${pub.kind === 'absent' ? 'unset (the provider default is true: public)' : JSON.stringify(pub.value)}` });
    const priv = readBoolean(vpc.endpoint_private_access);
    if (priv.kind === 'expression') findings.push({ message: unprovable('vpc_config.endpoint_private_access', priv.text) });
    else if (!(priv.kind === 'literal' && priv.value === true)) findings.push({ message: `vpc_config.endpoint_private_access is ${priv.kind === 'absent' ? 'unset (the provider default is false)' : JSON.stringify(priv.value)}, so nodes and the updater cannot reach the API privately` });
    return fromFindings(findings);
  },
};
