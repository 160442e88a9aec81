/**
 * The second of a target's two stacks on GKE: the runner workload (`composeKubernetesWorkload`,
 * shared with EKS and AKS, unchanged) on the cluster the cluster stack created. The Kubernetes
 * provider reaches the cluster at its DNS endpoint (read from the `google_container_cluster` data
 * source; served with a publicly trusted certificate) and authenticates with the deployer's own
 * Google credentials through `gke-gcloud-auth-plugin` (an exec plugin: no token in state, unlike
 * the `google_client_config` data source).
 *
 * run-controller's ServiceAccount gets the Workload Identity annotation naming the runner's GCP
 * service account (`GkeIdentityAnnotation`, through a second provider configuration; the default
 * one ignores that annotation). GKE maps a Google identity to the Kubernetes user named by its email, so the shared workload's
 * namespaced Roles are also bound to the updater's and the operators' service accounts here
 * (`kind: User`). Images are the mirror's digests of the runner's release, looked up at plan time.
 * The runners' credentials come from ephemeral variables and are written into each controller's
 * Kubernetes Secret through the write-only `data_wo`: no value is in this stack's state or plan;
 * `GkeCredentialsGuard` stops a plan that would write them empty.
 */
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { RoleBindingV1 } from '@cdktf/provider-kubernetes/lib/role-binding-v1';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { GcpTargetConfig } from '../constructs/gcp/config';
import { gkeClusterName, operatorServiceAccountId, runnerServiceAccountId, serviceAccountEmail, updaterServiceAccountId } from '../constructs/gcp/gcp-names';
import { GkeIdentityAnnotation, IGNORED_IDENTITY_ANNOTATION } from '../constructs/gcp/gke-identity-annotation';
import { gkeWorkloadBindings } from '../constructs/gcp/gke-bindings';
import { GkeCredentialsGuard } from '../constructs/gcp/gke-credentials-guard';
import { applyGcpRulePack } from '../constructs/gcp/rules';
import { applyKubernetesRulePack } from '../constructs/kubernetes/rules';
import type { RunnerWorkload } from '../constructs/kubernetes/runner-workload';
import type { NamespaceAccess } from '../constructs/kubernetes/namespace-access';
import { kitLabels } from '../constructs/kubernetes/labels';
import { composeKubernetesWorkload } from '../constructs/kubernetes/workload-composition';
import { configureGcpStack } from './gcp-stack';

/**
 * The exec plugin GKE documents for kubectl and Terraform: a fresh token per use, from Application
 * Default Credentials, the same identity the google provider and the bootstrap use.
 */
export const GKE_AUTH_PLUGIN = { apiVersion: 'client.authentication.k8s.io/v1beta1', command: 'gke-gcloud-auth-plugin', args: ['--use_application_default_credentials'] };

export interface GcpGkeWorkloadStackProps {
  readonly targetName: string;
  readonly target: GcpTargetConfig;
}

export class GcpGkeWorkloadStack extends TerraformStack {
  readonly workload: RunnerWorkload;
  /** The Google identities bound to the workload's namespaced Roles, by Role. */
  readonly userBindings: Readonly<Record<string, string>>;

  constructor(scope: Construct, name: string, props: GcpGkeWorkloadStackProps) {
    super(scope, name);
    const t = props.target;
    const ctx = configureGcpStack(this, props.targetName, t, { apis: [] });
    // The cluster's data source, written as an override: its binding class alone takes ~150 ms to load
    // (synthesis time, `npm run bench`), and one attribute is read.
    this.addOverride('data.google_container_cluster.Cluster', { name: gkeClusterName(props.targetName), location: ctx.region, project: ctx.projectId });
    const connection = {
      host: 'https://${data.google_container_cluster.Cluster.control_plane_endpoints_config[0].dns_endpoint_config[0].endpoint}',
      exec: [{ ...GKE_AUTH_PLUGIN }],
    };
    // The default configuration ignores the Workload Identity annotation, which the second one
    // (`identity`) manages on run-controller's ServiceAccounts (GkeIdentityAnnotation).
    new KubernetesProvider(this, 'kubernetes', { ...connection, ignoreAnnotations: [IGNORED_IDENTITY_ANNOTATION] });
    const identityProvider = new KubernetesProvider(this, 'kubernetes-identity', { ...connection, alias: 'identity' });
    const bindings = gkeWorkloadBindings(this, props.targetName, t);
    this.workload = composeKubernetesWorkload(this, props.targetName, t, bindings);
    new GkeIdentityAnnotation(this, 'IdentityAnnotation', {
      workload: this.workload,
      annotationsProvider: identityProvider,
      serviceAccounts: Object.fromEntries(Object.keys(t.runners).map((r) => [r, serviceAccountEmail(runnerServiceAccountId(props.targetName, r), ctx.projectId)])),
    });
    // A first deploy (or a version bump) without the credential variables stops at plan time.
    new GkeCredentialsGuard(this, 'CredentialsGuard', { workload: this.workload, namespace: t.kubernetes!.namespace, runners: Object.fromEntries(bindings.credentialInputs) });
    const users: Record<string, string> = {};
    const bindUser = (id: string, access: NamespaceAccess | undefined, email: string) => {
      if (access === undefined) return;
      new RoleBindingV1(this, id, {
        metadata: { name: `${access.roleName}-gcp`, namespace: this.workload.namespace, labels: kitLabels(access.roleName) },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: access.roleName },
        subject: [{ kind: 'User', name: email, apiGroup: 'rbac.authorization.k8s.io' }],
      });
      users[access.roleName] = email;
    };
    bindUser('UpdaterUser', this.workload.updaterAccess, serviceAccountEmail(updaterServiceAccountId(props.targetName), ctx.projectId));
    if (t.operatorAccess !== undefined) bindUser('OperatorUser', this.workload.operatorAccess, serviceAccountEmail(operatorServiceAccountId(props.targetName), ctx.projectId));
    this.userBindings = users;
    applyGcpRulePack(this);
    applyKubernetesRulePack(this);
  }
}
