/**
 * meshcloud's run-controller Deployment as the updater's {@link RunnerDeployment}. A release of the
 * runner is several images released together: run-controller itself, and the implementation
 * images it starts Jobs from (`implementations.<TYPE>.image` in its config file, a ConfigMap
 * key). A rollout points both at new digests in the private mirror:
 *
 * 1. the ConfigMap: the implementation images replaced in the file, and the file it replaces
 *    kept in the ConfigMap's config history (see `config-history.ts`);
 * 2. the Deployment: the controller image (and every other container or init container running an
 *    image of the controller's mirror repository, such as the kit's `compose-config`), the
 *    pod-template annotation `private-runner-kit/config-sha256` set to the new file's hash (a
 *    config change alone rolls the pods, and every ReplicaSet records which file its pods ran
 *    with), `private-runner-kit/version`, and `kubernetes.io/change-cause` for `kubectl rollout
 *    history`.
 *
 * Revisions are template hashes (`pod-template-revision.ts`), stable across rollbacks. A restore
 * is `kubectl rollout undo --to-revision` by template: the ReplicaSet holding the template is
 * found, its template (without `pod-template-hash`) is written back into the Deployment, and the
 * ConfigMap gets back the file whose hash the template records. The deployment controller then
 * scales that existing ReplicaSet up again.
 *
 * Every write carries the resourceVersion it was computed from (409 Conflict when someone else
 * changed the object meanwhile; the step is then read and computed again, once). Nothing is
 * written unless every check passed; when the Deployment write fails after the ConfigMap write,
 * the ConfigMap is put back.
 *
 * RBAC: `get`, `patch` on the Deployment and the ConfigMap, `list` on replicasets.
 */
import type { DeployedRevision, Rollout, RolloutHealth, RunnerDeployment } from '../../core/ports';
import { type Clock, pollRollout, type RolloutObservation, SYSTEM_CLOCK } from '../../core/rollout-poll';
import { isDigest } from '../oci/digest';
import { CHANGE_CAUSE_ANNOTATION, type ConfigMap, type Container, type Deployment, type PodTemplateSpec, type ReplicaSetList } from './api-objects';
import { CONFIG_HISTORY_ANNOTATION, findConfig, parseConfigHistory, rememberConfigs, serializeConfigHistory, type ConfigHistoryEntry } from './config-history';
import { assessDeploymentRollout } from './deployment-rollout-assessment';
import { apiPaths, isConflict, isNotFound, isTransientKubernetesError, type KubernetesClient } from './kubernetes-client';
import { deploymentTemplateOf, parseRevision, templateRevision } from './pod-template-revision';
import {
  configSha256,
  IMPLEMENTATION_TYPES,
  implementationImagesOf,
  withImplementationImages,
  type ImplementationImages,
  type ImplementationType,
} from './run-controller-config-images';

/** Pod-template annotation: hex SHA-256 of the config file the pods run with (the kit's RunController sets it too). */
export const CONFIG_HASH_ANNOTATION = 'private-runner-kit/config-sha256';
/** Pod-template annotation: the release the template runs, e.g. `v1.4.0`. */
export const VERSION_ANNOTATION = 'private-runner-kit/version';
/** The kit's names (constructs/kubernetes/run-controller.ts). */
export const DEFAULT_CONTROLLER_CONTAINER = 'run-controller';
export const DEFAULT_CONFIG_KEY = 'config.yaml';

const REPOSITORY_URL = /^[A-Za-z0-9.-]+(?::\d+)?\/[a-z0-9._/-]+$/;

/** The images of one release: the controller's and those of the implementations. */
export interface RunnerImages {
  /** `<mirrorRepositoryUrl>@sha256:...` */
  readonly controller: string;
  /**
   * `<implementationRepositories[TYPE]>@sha256:...` per implementation type. When given, every
   * implementation the config file configures and `implementationRepositories` lists needs one.
   * @default - the implementation images are left as they are
   */
  readonly implementations?: ImplementationImages;
}

