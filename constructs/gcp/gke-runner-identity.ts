/**
 * A runner's identity on GKE: a GCP service account with no permissions (grant it what your runs
 * need, e.g. on the resources the building blocks manage), which run-controller's Kubernetes
 * ServiceAccount may act as through Workload Identity Federation for GKE
 * (`roles/iam.workloadIdentityUser` on this one account, for the member
 * `serviceAccount:<project>.svc.id.goog[<namespace>/<service account>]`). No key is ever created.
 */
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IRunnerIdentity } from '../core/compositions/kubernetes-cluster';
import { GcpContext } from './gcp-context';
import { runnerServiceAccountId, serviceAccountEmail } from './gcp-names';

export const WORKLOAD_IDENTITY_USER_ROLE = 'roles/iam.workloadIdentityUser';

/** The annotation that makes a Kubernetes ServiceAccount's pods use the GCP service account by default. */
export const GCP_SERVICE_ACCOUNT_ANNOTATION = 'iam.gke.io/gcp-service-account';

export interface GkeRunnerIdentityProps {
  readonly target: string;
  readonly runner: string;
  /** `<project>.svc.id.goog`. */
  readonly workloadPool: string;
  readonly namespace: string;
  /** run-controller's Kubernetes ServiceAccount. */
  readonly kubernetesServiceAccount: string;
  /** The cluster: the pool exists once it does. */
  readonly dependsOn: readonly ITerraformDependable[];
}

export class GkeRunnerIdentity extends Construct implements IRunnerIdentity {
  /** The service account's email. */
  readonly principal: string;
  /** The Kubernetes identity allowed to act as it. */
  readonly kubernetesMember: string;

  constructor(scope: Construct, id: string, props: GkeRunnerIdentityProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    const accountId = runnerServiceAccountId(props.target, props.runner);
    const account = new ServiceAccount(this, 'Resource', {
      project: ctx.projectId,
      accountId,
      displayName: `Runner ${props.runner} of ${props.target}`,
      description: `run-controller of runner ${props.runner} on GKE (${props.namespace}/${props.kubernetesServiceAccount}); no permissions by default`,
      dependsOn: [...ctx.apis],
    });
    this.principal = serviceAccountEmail(accountId, ctx.projectId);
    this.kubernetesMember = `serviceAccount:${props.workloadPool}[${props.namespace}/${props.kubernetesServiceAccount}]`;
    new ServiceAccountIamMember(this, 'WorkloadIdentity', { serviceAccountId: account.name, role: WORKLOAD_IDENTITY_USER_ROLE, member: this.kubernetesMember, dependsOn: [...props.dependsOn] });
  }
}
