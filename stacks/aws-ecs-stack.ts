/**
 * A private meshStack runner on AWS ECS Fargate: config in, constructs composed, provider, backend,
 * tags and outputs set. No resource logic here.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Fn, LocalBackend, S3Backend, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { AlarmTopic } from '../constructs/aws/alarm-topic';
import { AwsContext } from '../constructs/aws/aws-context';
import { alarmTopicName, ecsServiceName, keyAlias, mirrorRepositoryName, operatorRoleName, runnerLogGroupName, updaterLogGroupName } from '../constructs/aws/aws-names';
import { EcsPlatform } from '../constructs/aws/ecs-platform';
import { EcsRunnerService, executionRoleName, healthAlarmName, taskRoleName } from '../constructs/aws/ecs-runner-service';
import { EmulatorProfile, emulatorProviderConfig } from '../constructs/aws/emulator-profile';
import { OperatorAccess } from '../constructs/aws/operator-access';
import { RegistryMirror } from '../constructs/aws/registry-mirror';
import { applyAwsRulePack } from '../constructs/aws/rules';
import { RunnerHealthSignal } from '../constructs/aws/runner-health-signal';
import { RunnerKey } from '../constructs/aws/runner-key';
import { RunnerNetwork, runnerNetworkProps } from '../constructs/aws/runner-network';
import { RunnerSecrets, type SecretInput } from '../constructs/aws/runner-secrets';
import { UpdatePipeline } from '../constructs/aws/update-pipeline';
import type { TargetConfig } from '../constructs/core/config/schema';
import { kitTags, logGroupPrefix } from '../constructs/core/naming';
import { localStatePath } from './local-state';

export interface AwsEcsStackProps {
  readonly target: TargetConfig;
}

export class AwsEcsStack extends TerraformStack {
  readonly network: RunnerNetwork;
  readonly runners: Readonly<Record<string, { secrets: RunnerSecrets; service: EcsRunnerService }>>;
  readonly secretInputs: readonly SecretInput[];
  readonly mirrors: Readonly<Record<string, RegistryMirror>>;
  readonly updates: UpdatePipeline;
  /** The meshcloud operator role, when `operatorAccess` is configured. */
  readonly operatorAccess?: OperatorAccess;

  constructor(scope: Construct, name: string, props: AwsEcsStackProps) {
    super(scope, name);
    const t = props.target;
    const endpoint = t.aws?.endpoint;
    new AwsProvider(this, 'aws', {
      region: t.region,
      defaultTags: [{ tags: kitTags(name, t.tags) }],
      ...(endpoint !== undefined ? emulatorProviderConfig(endpoint) : {}),
    });
    if (endpoint !== undefined) EmulatorProfile.enable(this);
    if (t.stateBackend.type === 's3') {
      const backend = new S3Backend(this, {
        bucket: t.stateBackend.bucket,
        key: t.stateBackend.key ?? `private-runner-kit/${name}.tfstate`,
        region: t.stateBackend.region ?? t.region,
        encrypt: true,
        ...(t.stateBackend.kmsKeyId !== undefined ? { kmsKeyId: t.stateBackend.kmsKeyId } : {}),
      });
      // S3-native state locking (Terraform >= 1.10); cdktf 0.21 predates the option.
      backend.addOverride('use_lockfile', true);
    } else {
      new LocalBackend(this, { path: localStatePath(t.stateBackend.path, `terraform.${name}.tfstate`) });
    }
    AwsContext.init(this, t.region);

    const logPrefix = logGroupPrefix(name);
    const key = new RunnerKey(this, 'Key', { alias: keyAlias(name), logGroupPrefix: logPrefix });
    this.network = new RunnerNetwork(this, 'Network', runnerNetworkProps(name, t.network, { keyArn: key.keyArn, groupPrefix: logPrefix, retentionDays: t.logs.retentionDays }));
    const platform = new EcsPlatform(this, 'Platform', { clusterName: name });
    const alarms = new AlarmTopic(this, 'AlarmTopic', { topicName: alarmTopicName(name), kmsKeyArn: key.keyArn, emails: t.alarms.emails });

    // One mirror repository per distinct upstream image; runners pull only from these.
    const mirrors: Record<string, RegistryMirror> = {};
    for (const r of Object.values(t.runners)) {
      mirrors[r.image] ??= new RegistryMirror(this, `Mirror-${mirrorName(r.image)}`, {
        repositoryName: mirrorRepositoryName(name, r.image),
        upstreamImage: r.image,
        kmsKeyArn: key.keyArn,
        keepReleases: t.updates.keepReleases,
      });
    }
    this.mirrors = mirrors;
    const serviceName = (runnerName: string) => ecsServiceName(name, runnerName);
    this.updates = new UpdatePipeline(this, 'Updates', {
      target: name,
      runners: Object.entries(t.runners).map(([runnerName, r]) => ({
        name: runnerName,
        upstreamImage: r.image,
        version: r.version,
        mirror: mirrors[r.image]!,
        // Names, not references: the updater's configuration is fixed at synthesis.
        clusterName: name,
        serviceName: serviceName(runnerName),
        taskFamily: serviceName(runnerName),
        executionRoleName: executionRoleName(serviceName(runnerName)),
        taskRoleName: taskRoleName(serviceName(runnerName)),
        ...(r.replicas > 0 ? { healthAlarmName: healthAlarmName(serviceName(runnerName)) } : {}),
      })),
      updates: t.updates,
      kmsKeyArn: key.keyArn,
      logGroupName: updaterLogGroupName(name),
      logRetentionDays: t.logs.retentionDays,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      alarmTopicArn: alarms.topicArn,
    });

    const runners: Record<string, { secrets: RunnerSecrets; service: EcsRunnerService }> = {};
    for (const [runnerName, r] of Object.entries(t.runners)) {
      const secrets = new RunnerSecrets(this, `Runner-${runnerName}-Secrets`, {
        target: name,
        runnerName,
        kmsKeyArn: key.keyArn,
        apiClientSecretVersion: r.apiClientSecretVersion,
        privateKeyVersion: r.privateKeyVersion,
      });
      const service = new EcsRunnerService(this, `Runner-${runnerName}`, {
        name: serviceName(runnerName),
        clusterArn: platform.clusterArn,
        clusterName: platform.clusterName,
        image: this.updates.bootstrapImage(runnerName),
        mirrorRepositoryArn: mirrors[r.image]!.repositoryArn,
        runnerUuid: r.uuid,
        meshstackApiUrl: t.meshstack.apiUrl,
        apiClientId: r.apiClientId,
        apiClientSecretArn: secrets.apiClientSecretArn,
        privateKeyArn: secrets.privateKeyArn,
        kmsKeyArn: key.keyArn,
        logGroupName: runnerLogGroupName(name, runnerName),
        subnetIds: this.network.privateSubnetIds,
        securityGroupIds: [this.network.runnerSecurityGroupId],
        desiredCount: r.replicas,
        cpu: r.cpu,
        memory: r.memory,
        architecture: r.architecture,
        logRetentionDays: t.logs.retentionDays,
        dependsOn: secrets.versions,
        alarmTopicArn: alarms.topicArn,
        unhealthyMinutes: t.alarms.runnerUnhealthyMinutes,
      });
      runners[runnerName] = { secrets, service };
      // The runner's own word on meshStack: its /healthz cannot tell (README: Updates, "Health that sees meshStack").
      new RunnerHealthSignal(this, `Runner-${runnerName}-MeshstackSignal`, {
        name: serviceName(runnerName),
        logGroupName: service.logGroupName,
        alarmTopicArn: alarms.topicArn,
        desiredCount: r.replicas,
        unhealthyMinutes: t.alarms.runnerUnhealthyMinutes,
      });
    }
    this.runners = runners;
    if (t.operatorAccess !== undefined) {
      this.operatorAccess = new OperatorAccess(this, 'OperatorAccess', {
        roleName: operatorRoleName(name),
        ...t.operatorAccess,
        platform: { kind: 'ecs', clusterArn: platform.clusterArn, clusterName: name, serviceArns: Object.values(runners).map((r) => r.service.serviceArn) },
        logGroupNamePrefix: logPrefix,
        alarmNamePrefix: `${name}-`,
        updaterFunctionArns: [this.updates.onDemandArn],
      });
    }
    this.secretInputs = Object.values(runners).flatMap((r) => r.secrets.inputs);

    const byRunner = (f: (r: { secrets: RunnerSecrets; service: EcsRunnerService }) => unknown) =>
      Object.fromEntries(Object.entries(runners).map(([n, r]) => [n, f(r)]));
    const output = (id: string, value: unknown, description: string) => new TerraformOutput(this, id, { value, description });
    output('cluster_name', platform.clusterName, 'ECS cluster running the runners.');
    output('cluster_arn', platform.clusterArn, 'ECS cluster ARN.');
    output('runner_services', byRunner((r) => r.service.serviceName), 'ECS service name per runner.');
    output('runner_task_families', byRunner((r) => r.service.taskFamily), 'Task definition family per runner.');
    output('runner_log_groups', byRunner((r) => r.service.logGroupName), 'CloudWatch log group per runner.');
    output('runner_secret_arns', byRunner((r) => ({ api_client_secret: r.secrets.apiClientSecretArn, private_key: r.secrets.privateKeyArn })), 'Secrets Manager ARNs per runner (values are never in state).');
    output('vpc_id', this.network.vpcId, 'VPC of the runners.');
    output('private_subnet_ids', this.network.privateSubnetIds, 'Private subnets the runner tasks run in.');
    output('public_subnet_ids', this.network.publicSubnetIds, 'Public subnets hosting only the NAT gateways (empty for a bring-your-own VPC).');
    output('nat_egress_ips', this.network.natEgressIps, 'Public IPs all runner traffic leaves from: allow-list these on your git servers (empty for a bring-your-own VPC).');
    output('runner_security_group_id', this.network.runnerSecurityGroupId, 'Security group of the runner tasks (no ingress).');
    output('alarm_topic_arn', alarms.topicArn, 'SNS topic all alarms publish to: subscribe your on-call channel.');
    output('mirror_repositories', Object.fromEntries(Object.entries(mirrors).map(([image, m]) => [image, m.repositoryUrl])), 'Private mirror repository (ECR) per upstream image: runners pull only from these.');
    output('updater_function_name', this.updates.functionName, 'The updater (Lambda): invoke its on-demand alias with {"action": "check" | "update" | "rollback"}: aws lambda invoke --function-name <name> --qualifier on-demand (see README: Updates).');
    output('runner_version_parameters', this.updates.versionParameters, 'SSM parameter per runner holding the version the updater deployed: aws ssm get-parameter --name <name>.');
    output('runner_bootstrap_versions', Object.fromEntries(Object.keys(t.runners).map((n) => [n, Fn.lookupNested(Fn.jsondecode(this.updates.bootstrap.result), ['runners', n, 'to'])])), 'Version each runner was first deployed with (later versions: runner_version_parameters).');
    if (this.operatorAccess) output('operator_role_arn', this.operatorAccess.roleArn, 'Role meshcloud operators assume (with the agreed external id): read-only diagnostics and invoking the updater.');
    output('kms_key_arn', key.keyArn, 'Customer-managed key encrypting secrets, logs and the alarm topic.');
    output('secret_inputs', this.secretInputs.map((i) => i.variable), 'Ephemeral variables to set as TF_VAR_<name> on the first deploy and whenever the version of their secret is bumped (apiClientSecretVersion, privateKeyVersion).');

    // Check pack (policies/RULES.md). Extra egress ports are the customer's opt-in, acknowledged
    // here where the configuration is read.
    applyAwsRulePack(this, t.network.egressExtraPorts.filter((p) => p !== 22).map((p) => ({ ruleId: 'AWS-SG-3', findingKey: `Egress::tcp:${p}`, reason: `TCP ${p} to the internet, opted in by network.egressExtraPorts` })));
  }
}

/** Mirror repository name part of an upstream image: its last path segment (tf-block-runner). */
function mirrorName(image: string): string {
  return image.slice(image.lastIndexOf('/') + 1);
}
