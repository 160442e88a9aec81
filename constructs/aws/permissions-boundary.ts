/**
 * The permissions boundary of a target: one customer-managed policy that every role the kit creates
 * carries (`KitRole` attaches it; `PermissionsBoundary.of(stack)` creates it on first use). A role's
 * effective permissions are the intersection of its own policy and this boundary, minus what the
 * boundary denies, so even a policy attached to a kit role later (by mistake or by an attacker with
 * IAM rights) cannot make it more than a kit role.
 *
 * Allow: the union of the actions the kit's roles declare, rendered at synthesis (so roles created
 * or extended later are included), each capped to the kit's resource scope:
 * - services whose resources the kit names after the target (ECS, logs, secrets, IAM roles, Lambda,
 *   alarms, ECR, SSM, SNS) are capped to those names (`<target>-*`, `<target>/*`: target names
 *   contain no `-`, so one target's prefix matches no other target's names); EC2, which names
 *   nothing after the target, to the resource types the kit's functions use (network interfaces,
 *   subnets, security groups) in this account and region, any of them: the roles' own policies narrow
 *   them (the updater: interfaces in its own subnets only, by `ec2:Subnet`). Capping by type and name
 *   pattern keeps the policy from growing with runners or zones (managed policies are limited to
 *   6,144 characters), and no Terraform reference to a role appears in it (a role's boundary cannot
 *   depend on that role);
 * - other services to the exact resources the roles name (e.g. the target's KMS key);
 * - actions some role holds on `*` (no resource-level permissions in AWS) on `*`.
 *
 * Deny: actions no kit role may ever perform, whatever its own policy says (`BOUNDARY_DENIALS`):
 * IAM changes, leaving the organization, role chaining, shells into tasks, launching compute with a
 * passed role, opening resource policies, tampering with the audit trail; passing roles to anything
 * but ECS tasks; reading secret values except by runner execution roles.
 */
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Lazy, TerraformStack } from 'cdktf';
import { Construct, type IConstruct } from 'constructs';
import { KIT_NAME, TARGET_TAG, logGroupPrefix } from '../core/naming';
import { actionService, assertValidPermissions, bind, type Permission, type PermissionTemplate } from '../core/permissions/permission';
import { AwsContext } from './aws-context';
import { policyDocument, toJson, type IamPolicyDocument } from './iam-policy-document';
import type { KitRole } from './service-role';

