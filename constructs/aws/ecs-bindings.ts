/**
 * The AWS bindings of the container-as-a-service composition (`composeCaasRunners`) on ECS
 * Fargate: each binding creates the AWS construct for one concept and returns its typed interface.
 * Construct ids are a contract (renaming one replaces cloud resources): `Key`, `Network`,
 * `Platform`, `AlarmTopic`, `Mirror-<image>`, `Updates`, `Runner-<name>-Secrets`, `Runner-<name>`,
 * `OperatorAccess`.
 */
import type { TerraformStack } from 'cdktf';
import type { CaasRunnerBindings } from '../core/compositions/caas-runners';
import { logGroupPrefix } from '../core/naming';
import { AlarmTopic } from './alarm-topic';
import { alarmTopicName, ecsServiceName, mirrorRepositoryName, operatorRoleName, runnerLogGroupName, updaterLogGroupName } from './aws-names';
import type { AwsTargetConfig } from './config';
import { EcsPlatform } from './ecs-platform';
import { EcsRunnerService, executionRoleName, healthAlarmName, taskRoleName } from './ecs-runner-service';
import { OperatorAccess } from './operator-access';
import { RegistryMirror } from './registry-mirror';
import { RunnerHealthSignal } from './runner-health-signal';
import { targetKey } from './runner-key';
import { RunnerNetwork, runnerNetworkProps } from './runner-network';
import { RunnerSecrets } from './runner-secrets';
import { UpdatePipeline } from './update-pipeline';

/** The ECS bindings of target `name` in `stack`; `platform` is the ECS cluster the services run in. */
export function ecsBindings(stack: TerraformStack, name: string, t: AwsTargetConfig): CaasRunnerBindings & { readonly platform: EcsPlatform } {
  const logPrefix = logGroupPrefix(name);
  const platform = new EcsPlatform(stack, 'Platform', { clusterName: name });
  // The AWS constructs behind the interfaces, for AWS-only wiring (ARNs, roles).
  const mirrors = new Map<string, RegistryMirror>();
  const secretsOf = new Map<string, RunnerSecrets>();
  const services = new Map<string, EcsRunnerService>();
  let network: RunnerNetwork | undefined;
  let updates: UpdatePipeline | undefined;
  const serviceName = (runner: string) => ecsServiceName(name, runner);

  return {
    platform,
    key: () => targetKey(stack, name, t),
    network: (k) => (network = new RunnerNetwork(stack, 'Network', runnerNetworkProps(name, t.network, { key: k, groupPrefix: logPrefix, retentionDays: t.logs.retentionDays }))),
    alarmSink: (k) => new AlarmTopic(stack, 'AlarmTopic', { topicName: alarmTopicName(name), key: k, emails: t.alarms.emails }),
    mirror: (image, k) => {
      const repositoryName = mirrorRepositoryName(name, image);
      const mirror = new RegistryMirror(stack, `Mirror-${repositoryName.slice(name.length + 1)}`, { repositoryName, upstreamImage: image, key: k, keepReleases: t.updates.keepReleases });
      mirrors.set(image, mirror);
      return mirror;
    },
    updatePipeline: ({ key: k, network: n, alarms }) =>
      (updates = new UpdatePipeline(stack, 'Updates', {
        target: name,
        runners: Object.entries(t.runners).map(([runner, r]) => ({
          name: runner,
          upstreamImage: r.image,
          version: r.version,
          mirror: mirrors.get(r.image)!,
          // Names, not references: the updater's configuration is fixed at synthesis.
          clusterName: name,
          serviceName: serviceName(runner),
          taskFamily: serviceName(runner),
          executionRoleName: executionRoleName(serviceName(runner)),
          taskRoleName: taskRoleName(serviceName(runner)),
          ...(r.replicas > 0 ? { healthAlarmName: healthAlarmName(serviceName(runner)) } : {}),
        })),
        updates: t.updates,
        key: k,
        logGroupName: updaterLogGroupName(name),
        logRetentionDays: t.logs.retentionDays,
        network: n,
        alarms,
      })),
    runnerSecrets: (runner, r, k) => {
      const secrets = new RunnerSecrets(stack, `Runner-${runner}-Secrets`, { target: name, runnerName: runner, key: k, apiClientSecretVersion: r.apiClientSecretVersion, privateKeyVersion: r.privateKeyVersion });
      secretsOf.set(runner, secrets);
      return secrets;
    },
    runnerService: (runner, r, { image, mirror, key: k, alarms }) => {
      const secrets = secretsOf.get(runner)!;
      const service = new EcsRunnerService(stack, `Runner-${runner}`, {
        name: serviceName(runner),
        clusterArn: platform.clusterArn,
        clusterName: platform.clusterName,
        image,
        mirrorRepositoryArn: mirrors.get(mirror.upstreamImage)!.repositoryArn,
        runnerUuid: r.uuid,
        meshstackApiUrl: t.meshstack.apiUrl,
        apiClientId: r.apiClientId,
        apiClientSecretArn: secrets.apiClientSecretArn,
        privateKeyArn: secrets.privateKeyArn,
        key: k,
        logGroupName: runnerLogGroupName(name, runner),
        subnetIds: network!.privateSubnetIds,
        securityGroupIds: [network!.runnerSecurityGroupId],
        desiredCount: r.replicas,
        vcpu: r.vcpu,
        memoryMiB: r.memoryMiB,
        architecture: r.architecture,
        logRetentionDays: t.logs.retentionDays,
        dependsOn: secrets.versions,
        alarms,
        unhealthyMinutes: t.alarms.runnerUnhealthyMinutes,
        trust: t.trust,
      });
      services.set(runner, service);
      return service;
    },
    // The runner's own word on meshStack: its /healthz cannot tell (README: Updates, "Health that sees meshStack").
    runnerHealthSignal: (runner, r, { service, alarms }) =>
      new RunnerHealthSignal(stack, `Runner-${runner}-MeshstackSignal`, {
        name: serviceName(runner),
        logGroupName: service.logs,
        alarms,
        desiredCount: r.replicas,
        unhealthyMinutes: t.alarms.runnerUnhealthyMinutes,
      }),
    operatorAccess: () =>
      t.operatorAccess === undefined
        ? undefined
        : new OperatorAccess(stack, 'OperatorAccess', {
            roleName: operatorRoleName(name),
            ...t.operatorAccess,
            platform: { kind: 'ecs', clusterArn: platform.clusterArn, clusterName: name, serviceArns: [...services.values()].map((s) => s.serviceArn) },
            logGroupNamePrefix: logPrefix,
            alarmNamePrefix: `${name}-`,
            updaterFunctionArns: [updates!.onDemandArn],
          }),
    platformOutputs: () => ({
      cluster_name: { value: platform.clusterName, description: 'ECS cluster running the runners.' },
      cluster_arn: { value: platform.clusterArn, description: 'ECS cluster ARN.' },
      runner_task_families: { value: Object.fromEntries([...services].map(([n, s]) => [n, s.taskFamily])), description: 'Task definition family per runner.' },
      public_subnet_ids: { value: network!.publicSubnetIds, description: 'Public subnets hosting only the NAT gateways (empty for a bring-your-own VPC).' },
      runner_security_group_id: { value: network!.runnerSecurityGroupId, description: 'Security group of the runner tasks (no ingress).' },
      updater_on_demand: { value: updates!.onDemandArn, description: 'The updater\'s on-demand alias: aws lambda invoke --function-name <updater_name> --qualifier on-demand --payload \'{"action":"check"}\'.' },
    }),
  };
}
