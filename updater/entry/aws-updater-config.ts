/**
 * The contract between the AWS update pipeline (synthesis) and the updater's Lambda handler: one
 * JSON document in the function's environment, written by `constructs/aws/update-pipeline.ts` and
 * validated here before the handler does anything. Everything in it is known at synthesis (names,
 * not ARNs), so the same document can drive the local CLI and the emulator tests.
 */
import type { UpdateChannel } from '../core/update-policy';
import type { MaintenanceWindow } from '../core/maintenance-window';
import { splitImage } from '../adapters/oci/reference';
import { DocumentProblems, readUpdaterDocument } from './updater-document';

export const UPDATER_CONFIG_ENV = 'RUNNER_KIT_UPDATER_CONFIG';

/**
 * The Lambda aliases the update pipeline creates, one per kind of invoker (all on `$LATEST`). The
 * handler reads which one was invoked from its context (`invokedFunctionArn`), which the caller
 * cannot forge: IAM lets EventBridge Scheduler's role invoke only `scheduled`, and operators only
 * `on-demand`. The unqualified function is for the deploy's bootstrap (`updater/core/payload.ts`).
 */
export const LAMBDA_ALIASES = { schedule: 'scheduled', onDemand: 'on-demand' } as const;
export const DEFAULT_METRIC_NAMESPACE = 'PrivateRunnerKit/Updater';
/** The updater function's time limit (Lambda's maximum); its waits are budgeted against it. */
export const UPDATER_TIME_LIMIT_SECONDS = 900;

interface RunnerConfigBase {
  readonly name: string;
  /** Upstream registry base URL, e.g. `https://ghcr.io`. */
  readonly upstreamRegistry: string;
  /** Upstream repository, e.g. `meshcloud/tf-block-runner` (ECS) or `meshcloud/run-controller` (Kubernetes). */
  readonly upstreamRepository: string;
  /** The configured version: the first deployment's, and the pin on channel `pinned`. */
  readonly version: string;
  /** ECR repository name of the mirror. */
  readonly mirrorRepository: string;
  /** ECS cluster or EKS cluster name. */
  readonly cluster: string;
  /** SSM parameter holding the version record. */
  readonly versionParameter: string;
}

/** A runner that is an ECS service. */
export interface EcsRunnerConfig extends RunnerConfigBase {
  readonly platform?: 'ecs';
  readonly service: string;
  /** Alarm that must not fire once a rollout completes. */
  readonly healthAlarm?: string;
}

/** A run-controller Deployment on an EKS cluster; its job images are promoted at the same version. */
export interface KubernetesRunnerConfig extends RunnerConfigBase {
  readonly platform: 'kubernetes';
  readonly namespace: string;
  readonly deployment: string;
  readonly implementations: readonly {
    readonly type: string;
    readonly upstreamRegistry: string;
    readonly upstreamRepository: string;
    readonly mirrorRepository: string;
  }[];
}

export type AwsUpdaterRunnerConfig = EcsRunnerConfig | KubernetesRunnerConfig;

/**
 * Where the ECS runners' own logs are, for the meshStack signal and the busy check
 * (`updater/adapters/aws/ecs-runner-log.ts`): one prefix for all runners of the target (the runner's
 * log group is `<groupPrefix><runner name>`), so the document grows by one field, not one per runner.
 */
export interface RunnerLogsConfig {
  /** e.g. `/private-runner-kit/acme/runners/`. */
  readonly groupPrefix: string;
  /** The runners' `timeoutMins`: how long a run may take (how far back a run in progress is looked for). */
  readonly runTimeoutMinutes: number;
}

export interface AwsUpdaterConfig {
  readonly target: string;
  readonly region: string;
  readonly metricNamespace: string;
  readonly rolloutTimeoutSeconds: number;
  /**
   * How a rollout is judged: `deployment` (the service's PRIMARY deployment, real ECS) or `service`
   * (the service's task definition; emulator profile only, moto keeps no deployments).
   */
  readonly rolloutTracking: 'deployment' | 'service';
  readonly policy: {
    readonly channel: UpdateChannel;
    readonly hold: boolean;
    readonly allowDowngrade: boolean;
    readonly window?: MaintenanceWindow;
  };
  readonly runners: readonly AwsUpdaterRunnerConfig[];
  /** Present whenever the target has an ECS runner. */
  readonly runnerLogs?: RunnerLogsConfig;
}

/** One runner as the synthesis knows it: names only (the document holds no ARNs or other Terraform values). */
export interface UpdaterRunnerInput {
  readonly name: string;
  /** Upstream image of the runner's main container, without tag (ECS: tf-block-runner; Kubernetes: run-controller). */
  readonly upstreamImage: string;
  readonly version: string;
  readonly mirrorRepository: string;
  readonly cluster: string;
  readonly versionParameter: string;
  /** ECS: the service and its health alarm. */
  readonly service?: string;
  readonly healthAlarm?: string;
  /** Kubernetes: the run-controller Deployment and the job images promoted with it. */
  readonly kubernetes?: {
    readonly namespace: string;
    readonly deployment: string;
    readonly implementations: readonly { readonly type: string; readonly upstreamImage: string; readonly mirrorRepository: string }[];
  };
}

export interface UpdaterConfigInput {
  readonly target: string;
  readonly region: string;
  readonly rolloutTimeoutMinutes: number;
  /** Judge rollouts by the service's task definition (the emulator profile's ecs-rollout-by-service). */
  readonly rolloutTrackingByService: boolean;
  readonly policy: AwsUpdaterConfig['policy'];
  readonly runners: readonly UpdaterRunnerInput[];
  /** ECS: where the runners log (see {@link RunnerLogsConfig}). */
  readonly runnerLogs?: RunnerLogsConfig;
}

