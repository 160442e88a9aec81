/**
 * AWS-IAM-4 (CKV_AWS_286, stricter): no principal holds a privilege-escalation action or
 * combination (Cloudsplaining's published list), whatever the resource scope.
 */
import { fromFindings, type Rule } from '../../core/rules/rule';
import { grants, type Statement } from './support/policy';
import { grantedStatements, PRINCIPAL_RULE_TYPES } from './support/principals';

/** An escalation path: every action in `all`, plus one of `anyOf` when given. */
export interface EscalationPath {
  readonly all: readonly string[];
  readonly anyOf?: readonly string[];
}

const single = (action: string): EscalationPath => ({ all: [action] });
const withPassRole = (all: readonly string[], anyOf?: readonly string[]): EscalationPath => ({ all: ['iam:PassRole', ...all], ...(anyOf ? { anyOf } : {}) });

/** From `reference/security-rules.md` (Cloudsplaining's list). */
export const ESCALATION_PATHS: readonly EscalationPath[] = [
  ...['iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:AddUserToGroup', 'iam:CreatePolicyVersion',
    'iam:SetDefaultPolicyVersion', 'iam:AttachUserPolicy', 'iam:AttachGroupPolicy', 'iam:AttachRolePolicy', 'iam:PutUserPolicy',
    'iam:PutGroupPolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'lambda:UpdateFunctionCode', 'glue:UpdateDevEndpoint'].map(single),
  withPassRole(['ec2:RunInstances']),
  withPassRole(['lambda:CreateFunction'], ['lambda:InvokeFunction', 'lambda:AddPermission', 'lambda:CreateEventSourceMapping']),
  withPassRole(['cloudformation:CreateStack']),
  withPassRole(['codebuild:CreateProject', 'codebuild:StartBuild']),
  withPassRole(['ecs:RegisterTaskDefinition'], ['ecs:CreateService', 'ecs:RunTask', 'ecs:StartTask', 'ecs:UpdateService']),
  withPassRole(['glue:CreateDevEndpoint']),
  withPassRole(['glue:CreateJob'], ['glue:StartJobRun', 'glue:CreateTrigger']),
  withPassRole(['datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition']),
  withPassRole(['sagemaker:CreateNotebookInstance']),
  withPassRole(['sagemaker:CreateTrainingJob']),
  withPassRole(['sagemaker:CreateProcessingJob']),
  withPassRole(['apprunner:CreateService']),
  single('ecs:ExecuteCommand'),
  { all: ['ec2:ModifyInstanceAttribute', 'ec2:StopInstances', 'ec2:StartInstances'] },
  { all: ['ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'] },
  { all: ['cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'] },
  single('ec2-instance-connect:SendSSHPublicKey'),
];

/** The escalations `statements` allow, each as its `+`-joined action list (one entry per matching `anyOf` action). */
export function escalationsIn(statements: readonly Statement[]): string[] {
  const allowed = (action: string) => statements.some((s) => grants(s, action));
  const found: string[] = [];
  for (const path of ESCALATION_PATHS) {
    if (!path.all.every(allowed)) continue;
    if (!path.anyOf) found.push(path.all.join('+'));
    else path.anyOf.filter(allowed).forEach((a) => found.push([...path.all, a].join('+')));
  }
  return found;
}

export const IAM_NO_PRIVILEGE_ESCALATION: Rule = {
  id: 'AWS-IAM-4',
  title: 'No privilege-escalation actions or combinations',
  why: 'These actions let a principal give itself (or code it controls) more permissions than it was granted, e.g. run a task under a more powerful role; one compromised component then owns the account.',
  fix: 'Remove the action. The updater legitimately holds iam:PassRole + ecs:RegisterTaskDefinition + ecs:UpdateService: scope it to the runner roles (iam:PassedToService = ecs-tasks.amazonaws.com), task families and services, and acknowledge the finding on the updater\'s role.',
  publicIds: ['CKV_AWS_286'],
  appliesTo: PRINCIPAL_RULE_TYPES,
  check: (resource, config) => {
    const statements = grantedStatements(resource, config);
    if (!Array.isArray(statements)) return statements;
    return fromFindings(escalationsIn(statements).map((e) => ({ key: `Escalation::${e}`, message: `${resource.type === 'aws_iam_policy' ? 'the policy' : 'the principal\'s policies'} allow ${e.split('+').join(' + ')}` })));
  },
};
