/**
 * The contract between the GCP update pipeline (synthesis) and the updater's Cloud Run job: one
 * JSON document in the job's environment (and in the deploy's bootstrap step), written by
 * `constructs/gcp/update-pipeline.ts` and validated here before anything happens. Everything in it
 * is known at synthesis (names, not Terraform values), so the same document drives the job, the
 * deploy's bootstrap, `runner-kit update` and the tests.
 */
import type { MaintenanceWindow } from '../core/maintenance-window';
import type { UpdateChannel } from '../core/update-policy';
import { splitImage } from '../adapters/oci/reference';
import { DocumentProblems, nonEmpty, readUpdaterDocument } from './updater-document';

export const GCP_UPDATER_CONFIG_ENV = 'RUNNER_KIT_UPDATER_CONFIG';
/** The job's payload: the scheduled action by default; operators override it (run with overrides). */
export const GCP_UPDATER_PAYLOAD_ENV = 'RUNNER_KIT_PAYLOAD';
export const SCHEDULED_PAYLOAD = '{"action":"scheduled"}';
/** The updater job's time limit; its waits are budgeted against it. */
export const GCP_UPDATER_TIME_LIMIT_SECONDS = 3600;

/**
 * The Node.js runtime the updater job runs on: the official image, promoted by the deploy's
 * bootstrap into the target's mirror by digest (linux/amd64, what Cloud Run runs), so the job too
 * pulls only from the private mirror. The code is the kit's bundle, mounted from the kit's bucket.
 */
export const UPDATER_RUNTIME = { registry: 'https://registry-1.docker.io', repository: 'library/node', tag: '22-alpine' } as const;

export interface GcpUpdaterRunnerConfig {
  readonly name: string;
  readonly upstreamRegistry: string;
  readonly upstreamRepository: string;
  readonly version: string;
  /** The package of the runner's image in the target's mirror repository, e.g. `tf-block-runner`. */
  readonly mirrorPackage: string;
  /** Cloud Run: the runner's worker pool. */
  readonly workerPool?: string;
  /** GKE: run-controller's Deployment on the cluster, and its job images (mirrored at the same release). */
  readonly kubernetes?: GcpKubernetesRunnerConfig;
  /** Object name of the version record in the kit's bucket. */
  readonly record: string;
}

export interface GcpKubernetesRunnerConfig {
  readonly cluster: string;
  readonly namespace: string;
  readonly deployment: string;
  readonly implementations: readonly { readonly type: string; readonly upstreamRegistry: string; readonly upstreamRepository: string; readonly mirrorPackage: string }[];
}

export interface GcpUpdaterConfig {
  readonly target: string;
  readonly project: string;
  readonly region: string;
  readonly rolloutTimeoutSeconds: number;
  readonly policy: { readonly channel: UpdateChannel; readonly hold: boolean; readonly allowDowngrade: boolean; readonly window?: MaintenanceWindow };
  /** The kit's bucket (code and version records). */
  readonly bucket: string;
  /** `<region>-docker.pkg.dev/<project>/<target>`. */
  readonly mirrorRegistry: string;
  /** The updater's job, and who may start it as the schedule. */
  readonly job: string;
  readonly schedulerServiceAccount: string;
  /** Where the runtime image is mirrored, and its record. */
  readonly runtime: { readonly upstreamRegistry: string; readonly upstreamRepository: string; readonly tag: string; readonly mirrorPackage: string; readonly record: string };
  readonly runners: readonly GcpUpdaterRunnerConfig[];
  /** The runners' `timeoutMins`: how far back a run in progress is looked for. */
  readonly runTimeoutMinutes: number;
}

export interface GcpUpdaterConfigInput {
  readonly target: string;
  readonly project: string;
  readonly region: string;
  readonly rolloutTimeoutMinutes: number;
  readonly policy: GcpUpdaterConfig['policy'];
  readonly bucket: string;
  readonly mirrorRegistry: string;
  readonly job: string;
  readonly schedulerServiceAccount: string;
  readonly runtimePackage: string;
  readonly runtimeRecord: string;
  readonly runners: readonly {
    readonly name: string;
    readonly upstreamImage: string;
    readonly version: string;
    readonly mirrorPackage: string;
    readonly record: string;
    readonly workerPool?: string;
    readonly kubernetes?: { readonly cluster: string; readonly namespace: string; readonly deployment: string; readonly implementations: readonly { readonly type: string; readonly upstreamImage: string; readonly mirrorPackage: string }[] };
  }[];
  readonly runTimeoutMinutes: number;
}

