/**
 * The meshStack runner workload on Kubernetes, the same on EKS, AKS and GKE: one namespace
 * (Pod Security `restricted`, quota, limits), one run-controller per configured runner, its
 * namespaced RBAC, default-deny network policies, and the namespaced Roles for meshcloud
 * operators (read-only diagnostics) and the updater (roll the controller to a digest).
 *
 * The namespace quota is derived from what the workload declares: every controller may keep
 * `maxConcurrentJobs` runs in flight, each at most the size of its largest implementation, plus
 * the controllers themselves during a rolling update. Runs beyond that wait, they do not starve
 * the cluster.
 */
import { Construct } from 'constructs';
import { CONTROLLER_APP, OPERATORS_GROUP, UPDATER_GROUP } from './labels';
import { NamespaceAccess, OPERATOR_RULES, UPDATER_RULES } from './namespace-access';
import { formatCpu, formatMemory, parseCpuMillis, parseMemoryMiB } from './quantity';
import { RunController, DEFAULT_CONTROLLER_RESOURCES, INIT_RESOURCES, type RunControllerCredentials } from './run-controller';
import type { ImplementationSpec, ImplementationType } from './run-controller-config';
import { RunControllerRbac } from './run-controller-rbac';
import { RunnerNamespace } from './runner-namespace';
import { RunnerNetworkPolicies, type EgressDestination } from './runner-network-policy';
import { RunnerTrust } from './runner-trust';

export interface RunnerWorkloadController {
  /** The runner's name in the config; the controller is `run-controller-<runner>`. */
  readonly runner: string;
  readonly runnerUuid: string;
  readonly apiClientId: string;
  /** run-controller image by digest. */
  readonly image: string;
  readonly implementations: Readonly<Partial<Record<ImplementationType, ImplementationSpec>>>;
  /** @default 1 */
  readonly replicas?: number;
  /** @default `<target> <runner>` style name chosen by the caller, else the controller name */
  readonly displayName?: string;
  /** @default - the credentials Secret is created out of band */
  readonly credentials?: RunControllerCredentials;
  /** Shown when the credentials are missing. @default - names the Secret and its keys */
  readonly missingCredentialsHint?: string;
}

export interface RunnerWorkloadProps {
  /** @default 'meshstack-runner' */
  readonly namespace?: string;
  /** Pod Security version, the cluster's minor version, e.g. `v1.33`. */
  readonly podSecurityVersion: string;
  readonly meshstackApiUrl: string;
  readonly ownedByWorkspace: string;
  readonly controllers: readonly RunnerWorkloadController[];
  /** @default 10 */
  readonly pollingIntervalSeconds?: number;
  /** Per controller. @default 20 */
  readonly maxConcurrentJobs?: number;
  /** TCP ports besides 443 the controller and runs may reach. @default [] */
  readonly egressExtraPorts?: readonly number[];
  /** @default [] */
  readonly controllerExtraEgress?: readonly EgressDestination[];
  /** Extra CAs and SSH known hosts (config `trust`); the ConfigMaps exist either way. @default - none */
  readonly trust?: { readonly caCertificates?: string | undefined; readonly sshKnownHosts?: string | undefined };
  /**
   * Group bound to the read-only operator Role.
   * @default OPERATORS_GROUP; set `null` to create no operator access
   */
  readonly operatorsGroup?: string | null;
  /**
   * Group bound to the updater Role.
   * @default UPDATER_GROUP; set `null` to create no updater access
   */
  readonly updaterGroup?: string | null;
}

export const DEFAULT_NAMESPACE = 'meshstack-runner';

export class RunnerWorkload extends Construct {
  readonly namespace: string;
  readonly controllers: Readonly<Record<string, RunController>>;
  readonly rbac: RunControllerRbac;
  readonly networkPolicies: RunnerNetworkPolicies;
  readonly trust: RunnerTrust;
  readonly operatorAccess?: NamespaceAccess;
  readonly updaterAccess?: NamespaceAccess;

