/**
 * The auto-update pipeline on GCP: the updater as a Cloud Run job (no endpoint: it is started
 * through the Cloud Run API, by Cloud Scheduler on `updates.schedule` and by operators on demand),
 * the version records (one JSON object per runner in the kit's bucket), the bootstrap that makes the
 * first deploy end with a running runner, and the alerts on failed or rolled-back updates and on
 * updater errors.
 *
 * Where the code comes from, without a kit-published image: the kit's deterministic updater bundle
 * (`updater/entry/gcp-job.ts`, bundled at synthesis like the AWS Lambda's) is uploaded by Terraform
 * into the kit's bucket (content-addressed, CMEK) and mounted read-only into the job; the job runs
 * it on the official Node.js image (`UPDATER_RUNTIME`), which the bootstrap promotes by digest into
 * the target's mirror, so the job, like the runners, pulls only from the private mirror.
 * Operators' on-demand runs override the payload; the job's start (`updater-job-command.ts`) makes
 * sure nothing else they could override (args, other environment variables) reaches the updater.
 *
 * Deploy order, enforced by Terraform dependencies:
 * 1. key, mirror repository, bucket (and the bundle in it);
 * 2. the bootstrap (`terraform_data` with a local-exec step): the same bundle runs on the deploying
 *    machine, with the deployer's Google credentials, action `bootstrap`: it promotes each runner's
 *    configured version and the updater's runtime into the mirror by digest and writes the version
 *    records. GCP has no resource that runs a job and returns its result in google 6.50.0, and the
 *    job cannot run before its runtime is mirrored: the deployer's run breaks that circle;
 * 3. Terraform reads the records (data sources) and creates the worker pools with those digests,
 *    and the job on the runtime's digest.
 * Later, the updater owns what runs (new revisions, instance splits, the records); Terraform ignores
 * the worker pools' image and splits, so a later `cdktf deploy` never rolls an update back.
 *
 * The updater's service account may: read and update this target's worker pools and act as their
 * service accounts (needed to create their revisions; bound on each runner account only, the
 * GCP twin of iam:PassRole: acknowledged), push to and pull from this target's repository, read and
 * write objects in the kit's bucket, read the executions of its own job (who started it), and list
 * log entries (the runners' lines: Cloud Logging grants this per project only).
 */
import { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import { CloudRunV2JobIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-job-iam-member';
import { CloudRunV2WorkerPoolIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-worker-pool-iam-member';
import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member';
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job';
import { DataGoogleStorageBucketObjectContent } from '@cdktf/provider-google/lib/data-google-storage-bucket-object-content';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { StorageBucketObject } from '@cdktf/provider-google/lib/storage-bucket-object';
import { AssetType, Fn, TerraformAsset, Token } from 'cdktf';
import { TerraformData } from '../core/terraform-data';
import { Construct } from 'constructs';
import { bundleFunction } from '../core/bundle/function-bundle';
import { maintenanceWindowOf, type UpdatesConfig } from '../core/config/schema';
import type { IUpdatePipeline } from '../core/interfaces';
import { bind, type PermissionTemplate } from '../core/permissions/permission';
import { acknowledge } from '../core/rules/acknowledgement';
import { RUNNER_RUN_TIMEOUT_MINUTES } from '../core/runner-settings';
import { fromTerraformText } from '../core/terraform-text';
import { updaterJobScript } from './updater-job-command';
import { buildGcpUpdaterConfig, GCP_UPDATER_CONFIG_ENV, GCP_UPDATER_PAYLOAD_ENV, GCP_UPDATER_TIME_LIMIT_SECONDS, SCHEDULED_PAYLOAD, type GcpUpdaterConfig } from '../../updater/entry/gcp-updater-config';
import type { AlarmChannels } from './alarm-channels';
import { GcpContext } from './gcp-context';
import {
  kitBucketName,
  schedulerServiceAccountId,
  serviceAccountEmail,
  UPDATER_CODE_OBJECT_PREFIX,
  UPDATER_RUNTIME_PACKAGE,
  UPDATER_RUNTIME_RECORD_OBJECT,
  updaterJobName,
  updaterServiceAccountId,
  versionRecordObject,
} from './gcp-names';
import { KitRole } from './kit-role';
import { LogAlert } from './log-alert';
import type { MirrorRegistry } from './registry-mirror';
import type { RunnerKey } from './runner-key';
import type { RunnerNetwork } from './runner-network';

export const UPDATER_ENTRY = 'updater/entry/gcp-job.ts';
/** Where the job sees the kit's bucket. */
export const CODE_MOUNT_PATH = '/runner-kit';

// --- the updater's permissions, each with its reason --------------------------------------------
export const ROLL_OUT_WORKER_POOLS: PermissionTemplate = {
  sid: 'RollOutRunnerWorkerPools',
  actions: ['run.workerpools.get', 'run.workerpools.update'],
  justification: "Reads the runner's worker pool and moves it to a new revision (new image) or back (instance splits); bound on the target's worker pools only.",
};
export const ACT_AS_RUNNER: PermissionTemplate = {
  sid: 'ActAsRunnerServiceAccount',
  actions: ['iam.serviceAccounts.actAs'],
  justification: "A new revision runs as the runner's own service account, which Cloud Run lets only a caller who may act as it deploy; bound on each runner's account only.",
};
export const PROMOTE_INTO_MIRROR: PermissionTemplate = {
  sid: 'PromoteIntoMirror',
  actions: ['artifactregistry.repositories.downloadArtifacts', 'artifactregistry.repositories.uploadArtifacts', 'artifactregistry.tags.create', 'artifactregistry.tags.get', 'artifactregistry.tags.list', 'artifactregistry.versions.get'],
  justification: "Promotion copies an upstream release into the target's mirror by digest and tags it (read and write; no delete, no policy changes).",
};
export const READ_WRITE_RECORDS: PermissionTemplate = {
  sid: 'ReadWriteVersionRecords',
  actions: ['storage.objects.create', 'storage.objects.delete', 'storage.objects.get', 'storage.objects.list'],
  justification: "Reads its code and reads and replaces each runner's version record in the kit's bucket (replacing an object needs delete; the bucket keeps old generations).",
};
export const READ_OWN_EXECUTIONS: PermissionTemplate = {
  sid: 'ReadOwnExecutions',
  actions: ['run.executions.get'],
  justification: 'Reads which principal started the execution it runs in (the schedule, or an operator), which decides the actions it accepts.',
};
export const READ_RUNNER_LOGS: PermissionTemplate = {
  sid: 'ReadRunnerLogs',
  actions: ['logging.logEntries.list'],
  justification:
    "Reads the runners' own log lines: before a runner is replaced, whether it executes a run; after a rollout, whether the new revision reaches meshStack. Cloud Logging grants reading per project (or per log view), not per resource.",
};
export const REACH_CLUSTER: PermissionTemplate = {
  sid: 'ReachRunnerCluster',
  actions: ['container.clusters.connect', 'container.clusters.get'],
  justification:
    "Finds the GKE cluster's DNS endpoint and passes Google's IAM check in front of it; what it may do inside is the namespaced Kubernetes Role (patch the controller and its config). GKE grants these per project (no cluster-level IAM binding exists).",
};
export const START_UPDATER: PermissionTemplate = {
  sid: 'StartScheduledUpdater',
  actions: ['run.jobs.run'],
  justification: 'Starts the updater job as it is defined (the scheduled action); without run.jobs.runWithOverrides it cannot change what the job does.',
};

interface UpdatedRunnerBase {
  readonly name: string;
  readonly upstreamImage: string;
  readonly version: string;
  readonly mirrorPackage: string;
}

/** A runner on a Cloud Run worker pool. */
export interface CloudRunUpdatedRunner extends UpdatedRunnerBase {
  readonly workerPool: string;
  readonly serviceAccountEmail: string;
}

/** A runner as run-controller on GKE: the controller Deployment and its job images (same release). */
export interface KubernetesUpdatedRunner extends UpdatedRunnerBase {
  readonly kubernetes: {
    readonly cluster: string;
    readonly namespace: string;
    readonly deployment: string;
    readonly implementations: readonly { readonly type: string; readonly upstreamImage: string; readonly mirrorPackage: string }[];
  };
}

export type UpdatedRunner = CloudRunUpdatedRunner | KubernetesUpdatedRunner;

const isKubernetes = (r: UpdatedRunner): r is KubernetesUpdatedRunner => 'kubernetes' in r;

export interface UpdatePipelineProps {
  readonly target: string;
  readonly runners: readonly UpdatedRunner[];
  readonly updates: UpdatesConfig;
  readonly key: RunnerKey;
  readonly registry: MirrorRegistry;
  readonly network: RunnerNetwork;
  readonly channels: AlarmChannels;
  /** Days the bucket keeps replaced records (noncurrent object generations). @default 90 */
  readonly logRetentionDays?: number;
}

export class UpdatePipeline extends Construct implements IUpdatePipeline {
  readonly jobName: string;
  readonly bucketName: string;
  readonly serviceAccountEmail: string;
  readonly schedulerServiceAccountEmail: string;
  /** The document the job runs with, as real values (the local CLI and tests run with it). */
  readonly updaterConfig: GcpUpdaterConfig;
  readonly bootstrap: TerraformData;
  /** The updater job's resource (operators are granted on it). */
  readonly job: CloudRunV2Job;
  private readonly records = new Map<string, DataGoogleStorageBucketObjectContent>();
  private readonly registryUrl: string;
  private readonly packages = new Map<string, string>();

  constructor(scope: Construct, id: string, props: UpdatePipelineProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    const project = ctx.projectId;
    const u = props.updates;
    this.jobName = updaterJobName(props.target);
    this.bucketName = kitBucketName(project, props.target);
    this.registryUrl = props.registry.registryUrl;
    this.serviceAccountEmail = serviceAccountEmail(updaterServiceAccountId(props.target), project);
    this.schedulerServiceAccountEmail = serviceAccountEmail(schedulerServiceAccountId(props.target), project);
    for (const r of props.runners) this.packages.set(r.name, r.mirrorPackage);

    const document = buildGcpUpdaterConfig({
      target: props.target,
      project,
      region: ctx.region,
      rolloutTimeoutMinutes: u.rolloutTimeoutMinutes,
      policy: { channel: u.channel, hold: u.hold, allowDowngrade: u.allowDowngrade, ...(maintenanceWindowOf(u) !== undefined ? { window: maintenanceWindowOf(u)! } : {}) },
      bucket: this.bucketName,
      mirrorRegistry: props.registry.registryUrl,
      job: this.jobName,
      schedulerServiceAccount: this.schedulerServiceAccountEmail,
      runtimePackage: UPDATER_RUNTIME_PACKAGE,
      runtimeRecord: UPDATER_RUNTIME_RECORD_OBJECT,
      runners: props.runners.map((r) => ({
        name: r.name,
        upstreamImage: r.upstreamImage,
        version: r.version,
        mirrorPackage: r.mirrorPackage,
        record: versionRecordObject(r.name),
        ...(isKubernetes(r) ? { kubernetes: r.kubernetes } : { workerPool: r.workerPool }),
      })),
      runTimeoutMinutes: RUNNER_RUN_TIMEOUT_MINUTES,
    });
    this.updaterConfig = fromTerraformText(document);
    const documentText = JSON.stringify(document);

    const account = new ServiceAccount(this, 'ServiceAccount', {
      project,
      accountId: updaterServiceAccountId(props.target),
      displayName: `Updater of ${props.target}`,
      description: `Promotes releases into the mirror of ${props.target} and rolls them out to its worker pools`,
      dependsOn: [...ctx.apis],
    });
    const member = `serviceAccount:${account.email}`;
    const schedulerAccount = new ServiceAccount(this, 'SchedulerServiceAccount', {
      project,
      accountId: schedulerServiceAccountId(props.target),
      displayName: `Schedule of the updater of ${props.target}`,
      description: 'Starts the updater job on updates.schedule; nothing else',
      dependsOn: [...ctx.apis],
    });

    // The kit's bucket: the updater's code and the version records.
    const storageGrant = props.key.grantEncryptDecrypt('CloudStorage', ctx.storageServiceAgent());
    const bucket = new StorageBucket(this, 'Bucket', {
      project,
      name: this.bucketName,
      location: ctx.region.toUpperCase(),
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      encryption: { defaultKmsKeyName: props.key.keyReference },
      lifecycleRule: [{ action: { type: 'Delete' }, condition: { daysSinceNoncurrentTime: props.logRetentionDays ?? 90, withState: 'ARCHIVED' } }],
      // Everything in it was written by the kit (its code, its records).
      forceDestroy: true,
      dependsOn: [storageGrant],
    });
    const bundle = bundleFunction({ entry: UPDATER_ENTRY, target: 'node22', external: [] });
    const asset = new TerraformAsset(this, 'Bundle', { path: bundle.jsPath, type: AssetType.FILE });
    const codeObject = `${UPDATER_CODE_OBJECT_PREFIX}${bundle.jsSha256Hex}.js`;
    const code = new StorageBucketObject(this, 'Code', { bucket: bucket.name, name: codeObject, source: asset.path, contentType: 'application/javascript' });

    // The deploy's bootstrap: the bundle, on the deploying machine, with the deployer's credentials.
    this.bootstrap = new TerraformData(this, 'Bootstrap', {
      triggersReplace: { runners: props.runners.map((r) => r.name).join(','), runtime: `${document.runtime.upstreamRepository}:${document.runtime.tag}` },
      dependsOn: [bucket, props.registry.resource],
    });
    this.bootstrap.addOverride('provisioner', [
      { 'local-exec': { command: `node ${asset.path} bootstrap`, environment: { [GCP_UPDATER_CONFIG_ENV]: documentText } } },
    ]);

    const recordOf = (rid: string, object: string) => {
      const content = new DataGoogleStorageBucketObjectContent(this, `Record-${rid}`, { bucket: bucket.name, name: object, dependsOn: [this.bootstrap] });
      return content;
    };
    for (const r of props.runners) this.records.set(r.name, recordOf(r.name, versionRecordObject(r.name)));
    const runtime = recordOf('updater-runtime', UPDATER_RUNTIME_RECORD_OBJECT);
    const runtimeImage = `${props.registry.registryUrl}/${UPDATER_RUNTIME_PACKAGE}@${Token.asString(Fn.lookup(Fn.jsondecode(runtime.content), 'digest', ''))}`;

    // Roles, each bound where it applies.
    const pools = props.runners.filter((r): r is CloudRunUpdatedRunner => !isKubernetes(r));
    const clusters = [...new Set(props.runners.filter(isKubernetes).map((r) => r.kubernetes.cluster))];
    const workerPoolScopes = pools.map((r) => `projects/${project}/locations/${ctx.region}/workerPools/${r.workerPool}`);
    const rollOut = pools.length === 0 ? undefined : new KitRole(this, 'RoleWorkerPools', { target: props.target, role: 'updaterWorkerPools', title: `Updater of ${props.target}: worker pools`, description: 'Read and roll out the runner worker pools of the target.', heldBy: "the updater's service account", permissions: [bind(ROLL_OUT_WORKER_POOLS, workerPoolScopes)] });
    const actAs = pools.length === 0 ? undefined : new KitRole(this, 'RoleActAsRunner', { target: props.target, role: 'updaterActAsRunner', title: `Updater of ${props.target}: act as runners`, description: "Deploy revisions that run as the runners' own service accounts.", heldBy: "the updater's service account", permissions: [bind(ACT_AS_RUNNER, pools.map((r) => `projects/${project}/serviceAccounts/${r.serviceAccountEmail}`))] });
    const reach =
      clusters.length === 0
        ? undefined
        : new KitRole(this, 'RoleCluster', { target: props.target, role: 'updaterCluster', title: `Updater of ${props.target}: reach the cluster`, description: "Reach the runner cluster's control plane (Kubernetes RBAC decides the rest).", heldBy: "the updater's service account", permissions: [bind(REACH_CLUSTER, [`projects/${project}`])] });
    const mirror = new KitRole(this, 'RoleMirror', { target: props.target, role: 'updaterMirror', title: `Updater of ${props.target}: mirror`, description: "Promote releases into the target's mirror repository.", heldBy: "the updater's service account", permissions: [bind(PROMOTE_INTO_MIRROR, [props.registry.repositoryName])] });
    const records = new KitRole(this, 'RoleRecords', { target: props.target, role: 'updaterRecords', title: `Updater of ${props.target}: records`, description: "Read the updater's code and write the version records in the kit's bucket.", heldBy: "the updater's service account", permissions: [bind(READ_WRITE_RECORDS, [`projects/_/buckets/${this.bucketName}`])] });
    // Cloud Run runners' lines are read in Cloud Logging; run-controller's through the Kubernetes API (its namespaced Role).
    const logs = pools.length === 0 ? undefined : new KitRole(this, 'RoleLogs', { target: props.target, role: 'updaterLogs', title: `Updater of ${props.target}: runner logs`, description: "Read the runners' log lines.", heldBy: "the updater's service account", permissions: [bind(READ_RUNNER_LOGS, [`projects/${project}`])] });
    const executions = new KitRole(this, 'RoleExecutions', { target: props.target, role: 'updaterExecutions', title: `Updater of ${props.target}: own executions`, description: 'Read who started an execution of the updater job.', heldBy: "the updater's service account", permissions: [bind(READ_OWN_EXECUTIONS, [`projects/${project}/locations/${ctx.region}/jobs/${this.jobName}`])] });
    const start = new KitRole(this, 'RoleStart', { target: props.target, role: 'schedulerStart', title: `Schedule of ${props.target}: start the updater`, description: 'Start the updater job as defined.', heldBy: "the schedule's service account", permissions: [bind(START_UPDATER, [`projects/${project}/locations/${ctx.region}/jobs/${this.jobName}`])] });

    for (const r of pools) {
      new ServiceAccountIamMember(this, `ActAs-${r.name}`, { serviceAccountId: `projects/${project}/serviceAccounts/${r.serviceAccountEmail}`, role: actAs!.roleName, member });
    }
    if (actAs !== undefined) acknowledge(this, 'GCP-IAM-5', 'Permission::iam.serviceAccounts.actAs', "The updater deploys revisions of the runners' worker pools, which run as the runners' own service accounts: actAs is bound on each runner's account only, never on the project; no person can act as the updater.");
    if (reach !== undefined) {
      new ProjectIamMember(this, 'ClusterAccess', { project, role: reach.roleName, member });
      acknowledge(this, 'GCP-IAM-4', `Project::${reach.roleId}`, "GKE has no cluster-level IAM binding: reaching the runner cluster's control plane is granted per project. The role holds get and connect only; inside the cluster the updater holds one namespaced Role.");
    }
    if (logs !== undefined) acknowledge(this, 'GCP-IAM-4', `Project::${logs.roleId}`, "The runners' log lines are the updater's health and busy signal; Cloud Logging grants logging.logEntries.list per project only. The role holds that one read permission.");
    new ArtifactRegistryRepositoryIamMember(this, 'MirrorAccess', { project, location: ctx.region, repository: props.registry.repositoryId, role: mirror.roleName, member, dependsOn: [props.registry.resource] });
    const recordsAccess = new StorageBucketIamMember(this, 'RecordsAccess', { bucket: bucket.name, role: records.roleName, member });
    if (logs !== undefined) new ProjectIamMember(this, 'LogsAccess', { project, role: logs.roleName, member });

    this.job = new CloudRunV2Job(this, 'Resource', {
      project,
      location: ctx.region,
      name: this.jobName,
      deletionProtection: false,
      template: {
        taskCount: 1,
        parallelism: 1,
        template: {
          serviceAccount: account.email,
          timeout: `${GCP_UPDATER_TIME_LIMIT_SECONDS}s`,
          maxRetries: 0,
          executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
          encryptionKey: props.key.keyReference,
          vpcAccess: { egress: 'ALL_TRAFFIC', networkInterfaces: [{ network: props.network.networkId, subnetwork: props.network.subnetId, tags: [props.network.updaterTag] }] },
          containers: [
            {
              name: 'updater',
              image: runtimeImage,
              // The whole start is the command, which an on-demand run cannot override (updater-job-command.ts).
              command: ['/bin/sh', '-c', updaterJobScript({ bundle: `${CODE_MOUNT_PATH}/${codeObject}`, configEnv: GCP_UPDATER_CONFIG_ENV, configText: documentText, payloadEnv: GCP_UPDATER_PAYLOAD_ENV })],
              env: [{ name: GCP_UPDATER_PAYLOAD_ENV, value: SCHEDULED_PAYLOAD }],
              resources: { limits: { cpu: '1', memory: '1Gi' } },
              volumeMounts: [{ name: 'code', mountPath: CODE_MOUNT_PATH }],
            },
          ],
          volumes: [{ name: 'code', gcs: { bucket: bucket.name, readOnly: true } }],
        },
      },
      dependsOn: [...ctx.apis, code, recordsAccess, props.key.grantEncryptDecrypt('CloudRun', ctx.serviceAgent('serverless-robot-prod.iam.gserviceaccount.com'))],
    });
    new CloudRunV2JobIamMember(this, 'ExecutionsAccess', { project, location: ctx.region, name: this.job.name, role: executions.roleName, member });
    new CloudRunV2JobIamMember(this, 'ScheduleAccess', { project, location: ctx.region, name: this.job.name, role: start.roleName, member: `serviceAccount:${schedulerAccount.email}` });
    this.workerPoolRole = rollOut;
    this.updaterMember = member;
    this.serviceAccount = account;

    new CloudSchedulerJob(this, 'Schedule', {
      project,
      region: ctx.region,
      name: this.jobName,
      description: `Runs the updater of ${props.target} (${u.channel} channel; the maintenance window gates changes)`,
      schedule: u.schedule,
      timeZone: u.timeZone,
      attemptDeadline: '180s',
      // A failed run is reported and alerted; the next scheduled run tries again.
      retryConfig: { retryCount: 0 },
      httpTarget: {
        httpMethod: 'POST',
        uri: `https://run.googleapis.com/v2/projects/${project}/locations/${ctx.region}/jobs/${this.jobName}:run`,
        oauthToken: { serviceAccountEmail: schedulerAccount.email, scope: 'https://www.googleapis.com/auth/cloud-platform' },
      },
      dependsOn: [this.job],
    });

    const jobLogs = `resource.type="cloud_run_job" AND resource.labels.job_name="${this.jobName}"`;
    for (const r of props.runners) {
      for (const outcome of ['failed', 'rolled-back'] as const) {
        new LogAlert(this, `Alert-${r.name}-${outcome}`, {
          target: props.target,
          metric: `${r.name}/update-${outcome}`,
          description: `Updates of runner ${r.name} that ended ${outcome}`,
          filter: `${jobLogs} AND jsonPayload.msg="runner-kit update" AND jsonPayload.runner="${r.name}" AND jsonPayload.outcome="${outcome}"`,
          displayName: `${props.target}-${r.name}: update ${outcome}`,
          documentation:
            outcome === 'failed'
              ? `The updater could not bring runner ${r.name} to a healthy new version, nor back; see the updater job's logs.`
              : `An update of runner ${r.name} did not become healthy and was rolled back; the runner runs its previous version.`,
          channels: props.channels,
          minutes: 5,
          when: { above: 0 },
        });
      }
    }
    new LogAlert(this, 'Alert-errors', {
      target: props.target,
      metric: 'updater-errors',
      description: `Errors of the updater job of ${props.target} (crashes, rejected invocations)`,
      filter: `${jobLogs} AND severity>=ERROR AND NOT jsonPayload.msg="runner-kit update"`,
      displayName: `${props.target}: updater errors`,
      documentation: `The updater of ${props.target} crashed, timed out or rejected an invocation; no update decision was made. See the job's executions and logs.`,
      channels: props.channels,
      minutes: 5,
      when: { above: 0 },
    });
  }

  /** The runners' worker-pool role (Cloud Run) and the updater's member: the runner services bind them (the pools exist after the pipeline). */
  readonly workerPoolRole?: KitRole;
  readonly updaterMember: string;
  /** The updater's service account (GKE: its email is the Kubernetes user the updater Role is bound to). */
  readonly serviceAccount: ServiceAccount;

  /** Binds the updater's worker-pool role on `workerPool` (called once the pool exists). */
  grantRollOut(pool: { readonly name: string; readonly location: string; readonly project: string }, id: string): void {
    if (this.workerPoolRole === undefined) throw new Error(`runner ${id} is not a Cloud Run runner of the update pipeline`);
    new CloudRunV2WorkerPoolIamMember(this, `WorkerPoolAccess-${id}`, { project: pool.project, location: pool.location, name: pool.name, role: this.workerPoolRole.roleName, member: this.updaterMember });
  }

  private record(runner: string): string {
    const record = this.records.get(runner);
    if (record === undefined) throw new Error(`runner ${runner} is not one of the update pipeline's runners`);
    return Token.asString(Fn.jsondecode(record.content));
  }

  bootstrapImage(runner: string): string {
    return `${this.registryUrl}/${this.packages.get(runner)}@${Token.asString(Fn.lookup(this.record(runner) as never, 'digest', ''))}`;
  }

  bootstrapVersion(runner: string): string {
    return Token.asString(Fn.lookup(this.record(runner) as never, 'version', ''));
  }

  get updaterName(): string {
    return this.jobName;
  }

  get versionRecords(): Readonly<Record<string, string>> {
    return Object.fromEntries([...this.records.keys()].map((r) => [r, `gs://${this.bucketName}/${versionRecordObject(r)}`]));
  }

  /** The records' data sources: the runners wait for them. */
  get recordSources(): readonly DataGoogleStorageBucketObjectContent[] {
    return [...this.records.values()];
  }
}