export interface KubernetesRunnerDeploymentOptions {
  readonly client: KubernetesClient;
  readonly namespace: string;
  /** The run-controller Deployment, e.g. `run-controller-default`. */
  readonly deployment: string;
  /** @default 'run-controller' - the controller container of the kit's RunController */
  readonly container?: string;
  /** @default - the Deployment's name, as the kit's RunController names its ConfigMap */
  readonly configMap?: string;
  /** The ConfigMap key holding the config file. @default 'config.yaml' */
  readonly configKey?: string;
  /**
   * The controller's mirror repository without tag or digest, e.g.
   * `123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/t/run-controller`.
   */
  readonly mirrorRepositoryUrl: string;
  /**
   * The mirror repository of each implementation image the updater manages, e.g.
   * `{ TERRAFORM: '<registry>/private-runner-kit/t/tf-block-runner' }`. An implementation
   * configured in the file but not listed here keeps its image.
   * @default - none: only the controller image is updated
   */
  readonly implementationRepositories?: Readonly<Partial<Record<ImplementationType, string>>>;
  /**
   * The implementation images of release `version`, by digest in their mirror repositories,
   * typically each repository's `ImageMirror.imageReference(await mirror.promote(version))`.
   * Called by {@link KubernetesRunnerDeployment.rollOut}; images of types the config file does not
   * configure are ignored.
   * @default - none: `rollOut` updates only the controller image
   */
  readonly implementationImages?: (version: string) => Promise<ImplementationImages>;
  /**
   * Time between two reads of the Deployment while waiting.
   * @default 5_000 ms - a controller pod starts in well under a minute; reads are cheap
   */
  readonly pollIntervalMs?: number;
  /** Time and waiting, for tests. @default the system clock */
  readonly clock?: Clock;
}

export class KubernetesRunnerDeployment implements RunnerDeployment {
  private readonly client: KubernetesClient;
  private readonly namespace: string;
  private readonly name: string;
  private readonly container: string;
  private readonly configMap: string;
  private readonly configKey: string;
  private readonly mirrorRepositoryUrl: string;
  private readonly implementationRepositories: Readonly<Partial<Record<ImplementationType, string>>>;
  private readonly implementationImages: ((version: string) => Promise<ImplementationImages>) | undefined;
  private readonly pollIntervalMs: number;
  private readonly clock: Clock;
  private readonly deploymentPath: string;
  private readonly configMapPath: string;

  constructor(options: KubernetesRunnerDeploymentOptions) {
    checkRepositoryUrl('mirrorRepositoryUrl', options.mirrorRepositoryUrl, 'run-controller');
    for (const [type, url] of Object.entries(options.implementationRepositories ?? {})) {
      if (!(IMPLEMENTATION_TYPES as readonly string[]).includes(type)) {
        throw new Error(`implementationRepositories names "${type}", which is no implementation type; use one of ${IMPLEMENTATION_TYPES.join(', ')}`);
      }
      checkRepositoryUrl(`implementationRepositories.${type}`, url ?? '', 'tf-block-runner');
    }
    if (options.implementationImages !== undefined && Object.keys(options.implementationRepositories ?? {}).length === 0) {
      throw new Error('implementationImages is set but implementationRepositories is empty: name the mirror repository of each implementation whose image the updater may change');
    }
    const pollIntervalMs = options.pollIntervalMs ?? 5_000;
    if (!Number.isFinite(pollIntervalMs) || pollIntervalMs <= 0) throw new Error(`pollIntervalMs must be a positive number of milliseconds, got ${pollIntervalMs}`);
    this.client = options.client;
    this.namespace = options.namespace;
    this.name = options.deployment;
    this.container = options.container ?? DEFAULT_CONTROLLER_CONTAINER;
    this.configMap = options.configMap ?? options.deployment;
    this.configKey = options.configKey ?? DEFAULT_CONFIG_KEY;
    if (!/^[-._a-zA-Z0-9]+$/.test(this.configKey)) throw new Error(`configKey "${this.configKey}" is not a valid ConfigMap key; use letters, digits, "-", "_" and ".", e.g. config.yaml`);
    this.mirrorRepositoryUrl = options.mirrorRepositoryUrl.replace(/\/+$/, '');
    this.implementationRepositories = Object.fromEntries(Object.entries(options.implementationRepositories ?? {}).map(([t, u]) => [t, u!.replace(/\/+$/, '')]));
    this.implementationImages = options.implementationImages;
    this.pollIntervalMs = pollIntervalMs;
    this.clock = options.clock ?? SYSTEM_CLOCK;
    // Validates namespace and names once, before any call.
    this.deploymentPath = apiPaths.deployment(this.namespace, this.name);
    this.configMapPath = apiPaths.configMap(this.namespace, this.configMap);
  }

