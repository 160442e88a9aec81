/**
 * The contract between the AWS update pipeline (synthesis) and the updater's Lambda handler: one
 * JSON document in the function's environment, written by `constructs/aws/update-pipeline.ts` and
 * validated here before the handler does anything. Everything in it is known at synthesis (names,
 * not ARNs), so the same document can drive the local CLI and the emulator tests.
 */
import type { UpdateChannel } from '../core/update-policy';
import type { MaintenanceWindow } from '../core/maintenance-window';

export const UPDATER_CONFIG_ENV = 'RUNNER_KIT_UPDATER_CONFIG';
export const DEFAULT_METRIC_NAMESPACE = 'PrivateRunnerKit/Updater';

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
}

/** Splits `ghcr.io/meshcloud/tf-block-runner` into registry URL and repository. */
export function splitImage(image: string): { registry: string; repository: string } {
  const slash = image.indexOf('/');
  const host = image.slice(0, slash);
  const local = host === 'localhost' || host.startsWith('127.0.0.1') || host.startsWith('localhost:');
  return { registry: `${local ? 'http' : 'https'}://${host}`, repository: image.slice(slash + 1) };
}

/** Parses and checks the document; throws one error listing every problem. */
export function parseAwsUpdaterConfig(text: string | undefined): AwsUpdaterConfig {
  if (text === undefined || text.trim() === '') {
    throw new Error(`${UPDATER_CONFIG_ENV} is not set: the updater was not deployed by the kit (or its environment was edited)`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${UPDATER_CONFIG_ENV} is not JSON: ${(error as Error).message}`);
  }
  const problems: string[] = [];
  const c = value as Partial<AwsUpdaterConfig>;
  const need = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
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
  if (problems.length > 0) throw new Error(`${UPDATER_CONFIG_ENV} is invalid: ${problems.join('; ')}`);
  return c as AwsUpdaterConfig;
}
