/**
 * Turns the synthesized `kubernetes_*_v1` resources of a stack back into the Kubernetes objects
 * the provider will send to the API server, so each can be validated against the Kubernetes
 * OpenAPI schemas (kubernetes-models).
 *
 * The converter is deliberately strict: it knows the provider's field names for the resource types
 * the kit uses, maps each to its Kubernetes name and type (repeated blocks to plural lists,
 * numbers the provider keeps as strings back to integers, octal file modes to integers), and
 * THROWS on any field it does not know. kubernetes-models ignores unknown properties, so without
 * that a misspelt field would pass silently.
 */
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Role } from 'kubernetes-models/rbac.authorization.k8s.io/v1/Role';
import { RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { LimitRange } from 'kubernetes-models/v1/LimitRange';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ResourceQuota } from 'kubernetes-models/v1/ResourceQuota';
import { Secret } from 'kubernetes-models/v1/Secret';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { Json, Synthesized } from './synth';

type Obj = Record<string, unknown>;

/** What the kit needs of a kubernetes-models class. */
interface ModelInstance {
  validate(): void;
  toJSON(): unknown;
}
type ModelClass = new (data: never) => ModelInstance;

/** Reads a provider block field by field and fails on anything left unread. */
class Block {
  private readonly read = new Set<string>();
  constructor(
    private readonly body: Json,
    readonly path: string,
  ) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error(`${path}: expected a block, got ${JSON.stringify(body)}`);
  }

  /** Marks keys as Terraform-only (no Kubernetes field). */
  ignore(...keys: string[]): this {
    keys.forEach((k) => this.read.add(k));
    return this;
  }

  has(key: string): boolean {
    return this.body[key] !== undefined;
  }

  raw(key: string): unknown {
    this.read.add(key);
    return this.body[key];
  }

  block(key: string): Block | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (Array.isArray(v)) {
      if (v.length !== 1) throw new Error(`${this.path}.${key}: expected one block, got ${v.length}`);
      return new Block(v[0], `${this.path}.${key}`);
    }
    return new Block(v as Json, `${this.path}.${key}`);
  }

  blocks(key: string): Block[] | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw new Error(`${this.path}.${key}: expected a list of blocks`);
    return v.map((b, i) => new Block(b, `${this.path}.${key}[${i}]`));
  }

  /** Fails when the provider block holds a field the converter did not read. */
  done(): void {
    const unread = Object.keys(this.body).filter((k) => !this.read.has(k));
    if (unread.length > 0) throw new Error(`${this.path}: field(s) ${unread.join(', ')} unknown to the converter; add them (with their Kubernetes name and type)`);
  }
}

const isRef = (v: unknown) => typeof v === 'string' && v.includes('${');

/** A number the provider keeps as a string (replicas, uid). */
function int(v: unknown, path: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  throw new Error(`${path}: expected an integer, got ${JSON.stringify(v)}${isRef(v) ? ' (an unresolved reference cannot be validated)' : ''}`);
}

/** An octal file mode string ("0444") as the integer Kubernetes stores. */
function mode(v: unknown, path: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string' && /^0[0-7]{3}$/.test(v)) return parseInt(v, 8);
  throw new Error(`${path}: expected an octal mode like "0444", got ${JSON.stringify(v)}`);
}

/** IntOrString: digits become an integer (as the provider sends them), the rest stays a string. */
function intOrString(v: unknown): number | string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  return typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : (v as string);
}

/** Drops undefined values so the object equals what would be serialized. */
function clean<T extends Obj>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function metadata(b: Block | undefined, path: string): Obj {
  if (!b) throw new Error(`${path}: metadata missing`);
  const m = clean({
    name: b.raw('name'),
    generateName: b.raw('generate_name'),
    namespace: b.raw('namespace'),
    labels: b.raw('labels'),
    annotations: b.raw('annotations'),
  });
  b.done();
  return m;
}

function labelSelector(b: Block | undefined): Obj | undefined {
  if (!b) return undefined;
  const s = clean({
    matchLabels: b.raw('match_labels'),
    matchExpressions: b.blocks('match_expressions')?.map((e) => {
      const o = clean({ key: e.raw('key'), operator: e.raw('operator'), values: e.raw('values') });
      e.done();
      return o;
    }),
  });
  b.done();
  return s;
}

