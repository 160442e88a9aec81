/**
 * The second of a target's two stacks on AKS: the runner workload (`composeKubernetesWorkload`,
 * shared unchanged with EKS and GKE) on the cluster the cluster stack created. The Kubernetes
 * provider is configured from the cluster stack's outputs (API address and CA) and authenticates
 * with an Entra ID token for the AKS server application, obtained by `kubelogin` from the
 * deployer's Azure CLI sign-in at every run (an exec credential: never in state).
 *
 * Images are the mirror digests the deploy's bootstrap promoted (cluster stack outputs). The
 * runners' credentials are read from the Key Vault as ephemeral values and written into each
 * controller's Kubernetes Secret through the write-only `data_wo`, re-sent only when the runner's
 * `apiClientSecretVersion` or `privateKeyVersion` moves: no credential value is ever in this
 * stack's state or plan.
 */
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Fn, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AKS_HANDOVER, aksWorkloadBindings } from '../constructs/azure/aks-bindings';
import { AKS_SERVER_APPLICATION_ID } from '../constructs/azure/aks-cluster';
import { aksStackNames } from '../constructs/azure/azure-names';
import type { AzureTargetConfig } from '../constructs/azure/config';
import { applyAzureRulePack } from '../constructs/azure/rules';
import { applyKubernetesRulePack } from '../constructs/kubernetes/rules';
import type { RunnerWorkload } from '../constructs/kubernetes/runner-workload';
import { composeKubernetesWorkload } from '../constructs/kubernetes/workload-composition';
import { azureStackOutputs, configureAzureProvider } from './azure-stack';

/** What the deployer's machine runs for a cluster token (Azure/kubelogin; `az login` first). */
export const KUBELOGIN = { command: 'kubelogin', args: ['get-token', '--login', 'azurecli', '--server-id', AKS_SERVER_APPLICATION_ID] } as const;

export interface AzureAksWorkloadStackProps {
  readonly targetName: string;
  readonly target: AzureTargetConfig;
}

export class AzureAksWorkloadStack extends TerraformStack {
  readonly workload: RunnerWorkload;

  constructor(scope: Construct, name: string, props: AzureAksWorkloadStackProps) {
    super(scope, name);
    configureAzureProvider(this, props.targetName, props.target);
    const cluster = azureStackOutputs(this, props.targetName, props.target, aksStackNames(props.targetName).cluster);
    new KubernetesProvider(this, 'kubernetes', {
      host: cluster.getString(AKS_HANDOVER.host),
      clusterCaCertificate: Fn.base64decode(cluster.getString(AKS_HANDOVER.ca)),
      exec: [{ apiVersion: 'client.authentication.k8s.io/v1beta1', command: KUBELOGIN.command, args: [...KUBELOGIN.args] }],
    });
    this.workload = composeKubernetesWorkload(this, props.targetName, props.target, aksWorkloadBindings(this, props.targetName, props.target, cluster));
    applyAzureRulePack(this);
    applyKubernetesRulePack(this);
  }
}
