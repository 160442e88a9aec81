/**
 * Composes the updater on GCP: the cloud-neutral run (`updater/core/run.ts`) with the GCP adapters
 * (Artifact Registry mirror by OCI copy, Cloud Run worker pool, version records in the kit's
 * bucket, the runner's lines in Cloud Logging, structured-log reports), from the configuration
 * document of the job's environment. The job, the deploy's bootstrap, `runner-kit update` and the
 * tests all run through here.
 */
import type { Reporter, RunnerDeployment } from '../core/ports';
import type { MeshstackSignal } from '../core/meshstack-signal';
import { releaseMirror } from '../core/release-mirror';
import { gkeKubernetesClient } from '../adapters/gcp/gke-kubernetes-api';
import type { KubernetesClient } from '../adapters/kubernetes/kubernetes-client';
import { KubernetesRunnerDeployment } from '../adapters/kubernetes/kubernetes-runner-deployment';
import { ControllerLogSignal } from '../adapters/kubernetes/controller-log-signal';
import type { UpdaterPayload } from '../core/payload';
import { runUpdater, type RunnerPorts, type UpdaterRunResult } from '../core/run';
import { defaultTokenProvider, type AccessTokenProvider } from '../adapters/gcp/access-token';
import { ArtifactRegistryImageMirror } from '../adapters/gcp/artifact-registry-image-mirror';
import { CloudLoggingRunnerLog } from '../adapters/gcp/cloud-logging-runner-log';
import { CloudRunWorkerPoolDeployment } from '../adapters/gcp/cloudrun-worker-pool-deployment';
import { GcsVersionStore } from '../adapters/gcp/gcs-version-store';
import { GOOGLE_ENDPOINTS, GoogleApi, type GoogleEndpoints } from '../adapters/gcp/google-api';
import { StructuredLogReporter } from '../adapters/gcp/structured-log-reporter';
import { UpstreamReleaseSource } from '../adapters/oci/upstream-release-source';
import type { Clock } from '../core/rollout-poll';
import { GCP_UPDATER_TIME_LIMIT_SECONDS, type GcpKubernetesRunnerConfig, type GcpUpdaterConfig } from './gcp-updater-config';


export interface GcpUpdaterOptions {
  readonly env?: NodeJS.ProcessEnv;
  /** @default defaultTokenProvider(env) */
  readonly tokens?: AccessTokenProvider;
  /** Google API endpoints (tests: fakes on loopback). @default GOOGLE_ENDPOINTS */
  readonly endpoints?: Partial<GoogleEndpoints>;
  /** Registry origin to push to instead of Artifact Registry's (tests). */
  readonly mirrorRegistryUrlOverride?: string;
  /** Another Kubernetes API than the GKE cluster's DNS endpoint (tests: a fake API server on loopback). */
  readonly kubernetesApiOverride?: { readonly server: string; readonly caPem?: string };
  /** Upstream registry origin instead of the configured one (tests). */
  readonly upstreamRegistryUrlOverride?: string;
  readonly pollIntervalMs?: number;
  readonly busyWaitSeconds?: number;
  readonly busyPollSeconds?: number;
  readonly minimumSignalSeconds?: number;
  readonly reporter?: Reporter;
  readonly log?: (line: string) => void;
  readonly clock?: Clock;
  readonly now?: () => Date;
}

/** The longest wait for busy runners: what the job's hour leaves after a rollout and its rollback, at most 10 minutes. */
export function gcpBusyWaitSecondsFor(rolloutTimeoutSeconds: number): number {
  return Math.min(600, Math.max(0, GCP_UPDATER_TIME_LIMIT_SECONDS - 2 * rolloutTimeoutSeconds - 120));
}

export interface GcpUpdater {
  readonly runners: readonly RunnerPorts[];
  readonly reporter: Reporter;
  readonly api: GoogleApi;
  readonly tokens: AccessTokenProvider;
  readonly endpoints: GoogleEndpoints;
  /** Each runner's record store, by runner (the bootstrap writes the first records). */
  readonly stores: ReadonlyMap<string, GcsVersionStore>;
}