function seccomp(b: Block | undefined): Obj | undefined {
  if (!b) return undefined;
  const o = clean({ type: b.raw('type'), localhostProfile: b.raw('localhost_profile') });
  b.done();
  return o;
}

function containerSecurityContext(b: Block | undefined): Obj | undefined {
  if (!b) return undefined;
  const caps = b.block('capabilities');
  const capabilities = caps ? clean({ add: caps.raw('add'), drop: caps.raw('drop') }) : undefined;
  caps?.done();
  const o = clean({
    allowPrivilegeEscalation: b.raw('allow_privilege_escalation'),
    capabilities,
    privileged: b.raw('privileged'),
    readOnlyRootFilesystem: b.raw('read_only_root_filesystem'),
    runAsGroup: int(b.raw('run_as_group'), `${b.path}.run_as_group`),
    runAsNonRoot: b.raw('run_as_non_root'),
    runAsUser: int(b.raw('run_as_user'), `${b.path}.run_as_user`),
    seccompProfile: seccomp(b.block('seccomp_profile')),
  });
  b.done();
  return o;
}

function podSecurityContext(b: Block | undefined): Obj | undefined {
  if (!b) return undefined;
  const o = clean({
    runAsNonRoot: b.raw('run_as_non_root'),
    runAsUser: int(b.raw('run_as_user'), `${b.path}.run_as_user`),
    runAsGroup: int(b.raw('run_as_group'), `${b.path}.run_as_group`),
    fsGroup: int(b.raw('fs_group'), `${b.path}.fs_group`),
    fsGroupChangePolicy: b.raw('fs_group_change_policy'),
    supplementalGroups: b.raw('supplemental_groups'),
    seccompProfile: seccomp(b.block('seccomp_profile')),
  });
  b.done();
  return o;
}

function probe(b: Block | undefined): Obj | undefined {
  if (!b) return undefined;
  const http = b.block('http_get');
  const httpGet = http ? clean({ path: http.raw('path'), port: intOrString(http.raw('port')), scheme: http.raw('scheme'), host: http.raw('host') }) : undefined;
  http?.done();
  const exec = b.block('exec');
  const execAction = exec ? clean({ command: exec.raw('command') }) : undefined;
  exec?.done();
  const tcp = b.block('tcp_socket');
  const tcpSocket = tcp ? clean({ port: intOrString(tcp.raw('port')) }) : undefined;
  tcp?.done();
  const o = clean({
    httpGet,
    exec: execAction,
    tcpSocket,
    initialDelaySeconds: b.raw('initial_delay_seconds'),
    periodSeconds: b.raw('period_seconds'),
    timeoutSeconds: b.raw('timeout_seconds'),
    failureThreshold: b.raw('failure_threshold'),
    successThreshold: b.raw('success_threshold'),
  });
  b.done();
  return o;
}

function resources(b: Block | undefined): Obj | undefined {
  if (!b) return undefined;
  const o = clean({ limits: b.raw('limits'), requests: b.raw('requests') });
  b.done();
  return o;
}

function envVar(b: Block): Obj {
  const from = b.block('value_from');
  let valueFrom: Obj | undefined;
  if (from) {
    const secret = from.block('secret_key_ref');
    const configMap = from.block('config_map_key_ref');
    const field = from.block('field_ref');
    const keyRef = (r: Block | undefined) => {
      if (!r) return undefined;
      const o = clean({ name: r.raw('name'), key: r.raw('key'), optional: r.raw('optional') });
      r.done();
      return o;
    };
    const fieldRef = field ? clean({ fieldPath: field.raw('field_path'), apiVersion: field.raw('api_version') }) : undefined;
    field?.done();
    valueFrom = clean({ secretKeyRef: keyRef(secret), configMapKeyRef: keyRef(configMap), fieldRef });
    from.done();
  }
  const o = clean({ name: b.raw('name'), value: b.raw('value'), valueFrom });
  b.done();
  return o;
}

