/**
 * Azure VM sizes as AKS nodes: vCPUs and memory from the size's name, and what AKS reserves on
 * each node (learn.microsoft.com/azure/aks/node-resource-reservations, AKS 1.29 and newer):
 * kube-reserved CPU by core count (60m for 1 core, 100m for 2, 140m for 4, 180m for 8, 260m for 16,
 * 420m for 32, 740m for 64); kube-reserved memory 20 MiB per pod the node may run plus 50 MiB
 * (the kit sets 110 pods per node: 2250 MiB); eviction threshold 100 MiB. The per-node system pods
 * of the kit's clusters (Cilium agent, azure-cns, kube-proxy replacement, cloud-node-manager, the
 * CSI node drivers, the Azure Monitor agent for Container Insights, the Azure Policy add-on's
 * node pieces) take about 400m and 900 MiB: an estimate on the safe side, checked against nothing
 * but Microsoft's published requests. Pure: validation uses it.
 *
 * The kit sizes the general-purpose D, memory E and compute F families with premium storage
 * (`Standard_D4s_v5`, `Standard_D4ds_v5`, `Standard_D4as_v5`, `Standard_E8s_v5`, `Standard_F8s_v2`,
 * Arm64 `Standard_D4ps_v5`), versions 2 to 6; it cannot size other sizes (burstable B, GPU, HPC).
 */
import type { NodeShape } from '../kubernetes/capacity';

/** Memory per vCPU of a family, GiB. */
const GIB_PER_VCPU: Readonly<Record<string, number>> = { D: 4, E: 8, F: 2 };
/** Pods per node the kit configures (AKS's default with Azure CNI overlay is 250; fewer reserve less memory). */
export const AKS_MAX_PODS = 110;
/** Per-node system pods on the kit's AKS clusters (estimate, see the file comment). */
export const AKS_NODE_SYSTEM = { cpuMillis: 400, memoryMiB: 900 } as const;
/** Vcpu counts the kit sizes. */
const VCPUS = [2, 4, 8, 16, 32, 48, 64];

const SIZE_RE = /^Standard_([DEF])(\d+)(a|p)?(d)?s_v([2-6])$/;

/** vCPUs, GiB and architecture of `size`, if the kit can size it. */
export function azureVmSize(size: string): { vcpu: number; memoryGiB: number; arm64: boolean } | undefined {
  const m = SIZE_RE.exec(size);
  if (m === null) return undefined;
  const [, family, count, vendor] = m;
  const vcpu = Number(count);
  if (!VCPUS.includes(vcpu)) return undefined;
  // Arm64 (Ampere) sizes exist in the D and E families only.
  if (vendor === 'p' && family === 'F') return undefined;
  return { vcpu, memoryGiB: vcpu * GIB_PER_VCPU[family!]!, arm64: vendor === 'p' };
}

function kubeReservedCpuMillis(vcpu: number): number {
  const table: [number, number][] = [[1, 60], [2, 100], [4, 140], [8, 180], [16, 260], [32, 420], [64, 740]];
  return (table.find(([cores]) => vcpu <= cores) ?? table[table.length - 1]!)[1];
}

/** What pods may request on one node of `size`, or undefined when the kit cannot size it. */
export function aksNodeShape(size: string): NodeShape | undefined {
  const s = azureVmSize(size);
  if (s === undefined) return undefined;
  return {
    type: size,
    cpuMillis: s.vcpu * 1000 - kubeReservedCpuMillis(s.vcpu) - AKS_NODE_SYSTEM.cpuMillis,
    memoryMiB: s.memoryGiB * 1024 - (20 * AKS_MAX_PODS + 50) - 100 - AKS_NODE_SYSTEM.memoryMiB,
  };
}
