/**
 * Composes the updater on AWS: the cloud-neutral run (`updater/core/run.ts`) with the AWS adapters
 * (ECR mirror, ECS service, SSM version record, CloudWatch reporting), from the configuration
 * document the update pipeline put in the function's environment. The Lambda handler, the local
 * CLI (`runner-kit update`) and the emulator tests all run through here.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CloudWatchReporter } from '../adapters/aws/cloudwatch-reporter';
import { EcrImageMirror } from '../adapters/aws/ecr-image-mirror';
import { EcsRunnerDeployment } from '../adapters/aws/ecs-runner-deployment';
import { SsmVersionStore } from '../adapters/aws/ssm-version-store';
import { UpstreamReleaseSource } from '../adapters/aws/upstream-release-source';
import type { UpdaterPayload } from '../core/payload';
import type { Reporter } from '../core/ports';
import { runUpdater, type RunnerPorts, type UpdaterRunResult } from '../core/run';
import type { AwsUpdaterConfig } from './aws-updater-config';

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
  /** @default 15000 */
  readonly pollIntervalMs?: number;
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
  });
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
  const mirrorHost = await registryHost(ecr, options.mirrorRegistryUrlOverride);

  const runners: RunnerPorts[] = config.runners.map((r) => {
    const upstreamRegistry = options.upstreamRegistryUrlOverride ?? r.upstreamRegistry;
    return {
      name: r.name,
      policy: { ...config.policy, version: r.version },
      releases: new UpstreamReleaseSource({ registryUrl: upstreamRegistry, repository: r.upstreamRepository }),
      mirror: new EcrImageMirror({
        ecr,
        upstream: { registryUrl: upstreamRegistry, repository: r.upstreamRepository },
        mirrorRepository: r.mirrorRepository,
        registryHost: mirrorHost,
        ...(options.mirrorRegistryUrlOverride !== undefined ? { registryUrlOverride: options.mirrorRegistryUrlOverride } : {}),
      }),
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
      versions: new SsmVersionStore({ ssm, parameterName: r.versionParameter }),
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