function container(b: Block): Obj {
  const o = clean({
    name: b.raw('name'),
    image: b.raw('image'),
    imagePullPolicy: b.raw('image_pull_policy'),
    command: b.raw('command'),
    args: b.raw('args'),
    workingDir: b.raw('working_dir'),
    env: b.blocks('env')?.map(envVar),
    ports: b.blocks('port')?.map((p) => {
      const port = clean({ name: p.raw('name'), containerPort: p.raw('container_port'), protocol: p.raw('protocol') });
      p.done();
      return port;
    }),
    resources: resources(b.block('resources')),
    livenessProbe: probe(b.block('liveness_probe')),
    readinessProbe: probe(b.block('readiness_probe')),
    startupProbe: probe(b.block('startup_probe')),
    securityContext: containerSecurityContext(b.block('security_context')),
    volumeMounts: b.blocks('volume_mount')?.map((m) => {
      const mount = clean({ name: m.raw('name'), mountPath: m.raw('mount_path'), readOnly: m.raw('read_only'), subPath: m.raw('sub_path') });
      m.done();
      return mount;
    }),
  });
  b.done();
  return o;
}

function keyToPath(b: Block): Obj {
  const o = clean({ key: b.raw('key'), path: b.raw('path'), mode: mode(b.raw('mode'), `${b.path}.mode`) });
  b.done();
  return o;
}

function volume(b: Block): Obj {
  const cm = b.block('config_map');
  const secret = b.block('secret');
  const empty = b.block('empty_dir');
  const o = clean({
    name: b.raw('name'),
    configMap: cm
      ? clean({ name: cm.raw('name'), defaultMode: mode(cm.raw('default_mode'), `${cm.path}.default_mode`), items: cm.blocks('items')?.map(keyToPath), optional: cm.raw('optional') })
      : undefined,
    secret: secret
      ? clean({
          secretName: secret.raw('secret_name'),
          defaultMode: mode(secret.raw('default_mode'), `${secret.path}.default_mode`),
          items: secret.blocks('items')?.map(keyToPath),
          optional: secret.raw('optional'),
        })
      : undefined,
    emptyDir: empty ? clean({ medium: empty.raw('medium'), sizeLimit: empty.raw('size_limit') }) : undefined,
  });
  cm?.done();
  secret?.done();
  empty?.done();
  b.done();
  return o;
}

function podSpec(b: Block): Obj {
  const o = clean({
    serviceAccountName: b.raw('service_account_name'),
    automountServiceAccountToken: b.raw('automount_service_account_token'),
    enableServiceLinks: b.raw('enable_service_links'),
    terminationGracePeriodSeconds: b.raw('termination_grace_period_seconds'),
    nodeSelector: b.raw('node_selector'),
    priorityClassName: b.raw('priority_class_name'),
    restartPolicy: b.raw('restart_policy'),
    securityContext: podSecurityContext(b.block('security_context')),
    initContainers: b.blocks('init_container')?.map(container),
    containers: b.blocks('container')?.map(container),
    volumes: b.blocks('volume')?.map(volume),
  });
  b.done();
  return o;
}

function policyPeer(b: Block): Obj {
  const ip = b.block('ip_block');
  const o = clean({
    ipBlock: ip ? clean({ cidr: ip.raw('cidr'), except: ip.raw('except') }) : undefined,
    namespaceSelector: labelSelector(b.block('namespace_selector')),
    podSelector: labelSelector(b.block('pod_selector')),
  });
  ip?.done();
  b.done();
  return o;
}

function policyPort(b: Block): Obj {
  const o = clean({ port: intOrString(b.raw('port')), protocol: b.raw('protocol'), endPort: b.raw('end_port') });
  b.done();
  return o;
}

