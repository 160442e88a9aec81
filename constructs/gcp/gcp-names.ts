/**
 * Every name the kit gives a GCP resource, following the naming rule of `constructs/core/naming.ts`
 * (user-given names have no `-`; the kit joins parts with `-`), with the limits GCP enforces, so
 * validation (`config.ts`) can refuse a target whose names GCP would refuse before anything is
 * synthesized. Pure: no cdktf import.
 */
import { KIT_NAME } from '../core/naming';

/** One runner's worker pool (Cloud Run: 1-49 characters, a DNS label). */
export const workerPoolName = (target: string, runner: string) => `${target}-${runner}`;
/** Service account ids (6-30 characters). Runner names have no `-`, so `-r-<runner>` never meets a kit role's name. */
export const runnerServiceAccountId = (target: string, runner: string) => `${target}-r-${runner}`;
export const updaterServiceAccountId = (target: string) => `${target}-updater`;
export const schedulerServiceAccountId = (target: string) => `${target}-schedule`;
export const operatorServiceAccountId = (target: string) => `${target}-operator`;
/** GKE: the nodes' service account. */
export const gkeNodeServiceAccountId = (target: string) => `${target}-nodes`;
export const serviceAccountEmail = (id: string, project: string) => `${id}@${project}.iam.gserviceaccount.com`;

/** GKE: the cluster (1-40 characters) and the target's two stacks. */
export const gkeClusterName = (target: string) => target;
export const gkeStackNames = (target: string) => ({ cluster: `${target}-cluster`, workload: `${target}-workload` }) as const;
/** The Kubernetes ServiceAccount of a runner's run-controller (the shared workload's name). */
export const gkeControllerName = (runner: string) => `run-controller-${runner}`;
/** Secondary ranges of the runners' subnet on GKE. */
export const GKE_PODS_RANGE = 'pods';
export const GKE_SERVICES_RANGE = 'services';

/** The updater: a Cloud Run job and its Cloud Scheduler job. */
export const updaterJobName = (target: string) => `${target}-updater`;
/** The Artifact Registry repository of a target: one, holding every mirrored image as a package. */
export const mirrorRegistryRepositoryId = (target: string) => target;
/** `<region>-docker.pkg.dev/<project>/<target>`: the Docker host and path prefix of the mirror. */
export const mirrorRegistryUrl = (region: string, project: string, target: string) => `${region}-docker.pkg.dev/${project}/${mirrorRegistryRepositoryId(target)}`;
/** The package the updater's runtime (Node.js) is mirrored into. */
export const UPDATER_RUNTIME_PACKAGE = 'updater-runtime';
/** The kit's bucket: the updater's code and the version records (globally unique: the project id is in it). */
export const kitBucketName = (project: string, target: string) => `rk-${project}-${target}`;
/** Object names in the kit's bucket. */
export const UPDATER_CODE_OBJECT_PREFIX = 'updater/';
export const versionRecordObject = (runner: string) => `records/${runner}.json`;
export const UPDATER_RUNTIME_RECORD_OBJECT = 'records/updater-runtime.json';

/** What a runner secret holds (the certificate only on Kubernetes platforms). */
export type SecretPurpose = 'api-client-secret' | 'private-key' | 'certificate';
export const secretId = (target: string, runner: string, what: SecretPurpose) => `${target}-${runner}-${what}`;
/** A label-only Secret Manager secret per written secret value: its label records the version written (never a value). */
export const writtenVersionSecretId = (target: string, runner: string, what: SecretPurpose) => `${target}-${runner}-${what}-written`;
export const WRITTEN_VERSION_LABEL = 'runner_kit_written_version';

export const keyRingName = (target: string) => target;
export const cryptoKeyName = (target: string) => target;
export const networkName = (target: string) => target;
export const subnetName = (target: string) => `${target}-runners`;
export const routerName = (target: string) => target;
export const natName = (target: string) => target;
export const natAddressName = (target: string) => `${target}-nat`;
/** Network tags: firewall rules apply to the runners and the updater by these. */
/** The kit's Cloud Logging bucket and the sink routing into it (ids up to 100 characters). */
export const logBucketId = (target: string) => `${target}-logs`;

export const runnerNetworkTag = (target: string) => `${target}-runner`;
export const updaterNetworkTag = (target: string) => `${target}-updater`;

/** Custom role ids (`[a-zA-Z0-9_.]{3,64}`): per target, so two targets in one project do not share roles. */
export const customRoleId = (target: string, role: string) => `runnerKit.${target}.${role}`;

/** Log-based metrics (per project: prefixed by the target). */
export const logMetricName = (target: string, what: string) => `${KIT_NAME}/${target}/${what}`;

// --- GCP's limits --------------------------------------------------------------------------------
export interface GcpNameRule {
  readonly min: number;
  readonly max: number;
  readonly pattern: RegExp;
  readonly what: string;
}
const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const GCP_NAME_RULES = {
  'service-account': { min: 6, max: 30, pattern: DNS_LABEL, what: 'a service account id' },
  'worker-pool': { min: 1, max: 49, pattern: DNS_LABEL, what: 'a Cloud Run worker pool name' },
  bucket: { min: 3, max: 63, pattern: /^[a-z0-9][a-z0-9_-]*[a-z0-9]$/, what: 'a Cloud Storage bucket name' },
  'custom-role': { min: 3, max: 64, pattern: /^[a-zA-Z0-9_.]+$/, what: 'a custom role id' },
  resource: { min: 1, max: 63, pattern: DNS_LABEL, what: 'a GCP resource name' },
} as const satisfies Record<string, GcpNameRule>;

export type GcpNamedType = keyof typeof GCP_NAME_RULES;

/** Every name a target's stack gives, with its type (validation checks each). */
export function gcpResourceNames(target: string, project: string, runners: readonly string[]): { type: GcpNamedType; name: string; runner?: string }[] {
  return [
    { type: 'service-account', name: updaterServiceAccountId(target) },
    { type: 'service-account', name: schedulerServiceAccountId(target) },
    { type: 'service-account', name: operatorServiceAccountId(target) },
    { type: 'service-account', name: gkeNodeServiceAccountId(target) },
    { type: 'bucket', name: kitBucketName(project, target) },
    { type: 'custom-role', name: customRoleId(target, 'operatorProject') },
    { type: 'resource', name: updaterJobName(target) },
    { type: 'resource', name: subnetName(target) },
    ...runners.flatMap((runner) => [
      { type: 'service-account' as const, name: runnerServiceAccountId(target, runner), runner },
      { type: 'worker-pool' as const, name: workerPoolName(target, runner), runner },
      { type: 'resource' as const, name: writtenVersionSecretId(target, runner, 'api-client-secret'), runner },
    ]),
  ];
}
