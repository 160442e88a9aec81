/** AWS-EC2-1 (CKV_AWS_79): instances and EKS nodes require IMDSv2 (session tokens). */
import { block, readString, unprovable } from '../../core/rules/expressions';
import { compliant, nonCompliant, type Rule } from '../../core/rules/rule';
import { nodeGroupLaunchTemplate } from './support/launch-templates';

export const IMDSV2_REQUIRED: Rule = {
  id: 'AWS-EC2-1',
  title: 'Nodes require IMDSv2',
  why: 'IMDSv1 answers any request from the instance, so one server-side request forgery in a run steals the node role\'s credentials; IMDSv2 needs a session token a forged request cannot get.',
  fix: 'Set metadata_options { http_tokens = "required" } on the launch template (or instance); EKS node groups must use such a launch template.',
  publicIds: ['CKV_AWS_79'],
  appliesTo: ['aws_launch_template', 'aws_instance', 'aws_eks_node_group'],
  check: (resource, config) => {
    if (resource.type === 'aws_eks_node_group') return nodeGroupLaunchTemplate(resource, config);
    const options = block(resource.body.metadata_options) ?? {};
    if (options.http_endpoint === 'disabled') return compliant();
    const tokens = readString(options.http_tokens);
    if (tokens.kind === 'literal' && tokens.value === 'required') return compliant();
    if (tokens.kind === 'expression') return nonCompliant(unprovable('metadata_options.http_tokens', tokens.text));
    return nonCompliant(`metadata_options.http_tokens is ${tokens.kind === 'absent' ? 'unset (the AMI default may allow IMDSv1)' : JSON.stringify(tokens.value)}`);
  },
};
