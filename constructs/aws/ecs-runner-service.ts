/**
 * One meshStack runner as an ECS Fargate service in private subnets, without a public IP.
 *
 * The task runs three containers from the same image, each with a read-only root filesystem
 * (`constructs/core/runner-volumes.ts` has the volumes and scripts):
 * - `volume-init` (not essential, exits at once) writes the runner's private key FILE and its
 *   config file into a task-local volume and hands every volume to uid 2000. ECS cannot mount
 *   secrets as files and Fargate volumes are root-owned 0755, so this one container runs as root,
 *   with every capability dropped except CHOWN; it is the only container that ever sees the private
 *   key in its environment.
 * - `seed` (not essential, uid 2000, no capabilities, no secrets) copies the image's `/nix` and
 *   HOME into their volumes (Fargate copies nothing into a volume: the image has no VOLUME), builds
 *   the CA bundle with the configured extra CAs and adds the configured SSH known hosts.
 * - `runner` (tf-block-runner) runs as uid 2000 with all capabilities dropped, HOME=/home/meshcloud,
 *   writable volumes at every path the image writes (`/nix`, HOME, `/tmp`), the API client secret
 *   from Secrets Manager, the key as a read-only file, the CA bundle read-only at /etc/ssl/certs when
 *   configured, and a health check on /healthz:8080. It starts only after both succeeded, so it
 *   never falls back to the sample key baked into the upstream image's default config.
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
import { AwsContext } from './aws-context';
import { executionRoleName, healthAlarmName, taskRoleName } from './aws-names';
import { ServiceRole } from './service-role';
import type { IAlarmSink, IEncryptionKey, IRunnerService } from '../core/interfaces';
import { ecsCpuUnits } from './config';
import { RUNNER_HOME, RUNNER_UID } from '../core/runner-image';
import {
  PRIVATE_KEY_FILE,
  RUNNER_CONFIG_FILE,
  RUNNER_CONFIG_YAML,
  runnerVolumes,
  SEED_ENV,
  seedPaths,
  seedScript,
  volumeInitPaths,
  volumeInitScript,
} from '../core/runner-volumes';

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

export { PRIVATE_KEY_FILE, RUNNER_CONFIG_FILE, RUNNER_CONFIG_YAML, RUNNER_FILES_PATH, SCRATCH_PATH } from '../core/runner-volumes';
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
  /** The target's key. */
  readonly key: IEncryptionKey;
  readonly logGroupName: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** @default 1 */
  readonly desiredCount?: number;
  /** vCPUs of the task (a Fargate size: 0.25, 0.5, 1, 2, 4, 8, 16). @default 1 */
  readonly vcpu?: number;
  /** @default 2048 - Terraform runs ran out of memory at 1 GiB in meshcloud's own example */
  readonly memoryMiB?: number;
  /** @default 'x86_64' */
  readonly architecture?: 'x86_64' | 'arm64';
  /** @default 90 */
  readonly logRetentionDays?: number;
  /** Resources the service must wait for (e.g. the secret values). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
  /** Where the "running tasks below desired" alarm goes. @default - no alarm */
  readonly alarms?: IAlarmSink;
  /** Minutes below desired before the alarm fires. @default 10 */
  readonly unhealthyMinutes?: number;
  /** Extra CAs (PEM) and SSH known hosts the runner trusts (config `trust`). @default - the image's own */
  readonly trust?: { readonly caCertificates?: string | undefined; readonly sshKnownHosts?: string | undefined };
}