/** Kubernetes object per resource type: [model class, converter of the resource body]. */
const CONVERTERS: Readonly<Record<string, [ModelClass, (b: Block) => Obj]>> = {
  kubernetes_namespace_v1: [Namespace as ModelClass, (b) => ({ metadata: metadata(b.ignore('wait_for_default_service_account', 'timeouts').block('metadata'), b.path) })],
  kubernetes_resource_quota_v1: [
    ResourceQuota as ModelClass,
    (b) => {
      const spec = b.block('spec');
      const o = { metadata: metadata(b.block('metadata'), b.path), spec: spec ? clean({ hard: spec.raw('hard'), scopes: spec.raw('scopes') }) : undefined };
      spec?.done();
      return clean(o);
    },
  ],
  kubernetes_limit_range_v1: [
    LimitRange as ModelClass,
    (b) => {
      const spec = b.block('spec');
      const limits = spec?.blocks('limit')?.map((l) => {
        const o = clean({
          type: l.raw('type'),
          default: l.raw('default'),
          defaultRequest: l.raw('default_request'),
          max: l.raw('max'),
          min: l.raw('min'),
          maxLimitRequestRatio: l.raw('max_limit_request_ratio'),
        });
        l.done();
        return o;
      });
      spec?.done();
      return clean({ metadata: metadata(b.block('metadata'), b.path), spec: limits ? { limits } : undefined });
    },
  ],
  kubernetes_service_account_v1: [
    ServiceAccount as ModelClass,
    (b) => clean({ metadata: metadata(b.ignore('timeouts').block('metadata'), b.path), automountServiceAccountToken: b.raw('automount_service_account_token') }),
  ],
  kubernetes_default_service_account_v1: [
    ServiceAccount as ModelClass,
    (b) => {
      const m = metadata(b.block('metadata'), b.path);
      if (m.name !== undefined && m.name !== 'default') throw new Error(`${b.path}: the default service account is named "default"`);
      return clean({ metadata: { ...m, name: 'default' }, automountServiceAccountToken: b.raw('automount_service_account_token') });
    },
  ],
  kubernetes_role_v1: [
    Role as ModelClass,
    (b) =>
      clean({
        metadata: metadata(b.block('metadata'), b.path),
        rules: b.blocks('rule')?.map((r) => {
          const o = clean({ apiGroups: r.raw('api_groups'), resources: r.raw('resources'), verbs: r.raw('verbs'), resourceNames: r.raw('resource_names') });
          r.done();
          return o;
        }),
      }),
  ],
  kubernetes_role_binding_v1: [
    RoleBinding as ModelClass,
    (b) => {
      const ref = b.block('role_ref');
      const roleRef = ref ? clean({ apiGroup: ref.raw('api_group'), kind: ref.raw('kind'), name: ref.raw('name') }) : undefined;
      ref?.done();
      return clean({
        metadata: metadata(b.block('metadata'), b.path),
        roleRef,
        subjects: b.blocks('subject')?.map((s) => {
          const o = clean({ kind: s.raw('kind'), name: s.raw('name'), namespace: s.raw('namespace'), apiGroup: s.raw('api_group') });
          s.done();
          return o;
        }),
      });
    },
  ],
  kubernetes_network_policy_v1: [
    NetworkPolicy as ModelClass,
    (b) => {
      const spec = b.block('spec')!;
      const rules = (key: 'ingress' | 'egress', peers: 'from' | 'to') =>
        spec.blocks(key)?.map((r) => {
          const o = clean({ [peers]: r.blocks(peers)?.map(policyPeer), ports: r.blocks('ports')?.map(policyPort) });
          r.done();
          return o;
        });
      const o = clean({
        metadata: metadata(b.block('metadata'), b.path),
        spec: clean({ podSelector: labelSelector(spec.block('pod_selector')) ?? {}, policyTypes: spec.raw('policy_types'), ingress: rules('ingress', 'from'), egress: rules('egress', 'to') }),
      });
      spec.done();
      return o;
    },
  ],
  kubernetes_config_map_v1: [
    ConfigMap as ModelClass,
    (b) => clean({ metadata: metadata(b.block('metadata'), b.path), data: b.raw('data'), binaryData: b.raw('binary_data'), immutable: b.raw('immutable') }),
  ],
  kubernetes_secret_v1: [
    Secret as ModelClass,
    (b) => {
      // Write-only values reach the API server as data; their values are not in the synthesized
      // JSON (only references), so keys are validated with a placeholder value.
      const wo = b.raw('data_wo') as Record<string, string> | undefined;
      b.ignore('data_wo_revision', 'wait_for_service_account_token', 'timeouts');
      const data = b.raw('data') as Record<string, string> | undefined;
      return clean({
        metadata: metadata(b.block('metadata'), b.path),
        type: b.raw('type'),
        immutable: b.raw('immutable'),
        data,
        stringData: wo ? Object.fromEntries(Object.keys(wo).map((k) => [k, '(write-only)'])) : undefined,
      });
    },
  ],
  kubernetes_deployment_v1: [
    Deployment as ModelClass,
    (b) => {
      b.ignore('wait_for_rollout', 'timeouts');
      const spec = b.block('spec')!;
      const strategy = spec.block('strategy');
      const rolling = strategy?.block('rolling_update');
      const rollingUpdate = rolling ? clean({ maxSurge: intOrString(rolling.raw('max_surge')), maxUnavailable: intOrString(rolling.raw('max_unavailable')) }) : undefined;
      rolling?.done();
      const strategyObj = strategy ? clean({ type: strategy.raw('type'), rollingUpdate }) : undefined;
      strategy?.done();
      const template = spec.block('template')!;
      const templateMeta = template.block('metadata');
      const templateObj = clean({ metadata: templateMeta ? metadata(templateMeta, template.path) : undefined, spec: podSpec(template.block('spec')!) });
      template.done();
      const o = clean({
        metadata: metadata(b.block('metadata'), b.path),
        spec: clean({
          replicas: int(spec.raw('replicas'), `${spec.path}.replicas`),
          revisionHistoryLimit: spec.raw('revision_history_limit'),
          progressDeadlineSeconds: spec.raw('progress_deadline_seconds'),
          minReadySeconds: spec.raw('min_ready_seconds'),
          paused: spec.raw('paused'),
          selector: labelSelector(spec.block('selector')),
          strategy: strategyObj,
          template: templateObj,
        }),
      });
      spec.done();
      return o;
    },
  ],
  kubernetes_pod_disruption_budget_v1: [
    PodDisruptionBudget as ModelClass,
    (b) => {
      const spec = b.block('spec')!;
      const o = clean({
        metadata: metadata(b.block('metadata'), b.path),
        spec: clean({ maxUnavailable: intOrString(spec.raw('max_unavailable')), minAvailable: intOrString(spec.raw('min_available')), selector: labelSelector(spec.block('selector')) }),
      });
      spec.done();
      return o;
    },
  ],
};

