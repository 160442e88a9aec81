/**
 * AWS privilege-escalation methods (Cloudsplaining's published list, as summarized in the kit's
 * security rules, `data/required-checks.md`), as data: each method is a set of actions
 * that together let a principal gain more than it was given. `escalationsOf(actions)` finds the
 * methods a set of granted actions completes; the verification tests run it over every role, and
 * the auditor README lists what each role lacks.
 *
 * A method held by a role is a finding. Roles people assume must hold none; a service role may hold
 * one only with an acknowledgement in `ACKNOWLEDGED_ESCALATIONS` (one finding, one role, a reason).
 */

export type EscalationKind = 'single action' | 'with iam:PassRole' | 'without iam:PassRole' | 'credentials';

export interface EscalationMethod {
  /** Finding id, cdk-nag style: `PrivEsc[a+b+c]`. */
  readonly id: string;
  readonly kind: EscalationKind;
  /** Every one of these actions is needed. */
  readonly actions: readonly string[];
}

const method = (kind: EscalationKind, ...actions: string[]): EscalationMethod => ({ id: `PrivEsc[${actions.join('+')}]`, kind, actions });
const PASS = 'iam:PassRole';

export const ESCALATION_METHODS: readonly EscalationMethod[] = [
  ...[
    'iam:CreateAccessKey', 'iam:CreateLoginProfile', 'iam:UpdateLoginProfile', 'iam:AddUserToGroup', 'iam:CreatePolicyVersion',
    'iam:SetDefaultPolicyVersion', 'iam:AttachUserPolicy', 'iam:AttachGroupPolicy', 'iam:AttachRolePolicy', 'iam:PutUserPolicy',
    'iam:PutGroupPolicy', 'iam:PutRolePolicy', 'iam:UpdateAssumeRolePolicy', 'lambda:UpdateFunctionCode', 'glue:UpdateDevEndpoint',
  ].map((a) => method('single action', a)),
  method('with iam:PassRole', PASS, 'ec2:RunInstances'),
  method('with iam:PassRole', PASS, 'lambda:CreateFunction', 'lambda:InvokeFunction'),
  method('with iam:PassRole', PASS, 'lambda:CreateFunction', 'lambda:AddPermission'),
  method('with iam:PassRole', PASS, 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'),
  method('with iam:PassRole', PASS, 'cloudformation:CreateStack'),
  method('with iam:PassRole', PASS, 'codebuild:CreateProject', 'codebuild:StartBuild'),
  method('with iam:PassRole', PASS, 'ecs:RegisterTaskDefinition', 'ecs:CreateService'),
  method('with iam:PassRole', PASS, 'ecs:RegisterTaskDefinition', 'ecs:RunTask'),
  method('with iam:PassRole', PASS, 'ecs:RegisterTaskDefinition', 'ecs:StartTask'),
  method('with iam:PassRole', PASS, 'ecs:RegisterTaskDefinition', 'ecs:UpdateService'),
  method('with iam:PassRole', PASS, 'glue:CreateDevEndpoint'),
  method('with iam:PassRole', PASS, 'glue:CreateJob'),
  method('with iam:PassRole', PASS, 'datapipeline:CreatePipeline'),
  method('with iam:PassRole', PASS, 'sagemaker:CreateNotebookInstance'),
  method('with iam:PassRole', PASS, 'sagemaker:CreateTrainingJob'),
  method('with iam:PassRole', PASS, 'sagemaker:CreateProcessingJob'),
  method('with iam:PassRole', PASS, 'apprunner:CreateService'),
  method('without iam:PassRole', 'ecs:ExecuteCommand'),
  method('without iam:PassRole', 'ec2:ModifyInstanceAttribute', 'ec2:StartInstances'),
  method('without iam:PassRole', 'ec2:ModifyInstanceAttribute', 'ec2:StopInstances'),
  method('without iam:PassRole', 'ec2:CreateLaunchTemplateVersion', 'ec2:ModifyLaunchTemplate'),
  method('without iam:PassRole', 'cloudformation:CreateChangeSet', 'cloudformation:ExecuteChangeSet'),
  method('without iam:PassRole', 'ec2-instance-connect:SendSSHPublicKey'),
  method('credentials', 'ecr:GetAuthorizationToken'),
  method('credentials', 'sts:AssumeRole'),
  method('credentials', 'sts:AssumeRoleWithSAML'),
  method('credentials', 'sts:AssumeRoleWithWebIdentity'),
];

/** Every action that appears in some escalation method (sorted). */
export const ESCALATION_ACTIONS: readonly string[] = [...new Set(ESCALATION_METHODS.flatMap((m) => m.actions))].sort();

/** The methods `granted` (exact action names, compared case-insensitively as IAM does) completes. */
export function escalationsOf(granted: Iterable<string>): EscalationMethod[] {
  const have = new Set([...granted].map((a) => a.toLowerCase()));
  return ESCALATION_METHODS.filter((m) => m.actions.every((a) => have.has(a.toLowerCase())));
}

export interface EscalationAcknowledgement {
  /** Role name suffix after `<target>-`, e.g. `updater` or `*-exec` (one `*` wildcard allowed). */
  readonly role: string;
  /** The finding id (`EscalationMethod.id`). */
  readonly finding: string;
  /** Why the role must hold it and how it is contained (at least 10 characters). */
  readonly reason: string;
}

/**
 * The escalation findings the kit accepts, each for one finding on one kind of role. People-assumed
 * roles can never be acknowledged.
 */
export const ACKNOWLEDGED_ESCALATIONS: readonly EscalationAcknowledgement[] = [
  {
    role: 'updater',
    finding: 'PrivEsc[iam:PassRole+ecs:RegisterTaskDefinition+ecs:UpdateService]',
    reason:
      "Rolling out a new runner version is exactly this: a new revision of the runner's task family, naming its existing execution and task roles, moved onto its service. Scoped to those two roles (iam:PassedToService = ecs-tasks.amazonaws.com), that family and that service; the boundary denies passing roles to any other service.",
  },
  {
    role: 'updater',
    finding: 'PrivEsc[ecr:GetAuthorizationToken]',
    reason: "Promotion pushes into the kit's ECR mirror through the OCI distribution API, which needs a registry token; what the token can do is limited by the role's repository permissions (the mirror only).",
  },
  {
    role: '*-exec',
    finding: 'PrivEsc[ecr:GetAuthorizationToken]',
    reason: "ECS pulls the runner image from the kit's ECR mirror with the execution role (the one place the security rules accept it); repository permissions limit it to the mirror.",
  },
];

/** The acknowledgement covering `finding` on role `roleName` of `target`, if any. */
export function acknowledgementFor(target: string, roleName: string, finding: string): EscalationAcknowledgement | undefined {
  if (!roleName.startsWith(`${target}-`)) return undefined;
  const suffix = roleName.slice(target.length + 1);
  return ACKNOWLEDGED_ESCALATIONS.find((a) => a.finding === finding && matchesRole(a.role, suffix));
}

function matchesRole(pattern: string, suffix: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === suffix;
  const [head, tail] = [pattern.slice(0, star), pattern.slice(star + 1)];
  return suffix.length >= head.length + tail.length + 1 && suffix.startsWith(head) && suffix.endsWith(tail);
}