// --- what the boundary denies to every kit role, each with its reason ----------------------------
export const DENY_IAM_CHANGES: PermissionTemplate = {
  sid: 'DenyIamChanges',
  effect: 'Deny',
  actions: [
    'iam:Accept*', 'iam:Add*', 'iam:Associate*', 'iam:Attach*', 'iam:Change*', 'iam:Create*', 'iam:Deactivate*', 'iam:Delete*',
    'iam:Detach*', 'iam:Disable*', 'iam:Enable*', 'iam:Put*', 'iam:Reject*', 'iam:Remove*', 'iam:Reset*', 'iam:Resync*',
    'iam:Send*', 'iam:Set*', 'iam:Tag*', 'iam:Untag*', 'iam:Update*', 'iam:Upload*',
  ],
  justification:
    'No kit role changes IAM: access keys, login profiles, policy versions, attached or inline policies, trust policies and the removal of this boundary are the classic escalations.',
};
export const DENY_ORGANIZATION_AND_ACCOUNT: PermissionTemplate = {
  sid: 'DenyOrganizationAndAccountChanges',
  effect: 'Deny',
  actions: ['organizations:*', 'account:*'],
  justification: 'No kit role may leave the organization (and its SCPs), change account contacts or regions, or close the account.',
};
export const DENY_ROLE_CHAINING: PermissionTemplate = {
  sid: 'DenyRoleChainingAndFederation',
  effect: 'Deny',
  actions: ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoot', 'sts:GetFederationToken'],
  justification: 'Credentials-returning calls would let a kit role step into another role (in this or any account) outside its boundary.',
};
export const DENY_SHELLS: PermissionTemplate = {
  sid: 'DenyShellsIntoWorkloads',
  effect: 'Deny',
  actions: ['ecs:ExecuteCommand', 'ssm:StartSession', 'ssm:ResumeSession', 'ssm:SendCommand', 'ssmmessages:*', 'ec2-instance-connect:*'],
  justification: "A shell in a runner task reads the runner's private key file and every decrypted run; nobody gets one, not even through a kit role.",
};
export const DENY_COMPUTE_WITH_PASSED_ROLES: PermissionTemplate = {
  sid: 'DenyLaunchingComputeWithRoles',
  effect: 'Deny',
  actions: [
    'ec2:RunInstances', 'ec2:ModifyInstanceAttribute', 'ec2:CreateLaunchTemplate*', 'ec2:ModifyLaunchTemplate',
    'ecs:CreateService', 'ecs:RunTask', 'ecs:StartTask',
    'lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:CreateEventSourceMapping',
    'codebuild:CreateProject', 'codebuild:UpdateProject',
    // Services the kit never uses, whose create calls run code under a passed role: denied whole.
    'cloudformation:*', 'glue:*', 'datapipeline:*', 'sagemaker:*', 'apprunner:*',
  ],
  justification:
    "Starting or changing compute runs code under a role (passed or its own): the PassRole escalation family. The updater's one path (a new task-definition revision of an existing service) is not in this list and is scoped by its own policy.",
};
export const DENY_RESOURCE_POLICY_CHANGES: PermissionTemplate = {
  sid: 'DenyOpeningResourcePolicies',
  effect: 'Deny',
  actions: [
    'secretsmanager:PutResourcePolicy', 'secretsmanager:DeleteResourcePolicy', 'kms:PutKeyPolicy', 'kms:CreateGrant',
    'ecr:SetRepositoryPolicy', 'ecr:DeleteRepositoryPolicy', 'ecr:PutRegistryPolicy', 'lambda:AddPermission', 'lambda:AddLayerVersionPermission',
    'lambda:CreateFunctionUrlConfig', 'logs:PutResourcePolicy', 'sns:AddPermission', 'sns:SetTopicAttributes',
  ],
  justification: 'Resource policies and grants would open the kit\'s secrets, key, images, updater or logs to other principals without touching IAM (exfiltration).',
};
export const DENY_AUDIT_TAMPERING: PermissionTemplate = {
  sid: 'DenyAuditTrailTampering',
  effect: 'Deny',
  actions: [
    'cloudtrail:StopLogging', 'cloudtrail:DeleteTrail', 'cloudtrail:UpdateTrail', 'cloudtrail:PutEventSelectors',
    'logs:DeleteLogGroup', 'logs:DeleteLogStream', 'logs:DeleteRetentionPolicy', 'logs:PutRetentionPolicy', 'logs:DisassociateKmsKey',
    'kms:ScheduleKeyDeletion', 'kms:DisableKey',
  ],
  justification: "CloudTrail and the kit's log groups are the record of what runners and operators did; no kit role may erase or blind it.",
};
export const DENY_PASS_ROLE_OUTSIDE_ECS_TASKS: PermissionTemplate = {
  sid: 'DenyPassingRolesToOtherServices',
  effect: 'Deny',
  actions: ['iam:PassRole'],
  justification: 'The only role the kit ever passes is a runner role to ECS tasks (by the updater); passing any role to another service is denied.',
};
export const DENY_SECRET_READS_OUTSIDE_EXECUTION_ROLES: PermissionTemplate = {
  sid: 'DenySecretReadsExceptRunnerExecutionRoles',
  effect: 'Deny',
  actions: ['secretsmanager:GetSecretValue', 'secretsmanager:BatchGetSecretValue'],
  justification: "Only a runner's execution role (ECS, at task start) reads secret values; operators, the updater and every other kit role never see the private key or the API client secret.",
};

/** The service a role passes roles to (by the updater: new task-definition revisions). */
export const PASSED_TO_SERVICE = 'ecs-tasks.amazonaws.com';
/** Suffix of the runners' execution role names (`ecs-runner-service.ts`: `executionRoleName`). */
export const EXECUTION_ROLE_SUFFIX = '-exec';

/**
 * Resource patterns of what the kit names after the target, per service: the boundary caps each
 * service's actions to these. Services not listed are capped to the exact resources the roles name.
 */
