/**
 * What the cloud-neutral updater needs from the outside world, one interface per concern. Adapters
 * implement them per cloud (ECS, Kubernetes, ACI, Cloud Run; ECR, ACR, Artifact Registry); the
 * orchestration in `run.ts` is written once against them and unit-tested with in-memory fakes.
 */

/** Where releases come from: the upstream repository (e.g. ghcr.io/meshcloud/tf-block-runner). */
export interface ReleaseSource {
  /**
   * The tags upstream publishes; at least every release tag vX.Y.Z (an adapter may drop the others
   * while reading, to bound its memory). The core picks the releases among them.
   */
  listTags(): Promise<readonly string[]>;
}

/** The kit's private mirror of one upstream repository. */
export interface ImageMirror {
  /**
   * Copies upstream `version` into the mirror by digest (idempotent: what is already there is
   * skipped) and returns the digest the runtime must reference (`sha256:...`).
   */
  promote(version: string): Promise<string>;
  /** The full reference of a promoted digest, e.g. `<account>.dkr.ecr.<region>.amazonaws.com/<repo>@sha256:...`. */
  imageReference(digest: string): string;
}

/** What runs now, as the deployment platform reports it. */
export interface DeployedRevision {
  /** Opaque platform revision: an ECS task-definition ARN, a Kubernetes ReplicaSet template hash, ... */
  readonly revision: string;
  /** The mirror digest the revision runs (`sha256:...`), when the platform can tell. */
  readonly digest?: string;
}

/** A rollout in progress: the revision being rolled out and the one it replaces. */
export interface Rollout {
  readonly revision: string;
  readonly previousRevision: string;
}

export type RolloutHealth =
  | { readonly healthy: true }
  | { readonly healthy: false; readonly reason: string };

/** The runner's deployment: an ECS service, a Kubernetes Deployment, ... */
export interface RunnerDeployment {
  /** What runs now; `undefined` when the runner has not been deployed yet. */
  current(): Promise<DeployedRevision | undefined>;
  /**
   * Starts rolling out `image` (a full by-digest reference from the mirror): a new revision equal
   * to the current one except the image, then the switch to it. Returns at once.
   */
  rollOut(image: string, version: string): Promise<Rollout>;
  /** Starts returning to `revision` (an earlier revision of the same runner). */
  restore(revision: string): Promise<Rollout>;
  /**
   * Waits until `rollout` is healthy (platform says complete, enough healthy replicas, health
   * alarm quiet) or fails (platform rolled back itself, replicas failing, timeout).
   */
  waitHealthy(rollout: Rollout, timeoutSeconds: number): Promise<RolloutHealth>;
}

/** The version record: what the updater last put in place. Read by operators and outputs. */
export interface VersionRecord {
  readonly version: string;
  readonly digest: string;
  /** The platform revision running `version`; absent right after the first deployment. */
  readonly revision?: string;
  /** What ran before the last change: the target of an operator's rollback. */
  readonly previous?: { readonly version: string; readonly digest: string; readonly revision?: string };
  /** ISO time of the last change. */
  readonly updatedAt: string;
}

/**
 * The value a version parameter holds from its creation until the bootstrap writes the first record
 * (Terraform creates the parameter with it and ignores later values). Read as "no record yet".
 */
export const VERSION_RECORD_PLACEHOLDER = '{"bootstrap":"pending"}';

export interface VersionStore {
  read(): Promise<VersionRecord | undefined>;
  write(record: VersionRecord): Promise<void>;
}

/** Outcomes reported per runner and run; each is one value of the outcome metric. */
export const REPORTED_OUTCOMES = [
  'up-to-date',
  'update-available',
  'updated',
  'rolled-back',
  'failed',
  'outside-window',
  'held',
  'rejected',
  'bootstrapped',
  /** The runner was executing a run for as long as this run could wait: nothing changed; the next run tries again. */
  'deferred-busy',
] as const;
export type ReportedOutcome = (typeof REPORTED_OUTCOMES)[number];

/** One decision and what came of it: one JSON log line and one metric data point. */
export interface UpdateReport {
  readonly target: string;
  readonly runner: string;
  readonly action: string;
  readonly outcome: ReportedOutcome;
  readonly from?: string;
  readonly to?: string;
  readonly digest?: string;
  readonly revision?: string;
  readonly reason: string;
  readonly durationMs: number;
}

export interface Reporter {
  report(report: UpdateReport): Promise<void>;
}
