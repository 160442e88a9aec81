/**
 * What the runner workload asks of a cluster's nodes, and how many nodes of one shape hold it,
 * the same on EKS, AKS and GKE (each cloud supplies its node shapes: allocatable CPU and memory
 * after the kubelet's reservations, and the system pods every node runs). Pure: validation uses it.
 *
 * The promise is `kubernetes.maxConcurrentJobs` runs at once per runner: run-controller counts its
 * unfinished Jobs against it and starts no more (run-controller `CountActiveJobs`, kubernetes.go:214-230
 * at v1.3.0). A Job that does not fit on a node waits Pending, so the nodes must hold every Job at
 * its request, plus the controllers (one surge pod each during a rollout) and cluster DNS.
 */
import { formatCpu, formatMemory, parseCpuMillis, parseMemoryMiB } from './quantity';
import { DEFAULT_CONTROLLER_RESOURCES, type ImplementationSpec, type ImplementationType } from './run-controller-config';

/** Resources of one run Job per implementation type: TERRAFORM from the runner's vCPUs and memory. */
export function jobResources(type: ImplementationType, r: { readonly vcpu: number; readonly memoryMiB: number }): ImplementationSpec['resources'] {
  if (type === 'TERRAFORM') {
    // Terraform runs burst, so the limit is twice the request.
    const cpuMillis = Math.max(100, Math.round(r.vcpu * 1000));
    return { requests: { cpu: formatCpu(cpuMillis), memory: formatMemory(r.memoryMiB) }, limits: { cpu: formatCpu(2 * cpuMillis), memory: formatMemory(r.memoryMiB) } };
  }
  // The pipeline-trigger runners (JVM) only call an API and report back.
  return { requests: { cpu: '250m', memory: '768Mi' }, limits: { cpu: '1', memory: '1Gi' } };
}

/** Cluster DNS as EKS, AKS and GKE deploy it: two replicas of about 100m / 70Mi requested. */
export const CLUSTER_DNS = { replicas: 2, cpuMillis: 100, memoryMiB: 70 } as const;

export interface WorkloadDemand {
  /** Jobs that may run at once (every runner's `maxConcurrentJobs`). */
  readonly jobs: number;
  /** The largest Job request. */
  readonly jobCpuMillis: number;
  readonly jobMemoryMiB: number;
  /** Everything else the workload runs: controllers (with their rollout surge pod) and cluster DNS. */
  readonly fixedCpuMillis: number;
  readonly fixedMemoryMiB: number;
}

/** What the target's workload requests. */
export function workloadDemand(t: {
  readonly runners: Readonly<Record<string, { readonly vcpu: number; readonly memoryMiB: number; readonly replicas: number }>>;
  readonly kubernetes: { readonly implementations: readonly string[]; readonly maxConcurrentJobs: number };
}): WorkloadDemand {
  const runners = Object.values(t.runners);
  const sizes = runners.flatMap((r) => t.kubernetes.implementations.map((type) => jobResources(type as ImplementationType, r).requests));
  const controllerPods = runners.reduce((n, r) => n + r.replicas + 1, 0);
  return {
    jobs: runners.length * t.kubernetes.maxConcurrentJobs,
    jobCpuMillis: Math.max(...sizes.map((s) => parseCpuMillis(s.cpu))),
    jobMemoryMiB: Math.max(...sizes.map((s) => parseMemoryMiB(s.memory))),
    fixedCpuMillis: controllerPods * parseCpuMillis(DEFAULT_CONTROLLER_RESOURCES.requests.cpu) + CLUSTER_DNS.replicas * CLUSTER_DNS.cpuMillis,
    fixedMemoryMiB: controllerPods * parseMemoryMiB(DEFAULT_CONTROLLER_RESOURCES.requests.memory) + CLUSTER_DNS.replicas * CLUSTER_DNS.memoryMiB,
  };
}

/** A node as the scheduler sees it: what pods may request after the kubelet's reservations and the per-node system pods. */
export interface NodeShape {
  readonly type: string;
  readonly cpuMillis: number;
  readonly memoryMiB: number;
}

export type NodeFit =
  | { readonly fits: true; readonly nodes: number; readonly jobsPerNode: number }
  | { readonly fits: false; readonly reason: string };

/** How many Jobs of the demand's size one node holds, with `reserved` of it taken. */
function slots(node: NodeShape, d: WorkloadDemand, reservedCpu = 0, reservedMemory = 0): number {
  return Math.max(0, Math.min(Math.floor((node.cpuMillis - reservedCpu) / d.jobCpuMillis), Math.floor((node.memoryMiB - reservedMemory) / d.jobMemoryMiB)));
}

/**
 * The fewest nodes of `node`'s shape that hold the demand: every Job at its request, and the fixed
 * pods on one node beside its Jobs (they are small; the scheduler spreads them, which only helps).
 */
export function nodesNeeded(d: WorkloadDemand, node: NodeShape): NodeFit {
  const perNode = slots(node, d);
  if (perNode === 0) {
    return { fits: false, reason: `one Job requests ${formatCpu(d.jobCpuMillis)} CPU and ${formatMemory(d.jobMemoryMiB)}, more than a ${node.type} node offers (${formatCpu(node.cpuMillis)} CPU, ${formatMemory(node.memoryMiB)} after system reservations)` };
  }
  if (d.fixedCpuMillis > node.cpuMillis || d.fixedMemoryMiB > node.memoryMiB) {
    return { fits: false, reason: `the controllers and cluster DNS request ${formatCpu(d.fixedCpuMillis)} CPU and ${formatMemory(d.fixedMemoryMiB)}, more than a ${node.type} node offers` };
  }
  const withFixed = slots(node, d, d.fixedCpuMillis, d.fixedMemoryMiB);
  const nodes = d.jobs <= withFixed ? 1 : 1 + Math.ceil((d.jobs - withFixed) / perNode);
  return { fits: true, nodes, jobsPerNode: perNode };
}

/** How many Jobs `nodes` nodes of `node`'s shape hold beside the fixed pods (0 when the fixed pods do not fit). */
export function jobsThatFit(d: WorkloadDemand, node: NodeShape, nodes: number): number {
  if (nodes < 1 || d.fixedCpuMillis > node.cpuMillis || d.fixedMemoryMiB > node.memoryMiB) return 0;
  return slots(node, d, d.fixedCpuMillis, d.fixedMemoryMiB) + (nodes - 1) * slots(node, d);
}
