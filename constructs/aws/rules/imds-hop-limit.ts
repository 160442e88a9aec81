/** AWS-EC2-2 (CKV_AWS_341): the metadata response hop limit is 1, so containers cannot reach the node's IMDS. */
import { block, readNumber, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';
import { nodeGroupLaunchTemplate } from './support/launch-templates';

export const IMDS_HOP_LIMIT: Rule = {
  id: 'AWS-EC2-2',
  title: 'Instance metadata hop limit 1',
  why: 'With a hop limit above 1, every pod on a node (every run) can fetch the node role\'s credentials from the metadata service; with 1 the answer never leaves the host network namespace.',
  fix: 'Set metadata_options { http_put_response_hop_limit = 1 } on the launch template (pods use EKS Pod Identity / IRSA instead); EKS node groups must use such a launch template.',
  publicIds: ['CKV_AWS_341'],
  appliesTo: ['aws_launch_template', 'aws_instance', 'aws_eks_node_group'],
  check: (resource, config) => {
    if (resource.type === 'aws_eks_node_group') return nodeGroupLaunchTemplate(resource, config);
    const options = block(resource.body.metadata_options) ?? {};
    if (options.http_endpoint === 'disabled') return compliant();
    const hops = readNumber(options.http_put_response_hop_limit);
    if (hops.kind === 'literal' && hops.value === 1) return compliant();
    if (hops.kind === 'expression') return nonCompliant(unprovable('metadata_options.http_put_response_hop_limit', hops.text));
    return nonCompliant(`metadata_options.http_put_response_hop_limit is ${hops.kind === 'absent' ? 'unset (EKS-optimized AMIs default to 2)' : JSON.stringify(hops.value)}`);
  },
};
