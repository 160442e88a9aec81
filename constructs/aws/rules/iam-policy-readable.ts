/**
 * AWS-IAM-1 (kit-only): every permission a principal holds can be read at synthesis, so the other
 * IAM rules judge everything that is granted.
 */
import { asReference, strings } from '../../core/rules/expressions';
import { fromFindings, type Finding, type Rule } from '../../core/rules/rule';
import { policiesHeldBy, POLICY_RESOURCE_TYPES, readPolicy } from './support/policy';

export const IAM_POLICY_READABLE: Rule = {
  id: 'AWS-IAM-1',
  title: 'IAM documents are readable at synthesis; no policies attached from outside the stack',
  why: 'A policy the pack cannot read (a jsonencode expression, an AWS managed policy) is a permission nobody verified: wildcards, escalation paths and missing conditions in it go unnoticed.',
  fix: 'Render policies from the permission model as JSON (ServiceRole does) or from an aws_iam_policy_document in the stack. If an AWS managed policy is unavoidable, acknowledge its attachment with what it grants and why.',
  publicIds: [],
  appliesTo: [
    ...POLICY_RESOURCE_TYPES,
    'aws_iam_role',
    'aws_iam_role_policy_attachment',
    'aws_iam_user_policy_attachment',
    'aws_iam_group_policy_attachment',
    'aws_iam_policy_attachment',
    'aws_iam_role_policy_attachments_exclusive',
  ],
  check: (resource, config) => {
    const findings: Finding[] = [];
    for (const p of policiesHeldBy(resource, config)) {
      if (!p.read.ok) findings.push({ key: `Document::${p.label}`, message: `${p.label}: ${p.read.problem}` });
    }
    if (resource.type === 'aws_iam_role') {
      const trust = readPolicy(resource.body.assume_role_policy, config);
      if (!trust.ok) findings.push({ key: 'Document::assume_role_policy', message: `assume_role_policy: ${trust.problem}` });
    }
    // Attachments are judged where they are declared: on the attachment resource, or on the role (managed_policy_arns).
    const attached = resource.type === 'aws_iam_role'
      ? strings(resource.body.managed_policy_arns)
      : [...strings(resource.body.policy_arn), ...strings(resource.body.policy_arns)];
    for (const arn of attached) {
      const ref = asReference(arn);
      if (ref && ref.address.startsWith('aws_iam_policy.') && config.get(ref.address)) continue;
      findings.push({ key: `Attachment::${arn}`, message: `attaches ${arn}, a policy from outside the stack whose content the pack cannot read` });
    }
    return fromFindings(findings);
  },
};
