/**
 * Composes the updater on AWS: the cloud-neutral run (`updater/core/run.ts`) with the AWS adapters
 * (ECR mirror, ECS service, SSM version record, CloudWatch reporting), from the configuration
 * document the update pipeline put in the function's environment. The Lambda handler, the local
 * CLI (`runner-kit update`) and the emulator tests all run through here.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { DescribeClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CloudWatchReporter } from '../adapters/aws/cloudwatch-reporter';
import { EcrImageMirror } from '../adapters/aws/ecr-image-mirror';
import { EcsRunnerDeployment } from '../adapters/aws/ecs-runner-deployment';
import { EcsRunnerLog } from '../adapters/aws/ecs-runner-log';
import { SsmVersionStore } from '../adapters/aws/ssm-version-store';
import { UpstreamReleaseSource } from '../adapters/oci/upstream-release-source';
import { eksTokenProvider } from '../adapters/aws/eks-token';
import { KubernetesClient } from '../adapters/kubernetes/kubernetes-client';
import { KubernetesRunnerDeployment } from '../adapters/kubernetes/kubernetes-runner-deployment';
import { lazyDeployment } from '../adapters/kubernetes/lazy-deployment';
import { ControllerLogSignal } from '../adapters/kubernetes/controller-log-signal';
import type { MeshstackSignal } from '../core/meshstack-signal';
import type { AwsCredentials } from '../adapters/aws/sigv4-presign';
import type { UpdaterPayload } from '../core/payload';
import type { Reporter } from '../core/ports';
import { releaseMirror } from '../core/release-mirror';
import { runUpdater, type RunnerPorts, type UpdaterRunResult } from '../core/run';
import { UPDATER_TIME_LIMIT_SECONDS, type AwsUpdaterConfig } from './aws-updater-config';

/** Where the AWS SDK clients connect; the defaults are the Lambda runtime's. */
export interface AwsClientSettings {
  /** One endpoint for every AWS API (an emulator). @default - AWS */
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** @default 3 */
  readonly maxAttempts?: number;
}

export interface AwsUpdaterOptions {
  readonly clients?: AwsClientSettings;
  /**
   * Registry origin to push to instead of ECR's (tests: a registry on loopback); image references
   * then name that registry's host.
   * @default - the ECR registry of the account
   */
  readonly mirrorRegistryUrlOverride?: string;
  /** Upstream registry origin instead of the configured one (tests). @default - from the config */
  readonly upstreamRegistryUrlOverride?: string;
  /** Time between two reads of a rollout, and of the runners' meshStack signal. @default 15000 */
  readonly pollIntervalMs?: number;
  /** How long a run may wait for busy runners. @default busyWaitSecondsFor(config.rolloutTimeoutSeconds) */
  readonly busyWaitSeconds?: number;
  /** Time between two looks at a busy runner. @default 30 */
  readonly busyPollSeconds?: number;
  /** See `UpdaterRunInput.minimumSignalSeconds`. @default 90 */
  readonly minimumSignalSeconds?: number;
  /** Another Kubernetes API than the EKS cluster's (tests: a fake API server on loopback). */
  readonly kubernetesApiOverride?: { readonly server: string; readonly caPem?: string; readonly token?: () => Promise<string> };
  /** Replaces the CloudWatch reporter (the CLI's dry run prints instead). */
  readonly reporter?: Reporter;
  /** @default console.log */
  readonly log?: (line: string) => void;
  readonly now?: () => Date;
}

/** The ports of every runner of the target, and the reporter, wired to AWS. */
export interface AwsUpdater {
  readonly runners: readonly RunnerPorts[];
  readonly reporter: Reporter;
}