/**
 * The document the update pipeline puts into the function's environment. One builder for the
 * construct and for config validation, which checks its size against Lambda's 4 KB environment
 * limit before anything is synthesized (`constructs/core/config/aws-limits.ts`).
 */
export function buildAwsUpdaterConfig(input: UpdaterConfigInput): AwsUpdaterConfig {
  return {
    target: input.target,
    region: input.region,
    metricNamespace: DEFAULT_METRIC_NAMESPACE,
    rolloutTimeoutSeconds: input.rolloutTimeoutMinutes * 60,
    rolloutTracking: input.rolloutTrackingByService ? 'service' : 'deployment',
    policy: {
      channel: input.policy.channel,
      hold: input.policy.hold,
      allowDowngrade: input.policy.allowDowngrade,
      ...(input.policy.window !== undefined ? { window: input.policy.window } : {}),
    },
    runners: input.runners.map((r): AwsUpdaterRunnerConfig => {
      const upstream = splitImage(r.upstreamImage);
      const common = {
        name: r.name,
        upstreamRegistry: upstream.registry,
        upstreamRepository: upstream.repository,
        version: r.version,
        mirrorRepository: r.mirrorRepository,
        cluster: r.cluster,
        versionParameter: r.versionParameter,
      };
      if (r.kubernetes !== undefined) {
        return {
          ...common,
          platform: 'kubernetes' as const,
          namespace: r.kubernetes.namespace,
          deployment: r.kubernetes.deployment,
          implementations: r.kubernetes.implementations.map((i) => {
            const up = splitImage(i.upstreamImage);
            return { type: i.type, upstreamRegistry: up.registry, upstreamRepository: up.repository, mirrorRepository: i.mirrorRepository };
          }),
        };
      }
      return { ...common, service: r.service ?? '', ...(r.healthAlarm !== undefined ? { healthAlarm: r.healthAlarm } : {}) };
    }),
    ...(input.runnerLogs !== undefined ? { runnerLogs: { groupPrefix: input.runnerLogs.groupPrefix, runTimeoutMinutes: input.runnerLogs.runTimeoutMinutes } } : {}),
  };
}

/** The function's environment: the document, and source maps for readable stack traces. */
export function updaterEnvironment(config: AwsUpdaterConfig): Record<string, string> {
  return { [UPDATER_CONFIG_ENV]: JSON.stringify(config), NODE_OPTIONS: '--enable-source-maps' };
}

/** Splits an image into registry URL and repository (cloud-neutral: `updater/adapters/oci/reference.ts`). */
export { splitImage } from '../adapters/oci/reference';

/** Parses and checks the document; throws one error listing every problem. */
export function parseAwsUpdaterConfig(text: string | undefined): AwsUpdaterConfig {
  const c = readUpdaterDocument(text, UPDATER_CONFIG_ENV) as Partial<AwsUpdaterConfig>;
  const problems = new DocumentProblems(UPDATER_CONFIG_ENV);
  const need = (ok: boolean, what: string) => problems.need(ok, what);
  need(typeof c.target === 'string' && c.target !== '', 'target must be a non-empty string');
  need(typeof c.region === 'string' && c.region !== '', 'region must be a non-empty string');
  need(typeof c.metricNamespace === 'string' && c.metricNamespace !== '', 'metricNamespace must be a non-empty string');
  need(typeof c.rolloutTimeoutSeconds === 'number' && c.rolloutTimeoutSeconds > 0, 'rolloutTimeoutSeconds must be a positive number');
  need(c.rolloutTracking === 'deployment' || c.rolloutTracking === 'service', 'rolloutTracking must be "deployment" or "service"');
  need(typeof c.policy === 'object' && c.policy !== null, 'policy must be an object');
  need(Array.isArray(c.runners) && c.runners.length > 0, 'runners must be a non-empty array');
  for (const [i, r] of (Array.isArray(c.runners) ? c.runners : []).entries()) {
    const keys = ['name', 'upstreamRegistry', 'upstreamRepository', 'version', 'mirrorRepository', 'cluster', 'versionParameter'];
    const kubernetes = (r as { platform?: string })?.platform === 'kubernetes';
    for (const key of [...keys, ...(kubernetes ? ['namespace', 'deployment'] : ['service'])]) {
      const value = (r as unknown as Record<string, unknown>)?.[key];
      need(typeof value === 'string' && value !== '', `runners[${i}].${key} must be a non-empty string`);
    }
    if (kubernetes) need(Array.isArray((r as KubernetesRunnerConfig).implementations), `runners[${i}].implementations must be an array`);
  }
  // Without it an ECS runner could be updated while it executes a run, and without the meshStack check.
  if ((Array.isArray(c.runners) ? c.runners : []).some((r) => (r as { platform?: string })?.platform !== 'kubernetes')) {
    const logs = c.runnerLogs as Partial<RunnerLogsConfig> | undefined;
    need(typeof logs?.groupPrefix === 'string' && logs.groupPrefix.endsWith('/'), 'runnerLogs.groupPrefix must be the runners\' log group prefix, ending in "/"');
    need(Number.isInteger(logs?.runTimeoutMinutes) && (logs?.runTimeoutMinutes ?? 0) > 0, 'runnerLogs.runTimeoutMinutes must be a positive whole number');
  }
  problems.throwIfAny();
  return c as AwsUpdaterConfig;
}
