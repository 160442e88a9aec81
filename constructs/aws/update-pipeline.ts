/**
 * The auto-update pipeline on AWS: the updater (one Lambda per target, bundled from `updater/` at
 * synthesis into a deterministic ZIP), its schedule (EventBridge Scheduler), the version records
 * (one SSM parameter per runner), the bootstrap invocation that makes the first deploy end with a
 * running runner, and the alarms on failed or rolled-back updates.
 *
 * Deploy order, enforced by Terraform dependencies:
 * 1. mirror repositories, updater role, log group, function;
 * 2. the bootstrap invocation: the updater promotes each runner's configured version from upstream
 *    into the mirror; its result carries the by-digest image references and the version records;
 * 3. the version parameters are created from those records, the runners' task definitions
 *    reference those digests, and the services start.
 * Later, the updater owns what runs: it registers new task-definition revisions and moves the
 * services; Terraform ignores the services' task definition and the parameters' values, so a later
 * `cdktf deploy` never rolls an update back.
 *
 * The updater's role holds one privilege-escalation combination by nature (iam:PassRole +
 * ecs:RegisterTaskDefinition + ecs:UpdateService): it is scoped to the runners' own two roles,
 * passed only to ecs-tasks.amazonaws.com, their task families and their services.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias';
import { LambdaInvocation } from '@cdktf/provider-aws/lib/lambda-invocation';
import { SchedulerSchedule } from '@cdktf/provider-aws/lib/scheduler-schedule';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { SecurityGroupRule } from '@cdktf/provider-aws/lib/security-group-rule';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { AssetType, Fn, Lazy, TerraformAsset, TerraformResource, Token } from 'cdktf';
import { Construct } from 'constructs';
import { bundleFunction } from '../core/bundle/function-bundle';
import { bind, type Permission, type PermissionTemplate } from '../core/permissions/permission';
import { maintenanceWindowOf, type UpdatesConfig } from '../core/config/schema';
import { eventBridgeCron } from './schedule-expression';
import { fromTerraformText } from '../core/terraform-text';
import { DEFAULT_METRIC_NAMESPACE, LAMBDA_ALIASES, buildAwsUpdaterConfig, updaterEnvironment, type AwsUpdaterConfig } from '../../updater/entry/aws-updater-config';
import { UPDATER_TIME_LIMIT_SECONDS } from '../../updater/entry/aws-updater-config';
import { AwsContext } from './aws-context';
import { relaxed } from './emulator-profile';
import { updateOutcomeAlarmName, updaterErrorsAlarmName, updaterFunctionDescription, updaterName, updaterScheduleRoleName, versionParameterName } from './aws-names';
import { runnerLogGroupName, runnerLogGroupPrefix } from './aws-names';
import { RUNNER_RUN_TIMEOUT_MINUTES } from '../core/runner-settings';
import { acknowledge } from './rules';
import { nodeTargetOf, UPDATER_LAMBDA_RUNTIME } from './rules/support/lambda-runtimes';
import type { RegistryMirror } from './registry-mirror';
import { ServiceRole } from './service-role';
import type { IAlarmSink, IEncryptionKey, IRunnerNetwork, IUpdatePipeline } from '../core/interfaces';

export const UPDATER_ENTRY = 'updater/entry/aws-lambda.ts';

// --- the updater role's permissions, each with its reason --------------------------------------
export const PULL_AND_PUSH_MIRROR: PermissionTemplate = {
  sid: 'PromoteIntoMirror',
  actions: [
    'ecr:BatchCheckLayerAvailability',
    'ecr:BatchGetImage',
    'ecr:GetDownloadUrlForLayer',
    'ecr:InitiateLayerUpload',
    'ecr:UploadLayerPart',
    'ecr:CompleteLayerUpload',
    'ecr:PutImage',
  ],
  justification: "Promotion copies an upstream release into the kit's own mirror repositories by digest (read and write; no delete, no policy changes).",
};
export const ECR_LOGIN: PermissionTemplate = {
  sid: 'LogInToMirror',
  actions: ['ecr:GetAuthorizationToken'],
  justification: 'The registry login token for the mirror; the action supports no resource scoping (the token only works with the repository permissions above).',
};
export const DESCRIBE_TASK_DEFINITIONS: PermissionTemplate = {
  sid: 'ReadTaskDefinitions',
  actions: ['ecs:DescribeTaskDefinition'],
  justification:
    "A new revision is a copy of the runner's newest one with only the image changed. AWS offers no resource scoping for DescribeTaskDefinition (no resource type in the service authorization reference), so this role could read every task definition in the account and region, other workloads' plain environment included; the updater reads only its runners' families, and no person can assume this role.",
};
export const REGISTER_RUNNER_TASK_DEFINITIONS: PermissionTemplate = {
  sid: 'RegisterRunnerTaskDefinitions',
  actions: ['ecs:RegisterTaskDefinition', 'ecs:TagResource'],
  justification: "Registers the new revision of the runner's own task family (and tags it with its version at creation).",
};
export const UPDATE_RUNNER_SERVICES: PermissionTemplate = {
  sid: 'RollOutRunnerServices',
  actions: ['ecs:UpdateService', 'ecs:DescribeServices'],
  justification: "Moves the runner's own service to the new revision (or back) and watches the rollout.",
};
export const PASS_RUNNER_ROLES: PermissionTemplate = {
  sid: 'PassRunnerRolesToEcsTasks',
  actions: ['iam:PassRole'],
  justification: "A new revision names the runner's existing execution and task roles; they may be passed to ECS tasks only.",
};
export const READ_HEALTH_ALARMS: PermissionTemplate = {
  sid: 'ReadRunnerHealthAlarms',
  actions: ['cloudwatch:DescribeAlarms'],
  justification: "A rollout is healthy only while the runner's health alarm is quiet.",
};
export const READ_RUNNER_LOGS: PermissionTemplate = {
  sid: 'ReadRunnerLogs',
  actions: ['logs:FilterLogEvents'],
  justification:
    "Reads the runners' own log lines (the lines operators may read too): before a runner is replaced, whether it executes a run (replacing it would kill the run); after a rollout, whether the new tasks reach meshStack (their health check cannot tell). The runners' log groups only.",
};
export const PUT_UPDATER_METRICS: PermissionTemplate = {
  sid: 'PutUpdaterMetrics',
  actions: ['cloudwatch:PutMetricData'],
  justification: 'One outcome data point per decision, for the alarms; PutMetricData supports no resource scoping, so it is limited to the kit namespace by condition.',
};
export const READ_WRITE_VERSION_RECORDS: PermissionTemplate = {
  sid: 'ReadWriteVersionRecords',
  actions: ['ssm:GetParameter', 'ssm:PutParameter'],
  justification: "Reads and records the version each runner runs (operators and `cdktf output` read it there).",
};
export const WRITE_UPDATER_LOGS: PermissionTemplate = {
  sid: 'WriteUpdaterLogs',
  actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  justification: "Lambda writes the updater's decision log lines to its own log group.",
};
export const DESCRIBE_FUNCTION_NETWORK: PermissionTemplate = {
  sid: 'DescribeFunctionNetwork',
  actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
  justification: "Lambda looks up the updater's subnets and network interfaces; these EC2 describe actions support no resource scoping.",
};
export const CREATE_FUNCTION_NETWORK_INTERFACES: PermissionTemplate = {
  sid: 'AttachFunctionToPrivateSubnets',
  actions: ['ec2:CreateNetworkInterface'],
  justification: "Lambda attaches the updater to the private subnets (egress through NAT only), with the updater's security group only.",
};
export const MANAGE_FUNCTION_NETWORK_INTERFACES: PermissionTemplate = {
  sid: 'ManageFunctionNetworkInterfaces',
  actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
  justification:
    "Lambda manages and removes the updater's network interfaces: only interfaces in the updater's own private subnets (ec2:Subnet), none elsewhere in the account.",
};
export const DECRYPT_FUNCTION_ENVIRONMENT: PermissionTemplate = {
  sid: 'DecryptFunctionEnvironment',
  actions: ['kms:Decrypt'],
  justification: "The function's environment is encrypted with the target's key; decryption only through Lambda.",
};
export const INVOKE_UPDATER: PermissionTemplate = {
  sid: 'InvokeUpdater',
  actions: ['lambda:InvokeFunction'],
  justification: 'Runs the updater on demand, through its on-demand alias only, whose handler accepts check, update and rollback (validated payload).',
};
export const INVOKE_SCHEDULED_UPDATER: PermissionTemplate = {
  sid: 'InvokeUpdater',
  actions: ['lambda:InvokeFunction'],
  justification: "Starts the updater's scheduled run, through its scheduled alias only, whose handler accepts nothing but the scheduled action.",
};

/** Anything that can receive permissions after construction (a kit role). */
export interface PermissionGrantee {
  addPermissions(...permissions: Permission[]): void;
}

