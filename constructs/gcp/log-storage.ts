/**
 * Where a GCP target's logs are kept for `logs.retentionDays`: a kit-owned Cloud Logging bucket in
 * the target's region, encrypted with the target's key, and a project sink that routes the target's
 * own lines into it: the runners' worker pools, the updater job, and the subnet's flow and firewall
 * logs and the NAT's translations.
 *
 * The project's `_Default` bucket still receives the same lines and keeps them for its own
 * retention (30 days unless the customer changed it): the kit did not create `_Default` and
 * changes neither it nor its sink. Log-based metrics (the alerts) and the updater's log reads do
 * not depend on where lines are stored.
 *
 * CMEK on a log bucket is Cloud Logging's own service account's use of the key: read through the
 * project's CMEK settings (which also creates that account) and granted before the bucket exists.
 */
import { DataGoogleLoggingProjectCmekSettings } from '@cdktf/provider-google/lib/data-google-logging-project-cmek-settings';
import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config';
import { LoggingProjectSink } from '@cdktf/provider-google/lib/logging-project-sink';
import { Construct } from 'constructs';
import { GcpContext } from './gcp-context';
import { logBucketId, natName, subnetName, updaterJobName, workerPoolName } from './gcp-names';
import type { RunnerKey } from './runner-key';

export interface LogStorageProps {
  readonly target: string;
  /** The target's runners (their worker pools' lines are routed). */
  readonly runners: readonly string[];
  /** Days the kit's log bucket keeps lines (1 to 3650; validated with the config). */
  readonly retentionDays: number;
  readonly key: RunnerKey;
  /** The runners' own lines, as Cloud Logging filter clauses (GKE: the cluster's). @default - each runner's worker pool */
  readonly workloadFilters?: readonly string[];
}

/** The Cloud Logging filter of every line the target's own resources write. */
export function targetLogFilter(target: string, runners: readonly string[], workloadFilters?: readonly string[]): string {
  return [
    ...(workloadFilters ?? runners.map((r) => `(resource.type="cloud_run_worker_pool" AND resource.labels.worker_pool_name="${workerPoolName(target, r)}")`)),
    `(resource.type="cloud_run_job" AND resource.labels.job_name="${updaterJobName(target)}")`,
    `(resource.type="gce_subnetwork" AND resource.labels.subnetwork_name="${subnetName(target)}")`,
    `(resource.type="nat_gateway" AND resource.labels.gateway_name="${natName(target)}")`,
  ].join(' OR ');
}

export class LogStorage extends Construct {
  readonly bucketId: string;
  /** `projects/<p>/locations/<r>/buckets/<id>`. */
  readonly bucketName: string;
  readonly retentionDays: number;

  constructor(scope: Construct, id: string, props: LogStorageProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    if (!Number.isInteger(props.retentionDays) || props.retentionDays < 1 || props.retentionDays > 3650) {
      throw new Error(`logs.retentionDays ${props.retentionDays} is not a Cloud Logging bucket retention: use 1 to 3650 days`);
    }
    this.bucketId = logBucketId(props.target);
    this.retentionDays = props.retentionDays;
    const settings = new DataGoogleLoggingProjectCmekSettings(this, 'CmekSettings', { project: ctx.projectId, dependsOn: [...ctx.apis] });
    const grant = props.key.grantEncryptDecrypt('CloudLogging', `serviceAccount:${settings.serviceAccountId}`);
    const bucket = new LoggingProjectBucketConfig(this, 'Resource', {
      project: ctx.projectId,
      location: ctx.region,
      bucketId: this.bucketId,
      retentionDays: props.retentionDays,
      description: `private-runner-kit ${props.target}: the runners', updater's and network's logs, kept ${props.retentionDays} days`,
      cmekSettings: { kmsKeyName: props.key.keyReference },
      dependsOn: [grant],
    });
    this.bucketName = `projects/${ctx.projectId}/locations/${ctx.region}/buckets/${this.bucketId}`;
    new LoggingProjectSink(this, 'Sink', {
      project: ctx.projectId,
      name: this.bucketId,
      description: `Routes the lines of ${props.target}'s own resources into its log bucket`,
      destination: `logging.googleapis.com/${this.bucketName}`,
      filter: targetLogFilter(props.target, props.runners, props.workloadFilters),
      uniqueWriterIdentity: true,
      dependsOn: [bucket],
    });
  }
}
