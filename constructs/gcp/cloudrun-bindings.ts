/**
 * The GCP bindings of the container-as-a-service composition (`composeCaasRunners`) on Cloud Run
 * worker pools: each binding creates the GCP construct for one concept and returns its typed
 * interface. Construct ids are a contract (renaming one replaces cloud resources): `Key`,
 * `Network`, `Logs`, `AlarmChannels`, `Mirror`, `Updates`, `Runner-<name>-Secrets`, `Runner-<name>`,
 * `Runner-<name>-MeshstackSignal`, `OperatorAccess`.
 */
import type { TerraformStack } from 'cdktf';
import type { CaasRunnerBindings } from '../core/compositions/caas-runners';
import { AlarmChannels } from './alarm-channels';
import { CloudRunRunnerService } from './cloudrun-runner-service';
import type { GcpTargetConfig } from './config';
import { GcpContext } from './gcp-context';
import { LogStorage } from './log-storage';
import { kitBucketName, runnerServiceAccountId, serviceAccountEmail, workerPoolName } from './gcp-names';
import { OperatorAccess } from './operator-access';
import { MirrorRegistry } from './registry-mirror';
import { RunnerHealthSignal } from './runner-health-signal';
import { RunnerKey } from './runner-key';
import { RunnerNetwork } from './runner-network';
import { RunnerSecrets } from './runner-secrets';
import { UpdatePipeline } from './update-pipeline';

export function cloudRunBindings(stack: TerraformStack, name: string, t: GcpTargetConfig): CaasRunnerBindings {
  const ctx = GcpContext.of(stack);
  let key: RunnerKey | undefined;
  let network: RunnerNetwork | undefined;
  let channels: AlarmChannels | undefined;
  let registry: MirrorRegistry | undefined;
  let updates: UpdatePipeline | undefined;
  const secretsOf = new Map<string, RunnerSecrets>();
  const services = new Map<string, CloudRunRunnerService>();

  return {
    key: () => (key = new RunnerKey(stack, 'Key', { target: name, ...(t.encryption.existingKeyId !== undefined ? { existingKeyId: t.encryption.existingKeyId } : {}) })),
    network: () => (network = new RunnerNetwork(stack, 'Network', { target: name, cidr: t.network.cidr, egressExtraPorts: t.network.egressExtraPorts })),
    alarmSink: () => {
      new LogStorage(stack, 'Logs', { target: name, runners: Object.keys(t.runners), retentionDays: t.logs.retentionDays, key: key! });
      return (channels = new AlarmChannels(stack, 'AlarmChannels', { target: name, emails: t.alarms.emails }));
    },
    mirror: (image) => {
      registry ??= new MirrorRegistry(stack, 'Mirror', { target: name, key: key!, keepReleases: t.updates.keepReleases });
      return registry.mirrorOf(image);
    },
    updatePipeline: ({ mirrors }) =>
      (updates = new UpdatePipeline(stack, 'Updates', {
        target: name,
        runners: Object.entries(t.runners).map(([runner, r]) => {
          const mirror = mirrors.get(r.image)!;
          return {
            name: runner,
            upstreamImage: r.image,
            version: r.version,
            mirrorPackage: mirror.repositoryName.slice(name.length + 1),
            workerPool: workerPoolName(name, runner),
            serviceAccountEmail: serviceAccountEmail(runnerServiceAccountId(name, runner), ctx.projectId),
          };
        }),
        updates: t.updates,
        key: key!,
        registry: registry!,
        network: network!,
        channels: channels!,
        logRetentionDays: t.logs.retentionDays,
      })),
    runnerSecrets: (runner, r) => {
      const secrets = new RunnerSecrets(stack, `Runner-${runner}-Secrets`, { target: name, runnerName: runner, key: key!, apiClientSecretVersion: r.apiClientSecretVersion, privateKeyVersion: r.privateKeyVersion });
      secretsOf.set(runner, secrets);
      return secrets;
    },
    runnerService: (runner, r, { image }) => {
      const service = new CloudRunRunnerService(stack, `Runner-${runner}`, {
        target: name,
        runner,
        image,
        runnerUuid: r.uuid,
        meshstackApiUrl: t.meshstack.apiUrl,
        apiClientId: r.apiClientId,
        secrets: secretsOf.get(runner)!,
        key: key!,
        network: network!,
        replicas: r.replicas,
        vcpu: r.vcpu,
        memoryMiB: r.memoryMiB,
        trust: t.trust,
        dependsOn: updates!.recordSources,
      });
      updates!.grantRollOut({ name: service.workerPool.name, location: service.workerPool.location, project: ctx.projectId }, runner);
      services.set(runner, service);
      return service;
    },
    runnerHealthSignal: (runner, r, { service }) =>
      new RunnerHealthSignal(stack, `Runner-${runner}-MeshstackSignal`, { target: name, runner, logFilter: service.logs, channels: channels!, replicas: r.replicas, unhealthyMinutes: t.alarms.runnerUnhealthyMinutes }),
    operatorAccess: () =>
      t.operatorAccess === undefined
        ? undefined
        : new OperatorAccess(stack, 'OperatorAccess', {
            target: name,
            principals: t.operatorAccess.principals,
            workerPools: [...services.keys()].map((runner) => workerPoolName(name, runner)),
            jobName: updates!.jobName,
            bucketName: kitBucketName(ctx.projectId, name),
            dependsOn: [...[...services.values()].map((s) => s.workerPool), updates!.job],
          }),
    platformOutputs: () => ({
      project_id: { value: ctx.projectId, description: 'The GCP project of the target.' },
      runner_service_accounts: { value: Object.fromEntries([...services].map(([n, s]) => [n, s.serviceAccountEmail])), description: 'Service account per runner (reads its two secrets, nothing else).' },
      updater_bucket: { value: updates!.bucketName, description: "The kit's bucket: the updater's code and the version records." },
      updater_run_command: {
        value: `gcloud run jobs execute ${updates!.jobName} --project ${ctx.projectId} --region ${ctx.region} --wait --update-env-vars '^@^RUNNER_KIT_PAYLOAD={"action":"check"}'`,
        description: 'How operators start the updater on demand (check, update, rollback), impersonating the operator service account.',
      },
    }),
  };
}
