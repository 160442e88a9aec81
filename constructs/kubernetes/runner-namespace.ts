/**
 * The namespace the runner workload and every run's Job live in.
 *
 * - Pod Security Admission enforces the `restricted` profile at a pinned version (audit and warn
 *   too), so neither the controller nor a Job it starts can run privileged, as root, with host
 *   namespaces or added capabilities; pinning the version keeps a cluster upgrade from silently
 *   changing what is enforced.
 * - A ResourceQuota caps what all runs together may request and use, so runs cannot starve the
 *   cluster; a LimitRange gives containers without requests or limits sane ones and refuses
 *   containers larger than the largest run the kit configures.
 * - The namespace's `default` ServiceAccount does not automount an API token (CKV_K8S_38).
 */
import { DefaultServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/default-service-account-v1';
import { LimitRangeV1 } from '@cdktf/provider-kubernetes/lib/limit-range-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ResourceQuotaV1 } from '@cdktf/provider-kubernetes/lib/resource-quota-v1';
import { Construct } from 'constructs';
import { checkName, DNS_LABEL_RE, kitLabels } from './labels';
import { parseCpuMillis, parseMemoryMiB } from './quantity';

export const POD_SECURITY_LEVEL = 'restricted';
/** Namespaces that belong to the cluster itself; the runner never shares them. */
export const RESERVED_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'] as const;

/** What all pods of the namespace together may request and use. */
export interface NamespaceQuota {
  /** Non-terminated pods. */
  readonly pods: number;
  readonly requestsCpu: string;
  readonly requestsMemory: string;
  readonly limitsCpu: string;
  readonly limitsMemory: string;
}

/** Per-container defaults and bounds. */
export interface ContainerLimits {
  /** Applied to containers that declare no limit. */
  readonly defaultCpu: string;
  readonly defaultMemory: string;
  /** Applied to containers that declare no request. */
  readonly defaultRequestCpu: string;
  readonly defaultRequestMemory: string;
  /** No container may set a larger limit. */
  readonly maxCpu: string;
  readonly maxMemory: string;
}

export interface RunnerNamespaceProps {
  /** Namespace name, a DNS label, not one of the cluster's own (`kube-system`, `default`, ...). */
  readonly name: string;
  /**
   * Kubernetes minor version the Pod Security profile is pinned to, e.g. `v1.33` (the cluster's
   * version). `latest` is refused: it changes what is enforced with every cluster upgrade.
   */
  readonly podSecurityVersion: string;
  readonly quota: NamespaceQuota;
  readonly containerLimits: ContainerLimits;
}

export class RunnerNamespace extends Construct {
  /** The namespace name, as a reference that orders every namespaced object after the namespace. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: RunnerNamespaceProps) {
    super(scope, id);
    checkName('namespace', props.name, DNS_LABEL_RE, 63);
    if ((RESERVED_NAMESPACES as readonly string[]).includes(props.name) || props.name.startsWith('kube-')) {
      throw new Error(`namespace "${props.name}" belongs to the cluster itself: use a namespace of its own, e.g. "meshstack-runner"`);
    }
    if (!/^v1\.\d{1,2}$/.test(props.podSecurityVersion)) {
      throw new Error(`podSecurityVersion "${props.podSecurityVersion}" is not a pinned Kubernetes minor version: use the cluster's version, e.g. "v1.33" ("latest" changes what is enforced on every upgrade)`);
    }
    checkQuota(props.quota, props.containerLimits);

    const psa = (mode: string) => ({
      [`pod-security.kubernetes.io/${mode}`]: POD_SECURITY_LEVEL,
      [`pod-security.kubernetes.io/${mode}-version`]: props.podSecurityVersion,
    });
    const namespace = new NamespaceV1(this, 'Resource', {
      metadata: { name: props.name, labels: { ...kitLabels('runner-namespace'), ...psa('enforce'), ...psa('audit'), ...psa('warn') } },
    });
    this.name = namespace.metadata.name;

    new ResourceQuotaV1(this, 'Quota', {
      metadata: { name: 'runner-quota', namespace: this.name, labels: kitLabels('runner-quota') },
      spec: {
        hard: {
          pods: String(props.quota.pods),
          'requests.cpu': props.quota.requestsCpu,
          'requests.memory': props.quota.requestsMemory,
          'limits.cpu': props.quota.limitsCpu,
          'limits.memory': props.quota.limitsMemory,
        },
      },
    });
    const l = props.containerLimits;
    new LimitRangeV1(this, 'Limits', {
      metadata: { name: 'runner-limits', namespace: this.name, labels: kitLabels('runner-limits') },
      spec: {
        limit: [
          {
            type: 'Container',
            default: { cpu: l.defaultCpu, memory: l.defaultMemory },
            defaultRequest: { cpu: l.defaultRequestCpu, memory: l.defaultRequestMemory },
            max: { cpu: l.maxCpu, memory: l.maxMemory },
          },
        ],
      },
    });
    new DefaultServiceAccountV1(this, 'DefaultServiceAccount', {
      metadata: { namespace: this.name, labels: kitLabels('default-service-account') },
      automountServiceAccountToken: false,
    });
  }
}

function checkQuota(q: NamespaceQuota, l: ContainerLimits): void {
  if (!Number.isInteger(q.pods) || q.pods < 1) throw new Error(`quota.pods ${q.pods} must be a positive whole number`);
  const cpu = (s: string) => parseCpuMillis(s);
  const mem = (s: string) => parseMemoryMiB(s);
  if (cpu(q.requestsCpu) > cpu(q.limitsCpu)) throw new Error(`quota requests.cpu ${q.requestsCpu} is above limits.cpu ${q.limitsCpu}`);
  if (mem(q.requestsMemory) > mem(q.limitsMemory)) throw new Error(`quota requests.memory ${q.requestsMemory} is above limits.memory ${q.limitsMemory}`);
  if (cpu(l.defaultRequestCpu) > cpu(l.defaultCpu) || cpu(l.defaultCpu) > cpu(l.maxCpu)) {
    throw new Error(`container CPU defaults must satisfy defaultRequest (${l.defaultRequestCpu}) <= default (${l.defaultCpu}) <= max (${l.maxCpu})`);
  }
  if (mem(l.defaultRequestMemory) > mem(l.defaultMemory) || mem(l.defaultMemory) > mem(l.maxMemory)) {
    throw new Error(`container memory defaults must satisfy defaultRequest (${l.defaultRequestMemory}) <= default (${l.defaultMemory}) <= max (${l.maxMemory})`);
  }
}