/** Runs the updater once for `payload` (see `runUpdater`). */
export async function runAwsUpdater(config: AwsUpdaterConfig, payload: UpdaterPayload, options: AwsUpdaterOptions = {}): Promise<UpdaterRunResult> {
  const { runners, reporter } = await createAwsUpdater(config, options);
  return runUpdater({
    target: config.target,
    payload,
    runners,
    reporter,
    rolloutTimeoutSeconds: config.rolloutTimeoutSeconds,
    ...(options.now !== undefined ? { now: options.now } : {}),
    busyWaitSeconds: options.busyWaitSeconds ?? busyWaitSecondsFor(config.rolloutTimeoutSeconds),
    ...(options.busyPollSeconds !== undefined ? { busyPollSeconds: options.busyPollSeconds } : {}),
    ...(options.pollIntervalMs !== undefined ? { signalPollSeconds: options.pollIntervalMs / 1000 } : {}),
    ...(options.minimumSignalSeconds !== undefined ? { minimumSignalSeconds: options.minimumSignalSeconds } : {}),
  });
}

/** The longest wait for busy runners, in seconds (10 minutes). */
export const MAX_BUSY_WAIT_SECONDS = 600;

/**
 * How long one updater run may wait for busy runners: what the function's time limit leaves after
 * a rollout and its rollback (each up to `rolloutTimeoutSeconds`) and two minutes for the rest
 * (promotion, the meshStack signal's minimum, reporting), at most {@link MAX_BUSY_WAIT_SECONDS}.
 * With the default rollout timeout (10 minutes) nothing is left: a busy runner is deferred at once
 * and the next scheduled run (every `updates.schedule`) looks again while the window is open.
 */
export function busyWaitSecondsFor(rolloutTimeoutSeconds: number): number {
  return Math.min(MAX_BUSY_WAIT_SECONDS, Math.max(0, UPDATER_TIME_LIMIT_SECONDS - 2 * rolloutTimeoutSeconds - 120));
}

export async function createAwsUpdater(config: AwsUpdaterConfig, options: AwsUpdaterOptions = {}): Promise<AwsUpdater> {
  const c = options.clients ?? {};
  const common = {
    region: config.region,
    maxAttempts: c.maxAttempts ?? 3,
    ...(c.endpoint !== undefined ? { endpoint: c.endpoint } : {}),
    ...(c.credentials !== undefined ? { credentials: c.credentials } : {}),
  };
  const ecr = new ECRClient(common);
  const ecs = new ECSClient(common);
  const ssm = new SSMClient(common);
  const cloudwatch = new CloudWatchClient(common);
  const logs = new CloudWatchLogsClient(common);
  const mirrorHost = await registryHost(ecr, options.mirrorRegistryUrlOverride);

  const mirrorOf = (upstreamRegistry: string, upstreamRepository: string, mirrorRepository: string) =>
    new EcrImageMirror({
      ecr,
      upstream: { registryUrl: upstreamRegistry, repository: upstreamRepository },
      mirrorRepository,
      registryHost: mirrorHost,
      ...(options.mirrorRegistryUrlOverride !== undefined ? { registryUrlOverride: options.mirrorRegistryUrlOverride } : {}),
    });

  const runners: RunnerPorts[] = config.runners.map((r) => {
    const upstreamRegistry = options.upstreamRegistryUrlOverride ?? r.upstreamRegistry;
    const controllerMirror = mirrorOf(upstreamRegistry, r.upstreamRepository, r.mirrorRepository);
    const base = {
      name: r.name,
      policy: { ...config.policy, version: r.version },
      releases: new UpstreamReleaseSource({ registryUrl: upstreamRegistry, repository: r.upstreamRepository }),
      versions: new SsmVersionStore({ ssm, parameterName: r.versionParameter }),
    };
    if (r.platform === 'kubernetes') {
      const jobs = r.implementations.map((i) => ({
        type: i.type,
        url: `${mirrorHost}/${i.mirrorRepository}`,
        mirror: mirrorOf(options.upstreamRegistryUrlOverride ?? i.upstreamRegistry, i.upstreamRepository, i.mirrorRepository),
      }));
      // A release is the controller and its job images at the same tag: promoting it promotes all.
      const release = releaseMirror(controllerMirror, jobs.map((j) => ({ name: j.type, mirror: j.mirror })));
      let api: Promise<KubernetesClient> | undefined;
      const clusterApi = () => (api ??= kubernetesApi(r.cluster, common, options));
      const deployment = lazyDeployment(async () => {
        const cluster = await clusterApi();
        return new KubernetesRunnerDeployment({
          client: cluster,
          namespace: r.namespace,
          deployment: r.deployment,
          mirrorRepositoryUrl: `${mirrorHost}/${r.mirrorRepository}`,
          implementationRepositories: Object.fromEntries(jobs.map((j) => [j.type, j.url])),
          implementationImages: release.companionImages,
          ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
        });
      });
      // The controller's own log: did the new pods register with meshStack, do their polls succeed?
      // (No activity port: runs are Jobs, which a controller rollout leaves alone.)
      const meshstack: MeshstackSignal = {
        observe: async (rollout, since) => new ControllerLogSignal({ client: await clusterApi(), namespace: r.namespace, deployment: r.deployment }).observe(rollout, since),
      };
      return { ...base, mirror: release.mirror, deployment, meshstack };
    }
    if (config.runnerLogs === undefined) throw new Error(`the updater configuration names no runnerLogs, so ECS runner ${r.name} could be replaced while it executes a run; deploy the target again`);
    // The runner's own log: is it busy (before a rollout), does it reach meshStack (after one)?
    const runnerLog = new EcsRunnerLog({
      logs,
      ecs,
      cluster: r.cluster,
      service: r.service,
      logGroupName: `${config.runnerLogs.groupPrefix}${r.name}`,
      runTimeoutMinutes: config.runnerLogs.runTimeoutMinutes,
    });
    return {
      ...base,
      meshstack: runnerLog,
      activity: runnerLog,
      mirror: controllerMirror,
      deployment: new EcsRunnerDeployment({
        ecs,
        cloudwatch,
        cluster: r.cluster,
        service: r.service,
        mirrorRepositoryUrl: `${mirrorHost}/${r.mirrorRepository}`,
        rolloutTracking: config.rolloutTracking,
        ...(r.healthAlarm !== undefined ? { healthAlarmName: r.healthAlarm } : {}),
        ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      }),
    };
  });
  const reporter =
    options.reporter ?? new CloudWatchReporter({ cloudwatch, namespace: config.metricNamespace, ...(options.log ? { log: options.log } : {}) });
  return { runners, reporter };
}