interface UpdatedRunnerBase {
  /** Runner name within the target. */
  readonly name: string;
  /** Upstream image of the runner's main container, without tag (ECS: tf-block-runner; Kubernetes: run-controller). */
  readonly upstreamImage: string;
  /** Configured version (first deployment; the pin on channel `pinned`). */
  readonly version: string;
  readonly mirror: RegistryMirror;
}

/** A runner that is an ECS service. */
export interface EcsUpdatedRunner extends UpdatedRunnerBase {
  readonly kind?: 'ecs';
  readonly clusterName: string;
  readonly serviceName: string;
  /** Task family (= service name in this kit). */
  readonly taskFamily: string;
  readonly executionRoleName: string;
  readonly taskRoleName: string;
  /** The runner's "not healthy" alarm, consulted after each rollout. @default - none */
  readonly healthAlarmName?: string;
}

/** A runner that is a run-controller Deployment on an EKS cluster. */
export interface KubernetesUpdatedRunner extends UpdatedRunnerBase {
  readonly kind: 'kubernetes';
  /** The EKS cluster's name (endpoint and CA are read with eks:DescribeCluster at run time). */
  readonly clusterName: string;
  readonly namespace: string;
  /** The run-controller Deployment (its ConfigMap has the same name). */
  readonly deployment: string;
  /** Job images by implementation type, each promoted at the runner's version into its own mirror. */
  readonly implementations: readonly { readonly type: string; readonly upstreamImage: string; readonly mirror: RegistryMirror }[];
}

