/**
 * The role meshcloud operators assume to help a customer: read-only diagnostics of the kit's own
 * resources, plus invoking the updater (check, update, rollback with a validated payload).
 *
 * Trust: only the configured principals (account ids or IAM role/user ARNs), only with the agreed
 * `sts:ExternalId` (confused-deputy guard, required), optionally only from caller ARNs matching
 * `principalArnPatterns` and only with a source identity matching `sourceIdentityPatterns` (then a
 * second statement allows `sts:SetSourceIdentity`, which STS requires to set one, so CloudTrail names
 * the person behind every call; see `SET_SOURCE_IDENTITY_REASON`). Sessions last at most one hour.
 *
 * Permissions: describe the runner cluster, its services and tasks; read the kit's log groups (by the
 * kit's name prefix); read metrics and the kit's alarms; invoke the updater's on-demand alias.
 * Deliberately absent (and denied by the permissions boundary where marked): reading secret values
 * (boundary), `ecs:ExecuteCommand` (boundary), `iam:PassRole`, `ecs:RegisterTaskDefinition`,
 * `ecs:UpdateService`: an operator changes what runs only through the updater, which validates the
 * request and holds those rights itself; `ecs:DescribeTaskDefinition`, which AWS cannot scope to the
 * kit's task definitions (see below).
 */
import { Construct } from 'constructs';
import { bind, type Permission, type PermissionTemplate } from '../core/permissions/permission';
import { acknowledge } from '../core/rules/acknowledgement';
import { AwsContext } from './aws-context';
import { operatorTrust } from './operator-trust';
import { KitRole } from './service-role';
import type { IOperatorAccess } from '../core/interfaces';

// --- the operator role's permissions, each with its reason ---------------------------------------
export const DESCRIBE_RUNNER_CLUSTER: PermissionTemplate = {
  sid: 'DescribeRunnerCluster',
  actions: ['ecs:DescribeClusters'],
  justification: 'Shows the state and capacity of the cluster the runners run on.',
};
export const DESCRIBE_EKS_CLUSTER: PermissionTemplate = {
  sid: 'DescribeRunnerEksCluster',
  actions: ['eks:DescribeCluster'],
  justification: "Reads the runner cluster's endpoint and CA (aws eks update-kubeconfig); inside the cluster the operator is a read-only namespaced group.",
};
export const DESCRIBE_RUNNER_SERVICES: PermissionTemplate = {
  sid: 'DescribeRunnerServices',
  actions: ['ecs:DescribeServices'],
  justification: "Shows a runner service's deployments, events and desired vs running count: the first thing to check when runs queue up.",
};
export const LIST_IN_RUNNER_CLUSTER: PermissionTemplate = {
  sid: 'ListServicesAndTasksInRunnerCluster',
  actions: ['ecs:ListServices', 'ecs:ListTasks'],
  justification:
    'Finds the running and recently stopped tasks. ListServices supports no resource, and ListTasks names container instances, which Fargate has none of; so both are on "*" and limited to the runner cluster by the ecs:cluster condition.',
};
export const DESCRIBE_RUNNER_TASKS: PermissionTemplate = {
  sid: 'DescribeRunnerTasks',
  actions: ['ecs:DescribeTasks'],
  justification: "Shows what a runner task runs (image and digest, CPU, memory) and why it stopped (exit codes, health, image pull errors), for tasks of the runner cluster only.",
};
/*
 * Deliberately absent: ecs:DescribeTaskDefinition. AWS offers no resource scoping for it (the service
 * authorization reference lists no resource type), so it would read every task definition in the
 * account and region, other workloads' plain environment variables included. An operator needs none of
 * it: DescribeTasks shows the image and digest each runner task runs, its CPU and memory, health and
 * stop reasons; the updater's log lines and an on-demand `check` name the version.
 */
