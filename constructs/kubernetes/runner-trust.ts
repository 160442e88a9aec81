/**
 * Whom the runners trust besides the public CAs and the image's well-known git hosts, on
 * Kubernetes (config `trust`): two ConfigMaps in the runner namespace, always there (empty when
 * nothing is configured), so adding or changing the material later needs no change of the
 * controllers' config file, which the updater owns after the first deploy.
 *
 * - Run Jobs (every implementation; run-controller's `extraVolumes`/`extraVolumeMounts`, config.go
 *   v1.3.0): the CAs at `/usr/local/share/ca-certificates`, where the images' entrypoint runs
 *   `update-ca-certificates` into the writable root of the Job pod (entrypoint-go.sh:10-14; a Job
 *   pod has no read-only root, kubernetes.go:173-182); an empty ConfigMap holds only dot entries,
 *   which the entrypoint's glob skips. TERRAFORM Jobs also get the known hosts at
 *   `/home/meshcloud/.ssh` (tf-block-runner reads `$HOME/.ssh/known_hosts` beside its own list,
 *   authSsh.go:263; OpenSSH reads it for git:: module sources).
 * - run-controller (Go only, read-only root): the CAs through `SSL_CERT_DIR` beside /etc/ssl/certs.
 *   Its pod template carries a hash of the material, so a change rolls it.
 *
 * Public material: ConfigMaps, not Secrets.
 */
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { LOCAL_CA_DIR, RUNNER_HOME } from '../core/runner-image';
import { EXTRA_CA_FILE_NAME } from '../core/runner-volumes';
import { kitLabels } from './labels';
import type { ExtraVolume, ExtraVolumeMount, ImplementationType } from './run-controller-config';

export const CA_CONFIG_MAP = 'runner-kit-trusted-ca';
export const KNOWN_HOSTS_CONFIG_MAP = 'runner-kit-known-hosts';
/** The CA file's key in its ConfigMap (a `.crt` name, as Alpine's and Debian's tools expect). */
export const CA_KEY = EXTRA_CA_FILE_NAME.replace(/\.pem$/, '.crt');
export const KNOWN_HOSTS_KEY = 'known_hosts';
/** Where run-controller reads the CAs (added to its trust through SSL_CERT_DIR). */
export const CONTROLLER_CA_DIR = '/etc/ssl/runner-kit-ca';

export interface RunnerTrustProps {
  readonly namespace: string;
  /** Extra CAs, PEM. @default - none (the ConfigMap is empty) */
  readonly caCertificates?: string | undefined;
  /** Extra known-hosts lines. @default - none */
  readonly sshKnownHosts?: string | undefined;
}

export class RunnerTrust extends Construct {
  /** Changes whenever the material changes: a pod annotation, to roll the controllers. */
  readonly revision: string;
  readonly caConfigMapName: string;

  constructor(scope: Construct, id: string, props: RunnerTrustProps) {
    super(scope, id);
    const ca = new ConfigMapV1(this, 'TrustedCa', {
      metadata: { name: CA_CONFIG_MAP, namespace: props.namespace, labels: kitLabels('trust') },
      data: props.caCertificates !== undefined ? { [CA_KEY]: `${props.caCertificates.trimEnd()}\n` } : {},
    });
    new ConfigMapV1(this, 'KnownHosts', {
      metadata: { name: KNOWN_HOSTS_CONFIG_MAP, namespace: props.namespace, labels: kitLabels('trust') },
      data: props.sshKnownHosts !== undefined ? { [KNOWN_HOSTS_KEY]: `${props.sshKnownHosts.trimEnd()}\n` } : {},
    });
    this.caConfigMapName = ca.metadata.name;
    this.revision = createHash('sha256').update(JSON.stringify([props.caCertificates ?? null, props.sshKnownHosts ?? null])).digest('hex').slice(0, 16);
  }

  /** The volumes and mounts of every Job of `type`. */
  static jobVolumes(type: ImplementationType): { extraVolumes: ExtraVolume[]; extraVolumeMounts: ExtraVolumeMount[] } {
    const terraform = type === 'TERRAFORM';
    return {
      extraVolumes: [
        { name: 'kit-trusted-ca', configMap: { name: CA_CONFIG_MAP } },
        ...(terraform ? [{ name: 'kit-known-hosts', configMap: { name: KNOWN_HOSTS_CONFIG_MAP } }] : []),
      ],
      extraVolumeMounts: [
        { name: 'kit-trusted-ca', mountPath: LOCAL_CA_DIR, readOnly: true },
        ...(terraform ? [{ name: 'kit-known-hosts', mountPath: `${RUNNER_HOME}/.ssh`, readOnly: true }] : []),
      ],
    };
  }
}