export type UpdatedRunner = EcsUpdatedRunner | KubernetesUpdatedRunner;

const isKubernetes = (r: UpdatedRunner): r is KubernetesUpdatedRunner => r.kind === 'kubernetes';
const isEcs = (r: UpdatedRunner): r is EcsUpdatedRunner => r.kind !== 'kubernetes';

export const DESCRIBE_RUNNER_CLUSTER: PermissionTemplate = {
  sid: 'FindRunnerCluster',
  actions: ['eks:DescribeCluster'],
  justification: "Reads the runner cluster's private endpoint and CA to reach its Kubernetes API (the updater's rights there are a namespaced Role).",
};

export interface UpdatePipelineProps {
  /** Target name: function, role, schedule and metric dimension derive from it. */
  readonly target: string;
  readonly runners: readonly UpdatedRunner[];
  readonly updates: UpdatesConfig;
  /** The target's key. */
  readonly key: IEncryptionKey;
  readonly logGroupName: string;
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** Where the updater runs: the network's private subnets, egress through NAT. */
  readonly network: IRunnerNetwork;
  /** Where the update-failed / rolled-back / updater-errors alarms go. */
  readonly alarms: IAlarmSink;
  /**
   * Security groups of Kubernetes API endpoints the updater must reach (EKS: the cluster security
   * group); each gets an ingress rule for HTTPS from the updater's security group only.
   * @default []
   */
  readonly apiSecurityGroupIds?: readonly string[];
}

/** SSM parameter name of a runner's version record. */
export { versionParameterName } from './aws-names';

export class UpdatePipeline extends Construct implements IUpdatePipeline {
  readonly functionName: string;
  /** The function's unqualified ARN (the deploy's bootstrap invokes it so). */
  readonly functionArn: string;
  /** The `on-demand` alias: what operators and administrators invoke (check, update, rollback). */
  readonly onDemandArn: string;
  readonly role: ServiceRole;
  readonly scheduleName: string;
  /**
   * The document the function runs with, as real values (what the local CLI and tests run with); the
   * environment holds it as Terraform text, which Terraform evaluates into exactly this.
   */
  readonly updaterConfig: AwsUpdaterConfig;
  readonly versionParameters: Readonly<Record<string, string>>;
  readonly bootstrap: LambdaInvocation;
  /** The version parameters: what the runners' services must wait for (the record exists before they run). */
  readonly versionParameterResources: readonly SsmParameter[];
  readonly metricNamespace = DEFAULT_METRIC_NAMESPACE;