export const READ_KIT_LOG_GROUPS: PermissionTemplate = {
  sid: 'SearchKitLogGroups',
  actions: ['logs:DescribeLogStreams', 'logs:FilterLogEvents'],
  justification: "Searches the target's own log groups (runners, updater, VPC flow logs): every group the kit creates is named under the target's prefix, and no other.",
};
export const READ_KIT_LOG_STREAMS: PermissionTemplate = {
  sid: 'ReadKitLogStreams',
  actions: ['logs:GetLogEvents'],
  justification: "Reads one log stream of the target's own log groups (a runner task's output, an updater run).",
};
export const READ_METRICS: PermissionTemplate = {
  sid: 'ReadMetrics',
  actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
  justification:
    'Reads the runners\' CPU, memory and task-count metrics. CloudWatch metrics support no resource scoping (only OTLP datasets do), so this is on "*"; metric values carry no secrets.',
};
export const READ_KIT_ALARMS: PermissionTemplate = {
  sid: 'ReadKitAlarms',
  actions: ['cloudwatch:DescribeAlarms', 'cloudwatch:DescribeAlarmHistory'],
  justification: "Shows the state and history of the target's alarms (runner health, update outcomes), by the alarm name prefix.",
};
export const INVOKE_UPDATER_ON_DEMAND: PermissionTemplate = {
  sid: 'InvokeUpdater',
  actions: ['lambda:InvokeFunction'],
  justification:
    "Runs the updater on demand through its on-demand alias, the only one granted: its handler accepts check, update (within the channel policy) and rollback, and refuses the deploy's bootstrap and the scheduled run. The only way an operator changes what runs.",
};

/** STS actions of the trust policy, and the statement ids (`operator-trust.ts`). */
export { ASSUME_ROLE, ASSUME_ROLE_SID, SET_SOURCE_IDENTITY, SET_SOURCE_IDENTITY_SID, operatorTrust } from './operator-trust';
/**
 * Why the source-identity statement has no external id. STS authorizes sts:SetSourceIdentity as a
 * separate action of the same AssumeRole call, and the external id is not one of its condition keys
 * (AWS's service authorization reference; iam-simulate models it so), so the key would be missing
 * there and the call denied. The statement grants no assumption: assuming still needs sts:AssumeRole,
 * whose statement requires the external id.
 */
export const SET_SOURCE_IDENTITY_REASON =
  'Setting a source identity grants no assumption by itself: sts:AssumeRole, in the statement requiring the external id, is authorized on the same call. sts:ExternalId is not a condition key of sts:SetSourceIdentity, so requiring it there would deny every source identity.';

export interface OperatorAccessProps {
  /** Role name, e.g. `<target>-operator`. */
  readonly roleName: string;
  /** Who may assume the role: 12-digit account ids (trusting that account's IAM) or IAM role/user ARNs. */
  readonly principals: readonly string[];
  /** The `sts:ExternalId` the caller must present (required: confused-deputy guard). */
  readonly externalId: string;
  /**
   * `aws:PrincipalArn` patterns (StringLike) the caller must match.
   * @default - no extra condition: any principal the `principals` list admits
   */
  readonly principalArnPatterns?: readonly string[];
  /**
   * `sts:SourceIdentity` patterns (StringLike) the caller must set; the trust then also allows
   * `sts:SetSourceIdentity`.
   * @default - no source identity required
   */
  readonly sourceIdentityPatterns?: readonly string[];
  /**
   * The platform the runners run on: an ECS cluster and its services, or an EKS cluster (where the
   * operator's Kubernetes rights come from an access entry to a read-only namespaced group).
   */
  readonly platform:
    | { readonly kind: 'ecs'; readonly clusterArn: string; /** task ARNs are `task/<cluster name>/<id>` */ readonly clusterName: string; readonly serviceArns: readonly string[] }
    | { readonly kind: 'eks'; readonly clusterArn: string };
  /** Name prefix of the kit's log groups (`/private-runner-kit/<target>/`): the operator reads these, and no other. */
  readonly logGroupNamePrefix: string;
  /** Prefix of the kit's alarm names (`<target>-`). */
  readonly alarmNamePrefix: string;
  /**
   * Updater function ARNs the operator may invoke. More: `allowInvoke()` (or `updates.grantInvoke(operator)`).
   * @default - none
   */
  readonly updaterFunctionArns?: readonly string[];
}

