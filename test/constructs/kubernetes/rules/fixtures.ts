/**
 * Fixtures of the Kubernetes rules: small synthesized-JSON fragments shaped like what the
 * kubernetes provider resources synthesize to (snake_case, single blocks as objects), with the
 * finding keys each rule must report. Built from one compliant workload, namespace and policy set
 * that each non-compliant fixture changes in one place.
 */
import { resources, type Json, type RuleFixtures } from '../../aws/rules/fixtures/fixture';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const NS_REF = '${kubernetes_namespace_v1.ns.metadata[0].name}';

const securityContext = (extra: Json = {}): Json => ({
  allow_privilege_escalation: false,
  read_only_root_filesystem: true,
  run_as_non_root: true,
  run_as_user: '10001',
  capabilities: { drop: ['ALL'] },
  ...extra,
});
const probe = { exec: { command: ['true'] }, period_seconds: 10 };
export const container = (name: string, extra: Json = {}, sc: Json = {}): Json => ({
  name,
  image: `registry.example.com/runner/controller@${DIGEST}`,
  security_context: securityContext(sc),
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  liveness_probe: probe,
  readiness_probe: probe,
  ...extra,
});
const initContainer = (name: string, extra: Json = {}, sc: Json = {}): Json => {
  const { liveness_probe: _l, readiness_probe: _r, ...c } = container(name, extra, sc);
  return c;
};
const podSpec = (extra: Json = {}): Json => ({
  automount_service_account_token: false,
  security_context: { run_as_non_root: true, run_as_user: '10001', seccomp_profile: { type: 'RuntimeDefault' } },
  init_container: [initContainer('init')],
  container: [container('main')],
  ...extra,
});
/** A Deployment whose pod spec is `podSpec(extra)`. */
export const deployment = (extra: Json = {}, replicas = '2'): Json =>
  resources({
    kubernetes_deployment_v1: {
      d: {
        metadata: { name: 'app', namespace: NS_REF },
        spec: { replicas, selector: { match_labels: { app: 'x' } }, template: { metadata: { labels: { app: 'x', tier: 'y' } }, spec: podSpec(extra) } },
      },
    },
  });
const job = (extra: Json = {}): Json => resources({ kubernetes_job_v1: { j: { metadata: { name: 'run' }, spec: { template: { metadata: {}, spec: podSpec({ init_container: undefined, container: [container('run', { liveness_probe: undefined, readiness_probe: undefined })], ...extra }) } } } } });
const cronJob = (containerExtra: Json): Json =>
  resources({ kubernetes_cron_job_v1: { c: { metadata: { name: 'nightly' }, spec: { schedule: '@daily', job_template: { metadata: {}, spec: { template: { metadata: {}, spec: podSpec({ init_container: undefined, container: [container('run', containerExtra)] }) } } } } } } });

const namespace = (labels: Json | string = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.33' }): Json => ({ ns: { metadata: { name: 'runner', labels } } });
const policy = (name: string, spec: Json, namespaceRef: string = NS_REF): Json => ({ [name]: { metadata: { name, namespace: namespaceRef }, spec } });
const DEFAULT_DENY = policy('default-deny', { pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
const DNS = policy('allow-dns', { pod_selector: {}, policy_types: ['Egress'], egress: [{ to: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'kube-system' } } }], ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] }] });
const web = (ports: string[], extra: Json = {}): Json =>
  policy('web', { pod_selector: { match_labels: { app: 'x' } }, policy_types: ['Egress'], egress: [{ to: [{ ip_block: { cidr: '0.0.0.0/0', except: ['169.254.169.254/32'] } }], ports: ports.map((port) => ({ port, protocol: 'TCP' })) }], ...extra });
const QUOTA = { q: { metadata: { name: 'quota', namespace: NS_REF }, spec: { hard: { pods: '10', 'requests.cpu': '2', 'requests.memory': '2Gi', 'limits.cpu': '4', 'limits.memory': '4Gi' } } } };
const LIMITS = { l: { metadata: { name: 'limits', namespace: NS_REF }, spec: { limit: [{ type: 'Container', default: { cpu: '500m', memory: '512Mi' }, default_request: { cpu: '100m', memory: '128Mi' }, max: { cpu: '2', memory: '2Gi' } }] } } };
/** A namespace with its policies, quota and limits, each replaceable. */
const runnerNamespace = (o: { labels?: Json | string; policies?: Json; quota?: Json | null; limits?: Json | null } = {}): Json =>
  resources({
    kubernetes_namespace_v1: namespace(o.labels),
    kubernetes_network_policy_v1: o.policies ?? { ...DEFAULT_DENY, ...DNS, ...web(['443']) },
    ...(o.quota === null ? {} : { kubernetes_resource_quota_v1: o.quota ?? QUOTA }),
    ...(o.limits === null ? {} : { kubernetes_limit_range_v1: o.limits ?? LIMITS }),
  });
