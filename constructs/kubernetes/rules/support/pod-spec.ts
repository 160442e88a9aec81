/**
 * Reading the pod spec of a synthesized Kubernetes workload (Deployment, Job, CronJob, Pod, ...)
 * of the kubernetes provider: snake_case keys, single blocks as objects or lists of one.
 *
 * Init containers count as containers: they run the same images with the same access. Container
 * names are unique across a pod's containers and init containers, so `Container::<name>` names one.
 */
import { block, blocks, isExpression, show } from '../../../core/rules/expressions';
import { fromFindings, nonCompliant, type Verdict } from '../../../core/rules/rule';
import type { JsonObject, JsonValue, TerraformResourceView } from '../../../core/rules/synthesized-config';

/** Where each workload type keeps its pod spec (the `_v1` types and their deprecated unversioned twins). */
const POD_SPEC_PATHS: Readonly<Record<string, readonly string[]>> = {
  kubernetes_pod_v1: ['spec'],
  kubernetes_pod: ['spec'],
  kubernetes_deployment_v1: ['spec', 'template', 'spec'],
  kubernetes_deployment: ['spec', 'template', 'spec'],
  kubernetes_stateful_set_v1: ['spec', 'template', 'spec'],
  kubernetes_stateful_set: ['spec', 'template', 'spec'],
  kubernetes_daemon_set_v1: ['spec', 'template', 'spec'],
  kubernetes_daemonset: ['spec', 'template', 'spec'],
  kubernetes_replication_controller_v1: ['spec', 'template', 'spec'],
  kubernetes_replication_controller: ['spec', 'template', 'spec'],
  kubernetes_job_v1: ['spec', 'template', 'spec'],
  kubernetes_job: ['spec', 'template', 'spec'],
  kubernetes_cron_job_v1: ['spec', 'job_template', 'spec', 'template', 'spec'],
  kubernetes_cron_job: ['spec', 'job_template', 'spec', 'template', 'spec'],
};

/** Every Terraform type that declares pods. */
export const POD_WORKLOAD_TYPES: readonly string[] = Object.keys(POD_SPEC_PATHS);

/** Workloads whose pods run until replaced (not Jobs / CronJobs, which run to completion). */
export const LONG_RUNNING_WORKLOAD_TYPES: readonly string[] = POD_WORKLOAD_TYPES.filter((t) => !/_(cron_)?job(_v1)?$/.test(t));

export interface ContainerView {
  /** The container's name (`#<n>` when it has none or it is an expression). */
  readonly name: string;
  readonly init: boolean;
  readonly body: JsonObject;
}

export type PodRead =
  | { readonly ok: true; readonly pod: JsonObject; readonly containers: readonly ContainerView[] }
  | { readonly ok: false; readonly problem: string };

/** The pod spec of a workload resource and its containers, init containers first. */
export function podOf(resource: TerraformResourceView): PodRead {
  const path = POD_SPEC_PATHS[resource.type];
  if (!path) return { ok: false, problem: `${resource.type} is not a pod workload type` };
  let node: JsonValue | undefined = resource.body;
  for (let i = 0; i < path.length; i++) {
    const value: JsonValue | undefined = (node as JsonObject)[path[i]!];
    if (isExpression(value)) return { ok: false, problem: `${path.slice(0, i + 1).join('.')} is the Terraform expression ${show(value)}, which cannot be checked at synthesis` };
    const next = block(value);
    if (!next) return { ok: false, problem: `the pod spec (${path.join('.')}) is missing` };
    node = next;
  }
  const pod = node as JsonObject;
  if (isExpression(pod.container) || isExpression(pod.init_container)) {
    return { ok: false, problem: 'the pod spec lists its containers as a Terraform expression, which cannot be checked at synthesis' };
  }
  let n = 0;
  const view = (init: boolean) => (c: JsonObject): ContainerView => {
    n += 1;
    return { name: typeof c.name === 'string' && !isExpression(c.name) ? c.name : `#${n}`, init, body: c };
  };
  const containers = [...blocks(pod.init_container).map(view(true)), ...blocks(pod.container).map(view(false))];
  if (containers.length === 0) return { ok: false, problem: 'the pod spec declares no container' };
  return { ok: true, pod, containers };
}

/** `Container::<name>`: the finding key of one container or init container. */
export const containerKey = (c: ContainerView): string => `Container::${c.name}`;

/** `container "x"` / `init container "x"`, for messages. */
export const describeContainer = (c: ContainerView): string => `${c.init ? 'init container' : 'container'} ${JSON.stringify(c.name)}`;

/** A container's security_context block (empty when it has none). */
export const securityContext = (c: ContainerView): JsonObject => block(c.body.security_context) ?? {};

/**
 * A security setting that exists on the pod and on the container (run_as_user, run_as_non_root,
 * seccomp_profile, ...): the container's value wins, the pod's applies otherwise.
 */
export function effectiveSetting(c: ContainerView, pod: JsonObject, attribute: string): { readonly value: JsonValue | undefined; readonly from: 'container' | 'pod' | 'none' } {
  const own = securityContext(c)[attribute];
  if (own !== undefined && own !== null) return { value: own, from: 'container' };
  const inherited = (block(pod.security_context) ?? {})[attribute];
  if (inherited !== undefined && inherited !== null) return { value: inherited, from: 'pod' };
  return { value: undefined, from: 'none' };
}

/**
 * A rule verdict built container by container: `judge` returns what is wrong with one container
 * (a message fragment) or undefined. A pod spec that cannot be read is one finding on the resource.
 */
export function judgeContainers(
  resource: TerraformResourceView,
  judge: (c: ContainerView, pod: JsonObject) => string | undefined,
  which: (c: ContainerView) => boolean = () => true,
): Verdict {
  const read = podOf(resource);
  if (!read.ok) return nonCompliant(read.problem);
  return fromFindings(
    read.containers.filter(which).flatMap((c) => {
      const problem = judge(c, read.pod);
      return problem === undefined ? [] : [{ key: containerKey(c), message: `${describeContainer(c)} ${problem}` }];
    }),
  );
}