export class OperatorAccess extends KitRole implements IOperatorAccess {
  /** IOperatorAccess: the role operators assume. */
  get principal(): string {
    return this.roleArn;
  }

  private readonly functionArns: string[] = [];

  constructor(scope: Construct, id: string, props: OperatorAccessProps) {
    const ctx = AwsContext.of(scope);
    if (props.principals.length === 0) throw new Error(`OperatorAccess ${props.roleName}: principals is empty: name at least one account id or role/user ARN`);
    if (props.externalId.length === 0) throw new Error(`OperatorAccess ${props.roleName}: externalId is empty: it is required (confused-deputy guard)`);
    if (!props.logGroupNamePrefix.endsWith('/')) {
      throw new Error(`OperatorAccess ${props.roleName}: logGroupNamePrefix "${props.logGroupNamePrefix}" must end with "/", or it would also match other targets' groups`);
    }
    const { document, principals, requiresSourceIdentity } = operatorTrust(props, ctx.region);
    super(scope, id, {
      name: props.roleName,
      description: 'meshcloud operators: read-only diagnostics of this runner kit, and invoking its updater',
      assumedBy: 'people',
      trust: document,
    });
    if (requiresSourceIdentity) {
      // AWS-IAM-7 reads every statement naming another account; this one cannot carry the external id.
      for (const p of principals) acknowledge(this, 'AWS-IAM-7', `Principal::${p}`, SET_SOURCE_IDENTITY_REASON);
    }
    const p = props.platform;
    this.addPermissions(
      ...(p.kind === 'ecs'
        ? [
            bind(DESCRIBE_RUNNER_CLUSTER, [p.clusterArn]),
            ...(p.serviceArns.length > 0 ? [bind(DESCRIBE_RUNNER_SERVICES, p.serviceArns)] : []),
            bind(LIST_IN_RUNNER_CLUSTER, ['*'], [{ test: 'ArnEquals', variable: 'ecs:cluster', values: [p.clusterArn] }]),
            bind(DESCRIBE_RUNNER_TASKS, [ctx.arn('ecs', `task/${p.clusterName}/*`)]),
          ]
        : [bind(DESCRIBE_EKS_CLUSTER, [p.clusterArn])]),
      bind(READ_METRICS, ['*']),
      bind(READ_KIT_ALARMS, [ctx.arn('cloudwatch', `alarm:${props.alarmNamePrefix}*`)]),
      bind(READ_KIT_LOG_GROUPS, [ctx.arn('logs', `log-group:${props.logGroupNamePrefix}*`)]),
      bind(READ_KIT_LOG_STREAMS, [ctx.arn('logs', `log-group:${props.logGroupNamePrefix}*:log-stream:*`)]),
    );
    (props.updaterFunctionArns ?? []).forEach((arn) => this.allowInvoke(arn));
  }

  /** Lets the operator invoke one more updater function; until synthesis. */
  allowInvoke(functionArn: string): void {
    this.assertOpen(`allowInvoke(${functionArn})`);
    const first = this.functionArns.length === 0;
    this.functionArns.push(functionArn);
    if (!first) return;
    const functions = this.functionArns;
    this.addPermissions(growingResources(INVOKE_UPDATER_ON_DEMAND, () => [...functions]));
  }
}

/** A permission whose resource list is read each time it is used, so it can grow until synthesis. */
function growingResources(template: PermissionTemplate, resources: () => string[]): Permission {
  return {
    ...template,
    get resources(): readonly string[] {
      return resources();
    },
  };
}
