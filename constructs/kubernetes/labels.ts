/**
 * Names and labels shared by the Kubernetes runner workload on every cloud (EKS, AKS, GKE): the
 * labels the kit puts on its objects, the label run-controller puts on the Job pods it creates,
 * the uid the meshcloud images run as, and the cloud metadata endpoints job pods must not reach.
 */
import { KIT_NAME } from '../core/naming';

export const NAME_LABEL = 'app.kubernetes.io/name';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const PART_OF_LABEL = 'app.kubernetes.io/part-of';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';

/** `app.kubernetes.io/name` of the run-controller pods (set by the kit). */
export const CONTROLLER_APP = 'run-controller';
/** `app.kubernetes.io/name` run-controller sets on every Job pod it starts (run-controller/controller/kubernetes.go). */
export const RUNNER_JOB_APP = 'runner';

/** uid/gid of the `meshcloud` user in every meshcloud runner image (run-controller/Dockerfile). */
export { RUNNER_UID } from '../core/runner-image';

/** The instance metadata endpoint of AWS, Azure and GCP (IPv4) and of AWS (IPv6): never for job pods. */
export const METADATA_ENDPOINT_CIDRS = ['169.254.169.254/32', 'fd00:ec2::254/128'] as const;

/** Kubernetes groups the cloud maps its IAM principals to (EKS access entries, AKS / GKE groups). */
export const OPERATORS_GROUP = `${KIT_NAME}:operators`;
export const UPDATER_GROUP = `${KIT_NAME}:updater`;

/** The labels every object of the kit carries. */
export function kitLabels(component: string, instance?: string): Record<string, string> {
  return {
    [NAME_LABEL]: component,
    ...(instance !== undefined ? { [INSTANCE_LABEL]: instance } : {}),
    [PART_OF_LABEL]: 'meshstack-runner',
    [MANAGED_BY_LABEL]: KIT_NAME,
  };
}

/** A DNS-1123 label (namespace, object names that must also be labels). */
export const DNS_LABEL_RE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** A DNS-1123 subdomain (most object names). */
export const DNS_SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function checkName(what: string, name: string, re: RegExp = DNS_SUBDOMAIN_RE, max = 253): void {
  if (name.length > max || !re.test(name)) {
    throw new Error(`${what} "${name}" is not a valid Kubernetes name: use at most ${max} lowercase letters, digits and hyphens, starting and ending with a letter or digit, e.g. "meshstack-runner"`);
  }
}
