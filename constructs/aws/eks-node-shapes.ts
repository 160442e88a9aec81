/**
 * EC2 instance types as EKS nodes: vCPUs and memory from the type's family and size, and what the
 * kubelet of the EKS-optimized AL2023 AMI reserves (AWS: "Amazon EKS optimized AMI" kubelet
 * defaults): kube-reserved CPU 6% of the first core, 1% of the second, 0.5% of the next two, 0.25%
 * of the rest; kube-reserved memory 255 MiB + 11 MiB per pod the node may run (max pods from its
 * ENIs, at most 110 here); eviction threshold 100 MiB. The per-node system pods (VPC CNI, kube-proxy,
 * the Pod Identity agent) take about 150m and 150 MiB. Pure: validation uses it.
 *
 * The kit sizes general-purpose (m), compute (c) and memory (r) families of generation 5 or newer
 * and the burstable t3, t3a and t4g; it cannot size other types (GPU, storage, older generations).
 */
import type { NodeShape } from '../kubernetes/capacity';

/** Memory per vCPU of a family, GiB. */
const GIB_PER_VCPU: Readonly<Record<string, number>> = { m: 4, c: 2, r: 8 };
/** Per-node system pods on EKS: aws-node (VPC CNI), kube-proxy, eks-pod-identity-agent. */
export const EKS_NODE_SYSTEM = { cpuMillis: 150, memoryMiB: 150 } as const;

/** vCPUs and GiB of `type`, if the kit can size it. */
export function ec2Size(type: string): { vcpu: number; memoryGiB: number } | undefined {
  const m = /^([a-z]+)(\d+)([a-z-]*)\.(medium|large|xlarge|(\d+)xlarge)$/.exec(type);
  if (m === null) return undefined;
  const [, letters, generation, , size, multiple] = m;
  const vcpu = size === 'medium' || size === 'large' ? 2 : size === 'xlarge' ? 4 : 4 * Number(multiple);
  if (letters === 't' && ['3', '4'].includes(generation!) && (type.startsWith('t3.') || type.startsWith('t3a.') || type.startsWith('t4g.'))) {
    // t3/t3a/t4g: medium 2 vCPU / 4 GiB, then 4 GiB per vCPU up to 2xlarge.
    if (size !== 'medium' && vcpu > 8) return undefined;
    return { vcpu, memoryGiB: size === 'medium' ? 4 : vcpu * 4 };
  }
  const perVcpu = GIB_PER_VCPU[letters!];
  if (perVcpu === undefined || Number(generation) < 5 || size === 'medium') return undefined;
  return { vcpu, memoryGiB: vcpu * perVcpu };
}

/** Pods the node may run (ENI-based, capped at 110), for the kubelet's memory reservation. */
function maxPods(vcpu: number, burstableMedium: boolean): number {
  if (burstableMedium) return 17;
  if (vcpu <= 2) return 29;
  if (vcpu <= 8) return 58;
  return 110;
}

function kubeReservedCpuMillis(vcpu: number): number {
  const bands: [number, number][] = [[1, 60], [1, 10], [2, 5], [Infinity, 2.5]];
  let left = vcpu;
  let reserved = 0;
  for (const [cores, perCore] of bands) {
    const n = Math.min(left, cores);
    reserved += n * perCore;
    left -= n;
  }
  return Math.ceil(reserved);
}

/** What pods may request on one node of `type`, or undefined when the kit cannot size the type. */
export function eksNodeShape(type: string): NodeShape | undefined {
  const size = ec2Size(type);
  if (size === undefined) return undefined;
  const reservedMemory = 255 + 11 * maxPods(size.vcpu, type.endsWith('.medium')) + 100;
  return {
    type,
    cpuMillis: size.vcpu * 1000 - kubeReservedCpuMillis(size.vcpu) - EKS_NODE_SYSTEM.cpuMillis,
    memoryMiB: size.memoryGiB * 1024 - reservedMemory - EKS_NODE_SYSTEM.memoryMiB,
  };
}