export function kitResourceScopes(ctx: AwsContext, target: string): Readonly<Record<string, readonly string[]>> {
  const kitPath = `/${KIT_NAME}/${target}/`;
  return {
    cloudwatch: [ctx.arn('cloudwatch', `alarm:${target}-*`)],
    // EC2 names nothing after the target (ids only): capped to the resource types the kit's functions
    // use, in this account and region; each role's own policy narrows them (see the justification).
    ec2: [ctx.arn('ec2', 'network-interface/*'), ctx.arn('ec2', 'subnet/*'), ctx.arn('ec2', 'security-group/*')],
    ecr: [ctx.arn('ecr', `repository/${target}/*`)],
    ecs: [
      ctx.arn('ecs', `cluster/${target}`),
      ctx.arn('ecs', `service/${target}/*`),
      ctx.arn('ecs', `task/${target}/*`),
      ctx.arn('ecs', `task-definition/${target}-*`),
      ctx.arn('ecs', `container-instance/${target}/*`),
    ],
    iam: [iamArn(ctx, `role/${target}-*`)],
    lambda: [ctx.arn('lambda', `function:${target}-*`)],
    logs: [ctx.arn('logs', `log-group:${logGroupPrefix(target)}*`)],
    secretsmanager: [ctx.arn('secretsmanager', `secret:${target}/*`)],
    sns: [ctx.arn('sns', `${target}-*`)],
    ssm: [ctx.arn('ssm', `parameter${kitPath}*`)],
  };
}

const iamArn = (ctx: AwsContext, resource: string) => `arn:${ctx.partition}:iam::${ctx.accountId}:${resource}`;

/** The justification of a service's cap when it is not "named after the target". */
const SCOPE_JUSTIFICATIONS: Readonly<Record<string, string>> = {
  ec2:
    "Caps the kit roles' ec2 actions to network interfaces, subnets and security groups in this account and region, any of them: EC2 names nothing after the target. Each role's own policy narrows them (the updater manages only interfaces in its own subnets, by the ec2:Subnet condition).",
};

/** The default tag naming a resource's target (`kitTags` in `constructs/core/naming.ts`). */
export { TARGET_TAG } from '../core/naming';

export interface PermissionsBoundaryProps {
  /**
   * Target name: the prefix of every resource name the kit creates.
   * @default - the stack's `runner-kit-target` default tag (set by `kitTags` on the AWS provider),
   * else the stack's name; so both stacks of a Kubernetes target scope to the target
   */
  readonly target?: string;
  /**
   * Policy name.
   * @default `<stack name>-permissions-boundary` - unique per stack, so two stacks of one target do not collide
   */
  readonly name?: string;
}

/** The target a stack deploys: its AWS provider's `runner-kit-target` default tag, else the stack name. */
export function stackTarget(stack: TerraformStack): string {
  for (const provider of stack.node.children.filter((c): c is AwsProvider => c instanceof AwsProvider)) {
    const tags = provider.defaultTags;
    if (!Array.isArray(tags)) continue;
    for (const t of tags) {
      const value = (t as { tags?: Record<string, string> }).tags?.[TARGET_TAG];
      if (typeof value === 'string') return value;
    }
  }
  return stack.node.id;
}

const BOUNDARY = Symbol.for('private-runner-kit.PermissionsBoundary');

export class PermissionsBoundary extends Construct {
  /** The boundary of the stack of `scope`, created at the stack root (id `PermissionsBoundary`) on first use. */
  static of(scope: IConstruct): PermissionsBoundary {
    const stack = TerraformStack.of(scope);
    const existing = (stack as unknown as Record<symbol, PermissionsBoundary | undefined>)[BOUNDARY];
    return existing ?? new PermissionsBoundary(stack, 'PermissionsBoundary');
  }

  readonly policyArn: string;
  /** The policy name as declared (a plain string). */
  readonly policyName: string;
  readonly target: string;
  private readonly roles: KitRole[] = [];
  private readonly ctx: AwsContext;

  constructor(scope: Construct, id: string, props: PermissionsBoundaryProps = {}) {
    super(scope, id);
    const stack = TerraformStack.of(this);
    const slot = stack as unknown as Record<symbol, PermissionsBoundary | undefined>;
    if (slot[BOUNDARY]) throw new Error(`${this.node.path}: stack ${stack.node.id} already has a permissions boundary (${slot[BOUNDARY]!.node.path}); use PermissionsBoundary.of(scope)`);
    slot[BOUNDARY] = this;
    this.ctx = AwsContext.of(this);
    this.target = props.target ?? stackTarget(stack);
    this.policyName = props.name ?? `${stack.node.id}-permissions-boundary`;
    const policy = new IamPolicy(this, 'Resource', {
      name: this.policyName,
      description: `private-runner-kit: permissions boundary of every role of ${this.target} (caps them to the kit's actions and resources)`,
      policy: Lazy.stringValue({
        produce: () => {
          for (const r of this.roles) r.markRendered();
          return toJson(this.document());
        },
      }),
    });
    this.policyArn = policy.arn;
  }

