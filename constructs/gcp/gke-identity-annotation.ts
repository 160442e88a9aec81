/**
 * Makes a runner's GCP service account the default credentials of run-controller's pods on GKE:
 * the annotation `iam.gke.io/gcp-service-account: <email>` on its Kubernetes ServiceAccount (the
 * cluster stack's `GkeRunnerIdentity` lets exactly that ServiceAccount act as the account).
 *
 * The shared workload (`constructs/kubernetes/`) creates the ServiceAccount and knows nothing of
 * clouds, so the annotation is added beside it with `kubernetes_annotations` (server-side apply of
 * that one annotation), through a second Kubernetes provider configuration (`annotationsProvider`);
 * the stack's default provider ignores the annotation (`ignore_annotations`), so a later deploy of
 * the workload never removes it and the two never fight over it.
 */
import { Annotations } from '@cdktf/provider-kubernetes/lib/annotations';
import type { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { Construct } from 'constructs';
import type { RunnerWorkload } from '../kubernetes/runner-workload';
import { GCP_SERVICE_ACCOUNT_ANNOTATION } from './gke-runner-identity';

/** What the default provider must ignore (a regular expression, as `ignore_annotations` takes it). */
export const IGNORED_IDENTITY_ANNOTATION = `^${GCP_SERVICE_ACCOUNT_ANNOTATION.replace(/[.]/g, '\\.').replace('/', '\\/')}$`;

export interface GkeIdentityAnnotationProps {
  readonly workload: RunnerWorkload;
  /** The provider configuration that manages the annotation (not the one that ignores it). */
  readonly annotationsProvider: KubernetesProvider;
  /** Each runner's GCP service account email. */
  readonly serviceAccounts: Readonly<Record<string, string>>;
}

export class GkeIdentityAnnotation extends Construct {
  constructor(scope: Construct, id: string, props: GkeIdentityAnnotationProps) {
    super(scope, id);
    const accounts = props.workload.rbac.node.findAll().filter((c): c is ServiceAccountV1 => c instanceof ServiceAccountV1);
    Object.entries(props.serviceAccounts).forEach(([runner, email]) => {
      const index = Object.keys(props.workload.controllers).indexOf(runner);
      const name = props.workload.rbac.serviceAccountNames[index];
      if (index < 0 || name === undefined) throw new Error(`runner ${runner} has no run-controller ServiceAccount in the workload`);
      new Annotations(this, `Runner-${runner}`, {
        provider: props.annotationsProvider,
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name, namespace: props.workload.namespace },
        annotations: { [GCP_SERVICE_ACCOUNT_ANNOTATION]: email },
        fieldManager: 'private-runner-kit-gke-identity',
        dependsOn: accounts,
      });
    });
  }
}
