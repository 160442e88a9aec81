/**
 * One meshcloud run-controller: claims the runs of one meshStack runner (every implementation
 * type) and starts one Job per run in the runner namespace.
 *
 * - Image by digest (from the private mirror); implementation images by digest too.
 * - Config file: non-secret settings in a ConfigMap; the `compose-config` init container adds the
 *   certificate and private key from the credentials Secret into a memory-backed emptyDir, mode
 *   0400. Only the init container mounts the Secret; the controller gets the composed file and
 *   the API client secret as RUNNER_API_CLIENT_SECRET (secretKeyRef).
 * - The credentials Secret is referenced by name. With `credentials`, the kit writes it through
 *   the Kubernetes provider's write-only `data_wo` (values never in Terraform state or plan);
 *   without, it is created out of band (`kubectl create secret generic <name> ...`) and the pod
 *   waits for it.
 * - Pod Security `restricted`: non-root uid 2000, no privilege escalation, ALL capabilities
 *   dropped, seccomp RuntimeDefault, read-only root filesystem, writable emptyDir at /tmp.
 * - automountServiceAccountToken true: the controller calls the Kubernetes API (Jobs, Secrets,
 *   ServiceAccounts); its ServiceAccount itself does not automount.
 * - Requests and limits, liveness and readiness on the metrics endpoint (:2112/metrics, the
 *   only HTTP endpoint run-controller serves; probed from inside the pod, so no ingress is ever
 *   allowed), a PodDisruptionBudget with maxUnavailable 1, and a rollout when the config or the
 *   credentials revision changes.
 */
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { Fn, Token } from 'cdktf';
import { Construct } from 'constructs';
import { checkDigestReference } from './image-reference';
import { checkName, CONTROLLER_APP, kitLabels, NAME_LABEL, INSTANCE_LABEL, RUNNER_UID } from './labels';
import { checkResources, type ContainerResources } from './quantity';
import { CONTROLLER_CA_DIR } from './runner-trust';
import {
  composeConfigScript,
  CREDENTIAL_KEYS,
  DEFAULT_CONTROLLER_RESOURCES,
  INIT_RESOURCES,
  IMPLEMENTATION_TYPES,
  renderRunControllerConfig,
  type ImplementationSpec,
  type ImplementationType,
} from './run-controller-config';

export const METRICS_PORT = 2112;
export const CONFIG_DIR = '/etc/runner-kit';
export const SECRET_DIR = '/run/secrets/runner';
export const RUNTIME_CONFIG_DIR = '/run/runner-kit';
export const SCRATCH_DIR = '/tmp';
export const CONFIG_FILE = `${RUNTIME_CONFIG_DIR}/config.yaml`;

export { DEFAULT_CONTROLLER_RESOURCES, INIT_RESOURCES } from './run-controller-config';

/** The credential values, written through write-only attributes; they never enter state. */
export interface RunControllerCredentials {
  /** The meshStack API client secret (an ephemeral value or token). */
  readonly apiClientSecret: string;
  /** The runner's private key, PEM. */
  readonly privateKeyPem: string;
  /** The runner's X.509 certificate, PEM (registered in meshStack). */
  readonly certificatePem: string;
  /** Bump to send new values (moves whenever one of the runner's secret versions moves). */
  readonly revision: number;
}

export interface RunControllerProps {
  readonly namespace: string;
  /** Deployment, ConfigMap and PDB name, e.g. `run-controller-default`. */
  readonly name: string;
  readonly serviceAccountName: string;
  /** The run-controller image, by digest. */
  readonly image: string;
  readonly runnerUuid: string;
  readonly meshstackApiUrl: string;
  readonly apiClientId: string;
  /** The meshStack workspace owning the runner (run-controller registers itself under it). */
  readonly ownedByWorkspace: string;
  /** Image (by digest), env and resources per implementation type; at least one. */
  readonly implementations: Readonly<Partial<Record<ImplementationType, ImplementationSpec>>>;
  /** @default - the name */
  readonly displayName?: string;
  /** @default 1 - one controller; 0 parks the runner */
  readonly replicas?: number;
  /** @default 10 - meshcloud's default */
  readonly pollingIntervalSeconds?: number;
  /** Runs in flight at once; keep it inside the namespace quota. @default 20 - meshcloud's default */
  readonly maxConcurrentJobs?: number;
  /** @default DEFAULT_CONTROLLER_RESOURCES - 100m/128Mi requested, 500m/256Mi limit */
  readonly resources?: ContainerResources;
  /** Name of the Secret holding the credentials. @default `<name>-credentials` */
  readonly credentialsSecretName?: string;
  /**
   * Write the credentials Secret through write-only attributes.
   * @default - the Secret is created out of band; the pod waits until it exists
   */
  readonly credentials?: RunControllerCredentials;
  /** How to supply missing credentials, shown when the init container refuses to start. */
  readonly missingCredentialsHint?: string;
  /**
   * The extra CAs the controller trusts (`RunnerTrust`): the ConfigMap it mounts and a revision
   * that rolls the controller when they change. @default - the image's CAs only
   */
  readonly trust?: { readonly caConfigMapName: string; readonly revision: string };
}