export const CONVERTED_TYPES = Object.keys(CONVERTERS);

export interface KubernetesObject {
  /** `<resource type>.<logical id>` */
  readonly address: string;
  readonly kind: string;
  /** The object as the API server receives it (apiVersion, kind, metadata, ...). */
  readonly object: Obj;
  /** Throws with the schema errors when the object is invalid. */
  validate(): void;
}

/** Converts one synthesized resource body; throws on unknown types and fields. */
export function toKubernetesObject(type: string, id: string, body: Json): KubernetesObject {
  const entry = CONVERTERS[type];
  if (!entry) throw new Error(`${type}: no converter; the kit uses only ${CONVERTED_TYPES.join(', ')}`);
  const [Kind, convert] = entry;
  const block = new Block(body, `${type}.${id}`).ignore('//', 'depends_on', 'lifecycle', 'provider', 'count', 'for_each');
  const fields = convert(block);
  block.done();
  const model = new (Kind as unknown as new (data: Obj) => ModelInstance)(fields);
  const object = JSON.parse(JSON.stringify(model.toJSON())) as Obj;
  return { address: `${type}.${id}`, kind: String(object.kind), object, validate: () => model.validate() };
}

/** Every `kubernetes_*` resource of a synthesized stack, converted. */
export function kubernetesObjects(s: Synthesized): KubernetesObject[] {
  const resources = (s.json.resource ?? {}) as Record<string, Record<string, Json>>;
  return Object.entries(resources)
    .filter(([type]) => type.startsWith('kubernetes_'))
    .flatMap(([type, byId]) => Object.entries(byId).map(([id, body]) => toKubernetesObject(type, id, body)));
}

/** Validation errors per object address (empty when every object is valid). */
export function schemaErrors(objects: readonly KubernetesObject[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const o of objects) {
    try {
      o.validate();
    } catch (e) {
      errors[o.address] = (e as Error).message;
    }
  }
  return errors;
}
