/**
 * run-controller's own log as the updater's {@link MeshstackSignal} on Kubernetes (EKS, AKS, GKE).
 * This file only fetches lines; what they mean is the cloud-neutral
 * `updater/core/runner-logs/run-controller.ts` (which also says why the log and not `/metrics`).
 *
 * Which pods: those of the ReplicaSet that runs the rollout's template (the Deployment's own
 * ReplicaSet for that template, found as a restore finds it), by the ReplicaSet's
 * `pod-template-hash` label. Each pod's controller container log is read through the API server
 * (`GET pods/<name>/log?container=...&timestamps=true`; the kubelet serves it, so no NetworkPolicy
 * changes) and judged on its own; the Deployment's `spec.replicas` is how many must reach meshStack.
 *
 * RBAC: `get`/`list` deployments, replicasets and pods (the updater holds them to roll out), and
 * `get` on `pods/log` (NamespaceAccess `READ_CONTROLLER_LOGS`), in the runner namespace only.
 *
 * Runs in progress need no port here: they are Jobs, which the controller creates without an
 * ownerReference and never deletes, so replacing the controller leaves them running (README,
 * "Updates").
 */
import { judgeInstances, type MeshstackObservation, type MeshstackSignal } from '../../core/meshstack-signal';
import type { Rollout } from '../../core/ports';
import type { LogEvent } from '../../core/runner-logs/log-event';
import { runControllerVerdict } from '../../core/runner-logs/run-controller';
import { POD_TEMPLATE_HASH_LABEL, type Deployment, type ObjectMeta, type ReplicaSetList } from './api-objects';
import { apiPaths, isNotFound, KubernetesApiError, type KubernetesClient } from './kubernetes-client';
import { DEFAULT_CONTROLLER_CONTAINER } from './kubernetes-runner-deployment';
import { deploymentTemplateOf, templateRevision } from './pod-template-revision';

/** The parts of a Pod the signal reads. */
interface Pod {
  readonly metadata: ObjectMeta;
  readonly spec?: { readonly containers?: readonly { readonly name: string }[] };
}
interface PodList {
  readonly items: readonly Pod[];
}

export interface ControllerLogSignalOptions {
  readonly client: KubernetesClient;
  readonly namespace: string;
  /** The run-controller Deployment. */
  readonly deployment: string;
  /** @default 'run-controller' */
  readonly container?: string;
  /**
   * The most bytes of one pod's log read, from its start (`limitBytes`), where registration is.
   * @default 1 MiB - the rollout's pods are minutes old, and a controller logs a few lines a minute
   */
  readonly maxLogBytes?: number;
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  readonly now?: () => number;
}

export class ControllerLogSignal implements MeshstackSignal {
  private readonly container: string;
  private readonly maxLogBytes: number;
  private readonly now: () => number;

  constructor(private readonly options: ControllerLogSignalOptions) {
    this.container = options.container ?? DEFAULT_CONTROLLER_CONTAINER;
    this.maxLogBytes = options.maxLogBytes ?? 1024 * 1024;
    this.now = options.now ?? Date.now;
    // Validates the names once, before any call.
    apiPaths.deployment(options.namespace, options.deployment);
  }

  async observe(rollout: Rollout, _since: number): Promise<MeshstackObservation> {
    const { client, namespace } = this.options;
    const deployment = await client.get<Deployment>(apiPaths.deployment(namespace, this.options.deployment));
    const matchLabels = deployment.spec.selector.matchLabels ?? {};
    const selector = Object.entries(matchLabels).map(([k, v]) => `${k}=${v}`).join(',');
    const replicaSets = await client.get<ReplicaSetList>(apiPaths.replicaSets(namespace), selector ? { labelSelector: selector } : undefined);
    const owned = replicaSets.items.filter((rs) => rs.metadata.ownerReferences?.some((o) => o.controller === true && o.uid === deployment.metadata.uid));
    const replicaSet = owned.find((rs) => {
      const template = deploymentTemplateOf(rs);
      return template !== undefined && templateRevision(this.options.deployment, template) === rollout.revision;
    });
    const expected = deployment.spec.replicas ?? 1;
    const hash = replicaSet?.metadata.labels?.[POD_TEMPLATE_HASH_LABEL];
    if (hash === undefined) return judgeInstances([], expected);

    const pods = await client.get<PodList>(apiPaths.pods(namespace), { labelSelector: [selector, `${POD_TEMPLATE_HASH_LABEL}=${hash}`].filter(Boolean).join(',') });
    const live = pods.items.filter((p): p is Pod & { metadata: { name: string } } => p.metadata.deletionTimestamp === undefined && p.metadata.name !== undefined);
    const now = this.now();
    const instances = await Promise.all(
      live.map(async (pod) => ({ instance: `pod ${pod.metadata.name}`, verdict: await this.podVerdict(pod, now) })),
    );
    return judgeInstances(instances, expected);
  }

  private async podVerdict(pod: Pod & { metadata: { name: string } }, now: number): Promise<MeshstackObservation> {
    let text: string;
    try {
      text = await this.options.client.getText(apiPaths.podLog(this.options.namespace, pod.metadata.name), {
        container: this.container,
        timestamps: 'true',
        limitBytes: String(this.maxLogBytes),
      });
    } catch (error) {
      // Not started yet (400 "waiting to start"), or just deleted: no evidence either way.
      if (isNotFound(error) || (error instanceof KubernetesApiError && error.status === 400)) return { state: 'unknown', detail: `its log cannot be read yet (${(error as Error).message})` };
      throw error;
    }
    return runControllerVerdict(parsePodLog(text), now);
  }
}

/** `timestamps=true` lines: `<RFC 3339 with nanoseconds> <line>`; a line without one is kept at time 0. */
export function parsePodLog(text: string): LogEvent[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const space = line.indexOf(' ');
      const stamp = space > 0 ? Date.parse(line.slice(0, space)) : Number.NaN;
      return Number.isNaN(stamp) ? { timestamp: 0, message: line } : { timestamp: stamp, message: line.slice(space + 1) };
    });
}
