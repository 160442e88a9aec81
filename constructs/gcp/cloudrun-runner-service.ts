/**
 * One meshStack runner as a Cloud Run worker pool: Cloud Run's resource for always-on pull
 * workloads (the runner polls; it serves nothing, and a worker pool has no endpoint at all).
 *
 * - Its own service account (never the default compute one), which may read exactly this runner's
 *   two secrets and nothing else.
 * - Direct VPC egress with all traffic through the kit's subnet (network tag of the runners: the
 *   firewall lets it reach TCP 443 and the extra ports only, through Cloud NAT).
 * - The image by digest from the mirror (the deploy's bootstrap promoted it), replicas as the
 *   manual instance count.
 * - The API client secret as a secret environment reference, the private key as a secret FILE
 *   (Cloud Run mounts Secret Manager secrets as files: no init step), both read at instance start.
 * - The runner contract on a writable in-memory root (`constructs/core/runner-writable-root.ts`):
 *   a prelude writes the kit's config file and the trust material, then execs the image's entrypoint.
 * - Encrypted with the target's key (the Cloud Run service agent is granted it).
 *
 * What the updater owns after the first deploy (Terraform ignores it): the container image and the
 * instance splits (a rollback pins the previous revision). Worker pools in google 6.50.0 have no
 * probes: the updater's health gate is the revision's conditions plus the meshStack signal.
 */
import { CloudRunV2WorkerPool } from '@cdktf/provider-google/lib/cloud-run-v2-worker-pool';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IRunnerService } from '../core/interfaces';
import { RUNNER_HOME } from '../core/runner-image';
import { RUNNER_CONFIG_YAML, SEED_ENV } from '../core/runner-volumes';
import { WRITABLE_ROOT_CONFIG_FILE, WRITABLE_ROOT_KEY_DIR, WRITABLE_ROOT_KEY_FILE_NAME, WRITABLE_ROOT_PRIVATE_KEY_FILE, writableRootPrelude } from '../core/runner-writable-root';
import { GcpContext } from './gcp-context';
import { runnerServiceAccountId, serviceAccountEmail, workerPoolName } from './gcp-names';
import type { RunnerKey } from './runner-key';
import type { RunnerNetwork } from './runner-network';
import type { RunnerSecrets } from './runner-secrets';

/** The container running the runner: the updater changes this one's image. */
export const RUNNER_CONTAINER_NAME = 'runner';
/**
 * Worker pools are a pre-GA (BETA) resource in google 6.50.0's examples; the API requires the
 * launch stage to be at least the resource's stage. Kept explicit until the kit's provider pins
 * a release that treats worker pools as GA (README: "Cloud Run worker pools").
 */
export const WORKER_POOL_LAUNCH_STAGE = 'BETA';
/** Read-only for everyone in the container: the runner runs as uid 2000, the file is owned by root. */
export const KEY_FILE_MODE = 0o444;
/** What Terraform leaves to the updater. */
export const UPDATER_OWNED_FIELDS = ['template[0].containers[0].image', 'instance_splits'] as const;

export interface CloudRunRunnerServiceProps {
  readonly target: string;
  readonly runner: string;
  /** The first revision's image: by digest, from the mirror. */
  readonly image: string;
  readonly runnerUuid: string;
  readonly meshstackApiUrl: string;
  readonly apiClientId: string;
  readonly secrets: RunnerSecrets;
  readonly key: RunnerKey;
  readonly network: RunnerNetwork;
  /** @default 1 */
  readonly replicas?: number;
  /** Whole vCPUs (1, 2, 4, 6, 8). @default 1 */
  readonly vcpu?: number;
  /** @default 2048 - the in-memory root counts too */
  readonly memoryMiB?: number;
  readonly trust?: { readonly caCertificates?: string | undefined; readonly sshKnownHosts?: string | undefined };
  /** What must exist first (the bootstrap's records). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class CloudRunRunnerService extends Construct implements IRunnerService {
  readonly serviceName: string;
  /** IRunnerService: the Cloud Logging filter of this runner's lines. */
  readonly logs: string;
  readonly serviceAccountEmail: string;
  readonly serviceAccountMember: string;
  readonly workerPool: CloudRunV2WorkerPool;

