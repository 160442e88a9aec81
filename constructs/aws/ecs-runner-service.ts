/**
 * One meshStack runner as an ECS Fargate service in private subnets, without a public IP.
 *
 * The task runs two containers from the same image:
 * - `volume-init` (not essential, exits at once) writes the runner's private key FILE and its
 *   config file into a task-local volume and hands the scratch volumes to uid 2000. ECS cannot
 *   mount secrets as files and Fargate bind mounts are root-owned 0755, so this one container runs
 *   as root, with every capability dropped except CHOWN and a read-only root filesystem; it is the
 *   only container that ever sees the private key in its environment.
 * - `runner` (tf-block-runner) runs as uid 2000 with a read-only root filesystem, all capabilities
 *   dropped, the API client secret from Secrets Manager, the key as a read-only file, and a health
 *   check on /healthz:8080. It starts only after `volume-init` succeeded, so it never falls back to
 *   the sample key baked into the upstream image's default config.
 *
 * The execution role may read exactly this runner's two secrets, decrypt through Secrets Manager
 * with the target's key, and write this runner's logs. The task role holds no permissions.
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { EcsTaskDefinition } from '@cdktf/provider-aws/lib/ecs-task-definition';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { bind, type PermissionTemplate } from '../core/permissions/permission';
import { RUNNER_RUN_TIMEOUT_MINUTES } from '../core/runner-settings';
import { AwsContext } from './aws-context';
import { executionRoleName, healthAlarmName, taskRoleName } from './aws-names';
import { ServiceRole } from './service-role';

export const READ_RUNNER_SECRETS: PermissionTemplate = {
  sid: 'ReadRunnerSecrets',
  actions: ['secretsmanager:GetSecretValue'],
  justification: "ECS injects this runner's API client secret and private key into its containers at start.",
};
export const DECRYPT_RUNNER_SECRETS: PermissionTemplate = {
  sid: 'DecryptRunnerSecretsViaSecretsManager',
  actions: ['kms:Decrypt'],
  justification: "The secrets are encrypted with the target's key; decryption is allowed only through Secrets Manager.",
};
export const CREATE_RUNNER_LOG_STREAMS: PermissionTemplate = {
  sid: 'CreateRunnerLogStreams',
  actions: ['logs:CreateLogStream'],
  justification: "The awslogs driver creates one stream per container in this runner's log group.",
};
export const PULL_RUNNER_IMAGE: PermissionTemplate = {
  sid: 'PullRunnerImageFromMirror',
  actions: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
  justification: "ECS pulls the runner image by digest from the kit's private mirror repository, and from nowhere else.",
};
export const ECR_LOGIN_FOR_PULL: PermissionTemplate = {
  sid: 'LogInToMirrorForPull',
  actions: ['ecr:GetAuthorizationToken'],
  justification: 'ECS needs a registry login token to pull from the private mirror; the action supports no resource scoping.',
};
export const WRITE_RUNNER_LOGS: PermissionTemplate = {
  sid: 'WriteRunnerLogs',
  actions: ['logs:PutLogEvents'],
  justification: "The awslogs driver ships container output to this runner's log streams.",
};

/** Where the runner image writes at run time (tf-block-runner: /tmp/runner/{wd,tfbin}, $HOME). */
export const SCRATCH_PATH = '/tmp';
/** Task-local volume holding the key file and the runner config file, read-only for the runner. */
export const RUNNER_FILES_PATH = '/run/runner-kit';
export const PRIVATE_KEY_FILE = `${RUNNER_FILES_PATH}/private-key.pem`;
export const RUNNER_CONFIG_FILE = `${RUNNER_FILES_PATH}/runner-config.yml`;
export const RUNNER_UID = 2000;
export const HEALTH_PORT = 8080;

/**
 * Docker's default capabilities minus CHOWN: what `volume-init` drops. Fargate cannot add
 * capabilities, so "drop ALL, add CHOWN" must be written as this list.
 */
export const INIT_DROPPED_CAPABILITIES = [
  'AUDIT_WRITE', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE',
  'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
] as const;

/** Role and alarm names derive from the service name (`aws-names.ts`), so the updater's PassRole can name them before they exist. */
export { executionRoleName, healthAlarmName, taskRoleName } from './aws-names';