  /** Registers a role carrying this boundary (called by `KitRole`). */
  bound(role: KitRole): void {
    this.roles.push(role);
  }

  /** The roles carrying this boundary. */
  get boundRoles(): readonly KitRole[] {
    return [...this.roles];
  }

  /** The boundary's statements (allows, then denials), each with its justification; values may be tokens. */
  statements(): Permission[] {
    const statements = [...this.allowStatements(), ...this.denyStatements()];
    assertValidPermissions(`permissions boundary ${this.policyName}`, statements);
    return statements;
  }

  /** The policy document as synthesis renders it (values may be tokens). */
  document(): IamPolicyDocument {
    return policyDocument(this.statements());
  }

  private allowStatements(): Permission[] {
    const granted = this.roles.flatMap((r) => r.permissions.map((p) => ({ role: r.declaredName, p })));
    const onStar = new Map<string, Set<string>>(); // action -> sids granting it on *
    const scoped = new Map<string, Set<string>>(); // action -> resources
    for (const { role, p } of granted) {
      for (const action of p.actions) {
        if (p.resources.includes('*')) (onStar.get(action) ?? onStar.set(action, new Set()).get(action)!).add(`${role}/${p.sid}`);
      }
    }
    for (const { p } of granted) {
      for (const action of p.actions) {
        if (onStar.has(action)) continue;
        const set = scoped.get(action) ?? scoped.set(action, new Set()).get(action)!;
        p.resources.forEach((r) => set.add(r));
      }
    }
    const scopes = kitResourceScopes(this.ctx, this.target);
    const byService = new Map<string, string[]>();
    for (const action of [...scoped.keys()].sort()) {
      const service = actionService(action);
      (byService.get(service) ?? byService.set(service, []).get(service)!).push(action);
    }
    const statements: Permission[] = [];
    for (const service of [...byService.keys()].sort()) {
      const actions = byService.get(service)!;
      const kitScope = scopes[service];
      const resources = kitScope ? [...kitScope] : [...new Set(actions.flatMap((a) => [...scoped.get(a)!]))];
      statements.push({
        sid: `Kit${pascal(service)}Resources`,
        actions,
        resources,
        justification: kitScope
          ? (SCOPE_JUSTIFICATIONS[service] ?? `Caps the kit roles' ${service} actions to resources named after target ${this.target}; each role's own policy narrows them further.`)
          : `Caps the kit roles' ${service} actions to the exact resources their policies name.`,
      });
    }
    if (onStar.size > 0) {
      const actions = [...onStar.keys()].sort();
      statements.push({
        sid: 'KitActionsWithoutResourceScope',
        actions,
        resources: ['*'],
        justification: `Actions a kit role holds on "*" because AWS supports no resource scoping for them (or scopes them by a condition in that role's policy): ${[...new Set([...onStar.values()].flatMap((s) => [...s]))].sort().join(', ')}.`,
      });
    }
    return statements;
  }

  private denyStatements(): Permission[] {
    const ctx = this.ctx;
    return [
      bind(DENY_IAM_CHANGES, ['*']),
      bind(DENY_ORGANIZATION_AND_ACCOUNT, ['*']),
      bind(DENY_ROLE_CHAINING, ['*']),
      bind(DENY_SHELLS, ['*']),
      bind(DENY_COMPUTE_WITH_PASSED_ROLES, ['*']),
      bind(DENY_RESOURCE_POLICY_CHANGES, ['*']),
      bind(DENY_AUDIT_TAMPERING, ['*']),
      bind(DENY_PASS_ROLE_OUTSIDE_ECS_TASKS, ['*'], [{ test: 'StringNotEquals', variable: 'iam:PassedToService', values: [PASSED_TO_SERVICE] }]),
      bind(DENY_SECRET_READS_OUTSIDE_EXECUTION_ROLES, ['*'], [
        { test: 'ArnNotLike', variable: 'aws:PrincipalArn', values: [iamArn(ctx, `role/${this.target}-*${EXECUTION_ROLE_SUFFIX}`)] },
      ]),
    ];
  }
}

function pascal(service: string): string {
  return service
    .split(/[^A-Za-z0-9]+/)
    .filter((s) => s.length > 0)
    .map((s) => s[0]!.toUpperCase() + s.slice(1))
    .join('');
}