  constructor(scope: Construct, id: string, props: CloudRunRunnerServiceProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    const name = workerPoolName(props.target, props.runner);
    const account = new ServiceAccount(this, 'ServiceAccount', {
      project: ctx.projectId,
      accountId: runnerServiceAccountId(props.target, props.runner),
      displayName: `Runner ${name}`,
      description: `Identity of runner ${name}: reads its two secrets, nothing else`,
      dependsOn: [...ctx.apis],
    });
    this.serviceAccountEmail = serviceAccountEmail(runnerServiceAccountId(props.target, props.runner), ctx.projectId);
    this.serviceAccountMember = `serviceAccount:${account.email}`;
    const reads = props.secrets.grantRead(this.serviceAccountMember);
    const agentGrant = props.key.grantEncryptDecrypt('CloudRun', ctx.serviceAgent('serverless-robot-prod.iam.gserviceaccount.com'));
    const trust = props.trust ?? {};
    const env = [
      { name: 'HOME', value: RUNNER_HOME },
      { name: 'RUNNER_API_CLIENT_ID', value: props.apiClientId },
      { name: 'RUNNER_API_URL', value: props.meshstackApiUrl },
      { name: 'RUNNER_CONFIG_FILE', value: WRITABLE_ROOT_CONFIG_FILE },
      { name: 'RUNNER_CONFIG_YAML', value: RUNNER_CONFIG_YAML },
      { name: 'RUNNER_PRIVATE_KEY_FILE', value: WRITABLE_ROOT_PRIVATE_KEY_FILE },
      { name: 'RUNNER_UUID', value: props.runnerUuid },
      ...(trust.caCertificates !== undefined ? [{ name: SEED_ENV.caCertificates, value: trust.caCertificates }] : []),
      ...(trust.sshKnownHosts !== undefined ? [{ name: SEED_ENV.sshKnownHosts, value: trust.sshKnownHosts }] : []),
      { name: 'RUNNER_API_CLIENT_SECRET', valueSource: { secretKeyRef: { secret: props.secrets.apiClientSecretId, version: 'latest' } } },
    ];
    this.workerPool = new CloudRunV2WorkerPool(this, 'Resource', {
      project: ctx.projectId,
      location: ctx.region,
      name,
      description: `meshStack runner ${props.runner} of ${props.target} (private-runner-kit)`,
      launchStage: WORKER_POOL_LAUNCH_STAGE,
      deletionProtection: false,
      scaling: { scalingMode: 'MANUAL', manualInstanceCount: props.replicas ?? 1 },
      instanceSplits: [{ type: 'INSTANCE_SPLIT_ALLOCATION_TYPE_LATEST', percent: 100 }],
      template: {
        serviceAccount: account.email,
        encryptionKey: props.key.keyReference,
        vpcAccess: { egress: 'ALL_TRAFFIC', networkInterfaces: [{ network: props.network.networkId, subnetwork: props.network.subnetId, tags: [props.network.runnerTag] }] },
        containers: [
          {
            name: RUNNER_CONTAINER_NAME,
            image: props.image,
            command: ['/bin/sh', '-c'],
            args: [writableRootPrelude({ extraCaCertificates: trust.caCertificates !== undefined, sshKnownHosts: trust.sshKnownHosts !== undefined })],
            env,
            resources: { limits: { cpu: String(props.vcpu ?? 1), memory: `${props.memoryMiB ?? 2048}Mi` } },
            volumeMounts: [{ name: 'private-key', mountPath: WRITABLE_ROOT_KEY_DIR }],
          },
        ],
        volumes: [{ name: 'private-key', secret: { secret: props.secrets.privateKeyId, items: [{ path: WRITABLE_ROOT_KEY_FILE_NAME, version: 'latest', mode: KEY_FILE_MODE }] } }],
      },
      lifecycle: { ignoreChanges: [...UPDATER_OWNED_FIELDS] },
      dependsOn: [...ctx.apis, ...reads, agentGrant, ...props.secrets.versions, ...(props.dependsOn ?? [])],
    });
    this.serviceName = name;
    this.logs = `resource.type="cloud_run_worker_pool" AND resource.labels.worker_pool_name="${name}"`;
  }
}
