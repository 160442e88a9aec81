/**
 * Kubernetes resource quantities as the kit writes them: CPU in millicores ("250m") or cores ("1",
 * "0.5"), memory in binary units ("512Mi", "2Gi"). Parsed so that namespace quotas can be derived
 * from what the workload declares, and rendered back canonically.
 */

export function parseCpuMillis(q: string): number {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q);
  if (!m) throw new Error(`CPU quantity "${q}" is not valid: use millicores like "250m" or cores like "1" or "0.5"`);
  const value = Number(m[1]) * (m[2] === 'm' ? 1 : 1000);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`CPU quantity "${q}" must be a positive whole number of millicores`);
  return value;
}

const MEMORY_UNITS: Readonly<Record<string, number>> = { Ki: 1 / 1024, Mi: 1, Gi: 1024, Ti: 1024 * 1024 };

export function parseMemoryMiB(q: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|Ti)$/.exec(q);
  if (!m) throw new Error(`memory quantity "${q}" is not valid: use binary units like "512Mi" or "2Gi"`);
  const value = Number(m[1]) * MEMORY_UNITS[m[2]!]!;
  if (value <= 0) throw new Error(`memory quantity "${q}" must be positive`);
  return value;
}

export function formatCpu(millis: number): string {
  return millis % 1000 === 0 ? String(millis / 1000) : `${Math.ceil(millis)}m`;
}

export function formatMemory(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${Math.ceil(mib)}Mi`;
}

/** Requests and limits of one container. CPU limit is optional (run-controller's own default). */
export interface ContainerResources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/** Throws unless every quantity parses and no request exceeds its limit. */
export function checkResources(what: string, r: ContainerResources): void {
  if (parseCpuMillis(r.requests.cpu) > parseCpuMillis(r.limits.cpu)) {
    throw new Error(`${what}: CPU request ${r.requests.cpu} is above its limit ${r.limits.cpu}; raise the limit or lower the request`);
  }
  if (parseMemoryMiB(r.requests.memory) > parseMemoryMiB(r.limits.memory)) {
    throw new Error(`${what}: memory request ${r.requests.memory} is above its limit ${r.limits.memory}; raise the limit or lower the request`);
  }
}