export interface EcsRunnerServiceProps {
  /** `<target>-<runner>`: service name, task family, role and log group names derive from it. */
  readonly name: string;
  readonly clusterArn: string;
  readonly clusterName: string;
  /** Full image reference the first revision runs: by digest, from the mirror. */
  readonly image: string;
  /** ARN of the mirror repository the image comes from (the execution role may pull from it only). */
  readonly mirrorRepositoryArn: string;
  readonly runnerUuid: string;
  readonly meshstackApiUrl: string;
  readonly apiClientId: string;
  readonly apiClientSecretArn: string;
  readonly privateKeyArn: string;
  readonly kmsKeyArn: string;
  readonly logGroupName: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** @default 1 */
  readonly desiredCount?: number;
  /** Fargate CPU units. @default 1024 */
  readonly cpu?: number;
  /** MiB. @default 2048 - Terraform runs ran out of memory at 1 GiB in meshcloud's own example */
  readonly memory?: number;
  /** @default 'x86_64' */
  readonly architecture?: 'x86_64' | 'arm64';
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** Resources the service must wait for (e.g. the secret values). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Topic for the "running tasks below desired" alarm. @default - no alarm */
  readonly alarmTopicArn?: string;
  /** Minutes below desired before the alarm fires. @default 10 */
  readonly unhealthyMinutes?: number;
}

export class EcsRunnerService extends Construct {
  readonly serviceName: string;
  readonly serviceArn: string;
  readonly taskDefinitionArn: string;
  readonly taskFamily: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly executionRole: ServiceRole;
  readonly taskRole: ServiceRole;
  readonly executionRoleName: string;
  readonly taskRoleName: string;
  /** The "running tasks below desired" alarm, when one was created. */
  readonly healthAlarmName?: string;
  readonly taskDefinition: EcsTaskDefinition;
  readonly service: EcsService;