const pdb = (spec: Json): Json => ({ p: { metadata: { name: 'app', namespace: NS_REF }, spec: { selector: { match_labels: { app: 'x' } }, ...spec } } });
const withPdb = (spec: Json, replicas = '2'): Json => {
  const d = deployment({}, replicas);
  return { resource: { ...d.resource, kubernetes_namespace_v1: namespace(), kubernetes_pod_disruption_budget_v1: pdb(spec) } };
};

export const KUBERNETES_FIXTURES: Readonly<Record<string, RuleFixtures>> = {
  'K8S-POD-1': {
    compliant: [{ name: 'every container and init container sets it false', json: deployment() }],
    nonCompliant: [
      { name: 'init container leaves it unset', json: deployment({ init_container: [initContainer('init', {}, { allow_privilege_escalation: undefined })] }), findings: ['Container::init'] },
      { name: 'container true, job container from a variable', json: { resource: { ...deployment({ container: [container('main', {}, { allow_privilege_escalation: true })] }).resource, ...job({ container: [container('run', {}, { allow_privilege_escalation: '${var.escalate}' })] }).resource } }, findings: ['Container::main', 'Container::run'] },
      { name: 'pod spec from an expression', json: resources({ kubernetes_deployment_v1: { d: { spec: { template: { spec: '${local.pod}' } } } } }), findings: ['kubernetes_deployment_v1.d'] },
    ],
  },
  'K8S-POD-2': {
    compliant: [{ name: 'read-only everywhere (Job too)', json: job() }],
    nonCompliant: [{ name: 'init container writable', json: deployment({ init_container: [initContainer('init', {}, { read_only_root_filesystem: false })] }), findings: ['Container::init'] }],
  },
  'K8S-POD-3': {
    compliant: [
      { name: 'non-root and uid 10001 from the pod', json: deployment({ container: [container('main', {}, { run_as_non_root: undefined, run_as_user: undefined })] }) },
    ],
    nonCompliant: [
      { name: 'uid 2000 on both containers: one finding for the uid', json: deployment({ init_container: [initContainer('init', {}, { run_as_user: '2000' })], container: [container('main', {}, { run_as_user: '2000' })] }), findings: ['Uid::2000'] },
      { name: 'container overrides to root', json: deployment({ container: [container('main', {}, { run_as_non_root: false, run_as_user: '0' })] }), findings: ['Container::main', 'Uid::0'] },
      { name: 'nothing set anywhere', json: deployment({ security_context: {}, container: [container('main', {}, { run_as_non_root: undefined, run_as_user: undefined })], init_container: [] }), findings: ['Container::main', 'Uid::unset'] },
    ],
  },
  'K8S-POD-4': {
    compliant: [{ name: 'drop ALL, add nothing', json: deployment() }],
    nonCompliant: [
      { name: 'drops NET_RAW only', json: deployment({ container: [container('main', {}, { capabilities: { drop: ['NET_RAW'] } })] }), findings: ['Container::main'] },
      { name: 'init container adds NET_ADMIN; no capabilities block', json: deployment({ init_container: [initContainer('init', {}, { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } })], container: [container('main', {}, { capabilities: undefined })] }), findings: ['Container::init', 'Container::main'] },
    ],
  },
  'K8S-POD-5': {
    compliant: [
      { name: 'RuntimeDefault on the pod', json: deployment() },
      { name: 'RuntimeDefault on the container only', json: deployment({ security_context: { run_as_non_root: true }, init_container: [], container: [container('main', {}, { seccomp_profile: { type: 'RuntimeDefault' } })] }) },
    ],
    nonCompliant: [
      { name: 'container overrides to Unconfined', json: deployment({ container: [container('main', {}, { seccomp_profile: { type: 'Unconfined' } })] }), findings: ['Container::main'] },
      { name: 'no profile anywhere', json: deployment({ security_context: { run_as_non_root: true } }), findings: ['Container::init', 'Container::main'] },
    ],
  },
  'K8S-POD-6': {
    compliant: [
      { name: 'pod and ServiceAccounts do not automount', json: { resource: { ...deployment().resource, kubernetes_service_account_v1: { sa: { metadata: { name: 'app' }, automount_service_account_token: false } }, kubernetes_default_service_account_v1: { d: { metadata: {}, automount_service_account_token: false } } } } },
    ],
    nonCompliant: [
      { name: 'pod mounts the token (true), default ServiceAccount unset', json: { resource: { ...deployment({ automount_service_account_token: true }).resource, kubernetes_default_service_account_v1: { d: { metadata: {} } } } }, findings: ['ServiceAccountToken', 'ServiceAccountToken'] },
      { name: 'job pod spec leaves it unset (provider default true)', json: job({ automount_service_account_token: undefined }), findings: ['ServiceAccountToken'] },
    ],
  },
  'K8S-POD-7': {
    compliant: [
      { name: 'literal digest', json: deployment() },
      { name: 'mirror URL and digest looked up at plan time', json: deployment({ init_container: [], container: [container('main', { image: '${data.aws_ecr_repository.r.repository_url}@${data.aws_ecr_image.i.image_digest}' })] }) },
    ],
    nonCompliant: [
      { name: 'init container by tag, container by a whole expression', json: deployment({ init_container: [initContainer('init', { image: 'registry.example.com/tool:v1.2' })], container: [container('main', { image: '${var.image}' })] }), findings: ['Container::init', 'Container::main'] },
      { name: 'truncated digest; no image', json: deployment({ init_container: [initContainer('init', { image: 'r.example.com/x@sha256:abc' })], container: [container('main', { image: undefined })] }), findings: ['Container::init', 'Container::main'] },
    ],
  },
  'K8S-POD-8': {
    compliant: [{ name: 'requests and limits everywhere; limits from a variable', json: deployment({ container: [container('main', { resources: { requests: { cpu: '1', memory: '1Gi' }, limits: '${var.limits}' } })] }) }],
    nonCompliant: [
      { name: 'init container without limits, container without resources', json: deployment({ init_container: [initContainer('init', { resources: { requests: { cpu: '10m', memory: '16Mi' } } })], container: [container('main', { resources: undefined })] }), findings: ['Container::init', 'Container::main'] },
      { name: 'memory limit missing', json: cronJob({ resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: '2' } } }), findings: ['Container::run'] },
    ],
  },
  'K8S-POD-9': {
    compliant: [
      { name: 'both probes on the container (init containers exempt)', json: deployment() },
      { name: 'a Job: not judged', json: job(), notApplicable: true },
    ],
    nonCompliant: [{ name: 'no readiness probe', json: deployment({ container: [container('main', { readiness_probe: undefined }), container('side', { liveness_probe: undefined, readiness_probe: undefined })] }), findings: ['Container::main', 'Container::side'] }],
  },
  'K8S-NS-1': {
    compliant: [
      { name: 'restricted at v1.33', json: runnerNamespace() },
      { name: 'version from an expression counts as pinned', json: runnerNamespace({ labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': '${var.k8s_minor}' } }) },
    ],
    nonCompliant: [
      { name: 'baseline, latest', json: runnerNamespace({ labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': 'latest' } }), findings: ['Label::pod-security.kubernetes.io/enforce', 'Label::pod-security.kubernetes.io/enforce-version'] },
      { name: 'only warn labels', json: runnerNamespace({ labels: { 'pod-security.kubernetes.io/warn': 'restricted' } }), findings: ['Label::pod-security.kubernetes.io/enforce', 'Label::pod-security.kubernetes.io/enforce-version'] },
      { name: 'labels from an expression', json: runnerNamespace({ labels: '${var.labels}' }), findings: ['kubernetes_namespace_v1.ns'] },
    ],
  },
  'K8S-NS-2': {
    compliant: [{ name: 'quota and limit range in the namespace', json: runnerNamespace() }],
    nonCompliant: [
      { name: 'neither', json: runnerNamespace({ quota: null, limits: null }), findings: ['ResourceQuota', 'LimitRange'] },
      { name: 'quota in another namespace; limit range without max', json: runnerNamespace({ quota: { q: { ...QUOTA.q, metadata: { name: 'quota', namespace: 'other' } } }, limits: { l: { metadata: LIMITS.l.metadata, spec: { limit: [{ type: 'Container', default: { cpu: '1', memory: '1Gi' } }] } } } }), findings: ['ResourceQuota', 'LimitRange'] },
      { name: 'quota without memory limit', json: runnerNamespace({ quota: { q: { metadata: QUOTA.q.metadata, spec: { hard: { 'requests.cpu': '1', 'requests.memory': '1Gi', 'limits.cpu': '2' } } } } }), findings: ['ResourceQuota'] },
    ],
  },
  'K8S-NET-1': {
    compliant: [
      { name: 'one default-deny for both directions', json: runnerNamespace() },
      { name: 'separate deny policies by literal namespace name', json: runnerNamespace({ policies: { ...policy('deny-in', { pod_selector: {} }, 'runner'), ...policy('deny-out', { pod_selector: { match_labels: {} }, policy_types: ['Egress'] }, 'runner'), ...DNS } }) },
    ],
    nonCompliant: [
      { name: 'no policies', json: runnerNamespace({ policies: {} }), findings: ['DefaultDeny::Ingress', 'DefaultDeny::Egress'] },
      { name: 'deny ingress only, and a policy allowing ingress', json: runnerNamespace({ policies: { ...policy('deny', { pod_selector: {}, policy_types: ['Ingress'] }), ...policy('metrics', { pod_selector: { match_labels: { app: 'x' } }, policy_types: ['Ingress'], ingress: [{ from: [{ namespace_selector: {} }] }] }) } }), findings: ['DefaultDeny::Egress', 'Ingress::metrics'] },
      { name: 'the deny-all selects only some pods', json: runnerNamespace({ policies: { ...policy('deny', { pod_selector: { match_labels: { app: 'x' } }, policy_types: ['Ingress', 'Egress'] }) } }), findings: ['DefaultDeny::Ingress', 'DefaultDeny::Egress'] },
    ],
  },
  'K8S-NET-2': {
    compliant: [
      { name: 'DNS to kube-system and TCP 443', json: runnerNamespace() },
      { name: 'a policy of the namespace: judged with it', json: resources({ kubernetes_network_policy_v1: DNS, kubernetes_namespace_v1: namespace() }) },
    ],
    nonCompliant: [
      { name: 'TCP 22 from two policies: one finding', json: runnerNamespace({ policies: { ...DEFAULT_DENY, ...DNS, ...web(['443', '22']), ...policy('jobs', { pod_selector: {}, policy_types: ['Egress'], egress: [{ ports: [{ port: '22' }] }] }) } }), findings: ['Egress::tcp:22'] },
      { name: 'DNS to the internet, all ports, UDP 443', json: runnerNamespace({ policies: { ...policy('dns', { pod_selector: {}, egress: [{ to: [{ ip_block: { cidr: '0.0.0.0/0' } }], ports: [{ port: '53', protocol: 'UDP' }] }] }), ...policy('all', { pod_selector: {}, egress: [{}] }), ...policy('quic', { pod_selector: {}, egress: [{ ports: [{ port: '443', protocol: 'UDP' }] }] }) } }), findings: ['Egress::udp:53', 'Egress::all', 'Egress::udp:443'] },
      { name: 'a policy in a namespace the stack does not create', json: resources({ kubernetes_network_policy_v1: policy('web', { pod_selector: {}, egress: [{ ports: [{ port: '8080', protocol: 'TCP' }, { port: '${var.port}', protocol: 'TCP' }] }] }, 'elsewhere') }), findings: ['Egress::tcp:8080', 'Egress::tcp:expression'] },
    ],
  },
  'K8S-PDB-1': {
    compliant: [{ name: 'max_unavailable 1', json: withPdb({ max_unavailable: '1' }) }],
    nonCompliant: [
      { name: 'min_available equal to the replicas', json: withPdb({ min_available: '2' }), findings: ['MaxUnavailable', 'MinAvailable'] },
      { name: 'max_unavailable 0', json: withPdb({ max_unavailable: '0' }), findings: ['MaxUnavailable'] },
      { name: 'min_available 100%', json: withPdb({ min_available: '100%' }, '5'), findings: ['MaxUnavailable', 'MinAvailable'] },
    ],
  },
};