export class RunController extends Construct {
  /** The image (by digest) the controller runs. */
  readonly image: string;
  readonly deploymentName: string;
  readonly configMapName: string;
  readonly credentialsSecretName: string;
  readonly configYaml: string;
  readonly deployment: DeploymentV1;

  constructor(scope: Construct, id: string, props: RunControllerProps) {
    super(scope, id);
    checkName('run-controller name', props.name, undefined, 63 - '-credentials'.length);
    checkDigestReference('run-controller image', props.image);
    const types = Object.keys(props.implementations) as ImplementationType[];
    if (types.length === 0) throw new Error(`${props.name}: implementations is empty: configure at least TERRAFORM`);
    for (const type of types) {
      if (!(IMPLEMENTATION_TYPES as readonly string[]).includes(type)) throw new Error(`${props.name}: implementation "${type}" is unknown; use one of ${IMPLEMENTATION_TYPES.join(', ')}`);
      const spec = props.implementations[type]!;
      checkDigestReference(`${type} image`, spec.image);
      checkResources(`${type} job`, spec.resources);
    }
    const replicas = props.replicas ?? 1;
    const polling = props.pollingIntervalSeconds ?? 10;
    const maxJobs = props.maxConcurrentJobs ?? 20;
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > 10) throw new Error(`${props.name}: replicas ${replicas} must be 0 to 10`);
    if (!Number.isInteger(polling) || polling < 5 || polling > 300) throw new Error(`${props.name}: pollingIntervalSeconds ${polling} must be 5 to 300`);
    if (!Number.isInteger(maxJobs) || maxJobs < 1 || maxJobs > 500) throw new Error(`${props.name}: maxConcurrentJobs ${maxJobs} must be 1 to 500 (the kit always bounds it)`);
    if (!Token.isUnresolved(props.meshstackApiUrl) && !props.meshstackApiUrl.startsWith('https://')) {
      throw new Error(`${props.name}: meshstackApiUrl "${props.meshstackApiUrl}" must use https: the controller sends its API credentials to it`);
    }
    if (props.ownedByWorkspace.trim() === '') throw new Error(`${props.name}: ownedByWorkspace is empty: run-controller registers itself under a meshStack workspace`);
    const resources = props.resources ?? DEFAULT_CONTROLLER_RESOURCES;
    checkResources(`${props.name} container`, resources);
    const secretName = props.credentialsSecretName ?? `${props.name}-credentials`;
    checkName('credentialsSecretName', secretName);