  constructor(scope: Construct, id: string, props: RunnerWorkloadProps) {
    super(scope, id);
    if (props.controllers.length === 0) throw new Error('controllers is empty: configure at least one runner');
    const runners = props.controllers.map((c) => c.runner);
    if (new Set(runners).size !== runners.length) throw new Error(`controllers list a runner twice: ${runners.join(', ')}`);
    const maxJobs = props.maxConcurrentJobs ?? 20;
    const namespaceName = props.namespace ?? DEFAULT_NAMESPACE;
    const controllerName = (runner: string) => `${CONTROLLER_APP}-${runner}`;

    const sizing = sizeNamespace(props.controllers, maxJobs);
    const ns = new RunnerNamespace(this, 'Namespace', {
      name: namespaceName,
      podSecurityVersion: props.podSecurityVersion,
      quota: sizing.quota,
      containerLimits: sizing.containerLimits,
    });
    this.namespace = ns.name;
    this.rbac = new RunControllerRbac(this, 'ControllerRbac', {
      namespace: ns.name,
      serviceAccountNames: props.controllers.map((c) => controllerName(c.runner)),
    });
    this.networkPolicies = new RunnerNetworkPolicies(this, 'NetworkPolicies', {
      namespace: ns.name,
      egressExtraPorts: props.egressExtraPorts,
      controllerExtraEgress: props.controllerExtraEgress,
    });
    this.trust = new RunnerTrust(this, 'Trust', { namespace: ns.name, ...props.trust });
    const controllers: Record<string, RunController> = {};
    props.controllers.forEach((c, i) => {
      controllers[c.runner] = new RunController(this, `Controller-${c.runner}`, {
        namespace: ns.name,
        name: controllerName(c.runner),
        serviceAccountName: this.rbac.serviceAccountNames[i]!,
        image: c.image,
        runnerUuid: c.runnerUuid,
        meshstackApiUrl: props.meshstackApiUrl,
        apiClientId: c.apiClientId,
        ownedByWorkspace: props.ownedByWorkspace,
        implementations: c.implementations,
        displayName: c.displayName,
        replicas: c.replicas,
        pollingIntervalSeconds: props.pollingIntervalSeconds,
        maxConcurrentJobs: maxJobs,
        credentials: c.credentials,
        missingCredentialsHint: c.missingCredentialsHint,
        trust: { caConfigMapName: this.trust.caConfigMapName, revision: this.trust.revision },
      });
    });
    this.controllers = controllers;
    const operators = props.operatorsGroup === undefined ? OPERATORS_GROUP : props.operatorsGroup;
    if (operators !== null) this.operatorAccess = new NamespaceAccess(this, 'OperatorAccess', { namespace: ns.name, name: 'meshcloud-operators', group: operators, rules: OPERATOR_RULES });
    const updater = props.updaterGroup === undefined ? UPDATER_GROUP : props.updaterGroup;
    if (updater !== null) this.updaterAccess = new NamespaceAccess(this, 'UpdaterAccess', { namespace: ns.name, name: 'runner-updater', group: updater, rules: UPDATER_RULES });
  }
}

/**
 * Quota = every controller's runs in flight at the size of its largest implementation, plus the
 * controllers during a rolling update (replicas + 1 surge pod each, init container counted where
 * it is larger). LimitRange max = the largest single container the kit configures.
 */
export function sizeNamespace(controllers: readonly RunnerWorkloadController[], maxJobs: number) {
  let reqCpu = 0;
  let reqMem = 0;
  let limCpu = 0;
  let limMem = 0;
  let pods = 0;
  let maxContainerCpu = parseCpuMillis(DEFAULT_CONTROLLER_RESOURCES.limits.cpu);
  let maxContainerMem = parseMemoryMiB(DEFAULT_CONTROLLER_RESOURCES.limits.memory);
  for (const c of controllers) {
    const specs = Object.values(c.implementations);
    if (specs.length === 0) continue;
    const largest = (f: (s: ImplementationSpec) => number) => Math.max(...specs.map(f));
    const jobReqCpu = largest((s) => parseCpuMillis(s.resources.requests.cpu));
    const jobReqMem = largest((s) => parseMemoryMiB(s.resources.requests.memory));
    const jobLimCpu = largest((s) => parseCpuMillis(s.resources.limits.cpu));
    const jobLimMem = largest((s) => parseMemoryMiB(s.resources.limits.memory));
    const controllerPods = (c.replicas ?? 1) + 1;
    const r = DEFAULT_CONTROLLER_RESOURCES;
    reqCpu += maxJobs * jobReqCpu + controllerPods * Math.max(parseCpuMillis(r.requests.cpu), parseCpuMillis(INIT_RESOURCES.requests.cpu));
    reqMem += maxJobs * jobReqMem + controllerPods * Math.max(parseMemoryMiB(r.requests.memory), parseMemoryMiB(INIT_RESOURCES.requests.memory));
    limCpu += maxJobs * jobLimCpu + controllerPods * Math.max(parseCpuMillis(r.limits.cpu), parseCpuMillis(INIT_RESOURCES.limits.cpu));
    limMem += maxJobs * jobLimMem + controllerPods * Math.max(parseMemoryMiB(r.limits.memory), parseMemoryMiB(INIT_RESOURCES.limits.memory));
    pods += maxJobs + controllerPods;
    maxContainerCpu = Math.max(maxContainerCpu, jobLimCpu);
    maxContainerMem = Math.max(maxContainerMem, jobLimMem);
  }
  return {
    quota: { pods, requestsCpu: formatCpu(reqCpu), requestsMemory: formatMemory(reqMem), limitsCpu: formatCpu(limCpu), limitsMemory: formatMemory(limMem) },
    containerLimits: {
      defaultCpu: formatCpu(Math.min(500, maxContainerCpu)),
      defaultMemory: formatMemory(Math.min(512, maxContainerMem)),
      defaultRequestCpu: formatCpu(Math.min(100, maxContainerCpu)),
      defaultRequestMemory: formatMemory(Math.min(128, maxContainerMem)),
      maxCpu: formatCpu(maxContainerCpu),
      maxMemory: formatMemory(maxContainerMem),
    },
  };
}