/** The mirror registry's host: the override's, or the account's ECR registry (from its login endpoint). */
async function registryHost(ecr: ECRClient, override: string | undefined): Promise<string> {
  if (override !== undefined) return new URL(override).host;
  const answer = await ecr.send(new GetAuthorizationTokenCommand({}));
  const endpoint = answer.authorizationData?.[0]?.proxyEndpoint;
  if (!endpoint) throw new Error('ECR GetAuthorizationToken returned no proxyEndpoint; cannot tell the mirror registry');
  return new URL(endpoint).host;
}

/**
 * The Kubernetes API of an EKS cluster: endpoint and CA from eks:DescribeCluster, a bearer token
 * signed locally from the caller's credentials (EKS verifies it with STS).
 */
async function kubernetesApi(
  clusterName: string,
  common: { region: string; maxAttempts: number; endpoint?: string; credentials?: AwsClientSettings['credentials'] },
  options: AwsUpdaterOptions,
): Promise<KubernetesClient> {
  const eks = new EKSClient(common);
  const { cluster } = await eks.send(new DescribeClusterCommand({ name: clusterName }));
  const endpoint = options.kubernetesApiOverride?.server ?? cluster?.endpoint;
  const caData = cluster?.certificateAuthority?.data;
  if (!endpoint) throw new Error(`EKS cluster ${clusterName} has no API endpoint yet (status ${cluster?.status ?? 'unknown'})`);
  const caPem = options.kubernetesApiOverride !== undefined ? options.kubernetesApiOverride.caPem : caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined;
  const token =
    options.kubernetesApiOverride?.token ??
    eksTokenProvider({ clusterName, region: common.region, credentials: async () => (await eks.config.credentials()) as AwsCredentials });
  return new KubernetesClient({ server: endpoint, token, ...(caPem !== undefined ? { caPem } : {}) });
}
