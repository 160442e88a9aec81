/**
 * meshcloud operators' access on GCP: one customer-owned operator service account, which the
 * principals meshcloud names (a group or service account) may impersonate
 * (`roles/iam.serviceAccountTokenCreator` on that one account, never on the project), and which
 * holds read-only diagnostics plus starting the updater:
 * - the runners' worker pools (get, on each pool), the updater job and its executions (get, run
 *   with the operator's payload), the version records (read, on the kit's bucket);
 * - log entries and alert state (Cloud Logging and Cloud Monitoring grant reading per project).
 * It cannot read secret values, act as any service account (so it cannot deploy or change what
 * runs as the runner), change IAM, or write anything but the updater's executions.
 *
 * Impersonation keeps one cross-organization binding, easy to revoke, and the audit logs keep
 * who impersonated. Domain-restricted sharing applies to that binding too (README: "Operator
 * access on GCP").
 */
import { CloudRunV2JobIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-job-iam-member';
import { CloudRunV2WorkerPoolIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-worker-pool-iam-member';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IOperatorAccess } from '../core/interfaces';
import { bind, type PermissionTemplate } from '../core/permissions/permission';
import { acknowledge } from '../core/rules/acknowledgement';
import { GcpContext } from './gcp-context';
import { operatorServiceAccountId, serviceAccountEmail } from './gcp-names';
import { KitRole } from './kit-role';

export const TOKEN_CREATOR_ROLE = 'roles/iam.serviceAccountTokenCreator';

export const READ_LOGS_AND_ALERTS: PermissionTemplate = {
  sid: 'ReadLogsAndAlerts',
  actions: ['logging.logEntries.list', 'logging.logs.list', 'monitoring.alertPolicies.get', 'monitoring.alertPolicies.list', 'monitoring.metricDescriptors.list', 'monitoring.timeSeries.list'],
  justification: "Reads the runners' and the updater's log lines and the kit's alerts and metrics; Cloud Logging and Cloud Monitoring grant reading per project.",
};
export const READ_WORKER_POOLS: PermissionTemplate = {
  sid: 'ReadRunnerWorkerPools',
  actions: ['run.workerpools.get'],
  justification: "Shows the runner worker pools' state, revisions and instance splits.",
};
export const READ_CLUSTER: PermissionTemplate = {
  sid: 'ReadRunnerCluster',
  actions: ['container.clusters.connect', 'container.clusters.get'],
  justification:
    "Shows the GKE cluster's state and lets kubectl pass Google's IAM check at its DNS endpoint; inside, a namespaced read-only Role decides (pods, logs, events, Jobs; no Secrets, no exec). GKE grants these per project only.",
};
export const RUN_UPDATER: PermissionTemplate = {
  sid: 'RunUpdaterOnDemand',
  actions: ['run.executions.get', 'run.executions.list', 'run.jobs.get', 'run.jobs.run', 'run.jobs.runWithOverrides'],
  justification: "Starts the updater with a payload (check, update, rollback: the job validates it and accepts nothing else from operators) and follows its executions.",
};
export const READ_RECORDS: PermissionTemplate = {
  sid: 'ReadVersionRecords',
  actions: ['storage.objects.get', 'storage.objects.list'],
  justification: 'Reads the version record of each runner (what runs, what ran before) in the kit\'s bucket.',
};

export interface OperatorAccessProps {
  readonly target: string;
  /** Who may impersonate the operator account (`group:...`, `serviceAccount:...`, `user:...`). */
  readonly principals: readonly string[];
  /** Cloud Run: the runners' worker pools. @default [] */
  readonly workerPools?: readonly string[];
  /** GKE: the runner cluster (read, and reached at its DNS endpoint). @default - none */
  readonly clusterName?: string;
  readonly jobName: string;
  readonly bucketName: string;
  /** The worker pools, the job and the bucket: the bindings name them and wait for them. */
  readonly dependsOn: readonly ITerraformDependable[];
}

export class OperatorAccess extends Construct implements IOperatorAccess {
  /** The operator service account's email. */
  readonly principal: string;

  constructor(scope: Construct, id: string, props: OperatorAccessProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    const project = ctx.projectId;
    const account = new ServiceAccount(this, 'Resource', {
      project,
      accountId: operatorServiceAccountId(props.target),
      displayName: `meshcloud operators of ${props.target}`,
      description: 'Impersonated by meshcloud operators: read-only diagnostics and starting the updater',
      dependsOn: [...ctx.apis],
    });
    this.principal = serviceAccountEmail(operatorServiceAccountId(props.target), project);
    const member = `serviceAccount:${account.email}`;
    props.principals.forEach((principal, i) => new ServiceAccountIamMember(this, `Impersonate${i + 1}`, { serviceAccountId: account.name, role: TOKEN_CREATOR_ROLE, member: principal }));
    const held = 'the operator service account';
    const projectRole = new KitRole(this, 'RoleProject', { target: props.target, role: 'operatorProject', title: `Operators of ${props.target}: logs and alerts`, description: 'Read log lines, alerts and metrics.', heldBy: held, permissions: [bind(READ_LOGS_AND_ALERTS, [`projects/${project}`])] });
    const workerPools = props.workerPools ?? [];
    const pools =
      workerPools.length === 0
        ? undefined
        : new KitRole(this, 'RoleWorkerPools', { target: props.target, role: 'operatorWorkerPools', title: `Operators of ${props.target}: worker pools`, description: 'Read the runner worker pools.', heldBy: held, permissions: [bind(READ_WORKER_POOLS, workerPools.map((p) => `projects/${project}/locations/${ctx.region}/workerPools/${p}`))] });
    if (props.clusterName !== undefined) {
      const cluster = new KitRole(this, 'RoleCluster', { target: props.target, role: 'operatorCluster', title: `Operators of ${props.target}: cluster`, description: 'Read the runner cluster and reach its control plane (read-only Kubernetes RBAC inside).', heldBy: held, permissions: [bind(READ_CLUSTER, [`projects/${project}`])] });
      new ProjectIamMember(this, 'ClusterAccess', { project, role: cluster.roleName, member });
      acknowledge(this, 'GCP-IAM-4', `Project::${cluster.roleId}`, 'GKE has no cluster-level IAM binding: reading the runner cluster is granted per project. The role holds get and connect only; inside the cluster operators hold one namespaced read-only Role.');
    }
    const updater = new KitRole(this, 'RoleUpdater', { target: props.target, role: 'operatorUpdater', title: `Operators of ${props.target}: updater`, description: 'Start the updater with a payload and follow it.', heldBy: held, permissions: [bind(RUN_UPDATER, [`projects/${project}/locations/${ctx.region}/jobs/${props.jobName}`])] });
    const records = new KitRole(this, 'RoleRecords', { target: props.target, role: 'operatorRecords', title: `Operators of ${props.target}: version records`, description: 'Read the version records.', heldBy: held, permissions: [bind(READ_RECORDS, [`projects/_/buckets/${props.bucketName}`])] });
    new ProjectIamMember(this, 'ProjectAccess', { project, role: projectRole.roleName, member });
    acknowledge(this, 'GCP-IAM-4', `Project::${projectRole.roleId}`, 'Operators read log entries, alert policies and metrics, which Cloud Logging and Cloud Monitoring grant per project only; the role holds read permissions only.');
    workerPools.forEach((pool, i) => new CloudRunV2WorkerPoolIamMember(this, `WorkerPoolAccess${i + 1}`, { project, location: ctx.region, name: pool, role: pools!.roleName, member, dependsOn: [...props.dependsOn] }));
    new CloudRunV2JobIamMember(this, 'UpdaterAccess', { project, location: ctx.region, name: props.jobName, role: updater.roleName, member, dependsOn: [...props.dependsOn] });
    new StorageBucketIamMember(this, 'RecordsAccess', { bucket: props.bucketName, role: records.roleName, member, dependsOn: [...props.dependsOn] });
  }
}
