/**
 * The runner's Cloud Run worker pool as the updater's {@link RunnerDeployment}, through the Cloud
 * Run Admin API v2 (REST; request bodies are the API's WorkerPool message, checked against the
 * official protos in the tests).
 *
 * - What runs: the revision the instance splits give 100% (after a rollback, a pinned revision),
 *   else the latest ready revision. Its digest is known when it is the latest created revision
 *   (the template's image is `<mirror package>@sha256:...`).
 * - Rollout: the worker pool as read, with the `runner` container's image replaced and the splits
 *   set to LATEST (PATCH, with the etag read, so a concurrent change fails instead of being
 *   overwritten). Cloud Run creates a new revision; its name is read back from
 *   `latestCreatedRevision`.
 * - Health: the worker pool settles (not reconciling), its latest ready revision is the new one and
 *   the splits give it every instance; a failed terminal condition, or a latest created revision
 *   that never becomes ready, is a failed rollout. Worker pools have no probes (google 6.50.0):
 *   the core adds the meshStack signal.
 * - Restore: the splits pinned to the earlier revision (type REVISION, 100%), which Cloud Run keeps;
 *   the template is left as it is, so the next rollout starts from the current settings.
 */
import type { DeployedRevision, Rollout, RolloutHealth, RunnerDeployment } from '../../core/ports';
import { pollRollout, SYSTEM_CLOCK, type Clock, type RolloutObservation } from '../../core/rollout-poll';
import { isDigest } from '../oci/digest';
import { GOOGLE_ENDPOINTS, isNotFound, type GoogleApi } from './google-api';

/** The container that runs the runner (constructs/gcp/cloudrun-runner-service.ts). */
export const RUNNER_CONTAINER_NAME = 'runner';
export const SPLIT_LATEST = 'INSTANCE_SPLIT_ALLOCATION_TYPE_LATEST';
export const SPLIT_REVISION = 'INSTANCE_SPLIT_ALLOCATION_TYPE_REVISION';

interface Condition {
  readonly type?: string;
  readonly state?: string;
  readonly message?: string;
  readonly reason?: string;
}
interface Split {
  readonly type?: string;
  readonly revision?: string;
  readonly percent?: number;
}
/** The fields of the API's WorkerPool the adapter reads; the rest is sent back unchanged. */
export interface WorkerPoolJson {
  readonly name?: string;
  readonly etag?: string;
  readonly generation?: string;
  readonly observedGeneration?: string;
  readonly reconciling?: boolean;
  readonly latestReadyRevision?: string;
  readonly latestCreatedRevision?: string;
  readonly terminalCondition?: Condition;
  readonly conditions?: readonly Condition[];
  readonly instanceSplits?: readonly Split[];
  readonly instanceSplitStatuses?: readonly Split[];
  readonly scaling?: { readonly manualInstanceCount?: number; readonly scalingMode?: string };
  readonly template?: { readonly containers?: readonly { readonly name?: string; readonly image?: string }[] } & Record<string, unknown>;
  readonly [key: string]: unknown;
}

/** Fields the API computes: never sent back in an update. */
const OUTPUT_ONLY = [
  'uid', 'generation', 'createTime', 'updateTime', 'deleteTime', 'expireTime', 'creator', 'lastModifier', 'observedGeneration', 'terminalCondition',
  'conditions', 'latestReadyRevision', 'latestCreatedRevision', 'instanceSplitStatuses', 'satisfiesPzs', 'reconciling', 'threatDetectionEnabled',
] as const;

/** `projects/.../revisions/x` or `x` -> `x`. */
export const shortRevision = (name: string | undefined): string | undefined => (name === undefined || name === '' ? undefined : name.slice(name.lastIndexOf('/') + 1));

export interface CloudRunWorkerPoolDeploymentOptions {
  readonly api: GoogleApi;
  /** `projects/<p>/locations/<r>/workerPools/<name>`. */
  readonly workerPool: string;
  /** `<region>-docker.pkg.dev/<project>/<target>/<package>`: only images of it are rolled out. */
  readonly mirrorPackageUrl: string;
  /** @default GOOGLE_ENDPOINTS.run */
  readonly endpoint?: string;
  /** @default 15_000 */
  readonly pollIntervalMs?: number;
  /** How long a new revision may take to appear after the update. @default 120 s */
  readonly revisionAppearSeconds?: number;
  readonly clock?: Clock;
}