  /**
   * The Deployment's template revision and the digest of the controller container's image when it
   * is `<mirrorRepositoryUrl>@sha256:...`. `undefined` when the Deployment does not exist.
   */
  async current(): Promise<DeployedRevision | undefined> {
    const deployment = await this.readDeployment();
    if (deployment === undefined) return undefined;
    const revision = templateRevision(this.name, deployment.spec.template);
    const image = containersOf(deployment.spec.template).find((c) => c.name === this.container)?.image;
    const prefix = `${this.mirrorRepositoryUrl}@`;
    const digest = image?.startsWith(prefix) ? image.slice(prefix.length) : undefined;
    return digest !== undefined && isDigest(digest) ? { revision, digest } : { revision };
  }

  /**
   * Rolls out release `version`: the controller `image` (`<mirrorRepositoryUrl>@sha256:...`) and,
   * when `implementationImages` is set, the implementation images it returns for `version`. See
   * {@link rollOutImages}.
   */
  async rollOut(image: string, version: string): Promise<Rollout> {
    this.checkControllerImage(image);
    const implementations = this.implementationImages ? await this.implementationImages(version) : undefined;
    return this.rollOutImages({ controller: image, ...(implementations !== undefined ? { implementations } : {}) }, version);
  }

  /**
   * Rolls out the images of one release: every check first (by-digest mirror references, the
   * controller container exists, the Deployment is not paused, the running config can be restored
   * later), then the ConfigMap, then the Deployment. Returns once the API server accepted both;
   * {@link waitHealthy} follows the rollout.
   *
   * For every implementation the file configures and `implementationRepositories` lists, the
   * release must give an image; implementations the file does not configure are ignored.
   */
  async rollOutImages(images: RunnerImages, version: string): Promise<Rollout> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._+-]{0,62}$/.test(version)) {
      throw new Error(`version "${version}" is not a release tag; expected e.g. v1.4.0 (letters, digits, ".", "_", "+", "-"; at most 63)`);
    }
    this.checkControllerImage(images.controller);
    const given = images.implementations;
    for (const [type, image] of Object.entries(given ?? {}) as [ImplementationType, string][]) this.checkImplementationImage(type, image);

    const initial = await this.requireDeployment(`roll out ${version}`);
    this.checkRollable(initial);
    const runningConfigHash = initial.spec.template.metadata?.annotations?.[CONFIG_HASH_ANNOTATION] as string;

    let newConfigHash = '';
    const config = await this.updateConfig((content, history) => {
      if (configSha256(content) !== runningConfigHash && findConfig(history, runningConfigHash) === undefined) {
        throw new Error(
          `${this.where()}: the pods run a config file with sha256 ${runningConfigHash}, but ConfigMap ${this.configMap} holds another one and no copy of theirs is kept, ` +
            'so a rollback could not restore it; refusing to update. Deploy the workload stack again (cdktf deploy) so the Deployment and the ConfigMap agree, then run the updater',
        );
      }
      const next = given === undefined ? content : withImplementationImages(content, this.implementationImagesFor(content, given), this.configWhere());
      newConfigHash = configSha256(next);
      return { content: next, history: rememberConfigs(history, next, content) };
    });

    try {
      return await this.once409(async (attempt) => {
        const deployment = attempt === 0 ? initial : await this.requireDeployment(`roll out ${version}`);
        if (attempt > 0) this.checkRollable(deployment);
        const previousRevision = templateRevision(this.name, deployment.spec.template);
        const patch = {
          metadata: {
            resourceVersion: deployment.metadata.resourceVersion,
            annotations: { [CHANGE_CAUSE_ANNOTATION]: `private-runner-kit updater: roll out ${version}` },
          },
          spec: {
            template: {
              metadata: { annotations: { [CONFIG_HASH_ANNOTATION]: newConfigHash, [VERSION_ANNOTATION]: version } },
              spec: {
                containers: this.mirrorContainers(deployment.spec.template.spec?.containers).map((name) => ({ name, image: images.controller })),
                ...(this.mirrorContainers(deployment.spec.template.spec?.initContainers).length > 0
                  ? { initContainers: this.mirrorContainers(deployment.spec.template.spec?.initContainers).map((name) => ({ name, image: images.controller })) }
                  : {}),
              },
            },
          },
        };
        const patched = await this.client.patch<Deployment>(this.deploymentPath, patch, 'strategic-merge');
        return { revision: templateRevision(this.name, patched.spec.template), previousRevision };
      });
    } catch (error) {
      throw await this.putConfigBack(config, error);
    }
  }

  /**
   * Returns the Deployment to `revision` (`<deployment>:<template hash>`, from {@link current} or a
   * rollout): the template of the ReplicaSet that ran it and the config file that template
   * records. Throws without changing anything when the ReplicaSet is gone (beyond the
   * Deployment's revisionHistoryLimit), when its config file is not kept, or when the Deployment
   * is paused (as `kubectl rollout undo` does).
   */
  async restore(revision: string): Promise<Rollout> {
    const parsed = parseRevision(revision);
    if (parsed === undefined) {
      throw new Error(`cannot restore "${revision}": not a revision of a Kubernetes runner; expected <deployment>:<16 hex digits>, as recorded by the updater`);
    }
    if (parsed.deployment !== this.name) {
      throw new Error(`cannot restore ${revision} on ${this.where()}: it is a revision of Deployment ${parsed.deployment}; pass a revision recorded for this runner`);
    }
    const initial = await this.requireDeployment(`restore ${revision}`);
    if (initial.spec.paused === true) throw new Error(`cannot restore ${revision}: ${this.where()} is paused; resume it first (kubectl rollout resume deployment/${this.name} -n ${this.namespace})`);
    const target = await this.templateFor(initial, revision);
    const targetHash = target.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];
    if (targetHash === undefined) {
      throw new Error(`cannot restore ${revision}: its template has no ${CONFIG_HASH_ANNOTATION} annotation, so the config file it ran with is unknown; it was not deployed by the kit`);
    }

    const config = await this.updateConfig((content, history) => {
      if (configSha256(content) === targetHash) return { content, history };
      const kept = findConfig(history, targetHash);
      if (kept === undefined) {
        throw new Error(
          `cannot restore ${revision}: its config file (sha256 ${targetHash}) is not kept in annotation ${CONFIG_HISTORY_ANNOTATION} of ConfigMap ${this.configMap}; ` +
            'nothing was changed. Deploy the wanted version with the workload stack instead',
        );
      }
      return { content: kept, history: rememberConfigs(history, kept, content) };
    });

    try {
      return await this.once409(async (attempt) => {
        const deployment = attempt === 0 ? initial : await this.requireDeployment(`restore ${revision}`);
        const previousRevision = templateRevision(this.name, deployment.spec.template);
        const annotations = deployment.metadata.annotations;
        const cause = `private-runner-kit updater: restore ${revision}`;
        const operations = [
          // Carries the resourceVersion read: the API server answers 409 when it is stale.
          { op: 'replace', path: '/metadata/resourceVersion', value: deployment.metadata.resourceVersion },
          annotations === undefined
            ? { op: 'add', path: '/metadata/annotations', value: { [CHANGE_CAUSE_ANNOTATION]: cause } }
            : { op: 'add', path: `/metadata/annotations/${CHANGE_CAUSE_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1')}`, value: cause },
          { op: 'replace', path: '/spec/template', value: target },
        ];
        const patched = await this.client.patch<Deployment>(this.deploymentPath, operations, 'json');
        return { revision: templateRevision(this.name, patched.spec.template), previousRevision };
      });
    } catch (error) {
      throw await this.putConfigBack(config, error);
    }
  }

  /**
   * Reads the Deployment every `pollIntervalMs` until {@link assessDeploymentRollout} calls the
   * rollout complete or failed, or `timeoutSeconds` have passed. A read that gets no answer, 429 or
   * 5xx is tried again at the next poll (an API server blip must not roll back a healthy
   * release); other errors (403: the updater lacks a permission) are thrown.
   */
  async waitHealthy(rollout: Rollout, timeoutSeconds: number): Promise<RolloutHealth> {
    const observe = async (): Promise<RolloutObservation> => {
      let deployment: Deployment | undefined;
      try {
        deployment = await this.readDeployment();
      } catch (error) {
        if (!isTransientKubernetesError(error)) throw error;
        return { state: 'in-progress', detail: `reading the Deployment failed: ${(error as Error).message}` };
      }
      if (deployment === undefined) return { state: 'failed', reason: `${this.where()} no longer exists; ${rollout.revision} cannot become healthy` };
      return assessDeploymentRollout(deployment, rollout);
    };
    return pollRollout(observe, { subject: this.where(), revision: rollout.revision, timeoutSeconds, pollIntervalMs: this.pollIntervalMs, clock: this.clock });
  }

  /** The template of `revision`: the Deployment's own, or the one of its ReplicaSet that ran it. */
  private async templateFor(deployment: Deployment, revision: string): Promise<PodTemplateSpec> {
    if (templateRevision(this.name, deployment.spec.template) === revision) return structuredClone(deployment.spec.template);
    const matchLabels = deployment.spec.selector.matchLabels ?? {};
    const labelSelector = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
    const list = await this.client.get<ReplicaSetList>(apiPaths.replicaSets(this.namespace), labelSelector ? { labelSelector } : undefined);
    const owned = list.items.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller === true && o.kind === 'Deployment' && o.uid === deployment.metadata.uid));
    const known: string[] = [];
    for (const rs of owned) {
      const template = deploymentTemplateOf(rs);
      if (template === undefined) continue;
      const candidate = templateRevision(this.name, template);
      if (candidate === revision) return template;
      known.push(candidate);
    }
    throw new Error(
      `cannot restore ${revision}: no ReplicaSet of ${this.where()} has that template (kept: ${known.join(', ') || 'none'}); ` +
        `older ones are deleted beyond the Deployment's revisionHistoryLimit (${deployment.spec.revisionHistoryLimit ?? 10}). Nothing was changed`,
    );
  }

  /**
   * Reads the ConfigMap, lets `compute` derive the new file and history from the current ones, and
   * patches the ConfigMap when either changed (with the resourceVersion read; a 409 reads and
   * computes once more). Returns what was there and what was written, for {@link putConfigBack}.
   */
  private async updateConfig(
    compute: (content: string, history: ConfigHistoryEntry[]) => { content: string; history: ConfigHistoryEntry[] },
  ): Promise<{ before: string; after: string }> {
    return this.once409(async () => {
      const configMap = await this.readConfigMap();
      const content = configMap.data?.[this.configKey];
      if (content === undefined) {
        throw new Error(`ConfigMap ${this.configMap} in namespace ${this.namespace} has no key ${this.configKey}; set configKey to the key holding run-controller's config file`);
      }
      if (configMap.immutable === true) throw new Error(`ConfigMap ${this.configMap} in namespace ${this.namespace} is immutable; the updater cannot change its images`);
      const currentHistoryText = configMap.metadata.annotations?.[CONFIG_HISTORY_ANNOTATION];
      const next = compute(content, parseConfigHistory(currentHistoryText));
      const historyText = serializeConfigHistory(next.history);
      if (next.content !== content || historyText !== currentHistoryText) {
        await this.client.patch<ConfigMap>(
          this.configMapPath,
          {
            metadata: { resourceVersion: configMap.metadata.resourceVersion, annotations: { [CONFIG_HISTORY_ANNOTATION]: historyText } },
            data: { [this.configKey]: next.content },
          },
          'merge',
        );
      }
      return { before: content, after: next.content };
    });
  }

  /** After a failed Deployment write: the ConfigMap's file back to `before`; returns the error to throw. */
  private async putConfigBack(config: { before: string; after: string }, error: unknown): Promise<Error> {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (config.before === config.after) return failure;
    try {
      await this.client.patch<ConfigMap>(this.configMapPath, { data: { [this.configKey]: config.before } }, 'merge');
      return new Error(`${failure.message} (ConfigMap ${this.configMap} was put back to its previous content)`, { cause: failure });
    } catch (putBack) {
      return new Error(
        `${failure.message}; putting ConfigMap ${this.configMap} back failed too (${(putBack as Error).message}): it holds the new implementation images while the Deployment was not changed`,
        { cause: failure },
      );
    }
  }

  /** Runs `step`; on 409 Conflict runs it once more (it must read the object again when `attempt` > 0). */
  private async once409<T>(step: (attempt: number) => Promise<T>): Promise<T> {
    try {
      return await step(0);
    } catch (error) {
      if (!isConflict(error)) throw error;
      return step(1);
    }
  }

  /** The implementation images to write: every configured type the updater manages, from `given`. */
  private implementationImagesFor(content: string, given: ImplementationImages): ImplementationImages {
    const configured = implementationImagesOf(content, this.configWhere());
    const wanted: Partial<Record<ImplementationType, string>> = {};
    const missing: string[] = [];
    for (const type of Object.keys(configured) as ImplementationType[]) {
      if (this.implementationRepositories[type] === undefined) continue;
      const image = given[type];
      if (image === undefined) missing.push(type);
      else wanted[type] = image;
    }
    if (missing.length > 0) {
      throw new Error(
        `the release gives no image for ${missing.join(', ')}, which ${this.configWhere()} configures and implementationRepositories manages; ` +
          'a release rolls out all its images together: return an image for every managed implementation from implementationImages',
      );
    }
    return wanted;
  }

  /** The controller container must exist and run an image of the mirror, the config hash must be recorded, the Deployment must not be paused. */
  private checkRollable(deployment: Deployment): void {
    const containers = containersOf(deployment.spec.template);
    const controller = containers.find((c) => c.name === this.container);
    if (!controller) {
      throw new Error(
        `${this.where()} has no container "${this.container}" (containers: ${containers.map((c) => c.name).join(', ') || 'none'}); set container to the run-controller container's name`,
      );
    }
    if (!isMirrorImage(controller.image ?? '', this.mirrorRepositoryUrl)) {
      throw new Error(
        `container "${this.container}" of ${this.where()} runs ${controller.image ?? 'no image'}, not an image of the mirror ${this.mirrorRepositoryUrl}; ` +
          'deploy the runner with the kit first, or set mirrorRepositoryUrl to the repository it uses',
      );
    }
    const hash = deployment.spec.template.metadata?.annotations?.[CONFIG_HASH_ANNOTATION];
    if (hash === undefined || !/^[0-9a-f]{64}$/.test(hash)) {
      throw new Error(
        `${this.where()} has no pod-template annotation ${CONFIG_HASH_ANNOTATION} (the hash of its config file), so a rollback could not tell which config to restore; ` +
          'deploy the workload stack with the kit (its RunController sets it), then run the updater',
      );
    }
    if (deployment.spec.paused === true) {
      throw new Error(`${this.where()} is paused, so a new template would never roll out; resume it first (kubectl rollout resume deployment/${this.name} -n ${this.namespace})`);
    }
  }

  /** Names of the containers running an image of the controller's mirror repository. */
  private mirrorContainers(containers: readonly Container[] | undefined): string[] {
    return (containers ?? []).filter((c) => c.name === this.container || isMirrorImage(c.image ?? '', this.mirrorRepositoryUrl)).map((c) => c.name);
  }

  private checkControllerImage(image: string): void {
    const prefix = `${this.mirrorRepositoryUrl}@`;
    if (!image.startsWith(prefix) || !isDigest(image.slice(prefix.length))) {
      throw new Error(
        `image "${image}" is not a by-digest reference into the mirror ${this.mirrorRepositoryUrl}; ` +
          `runners only run mirror digests: pass ${prefix}sha256:<64 hex> (ImageMirror.imageReference)`,
      );
    }
  }

  private checkImplementationImage(type: ImplementationType, image: string): void {
    if (!(IMPLEMENTATION_TYPES as readonly string[]).includes(type)) throw new Error(`implementation image for "${type}": no such implementation type; use one of ${IMPLEMENTATION_TYPES.join(', ')}`);
    const repository = this.implementationRepositories[type];
    if (repository === undefined) {
      throw new Error(`implementation image for ${type} given, but implementationRepositories names no mirror repository for ${type}; add it, or leave ${type} out`);
    }
    const prefix = `${repository}@`;
    if (!image.startsWith(prefix) || !isDigest(image.slice(prefix.length))) {
      throw new Error(`${type} image "${image}" is not a by-digest reference into its mirror ${repository}; pass ${prefix}sha256:<64 hex> (ImageMirror.imageReference)`);
    }
  }

  private async readDeployment(): Promise<Deployment | undefined> {
    try {
      return await this.client.get<Deployment>(this.deploymentPath);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  private async requireDeployment(what: string): Promise<Deployment> {
    const deployment = await this.readDeployment();
    if (deployment === undefined || deployment.metadata.deletionTimestamp !== undefined) {
      throw new Error(
        `cannot ${what}: ${this.where()} ${deployment ? 'is being deleted' : 'does not exist'}; deploy the workload stack first (cdktf deploy), then run the updater again`,
      );
    }
    return deployment;
  }

  private async readConfigMap(): Promise<ConfigMap> {
    try {
      return await this.client.get<ConfigMap>(this.configMapPath);
    } catch (error) {
      if (isNotFound(error)) {
        throw new Error(`ConfigMap ${this.configMap} in namespace ${this.namespace} does not exist; deploy the workload stack first, or set configMap to the one holding run-controller's config`);
      }
      throw error;
    }
  }

  private where(): string {
    return `Deployment ${this.name} in namespace ${this.namespace}`;
  }

  private configWhere(): string {
    return `${this.configKey} of ConfigMap ${this.configMap}`;
  }
}

function containersOf(template: PodTemplateSpec): readonly Container[] {
  return template.spec?.containers ?? [];
}

/** True when `image` is `repositoryUrl@<digest>` or `repositoryUrl:<tag>`, not a longer repository name. */
function isMirrorImage(image: string, repositoryUrl: string): boolean {
  return image.startsWith(`${repositoryUrl}@`) || image.startsWith(`${repositoryUrl}:`);
}

function checkRepositoryUrl(what: string, url: string, example: string): void {
  if (!REPOSITORY_URL.test(url)) {
    throw new Error(
      `${what} "${url}" is not a repository URL; use host and repository without scheme, tag or digest, ` +
        `e.g. 123456789012.dkr.ecr.eu-central-1.amazonaws.com/private-runner-kit/t/${example}`,
    );
  }
}