export function createGcpUpdater(config: GcpUpdaterConfig, options: GcpUpdaterOptions = {}): GcpUpdater {
  const tokens = options.tokens ?? defaultTokenProvider(options.env ?? process.env);
  const api = new GoogleApi({ tokens });
  const endpoints: GoogleEndpoints = { ...GOOGLE_ENDPOINTS, ...options.endpoints };
  const stores = new Map<string, GcsVersionStore>();
  const runners = config.runners.map((r): RunnerPorts => {
    const packageUrl = `${config.mirrorRegistry}/${r.mirrorPackage}`;
    const upstreamRegistry = options.upstreamRegistryUrlOverride ?? r.upstreamRegistry;
    const mirrorOf = (registryUrl: string, repository: string, url: string) =>
      new ArtifactRegistryImageMirror({ tokens, upstream: { registryUrl, repository }, packageUrl: url, ...(options.mirrorRegistryUrlOverride !== undefined ? { registryUrlOverride: options.mirrorRegistryUrlOverride } : {}) });
    const versions = new GcsVersionStore({ api, bucket: config.bucket, object: r.record, endpoint: endpoints.storage });
    stores.set(r.name, versions);
    const base = { name: r.name, policy: { ...config.policy, version: r.version }, releases: new UpstreamReleaseSource({ registryUrl: upstreamRegistry, repository: r.upstreamRepository }), versions };
    if (r.kubernetes !== undefined) return { ...base, ...gkeRunnerPorts(r.kubernetes, config, { api, tokens, endpoints, options, controllerMirror: mirrorOf(upstreamRegistry, r.upstreamRepository, packageUrl), packageUrl, mirrorOf }) };
    if (r.workerPool === undefined) throw new Error(`runner ${r.name} names neither a worker pool nor a cluster: deploy the target again`);
    const deployment = new CloudRunWorkerPoolDeployment({
      api,
      workerPool: `projects/${config.project}/locations/${config.region}/workerPools/${r.workerPool}`,
      mirrorPackageUrl: packageUrl,
      endpoint: endpoints.run,
      ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
      ...(options.clock !== undefined ? { clock: options.clock } : {}),
    });
    const log = new CloudLoggingRunnerLog({
      api,
      project: config.project,
      workerPool: r.workerPool,
      runTimeoutMinutes: config.runTimeoutMinutes,
      desiredInstances: () => deployment.desiredInstances(),
      endpoint: endpoints.logging,
      ...(options.clock !== undefined ? { now: () => options.clock!.now() } : {}),
    });
    return { ...base, mirror: mirrorOf(upstreamRegistry, r.upstreamRepository, packageUrl), deployment, meshstack: log, activity: log };
  });
  return { runners, reporter: options.reporter ?? new StructuredLogReporter(options.log), api, tokens, endpoints, stores };
}

/**
 * A run-controller on GKE: the release (controller and job images at one tag) promoted into the
 * mirror together; the controller Deployment rolled through the cluster's Kubernetes API, reached
 * at its DNS endpoint with the updater's own Google access token; the controller's log as the
 * meshStack signal (no activity port: runs are Jobs, which a controller rollout leaves alone).
 */
function gkeRunnerPorts(
  k: GcpKubernetesRunnerConfig,
  config: GcpUpdaterConfig,
  c: {
    readonly api: GoogleApi;
    readonly tokens: AccessTokenProvider;
    readonly endpoints: GoogleEndpoints;
    readonly options: GcpUpdaterOptions;
    readonly controllerMirror: ArtifactRegistryImageMirror;
    readonly packageUrl: string;
    readonly mirrorOf: (registryUrl: string, repository: string, url: string) => ArtifactRegistryImageMirror;
  },
): Pick<RunnerPorts, 'mirror' | 'deployment' | 'meshstack'> {
  const jobs = k.implementations.map((i) => {
    const url = `${config.mirrorRegistry}/${i.mirrorPackage}`;
    return { type: i.type, url, mirror: c.mirrorOf(c.options.upstreamRegistryUrlOverride ?? i.upstreamRegistry, i.upstreamRepository, url) };
  });
  const release = releaseMirror(c.controllerMirror, jobs.map((j) => ({ name: j.type, mirror: j.mirror })));
  let client: Promise<KubernetesClient> | undefined;
  const clusterApi = () =>
    (client ??= gkeKubernetesClient({
      api: c.api,
      tokens: c.tokens,
      endpoint: c.endpoints.container,
      project: config.project,
      location: config.region,
      cluster: k.cluster,
      ...(c.options.kubernetesApiOverride !== undefined ? { serverOverride: c.options.kubernetesApiOverride } : {}),
    }));
  const deployment = lazyDeployment(
    async () =>
      new KubernetesRunnerDeployment({
        client: await clusterApi(),
        namespace: k.namespace,
        deployment: k.deployment,
        mirrorRepositoryUrl: c.packageUrl,
        implementationRepositories: Object.fromEntries(jobs.map((j) => [j.type, j.url])),
        implementationImages: release.companionImages,
        ...(c.options.pollIntervalMs !== undefined ? { pollIntervalMs: c.options.pollIntervalMs } : {}),
      }),
  );
  const meshstack: MeshstackSignal = {
    observe: async (rollout, since) => new ControllerLogSignal({ client: await clusterApi(), namespace: k.namespace, deployment: k.deployment }).observe(rollout, since),
  };
  return { mirror: release.mirror, deployment, meshstack };
}