export function buildGcpUpdaterConfig(input: GcpUpdaterConfigInput): GcpUpdaterConfig {
  return {
    target: input.target,
    project: input.project,
    region: input.region,
    rolloutTimeoutSeconds: input.rolloutTimeoutMinutes * 60,
    policy: { channel: input.policy.channel, hold: input.policy.hold, allowDowngrade: input.policy.allowDowngrade, ...(input.policy.window !== undefined ? { window: input.policy.window } : {}) },
    bucket: input.bucket,
    mirrorRegistry: input.mirrorRegistry,
    job: input.job,
    schedulerServiceAccount: input.schedulerServiceAccount,
    runtime: { upstreamRegistry: UPDATER_RUNTIME.registry, upstreamRepository: UPDATER_RUNTIME.repository, tag: UPDATER_RUNTIME.tag, mirrorPackage: input.runtimePackage, record: input.runtimeRecord },
    runners: input.runners.map((r) => {
      const up = splitImage(r.upstreamImage);
      const k = r.kubernetes;
      return {
        name: r.name,
        upstreamRegistry: up.registry,
        upstreamRepository: up.repository,
        version: r.version,
        mirrorPackage: r.mirrorPackage,
        ...(r.workerPool !== undefined ? { workerPool: r.workerPool } : {}),
        ...(k !== undefined
          ? {
              kubernetes: {
                cluster: k.cluster,
                namespace: k.namespace,
                deployment: k.deployment,
                implementations: k.implementations.map((i) => {
                  const iu = splitImage(i.upstreamImage);
                  return { type: i.type, upstreamRegistry: iu.registry, upstreamRepository: iu.repository, mirrorPackage: i.mirrorPackage };
                }),
              },
            }
          : {}),
        record: r.record,
      };
    }),
    runTimeoutMinutes: input.runTimeoutMinutes,
  };
}

/** Parses and checks the document; throws one error listing every problem. */
export function parseGcpUpdaterConfig(text: string | undefined): GcpUpdaterConfig {
  const c = (readUpdaterDocument(text, GCP_UPDATER_CONFIG_ENV) ?? {}) as Record<string, unknown>;
  const problems = new DocumentProblems(GCP_UPDATER_CONFIG_ENV);
  const need = (ok: boolean, what: string) => problems.need(ok, what);
  for (const key of ['target', 'project', 'region', 'bucket', 'mirrorRegistry', 'job', 'schedulerServiceAccount']) need(nonEmpty(c[key]), `${key} must be a non-empty string`);
  need(typeof c.rolloutTimeoutSeconds === 'number' && c.rolloutTimeoutSeconds > 0, 'rolloutTimeoutSeconds must be a positive number');
  need(Number.isInteger(c.runTimeoutMinutes) && (c.runTimeoutMinutes as number) > 0, 'runTimeoutMinutes must be a positive whole number');
  need(typeof c.policy === 'object' && c.policy !== null, 'policy must be an object');
  const runtime = (c.runtime ?? {}) as Record<string, unknown>;
  for (const key of ['upstreamRegistry', 'upstreamRepository', 'tag', 'mirrorPackage', 'record']) need(nonEmpty(runtime[key]), `runtime.${key} must be a non-empty string`);
  need(Array.isArray(c.runners) && c.runners.length > 0, 'runners must be a non-empty array');
  for (const [i, r] of (Array.isArray(c.runners) ? c.runners : []).entries()) {
    const runner = (r ?? {}) as Record<string, unknown>;
    for (const key of ['name', 'upstreamRegistry', 'upstreamRepository', 'version', 'mirrorPackage', 'record']) need(nonEmpty(runner[key]), `runners[${i}].${key} must be a non-empty string`);
    const k = runner.kubernetes as Record<string, unknown> | undefined;
    need((runner.workerPool === undefined) !== (k === undefined), `runners[${i}] must name either a workerPool (Cloud Run) or kubernetes (GKE)`);
    if (runner.workerPool !== undefined) need(nonEmpty(runner.workerPool), `runners[${i}].workerPool must be a non-empty string`);
    if (k !== undefined) {
      for (const key of ['cluster', 'namespace', 'deployment']) need(nonEmpty(k?.[key]), `runners[${i}].kubernetes.${key} must be a non-empty string`);
      need(Array.isArray(k?.implementations), `runners[${i}].kubernetes.implementations must be an array`);
      for (const [j, impl] of (Array.isArray(k?.implementations) ? (k.implementations as Record<string, unknown>[]) : []).entries()) {
        for (const key of ['type', 'upstreamRegistry', 'upstreamRepository', 'mirrorPackage']) need(nonEmpty(impl?.[key]), `runners[${i}].kubernetes.implementations[${j}].${key} must be a non-empty string`);
      }
    }
  }
  problems.throwIfAny();
  return c as unknown as GcpUpdaterConfig;
}