  constructor(scope: Construct, id: string, props: UpdatePipelineProps) {
    super(scope, id);
    const ctx = AwsContext.of(this);
    const name = updaterName(props.target);
    const u = props.updates;

    this.versionParameters = Object.fromEntries(props.runners.map((r) => [r.name, versionParameterName(props.target, r.name)]));

    // Built from the props as given (Terraform text: user strings escaped, see terraform-text.ts):
    // the function's environment holds it as is, and Terraform evaluates it into the real document.
    const document = buildAwsUpdaterConfig({
      target: props.target,
      region: ctx.region,
      rolloutTimeoutMinutes: u.rolloutTimeoutMinutes,
      rolloutTrackingByService: relaxed(this, 'ecs-rollout-by-service'),
      policy: { channel: u.channel, hold: u.hold, allowDowngrade: u.allowDowngrade, ...(maintenanceWindowOf(u) !== undefined ? { window: maintenanceWindowOf(u)! } : {}) },
      runners: props.runners.map((r) => ({
        name: r.name,
        upstreamImage: r.upstreamImage,
        version: r.version,
        mirrorRepository: r.mirror.repositoryName,
        cluster: r.clusterName,
        versionParameter: versionParameterName(props.target, r.name),
        ...(isKubernetes(r)
          ? {
              kubernetes: {
                namespace: r.namespace,
                deployment: r.deployment,
                implementations: r.implementations.map((i) => ({ type: i.type, upstreamImage: i.upstreamImage, mirrorRepository: i.mirror.repositoryName })),
              },
            }
          : { service: r.serviceName, ...(r.healthAlarmName !== undefined ? { healthAlarm: r.healthAlarmName } : {}) }),
      })),
      // ECS: where the runners log (names by aws-names.ts, as the stack names the groups).
      ...(props.runners.some(isEcs) ? { runnerLogs: { groupPrefix: runnerLogGroupPrefix(props.target), runTimeoutMinutes: RUNNER_RUN_TIMEOUT_MINUTES } } : {}),
    });
    this.updaterConfig = fromTerraformText(document);

    const logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: props.logGroupName,
      kmsKeyId: props.key.keyReference,
      retentionInDays: props.logRetentionDays ?? 90,
    });
    const securityGroup = new SecurityGroup(this, 'SecurityGroup', {
      name: `${name}`,
      description: `Updater of ${props.target}: no ingress; egress HTTPS only (registries, AWS APIs)`,
      vpcId: props.network.networkId,
      egress: [{ description: 'HTTPS to upstream registries and AWS APIs through NAT', protocol: 'tcp', fromPort: 443, toPort: 443, cidrBlocks: ['0.0.0.0/0'] }],
      ingress: [],
    });

    for (const [i, sg] of (props.apiSecurityGroupIds ?? []).entries()) {
      // Legacy rule resource: the emulator round-trips it (reference/aws-emulator.md).
      const rule = new SecurityGroupRule(this, `ApiAccess${i + 1}`, {
        type: 'ingress',
        description: `HTTPS from the updater of ${props.target} to the Kubernetes API`,
        securityGroupId: sg,
        sourceSecurityGroupId: securityGroup.id,
        protocol: 'tcp',
        fromPort: 443,
        toPort: 443,
      });
      acknowledge(rule, 'AWS-SG-2', 'Ingress::tcp:443', "The updater reaches the cluster's private Kubernetes API endpoint: HTTPS only, only from the updater's own security group, never from a CIDR.");
    }
    const unique = <T>(xs: readonly T[]) => [...new Set(xs)];
    const roleArn = (roleName: string) => ctx.arn('iam', `role/${roleName}`, { region: '' });
    const ecsRunners = props.runners.filter(isEcs);
    const kubernetesRunners = props.runners.filter(isKubernetes);
    const mirrors = unique(props.runners.flatMap((r) => [r.mirror, ...(isKubernetes(r) ? r.implementations.map((i) => i.mirror) : [])]));
    const permissions: Permission[] = [
      bind(PULL_AND_PUSH_MIRROR, unique(mirrors.map((m) => m.repositoryArn))),
      bind(ECR_LOGIN, ['*']),
      ...(ecsRunners.length === 0
        ? []
        : [
            bind(DESCRIBE_TASK_DEFINITIONS, ['*']),
            bind(REGISTER_RUNNER_TASK_DEFINITIONS, unique(ecsRunners.map((r) => ctx.arn('ecs', `task-definition/${r.taskFamily}:*`)))),
            bind(UPDATE_RUNNER_SERVICES, ecsRunners.map((r) => ctx.arn('ecs', `service/${r.clusterName}/${r.serviceName}`))),
            bind(
              PASS_RUNNER_ROLES,
              ecsRunners.flatMap((r) => [roleArn(r.executionRoleName), roleArn(r.taskRoleName)]),
              [{ test: 'StringEquals', variable: 'iam:PassedToService', values: ['ecs-tasks.amazonaws.com'] }],
            ),
            // The log group's ARN, with and without the `:*` suffix CloudWatch Logs authorizes some calls against.
            bind(READ_RUNNER_LOGS, ecsRunners.flatMap((r) => [`log-group:${runnerLogGroupName(props.target, r.name)}`, `log-group:${runnerLogGroupName(props.target, r.name)}:*`].map((g) => ctx.arn('logs', g)))),
          ]),
      ...(kubernetesRunners.length === 0 ? [] : [bind(DESCRIBE_RUNNER_CLUSTER, unique(kubernetesRunners.map((r) => ctx.arn('eks', `cluster/${r.clusterName}`))))]),
      ...(ecsRunners.some((r) => r.healthAlarmName !== undefined)
        ? [bind(READ_HEALTH_ALARMS, ecsRunners.flatMap((r) => (r.healthAlarmName ? [ctx.arn('cloudwatch', `alarm:${r.healthAlarmName}`)] : [])))]
        : []),
      bind(PUT_UPDATER_METRICS, ['*'], [{ test: 'StringEquals', variable: 'cloudwatch:namespace', values: [DEFAULT_METRIC_NAMESPACE] }]),
      bind(READ_WRITE_VERSION_RECORDS, props.runners.map((r) => ctx.arn('ssm', `parameter${versionParameterName(props.target, r.name)}`))),
      bind(WRITE_UPDATER_LOGS, [`${logGroup.arn}:*`]),
      bind(DESCRIBE_FUNCTION_NETWORK, ['*']),
      bind(CREATE_FUNCTION_NETWORK_INTERFACES, [
        ctx.arn('ec2', 'network-interface/*'),
        ...props.network.runnerSubnetIds.map((id) => ctx.arn('ec2', `subnet/${id}`)),
        ctx.arn('ec2', `security-group/${securityGroup.id}`),
      ]),
      // Network interface ids are assigned at creation; the interfaces are pinned by the subnet they are in.
      bind(MANAGE_FUNCTION_NETWORK_INTERFACES, [ctx.arn('ec2', 'network-interface/*')], [
        { test: 'ArnEquals', variable: 'ec2:Subnet', values: props.network.runnerSubnetIds.map((id) => ctx.arn('ec2', `subnet/${id}`)) },
      ]),
      ...(relaxed(this, 'lambda-no-environment-key')
        ? []
        : [
            bind(DECRYPT_FUNCTION_ENVIRONMENT, [props.key.keyReference], [
              { test: 'StringEquals', variable: 'kms:ViaService', values: [`lambda.${ctx.region}.amazonaws.com`] },
            ]),
          ]),
    ];
    this.role = new ServiceRole(this, 'Role', {
      name,
      description: `Updater of ${props.target}: promotes releases into the mirror and rolls them out to the runners' services`,
      service: 'lambda.amazonaws.com',
      permissions,
    });

    // The check pack's findings this role carries by design, each acknowledged with its reason.
    if (ecsRunners.length > 0) acknowledge(
      this.role,
      'AWS-IAM-4',
      'Escalation::iam:PassRole+ecs:RegisterTaskDefinition+ecs:UpdateService',
      "The updater rolls runners to new task-definition revisions: PassRole only on the runners' execution and task roles, passed only to ecs-tasks.amazonaws.com; RegisterTaskDefinition only on the runners' task families; UpdateService only on the runners' services.",
    );
    acknowledge(
      this.role,
      'AWS-IAM-5',
      'Action::ecr:GetAuthorizationToken',
      "The updater pushes promoted releases into the kit's ECR mirror; the registry token works only with the role's pull/push rights on the mirror repositories.",
    );

    const bundle = bundleFunction({ entry: UPDATER_ENTRY, target: nodeTargetOf(UPDATER_LAMBDA_RUNTIME) });
    const asset = new TerraformAsset(this, 'Bundle', { path: bundle.zipPath, type: AssetType.FILE });
    const fn = new LambdaFunction(this, 'Resource', {
      functionName: name,
      description: updaterFunctionDescription(props.target, u.channel, u.schedule),
      role: this.role.roleArn,
      runtime: UPDATER_LAMBDA_RUNTIME,
      handler: 'index.handler',
      architectures: ['arm64'],
      filename: asset.path,
      sourceCodeHash: bundle.sha256Base64,
      // A rollout may take rolloutTimeoutMinutes and its rollback as long again; Lambda's maximum.
      timeout: UPDATER_TIME_LIMIT_SECONDS,
      memorySize: 512,
      // Never two updaters on one target at once (scheduled and on-demand runs queue up).
      reservedConcurrentExecutions: 1,
      environment: { variables: updaterEnvironment(document) },
      ...(relaxed(this, 'lambda-no-environment-key') ? {} : { kmsKeyArn: props.key.keyReference }),
      vpcConfig: { subnetIds: [...props.network.runnerSubnetIds], securityGroupIds: [securityGroup.id] },
      ...(relaxed(this, 'lambda-default-log-group') ? {} : { loggingConfig: { logFormat: 'Text', logGroup: logGroup.name } }),
      dependsOn: [logGroup],
    });
    this.functionName = name;
    this.functionArn = fn.arn;
    // One alias per kind of invoker: the handler accepts from each only its actions (payload.ts), and
    // IAM decides who may invoke which (the scheduler's role: scheduled; operators: on-demand).
    const onDemand = new LambdaAlias(this, 'OnDemand', {
      name: LAMBDA_ALIASES.onDemand,
      functionName: fn.functionName,
      functionVersion: '$LATEST',
      description: 'On-demand runs (check, update, rollback): the only way operators invoke the updater',
    });
    const scheduled = new LambdaAlias(this, 'Scheduled', {
      name: LAMBDA_ALIASES.schedule,
      functionName: fn.functionName,
      functionVersion: '$LATEST',
      description: 'Scheduled runs only: EventBridge Scheduler invokes the updater through this alias',
    });
    this.onDemandArn = onDemand.arn;

    // The first deploy's promotion. Runs once (on create); its result holds the digests the task
    // definitions reference. A failure stops the deploy before any service exists.
    this.bootstrap = new LambdaInvocation(this, 'Bootstrap', {
      functionName: fn.functionName,
      input: JSON.stringify({ action: 'bootstrap' }),
    });
    // Everything the bootstrap touches must exist first, including the role's policy (which may be
    // rendered late, at synthesis), so the dependency list is produced when the stack is complete.
    const bootstrapNeeds = [this.role, ...mirrors, fn];
    this.bootstrap.dependsOn = Token.asList(
      Lazy.listValue({
        produce: () => [
          ...new Set(bootstrapNeeds.flatMap((c) => c.node.findAll().filter((n): n is TerraformResource => n instanceof TerraformResource)).map((r) => `${r.terraformResourceType}.${r.friendlyUniqueId}`)),
        ],
      }),
    );

    // The version records, first written from the bootstrap's result; the updater owns them after.
    const parameters: Record<string, SsmParameter> = {};
    for (const r of props.runners) {
      parameters[r.name] = new SsmParameter(this, `Version-${r.name}`, {
        name: versionParameterName(props.target, r.name),
        description: `Version record of runner ${r.name}, written by the updater (what runs, what ran before).`,
        type: 'String',
        value: Token.asString(Fn.jsonencode(Fn.lookupNested(Fn.jsondecode(this.bootstrap.result), ['runners', r.name, 'record']))),
        lifecycle: { ignoreChanges: ['value'] },
      });
    }
    this.versionParameterResources = Object.values(parameters);

    const schedulerRole = new ServiceRole(this, 'SchedulerRole', {
      name: updaterScheduleRoleName(props.target),
      description: `Lets EventBridge Scheduler start the updater of ${props.target}`,
      service: 'scheduler.amazonaws.com',
      permissions: [bind(INVOKE_SCHEDULED_UPDATER, [scheduled.arn])],
    });
    this.scheduleName = name;
    new SchedulerSchedule(this, 'Schedule', {
      name,
      description: `Runs the updater of ${props.target} (${u.channel} channel; the maintenance window gates changes)`,
      scheduleExpression: scheduleExpression(u.schedule),
      scheduleExpressionTimezone: u.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: scheduled.arn,
        roleArn: schedulerRole.roleArn,
        input: JSON.stringify({ action: 'scheduled' }),
        // A failed run is reported and alarmed; the next scheduled run tries again.
        retryPolicy: { maximumRetryAttempts: 0 },
      },
    });

    for (const r of props.runners) {
      for (const outcome of ['failed', 'rolled-back'] as const) {
        new CloudwatchMetricAlarm(this, `Alarm-${r.name}-${outcome}`, {
          alarmName: updateOutcomeAlarmName(props.target, r.name, outcome),
          alarmDescription:
            outcome === 'failed'
              ? `The updater could not bring runner ${r.name} to a healthy new version, nor back; see the updater log group ${props.logGroupName}.`
              : `An update of runner ${r.name} did not become healthy and was rolled back; the runner runs its previous version.`,
          namespace: DEFAULT_METRIC_NAMESPACE,
          metricName: 'UpdateOutcome',
          dimensions: { Target: props.target, Runner: r.name, Outcome: outcome },
          statistic: 'Sum',
          period: 300,
          evaluationPeriods: 1,
          threshold: 1,
          comparisonOperator: 'GreaterThanOrEqualToThreshold',
          treatMissingData: 'notBreaching',
          alarmActions: [props.alarms.sinkId],
        });
      }
    }
    new CloudwatchMetricAlarm(this, 'Alarm-errors', {
      alarmName: updaterErrorsAlarmName(props.target),
      alarmDescription: `The updater of ${props.target} crashed or timed out; no update decision was made.`,
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: name },
      statistic: 'Sum',
      period: 300,
      evaluationPeriods: 1,
      threshold: 1,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
      alarmActions: [props.alarms.sinkId],
    });
  }

  /** The by-digest image the bootstrap promoted for `runner`, as a Terraform expression. */
  bootstrapImage(runner: string): string {
    return Token.asString(Fn.lookupNested(Fn.jsondecode(this.bootstrap.result), ['runners', runner, 'image']));
  }

  /** The version the bootstrap promoted for `runner`, as a Terraform expression. */
  bootstrapVersion(runner: string): string {
    return Token.asString(Fn.lookupNested(Fn.jsondecode(this.bootstrap.result), ['runners', runner, 'to']));
  }

  // IUpdatePipeline
  get updaterName(): string {
    return this.functionName;
  }
  get versionRecords(): Readonly<Record<string, string>> {
    return this.versionParameters;
  }

  /** Lets `grantee` invoke the updater on demand (meshcloud operators: check, update, rollback), through the on-demand alias only. */
  grantInvoke(grantee: PermissionGrantee): Permission {
    const permission = bind(INVOKE_UPDATER, [this.onDemandArn]);
    grantee.addPermissions(permission);
    return permission;
  }
}

/** EventBridge's form of the validated schedule (validation refuses one without it). */
function scheduleExpression(schedule: string): string {
  const translated = eventBridgeCron(schedule);
  if (!translated.ok) throw new Error(`updates.schedule "${schedule}": ${translated.error}`);
  return translated.expression;
}