export class CloudRunWorkerPoolDeployment implements RunnerDeployment {
  private readonly url: string;
  private readonly clock: Clock;
  private readonly pollIntervalMs: number;

  constructor(private readonly o: CloudRunWorkerPoolDeploymentOptions) {
    if (!/^projects\/[^/]+\/locations\/[^/]+\/workerPools\/[a-z][-a-z0-9]*$/.test(o.workerPool)) {
      throw new Error(`workerPool "${o.workerPool}" is not a worker pool name; use projects/<project>/locations/<region>/workerPools/<name>`);
    }
    if (!/^[a-z0-9.-]+(:\d+)?\/[a-z0-9._\/-]+$/.test(o.mirrorPackageUrl)) throw new Error(`mirrorPackageUrl "${o.mirrorPackageUrl}" is not a repository URL without scheme, tag or digest`);
    this.url = `${(o.endpoint ?? GOOGLE_ENDPOINTS.run).replace(/\/+$/, '')}/v2/${o.workerPool}`;
    this.clock = o.clock ?? SYSTEM_CLOCK;
    this.pollIntervalMs = o.pollIntervalMs ?? 15_000;
  }

  /** The worker pool as the API shows it; undefined when it does not exist. */
  async read(): Promise<WorkerPoolJson | undefined> {
    try {
      return await this.o.api.json<WorkerPoolJson>('GET', this.url);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async current(): Promise<DeployedRevision | undefined> {
    const pool = await this.read();
    if (pool === undefined) return undefined;
    const revision = servingRevision(pool);
    if (revision === undefined) return undefined;
    const image = pool.template?.containers?.find((c) => c.name === RUNNER_CONTAINER_NAME)?.image ?? '';
    const prefix = `${this.o.mirrorPackageUrl}@`;
    const digest = image.startsWith(prefix) ? image.slice(prefix.length) : undefined;
    return revision === shortRevision(pool.latestCreatedRevision) && digest !== undefined && isDigest(digest) ? { revision, digest } : { revision };
  }

  async rollOut(image: string, _version: string): Promise<Rollout> {
    if (!image.startsWith(`${this.o.mirrorPackageUrl}@sha256:`)) throw new Error(`refusing to roll out ${image}: only images of the mirror ${this.o.mirrorPackageUrl}, by digest, are rolled out`);
    const pool = await this.required();
    const previous = servingRevision(pool);
    if (previous === undefined) throw new Error(`worker pool ${this.o.workerPool} serves no revision yet; deploy the target first`);
    const containers = pool.template?.containers ?? [];
    if (!containers.some((c) => c.name === RUNNER_CONTAINER_NAME)) throw new Error(`worker pool ${this.o.workerPool} has no container named ${RUNNER_CONTAINER_NAME}; it was not deployed by the kit`);
    const template = { ...pool.template, containers: containers.map((c) => (c.name === RUNNER_CONTAINER_NAME ? { ...c, image } : c)) };
    await this.update({ ...writable(pool), template, instanceSplits: [{ type: SPLIT_LATEST, percent: 100 }] });
    const revision = await this.newRevision(pool.latestCreatedRevision);
    return { revision, previousRevision: previous };
  }

  async restore(revision: string): Promise<Rollout> {
    const pool = await this.required();
    const previous = servingRevision(pool) ?? revision;
    await this.update({ ...writable(pool), instanceSplits: [{ type: SPLIT_REVISION, revision: shortRevision(revision), percent: 100 }] });
    return { revision: shortRevision(revision)!, previousRevision: previous };
  }

  async waitHealthy(rollout: Rollout, timeoutSeconds: number): Promise<RolloutHealth> {
    return pollRollout(async () => assess(await this.read(), rollout.revision, this.o.workerPool), {
      subject: `worker pool ${this.o.workerPool}`,
      revision: rollout.revision,
      timeoutSeconds,
      pollIntervalMs: this.pollIntervalMs,
      clock: this.clock,
    });
  }

  /** The manual instance count: how many instances must reach meshStack. */
  async desiredInstances(): Promise<number> {
    const pool = await this.required();
    return pool.scaling?.manualInstanceCount ?? 0;
  }

  private async required(): Promise<WorkerPoolJson> {
    const pool = await this.read();
    if (pool === undefined) throw new Error(`worker pool ${this.o.workerPool} does not exist; deploy the target first`);
    return pool;
  }

  private async update(body: Record<string, unknown>): Promise<void> {
    await this.o.api.json('PATCH', this.url, { body });
  }

  /** Waits until the update created a revision (latestCreatedRevision moves). */
  private async newRevision(before: string | undefined): Promise<string> {
    const deadline = this.clock.now() + (this.o.revisionAppearSeconds ?? 120) * 1000;
    for (;;) {
      const pool = await this.read();
      const created = shortRevision(pool?.latestCreatedRevision);
      if (created !== undefined && created !== shortRevision(before)) return created;
      if (pool?.terminalCondition?.state === 'CONDITION_FAILED' && !pool.reconciling) {
        throw new Error(`worker pool ${this.o.workerPool} refused the new revision: ${pool.terminalCondition.message ?? pool.terminalCondition.reason ?? 'no message'}`);
      }
      if (this.clock.now() >= deadline) throw new Error(`worker pool ${this.o.workerPool} created no new revision within ${this.o.revisionAppearSeconds ?? 120} s of the update`);
      await this.clock.sleep(Math.min(this.pollIntervalMs, 5_000));
    }
  }
}

/** The pool without its output-only fields, ready to be sent back. */
function writable(pool: WorkerPoolJson): Record<string, unknown> {
  const out: Record<string, unknown> = { ...pool };
  for (const key of OUTPUT_ONLY) delete out[key];
  return out;
}

/** The revision every instance runs: a 100% split status, else the latest ready revision. */
export function servingRevision(pool: WorkerPoolJson): string | undefined {
  const full = (pool.instanceSplitStatuses ?? []).find((s) => (s.percent ?? 0) === 100);
  if (full !== undefined) return full.type === SPLIT_LATEST || full.revision === undefined || full.revision === '' ? shortRevision(pool.latestReadyRevision) : shortRevision(full.revision);
  return shortRevision(pool.latestReadyRevision);
}

/** One reading of a rollout (or restore) to `revision`. */
export function assess(pool: WorkerPoolJson | undefined, revision: string, name: string): RolloutObservation {
  if (pool === undefined) return { state: 'failed', reason: `worker pool ${name} no longer exists` };
  const terminal = pool.terminalCondition;
  if (pool.reconciling === true || (pool.generation !== undefined && pool.observedGeneration !== undefined && pool.generation !== pool.observedGeneration)) {
    return { state: 'in-progress', detail: `worker pool ${name} is reconciling${terminal?.message ? ` (${terminal.message})` : ''}` };
  }
  const failedRevision = (pool.conditions ?? []).find((c) => c.state === 'CONDITION_FAILED');
  if (terminal?.state === 'CONDITION_FAILED') return { state: 'failed', reason: `worker pool ${name} failed: ${terminal.message ?? terminal.reason ?? 'no message'}` };
  const serving = servingRevision(pool);
  if (serving === revision && shortRevision(pool.latestReadyRevision) !== undefined) {
    const ready = shortRevision(pool.latestReadyRevision) === revision || (pool.instanceSplitStatuses ?? []).some((s) => shortRevision(s.revision) === revision && s.percent === 100);
    if (ready) return { state: 'complete' };
  }
  if (shortRevision(pool.latestCreatedRevision) === revision && shortRevision(pool.latestReadyRevision) !== revision && (pool.instanceSplits ?? []).some((s) => s.type === SPLIT_LATEST)) {
    return { state: 'failed', reason: `revision ${revision} of worker pool ${name} did not become ready${failedRevision?.message ? `: ${failedRevision.message}` : ''}` };
  }
  return { state: 'in-progress', detail: `worker pool ${name} serves ${serving ?? 'no revision'}, not ${revision} yet` };
}