export class EcsRunnerService extends Construct implements IRunnerService {
  readonly serviceName: string;
  readonly serviceArn: string;
  readonly taskDefinitionArn: string;
  readonly taskFamily: string;
  readonly logGroupName: string;
  readonly logGroupArn: string;
  /** IRunnerService: the runner's log group. */
  get logs(): string {
    return this.logGroupName;
  }
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
      kmsKeyId: props.key.keyReference,
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
        bind(DECRYPT_RUNNER_SECRETS, [props.key.keyReference], [{ test: 'StringEquals', variable: 'kms:ViaService', values: [`secretsmanager.${ctx.region}.amazonaws.com`] }]),
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
    const trust = props.trust ?? {};
    const volumes = runnerVolumes({ extraCaCertificates: trust.caCertificates !== undefined });
    // Where each container sees a volume: volume-init and seed at the seed path (the image's own
    // content stays visible to seed), the runner at the path the image writes.
    const mounts = (who: 'volume-init' | 'seed' | 'runner') =>
      volumes.flatMap((v) => {
        if (who === 'runner') return [{ sourceVolume: v.name, containerPath: v.runnerPath, readOnly: v.readOnlyForRunner }];
        if (v.seedPath !== undefined) return [{ sourceVolume: v.name, containerPath: v.seedPath, readOnly: false }];
        return who === 'volume-init' ? [{ sourceVolume: v.name, containerPath: v.runnerPath, readOnly: false }] : [];
      });
    const seedEnvironment = [
      ...(trust.caCertificates !== undefined ? [{ name: SEED_ENV.caCertificates, value: trust.caCertificates }] : []),
      ...(trust.sshKnownHosts !== undefined ? [{ name: SEED_ENV.sshKnownHosts, value: trust.sshKnownHosts }] : []),
    ];
    const containers = [
      {
        name: 'volume-init',
        image: props.image,
        essential: false,
        user: '0',
        readonlyRootFilesystem: true,
        privileged: false,
        entryPoint: ['/bin/sh', '-c'],
        command: [volumeInitScript(volumeInitPaths(volumes))],
        environment: [{ name: 'RUNNER_CONFIG_YAML', value: RUNNER_CONFIG_YAML }],
        // The client secret is read here only to refuse an empty one with a clear message.
        secrets: [
          { name: 'RUNNER_API_CLIENT_SECRET', valueFrom: props.apiClientSecretArn },
          { name: 'RUNNER_PRIVATE_KEY_PEM', valueFrom: props.privateKeyArn },
        ],
        mountPoints: mounts('volume-init'),
        linuxParameters: { capabilities: { drop: [...INIT_DROPPED_CAPABILITIES] } },
        logConfiguration: logOptions('volume-init'),
      },
      {
        name: 'seed',
        image: props.image,
        essential: false,
        user: `${RUNNER_UID}:${RUNNER_UID}`,
        readonlyRootFilesystem: true,
        privileged: false,
        entryPoint: ['/bin/sh', '-c'],
        command: [seedScript(seedPaths(volumes), { sshKnownHosts: trust.sshKnownHosts !== undefined })],
        ...(seedEnvironment.length > 0 ? { environment: seedEnvironment } : {}),
        mountPoints: mounts('seed'),
        dependsOn: [{ containerName: 'volume-init', condition: 'SUCCESS' }],
        linuxParameters: { capabilities: { drop: ['ALL'] } },
        logConfiguration: logOptions('seed'),
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
          // The image's PATH and nix profile live here (Dockerfile:58); said explicitly, never moved.
          { name: 'HOME', value: RUNNER_HOME },
        ]),
        secrets: [{ name: 'RUNNER_API_CLIENT_SECRET', valueFrom: props.apiClientSecretArn }],
        mountPoints: mounts('runner'),
        dependsOn: [
          { containerName: 'volume-init', condition: 'SUCCESS' },
          { containerName: 'seed', condition: 'SUCCESS' },
        ],
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
      cpu: String(ecsCpuUnits(props.vcpu ?? 1)),
      memory: String(props.memoryMiB ?? 2048),
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: (props.architecture ?? 'x86_64') === 'arm64' ? 'ARM64' : 'X86_64' },
      executionRoleArn: this.executionRole.roleArn,
      taskRoleArn: this.taskRole.roleArn,
      volume: volumes.map((v) => ({ name: v.name })),
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

    if (props.alarms !== undefined && desiredCount > 0) {
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
        alarmActions: [props.alarms.sinkId],
        okActions: [props.alarms.sinkId],
      });
    }
  }
}

function sortByName<T extends { name: string }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.name.localeCompare(b.name));
}