  constructor(scope: Construct, id: string, props: EcsRunnerServiceProps) {
    super(scope, id);
    const ctx = AwsContext.of(this);
    const logGroup = new CloudwatchLogGroup(this, 'LogGroup', {
      name: props.logGroupName,
      kmsKeyId: props.kmsKeyArn,
      retentionInDays: props.logRetentionDays ?? 90,
    });
    const trustConditions = [{ test: 'ArnLike', variable: 'aws:SourceArn', values: [ctx.arn('ecs', '*')] }];
    this.executionRole = new ServiceRole(this, 'ExecutionRole', {
      name: executionRoleName(props.name),
      description: `Starts runner ${props.name}: reads its secrets, writes its logs`,
      service: 'ecs-tasks.amazonaws.com',
      trustConditions,
      permissions: [
        bind(READ_RUNNER_SECRETS, [props.apiClientSecretArn, props.privateKeyArn]),
        bind(DECRYPT_RUNNER_SECRETS, [props.kmsKeyArn], [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${ctx.region}.amazonaws.com`] }]),
        bind(PULL_RUNNER_IMAGE, [props.mirrorRepositoryArn]),
        bind(ECR_LOGIN_FOR_PULL, ['*']),
        bind(CREATE_RUNNER_LOG_STREAMS, [`${logGroup.arn}:*`]),
        bind(WRITE_RUNNER_LOGS, [`${logGroup.arn}:log-stream:*`]),
      ],
    });
    // CKV_AWS_249: the task role is a different role, and holds nothing by default.
    this.taskRole = new ServiceRole(this, 'TaskRole', {
      name: taskRoleName(props.name),
      description: `Identity of runner ${props.name} inside its task; no permissions by default`,
      service: 'ecs-tasks.amazonaws.com',
      trustConditions,
    });

    const logOptions = (prefix: string) => ({
      logDriver: 'awslogs',
      options: { 'awslogs-group': logGroup.name, 'awslogs-region': ctx.region, 'awslogs-stream-prefix': prefix },
    });
    const containers = [
      {
        name: 'volume-init',
        image: props.image,
        essential: false,
        user: '0',
        readonlyRootFilesystem: true,
        privileged: false,
        entryPoint: ['/bin/sh', '-c'],
        command: [volumeInitScript()],
        environment: [{ name: 'RUNNER_CONFIG_YAML', value: RUNNER_CONFIG_YAML }],
        // The client secret is read here only to refuse an empty one with a clear message.
        secrets: [
          { name: 'RUNNER_API_CLIENT_SECRET', valueFrom: props.apiClientSecretArn },
          { name: 'RUNNER_PRIVATE_KEY_PEM', valueFrom: props.privateKeyArn },
        ],
        mountPoints: [
          { sourceVolume: 'scratch', containerPath: SCRATCH_PATH, readOnly: false },
          { sourceVolume: 'runner-files', containerPath: RUNNER_FILES_PATH, readOnly: false },
        ],
        linuxParameters: { capabilities: { drop: [...INIT_DROPPED_CAPABILITIES] } },
        logConfiguration: logOptions('volume-init'),
      },
      {
        name: 'runner',
        image: props.image,
        essential: true,
        user: `${RUNNER_UID}:${RUNNER_UID}`,
        readonlyRootFilesystem: true,
        privileged: false,
        environment: sortByName([
          { name: 'RUNNER_UUID', value: props.runnerUuid },
          { name: 'RUNNER_API_URL', value: props.meshstackApiUrl },
          { name: 'RUNNER_API_CLIENT_ID', value: props.apiClientId },
          { name: 'RUNNER_PRIVATE_KEY_FILE', value: PRIVATE_KEY_FILE },
          { name: 'RUNNER_CONFIG_FILE', value: RUNNER_CONFIG_FILE },
          { name: 'PORT', value: String(HEALTH_PORT) },
          { name: 'HOME', value: `${SCRATCH_PATH}/home` },
        ]),
        secrets: [{ name: 'RUNNER_API_CLIENT_SECRET', valueFrom: props.apiClientSecretArn }],
        mountPoints: [
          { sourceVolume: 'scratch', containerPath: SCRATCH_PATH, readOnly: false },
          { sourceVolume: 'runner-files', containerPath: RUNNER_FILES_PATH, readOnly: true },
        ],
        dependsOn: [{ containerName: 'volume-init', condition: 'SUCCESS' }],
        linuxParameters: { capabilities: { drop: ['ALL'] }, initProcessEnabled: true },
        healthCheck: {
          command: ['CMD-SHELL', `curl -fsS -o /dev/null http://127.0.0.1:${HEALTH_PORT}/healthz || exit 1`],
          interval: 30,
          timeout: 5,
          retries: 3,
          startPeriod: 60,
        },
        // Give a run in progress time to report back before the task is stopped (Fargate maximum).
        stopTimeout: 120,
        logConfiguration: logOptions('runner'),
      },
    ];

    this.taskFamily = props.name;
    this.taskDefinition = new EcsTaskDefinition(this, 'TaskDefinition', {
      family: props.name,
      requiresCompatibilities: ['FARGATE'],
      networkMode: 'awsvpc',
      cpu: String(props.cpu ?? 1024),
      memory: String(props.memory ?? 2048),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: (props.architecture ?? 'x86_64') === 'arm64' ? 'ARM64' : 'X86_64' },
      executionRoleArn: this.executionRole.roleArn,
      taskRoleArn: this.taskRole.roleArn,
      volume: [{ name: 'scratch' }, { name: 'runner-files' }],
      containerDefinitions: JSON.stringify(containers),
    });

    const desiredCount = props.desiredCount ?? 1;
    this.service = new EcsService(this, 'Resource', {
      name: props.name,
      cluster: props.clusterArn,
      taskDefinition: this.taskDefinition.arn,
      desiredCount,
      launchType: 'FARGATE',
      networkConfiguration: { subnets: [...props.subnetIds], securityGroups: [...props.securityGroupIds], assignPublicIp: false },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      enableExecuteCommand: false,
      propagateTags: 'SERVICE',
      // availability_zone_rebalancing: set by ECS itself; re-plans would otherwise flip it (also
      // seen on the emulator). task_definition: the updater owns which revision runs after the
      // first deploy; a later deploy must not roll its update back.
      lifecycle: { ignoreChanges: ['availability_zone_rebalancing', 'task_definition'] },
      dependsOn: [...(props.dependsOn ?? [])],
    });
    this.serviceName = this.service.name;
    this.serviceArn = this.service.id;
    this.taskDefinitionArn = this.taskDefinition.arn;
    this.logGroupName = logGroup.name;
    this.logGroupArn = logGroup.arn;
    this.executionRoleName = executionRoleName(props.name);
    this.taskRoleName = taskRoleName(props.name);

    if (props.alarmTopicArn !== undefined && desiredCount > 0) {
      const minutes = props.unhealthyMinutes ?? 10;
      this.healthAlarmName = healthAlarmName(props.name);
      new CloudwatchMetricAlarm(this, 'RunningTasksBelowDesired', {
        alarmName: this.healthAlarmName,
        alarmDescription: `Runner ${props.name} ran fewer than ${desiredCount} healthy task(s) for ${minutes} minutes: runs are not being picked up.`,
        namespace: 'ECS/ContainerInsights',
        metricName: 'RunningTaskCount',
        dimensions: { ClusterName: props.clusterName, ServiceName: props.name },
        statistic: 'Minimum',
        period: 60,
        evaluationPeriods: minutes,
        datapointsToAlarm: minutes,
        comparisonOperator: 'LessThanThreshold',
        threshold: desiredCount,
        // No data means no running task is reporting: that is the failure this alarm is for.
        treatMissingData: 'breaching',
        alarmActions: [props.alarmTopicArn],
        okActions: [props.alarmTopicArn],
      });
    }
  }
}

function sortByName<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * tf-block-runner's settings that are not secret. Written to a file the runner reads instead of
 * the image's default /app/runner-config.yml, which carries a sample key and basic-auth user.
 */
export const RUNNER_CONFIG_YAML = [
  `workingDir: ${SCRATCH_PATH}/runner/wd`,
  `tfInstallDir: ${SCRATCH_PATH}/runner/tfbin`,
  `timeoutMins: ${RUNNER_RUN_TIMEOUT_MINUTES}`,
  'wsTimeoutMins: 5',
  'initTimeoutMins: 3',
  '',
].join('\n');

/** Paths the volume-init script works on (the task's mount points; tests use temporary ones). */
export interface VolumeInitPaths {
  readonly scratch: string;
  readonly files: string;
}

/**
 * Run by `volume-init` as root with only CAP_CHOWN: refuses empty secrets, writes the key and
 * config files, then hands everything to the runner's uid. Modes are set before ownership changes
 * (no CAP_FOWNER). Uses `$VAR`, never `${VAR}`, which Terraform would read as interpolation.
 */
export function volumeInitScript(p: VolumeInitPaths = { scratch: SCRATCH_PATH, files: RUNNER_FILES_PATH }): string {
  const key = `${p.files}/private-key.pem`;
  const config = `${p.files}/runner-config.yml`;
  return [
    'set -eu',
    'umask 077',
    'empty() { echo "volume-init: secret $1 is empty: deploy again with its TF_VAR_ input set and its version (apiClientSecretVersion / privateKeyVersion) bumped (README: Supplying secrets)" >&2; exit 1; }',
    'test -n "$RUNNER_API_CLIENT_SECRET" || empty RUNNER_API_CLIENT_SECRET',
    'test -n "$RUNNER_PRIVATE_KEY_PEM" || empty RUNNER_PRIVATE_KEY_PEM',
    'unset RUNNER_API_CLIENT_SECRET',
    `mkdir -p ${p.scratch}/runner/wd ${p.scratch}/runner/tfbin ${p.scratch}/home`,
    `printf '%s\\n' "$RUNNER_PRIVATE_KEY_PEM" > ${key}`,
    `printf '%s' "$RUNNER_CONFIG_YAML" > ${config}`,
    `chmod 0400 ${key}`,
    `chmod 0444 ${config}`,
    `chmod 0755 ${p.files}`,
    `chmod 0700 ${p.scratch}`,
    `chown -R ${RUNNER_UID}:${RUNNER_UID} ${p.scratch} ${p.files}`,
    'echo "volume-init: runner files ready"',
  ].join('\n');
}