    const labels = { ...kitLabels(CONTROLLER_APP, props.name) };
    const selector = { [NAME_LABEL]: CONTROLLER_APP, [INSTANCE_LABEL]: props.name };
    this.configYaml = renderRunControllerConfig({
      namespace: props.namespace,
      apiUrl: props.meshstackApiUrl,
      apiClientId: props.apiClientId,
      uuid: props.runnerUuid,
      ownedByWorkspace: props.ownedByWorkspace,
      displayName: props.displayName ?? props.name,
      pollingIntervalSeconds: polling,
      maxConcurrentJobs: maxJobs,
      implementations: props.implementations,
    });
    const configMap = new ConfigMapV1(this, 'Config', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      data: { 'config.yaml': this.configYaml },
      // The updater owns the job images in the config file (and keeps the previous file in an
      // annotation for rollbacks) from the first deploy on; a later deploy must not revert them.
      lifecycle: { ignoreChanges: ['data', 'metadata[0].annotations'] },
    });

    let secretRef = secretName;
    let secretResource: SecretV1 | undefined;
    if (props.credentials) {
      const c = props.credentials;
      if (!Number.isInteger(c.revision) || c.revision < 1) throw new Error(`${props.name}: credentials.revision ${c.revision} must be a whole number >= 1`);
      secretResource = new SecretV1(this, 'Credentials', {
        metadata: { name: secretName, namespace: props.namespace, labels },
        type: 'Opaque',
        dataWo: {
          [CREDENTIAL_KEYS.apiClientSecret]: c.apiClientSecret,
          [CREDENTIAL_KEYS.privateKey]: c.privateKeyPem,
          [CREDENTIAL_KEYS.certificate]: c.certificatePem,
        },
        dataWoRevision: c.revision,
      });
      secretRef = secretResource.metadata.name;
    }

    const securityContext = {
      runAsNonRoot: true,
      runAsUser: String(RUNNER_UID),
      runAsGroup: String(RUNNER_UID),
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    };
    const k8sResources = (r: ContainerResources) => ({ requests: { ...r.requests }, limits: { ...r.limits } });
    // An exec probe on loopback: no network path from the node is needed, so it works under the
    // default-deny ingress policy whatever the CNI does with kubelet traffic (busybox wget).
    const probe = (period: number) => ({
      exec: { command: ['wget', '-q', '-T', '4', '-O', '/dev/null', `http://127.0.0.1:${METRICS_PORT}/metrics`] },
      initialDelaySeconds: 5,
      periodSeconds: period,
      timeoutSeconds: 5,
      failureThreshold: 3,
    });
    const hint = props.missingCredentialsHint ?? `create Secret ${secretName} with keys ${Object.values(CREDENTIAL_KEYS).join(', ')}`;

    this.deployment = new DeploymentV1(this, 'Resource', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      // The updater owns which release runs from the first deploy on: the controller image (also
      // in compose-config), the config hash it rolls with, and the version it records. A later
      // deploy must not revert an update (credentials and every other setting stay Terraform's).
      lifecycle: {
        ignoreChanges: [
          'spec[0].template[0].spec[0].container[0].image',
          'spec[0].template[0].spec[0].init_container[0].image',
          'spec[0].template[0].metadata[0].annotations["private-runner-kit/config-sha256"]',
          'spec[0].template[0].metadata[0].annotations["private-runner-kit/version"]',
        ],
      },
      spec: {
        replicas: String(replicas),
        revisionHistoryLimit: 5,
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1', maxUnavailable: '0' } },
        template: {
          metadata: {
            labels,
            annotations: {
              // A changed config or new credentials roll the controller, so what runs is what was deployed.
              'private-runner-kit/config-sha256': Fn.sha256(Fn.lookup(configMap.data, 'config.yaml', '')),
              ...(props.credentials ? { 'private-runner-kit/credentials-revision': String(props.credentials.revision) } : {}),
              ...(props.trust ? { 'private-runner-kit/trust-revision': props.trust.revision } : {}),
            },
          },
          spec: {
            serviceAccountName: props.serviceAccountName,
            automountServiceAccountToken: true,
            enableServiceLinks: false,
            terminationGracePeriodSeconds: 60,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            securityContext: {
              runAsNonRoot: true,
              runAsUser: String(RUNNER_UID),
              runAsGroup: String(RUNNER_UID),
              fsGroup: String(RUNNER_UID),
              seccompProfile: { type: 'RuntimeDefault' },
            },
            initContainer: [
              {
                name: 'compose-config',
                image: props.image,
                command: ['/bin/sh', '-c', composeConfigScript({ configDir: CONFIG_DIR, secretDir: SECRET_DIR, outputDir: RUNTIME_CONFIG_DIR }, hint)],
                securityContext,
                resources: k8sResources(INIT_RESOURCES),
                volumeMount: [
                  { name: 'config', mountPath: CONFIG_DIR, readOnly: true },
                  { name: 'credentials', mountPath: SECRET_DIR, readOnly: true },
                  { name: 'runtime-config', mountPath: RUNTIME_CONFIG_DIR },
                ],
              },
            ],
            container: [
              {
                name: 'run-controller',
                image: props.image,
                env: [
                  { name: 'RUNCONTROLLER_CONFIG_FILE', value: CONFIG_FILE },
                  { name: 'RUNNER_API_CLIENT_SECRET', valueFrom: { secretKeyRef: { name: secretRef, key: CREDENTIAL_KEYS.apiClientSecret } } },
                  { name: 'HOME', value: SCRATCH_DIR },
                  // Go reads these directories beside the system bundle; the root stays read-only.
                  ...(props.trust ? [{ name: 'SSL_CERT_DIR', value: `${CONTROLLER_CA_DIR}:/etc/ssl/certs` }] : []),
                ],
                port: [{ name: 'metrics', containerPort: METRICS_PORT, protocol: 'TCP' }],
                securityContext,
                resources: k8sResources(resources),
                livenessProbe: probe(20),
                readinessProbe: probe(10),
                volumeMount: [
                  { name: 'runtime-config', mountPath: RUNTIME_CONFIG_DIR, readOnly: true },
                  { name: 'scratch', mountPath: SCRATCH_DIR },
                  ...(props.trust ? [{ name: 'trusted-ca', mountPath: CONTROLLER_CA_DIR, readOnly: true }] : []),
                ],
              },
            ],
            volume: [
              { name: 'config', configMap: { name: configMap.metadata.name, defaultMode: '0444' } },
              { name: 'credentials', secret: { secretName: secretRef, defaultMode: '0440' } },
              { name: 'runtime-config', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
              { name: 'scratch', emptyDir: { sizeLimit: '64Mi' } },
              ...(props.trust ? [{ name: 'trusted-ca', configMap: { name: props.trust.caConfigMapName, defaultMode: '0444' } }] : []),
            ],
          },
        },
      },
    });
    new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: { maxUnavailable: '1', selector: { matchLabels: selector } },
    });
    this.image = props.image;
    this.deploymentName = this.deployment.metadata.name;
    this.configMapName = configMap.metadata.name;
    this.credentialsSecretName = secretName;
  }
}
