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

export interface AwsUpdaterRunnerConfig {
  readonly name: string;
  /** Upstream registry base URL, e.g. `https://ghcr.io`. */
  readonly upstreamRegistry: string;
  /** Upstream repository, e.g. `meshcloud/tf-block-runner`. */
  readonly upstreamRepository: string;
  /** The configured version: the first deployment's, and the pin on channel `pinned`. */
  readonly version: string;
  /** ECR repository name of the mirror. */
  readonly mirrorRepository: string;
  readonly cluster: string;
  readonly service: string;
  /** SSM parameter holding the version record. */
  readonly versionParameter: string;
  /** Alarm that must not be in ALARM once a rollout completes. */
  readonly healthAlarm?: string;
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
    for (const key of ['name', 'upstreamRegistry', 'upstreamRepository', 'version', 'mirrorRepository', 'cluster', 'service', 'versionParameter'] as const) {
      need(typeof r?.[key] === 'string' && r[key] !== '', `runners[${i}].${key} must be a non-empty string`);
    }
  }
  if (problems.length > 0) throw new Error(`${UPDATER_CONFIG_ENV} is invalid: ${problems.join('; ')}`);
  return c as AwsUpdaterConfig;
}