function lazyDeployment(create: () => Promise<RunnerDeployment>): RunnerDeployment {
  let made: Promise<RunnerDeployment> | undefined;
  const get = () => (made ??= create());
  return {
    current: async () => (await get()).current(),
    rollOut: async (image, version) => (await get()).rollOut(image, version),
    restore: async (revision) => (await get()).restore(revision),
    waitHealthy: async (rollout, timeout) => (await get()).waitHealthy(rollout, timeout),
  };
}

/** Runs the updater once for `payload` (see `runUpdater`). */
export async function runGcpUpdater(config: GcpUpdaterConfig, payload: UpdaterPayload, options: GcpUpdaterOptions = {}): Promise<UpdaterRunResult> {
  const { runners, reporter } = createGcpUpdater(config, options);
  return runUpdater({
    target: config.target,
    payload,
    runners,
    reporter,
    rolloutTimeoutSeconds: config.rolloutTimeoutSeconds,
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
    ...(options.now !== undefined ? { now: options.now } : {}),
    busyWaitSeconds: options.busyWaitSeconds ?? gcpBusyWaitSecondsFor(config.rolloutTimeoutSeconds),
    ...(options.busyPollSeconds !== undefined ? { busyPollSeconds: options.busyPollSeconds } : {}),
    ...(options.pollIntervalMs !== undefined ? { signalPollSeconds: options.pollIntervalMs / 1000 } : {}),
    ...(options.minimumSignalSeconds !== undefined ? { minimumSignalSeconds: options.minimumSignalSeconds } : {}),
  });
}

/**
 * The deploy's bootstrap on GCP: promotes each runner's configured version (the core's bootstrap),
 * writes the records the deploy then reads, and promotes the updater's runtime (Node.js, linux/amd64)
 * with its record. A record already there is kept: a repeated bootstrap never moves what runs.
 * Throws when anything fails: the deploy must stop before any worker pool exists.
 */
export async function bootstrapGcp(config: GcpUpdaterConfig, options: GcpUpdaterOptions = {}): Promise<UpdaterRunResult> {
  const updater = createGcpUpdater(config, options);
  const result = await runUpdater({ target: config.target, payload: { action: 'bootstrap' }, runners: updater.runners, reporter: updater.reporter, rolloutTimeoutSeconds: config.rolloutTimeoutSeconds });
  for (const [name, r] of Object.entries(result.runners)) {
    const store = updater.stores.get(name)!;
    if (r.record !== undefined && (await store.read()) === undefined) await store.write(r.record);
  }
  const runtimeStore = new GcsVersionStore({ api: updater.api, bucket: config.bucket, object: config.runtime.record, endpoint: updater.endpoints.storage });
  if ((await runtimeStore.read()) === undefined) {
    const runtime = new ArtifactRegistryImageMirror({
      tokens: updater.tokens,
      upstream: { registryUrl: options.upstreamRegistryUrlOverride ?? config.runtime.upstreamRegistry, repository: config.runtime.upstreamRepository },
      packageUrl: `${config.mirrorRegistry}/${config.runtime.mirrorPackage}`,
      platform: { os: 'linux', architecture: 'amd64' },
      tag: false,
      ...(options.mirrorRegistryUrlOverride !== undefined ? { registryUrlOverride: options.mirrorRegistryUrlOverride } : {}),
    });
    const digest = await runtime.promote(config.runtime.tag);
    await runtimeStore.write({ version: config.runtime.tag, digest, updatedAt: (options.now?.() ?? new Date()).toISOString() });
  }
  return result;
}
