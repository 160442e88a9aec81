/**
 * A runner's Azure identity on AKS, the twin of its EKS Pod Identity role: a user-assigned
 * identity federated (workload identity) with run-controller's Kubernetes service account
 * `system:serviceaccount:<namespace>:<controller>`, through the cluster's OIDC issuer. It holds no
 * Azure permission: nothing is assigned to it. A customer who wants the runs to reach Azure grants
 * it roles and sets `azure.workload.identity/client-id` on the service account (README: AKS).
 */
import { FederatedIdentityCredential } from '@cdktf/provider-azurerm/lib/federated-identity-credential';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { Construct } from 'constructs';
import type { IRunnerIdentity } from '../core/compositions/kubernetes-cluster';
import type { ResourceScope } from './resource-scope';

/** The audience Entra ID expects in a federated Kubernetes service-account token. */
export const WORKLOAD_IDENTITY_AUDIENCE = 'api://AzureADTokenExchange';

export interface AksRunnerIdentityProps {
  readonly scope: ResourceScope;
  readonly name: string;
  /** The cluster's OIDC issuer URL. */
  readonly issuer: string;
  readonly namespace: string;
  /** run-controller's service account. */
  readonly serviceAccount: string;
}

export class AksRunnerIdentity extends Construct implements IRunnerIdentity {
  readonly principal: string;
  readonly clientId: string;
  readonly subject: string;

  constructor(scope: Construct, id: string, props: AksRunnerIdentityProps) {
    super(scope, id);
    const identity = new UserAssignedIdentity(this, 'Resource', { name: props.name, resourceGroupName: props.scope.resourceGroupName, location: props.scope.location, tags: { ...props.scope.tags } });
    this.subject = `system:serviceaccount:${props.namespace}:${props.serviceAccount}`;
    new FederatedIdentityCredential(this, 'Federation', {
      name: props.serviceAccount,
      resourceGroupName: props.scope.resourceGroupName,
      parentId: identity.id,
      issuer: props.issuer,
      subject: this.subject,
      audience: [WORKLOAD_IDENTITY_AUDIENCE],
    });
    this.principal = identity.principalId;
    this.clientId = identity.clientId;
  }
}
