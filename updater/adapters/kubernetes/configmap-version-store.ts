/**
 * A runner's version record inside the cluster, beside what it describes: an annotation
 * (`private-runner-kit/version-record`, JSON) on run-controller's ConfigMap, which the kit's
 * workload stack leaves to the updater (Terraform ignores the ConfigMap's annotations, where the
 * config history lives too). For clouds whose updater has no parameter store of its own near the
 * cluster (AKS; EKS keeps its record in SSM): the updater's namespace-scoped rights (get and patch
 * of the ConfigMap) are all it needs.
 *
 * Before the updater's first change there is no annotation: the record is then what the workload
 * stack deployed, i.e. the configured version and the digest the controller Deployment runs
 * (`RunnerDeployment.current()`), so the first deploy needs no extra step to write one. `undefined`
 * while the Deployment does not exist or runs no mirror digest.
 */
import type { RunnerDeployment, VersionRecord, VersionStore } from '../../core/ports';
import type { ConfigMap } from './api-objects';
import { apiPaths, isNotFound, type KubernetesClient } from './kubernetes-client';

export const VERSION_RECORD_ANNOTATION = 'private-runner-kit/version-record';

export interface ConfigMapVersionStoreOptions {
  readonly client: KubernetesClient;
  readonly namespace: string;
  /** run-controller's ConfigMap (the kit names it like the Deployment). */
  readonly configMap: string;
  /** The controller Deployment, for the record of the first deployment. */
  readonly deployment: RunnerDeployment;
  /** The version the workload stack deployed (the configured one). */
  readonly deployedVersion: string;
  /**
   * The digest of a release (upstream's, which the mirror keeps by import), to prove that the
   * Deployment runs `deployedVersion` before the first record names it: the configured version may
   * have moved since the first deploy (later deploys leave the image to the updater).
   * @default - trusted as configured
   */
  readonly digestOf?: (version: string) => Promise<string>;
}

export class ConfigMapVersionStore implements VersionStore {
  private readonly path: string;

  constructor(private readonly o: ConfigMapVersionStoreOptions) {
    this.path = apiPaths.configMap(o.namespace, o.configMap);
  }

  async read(): Promise<VersionRecord | undefined> {
    const configMap = await this.configMap();
    const text = configMap?.metadata.annotations?.[VERSION_RECORD_ANNOTATION];
    if (text !== undefined) return parseRecord(text, `${this.o.namespace}/${this.o.configMap}`);
    const current = await this.o.deployment.current();
    if (current?.digest === undefined) return undefined;
    if (this.o.digestOf !== undefined) {
      const expected = await this.o.digestOf(this.o.deployedVersion);
      if (expected !== current.digest) {
        throw new Error(
          `Deployment ${this.o.namespace}/${this.o.configMap} runs ${current.digest}, not ${this.o.deployedVersion} (${expected}), and no version record exists yet: ` +
            `set the runner's version in the config to the release the first deploy ran (or deploy the workload again from scratch); nothing was changed`,
        );
      }
    }
    return { version: this.o.deployedVersion, digest: current.digest, revision: current.revision, updatedAt: 'first deployment' };
  }

  async write(record: VersionRecord): Promise<void> {
    // A merge patch of this one annotation: the config history and Terraform's fields stay as they are.
    await this.o.client.patch(this.path, { metadata: { annotations: { [VERSION_RECORD_ANNOTATION]: JSON.stringify(record) } } }, 'merge');
  }

  private async configMap(): Promise<ConfigMap | undefined> {
    try {
      return await this.o.client.get<ConfigMap>(this.path);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

function parseRecord(text: string, where: string): VersionRecord {
  let value: Partial<VersionRecord>;
  try {
    value = JSON.parse(text) as Partial<VersionRecord>;
  } catch (error) {
    throw new Error(`ConfigMap ${where}: annotation ${VERSION_RECORD_ANNOTATION} is not JSON (${(error as Error).message}); remove it to start over from what the Deployment runs`);
  }
  if (typeof value.version !== 'string' || typeof value.digest !== 'string' || typeof value.updatedAt !== 'string') {
    throw new Error(`ConfigMap ${where}: annotation ${VERSION_RECORD_ANNOTATION} lacks version, digest or updatedAt; remove it to start over from what the Deployment runs`);
  }
  return value as VersionRecord;
}
