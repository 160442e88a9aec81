/**
 * The Kubernetes API of an AKS cluster for the updater: the API server's address and CA from the
 * cluster's user kubeconfig (ARM `listClusterUserCredential`; with local accounts disabled it
 * holds no credential, only the address, the CA and how to sign in), and the updater's own Entra
 * token for the AKS server application (`aks-token.ts`). A private cluster's address is its
 * private FQDN: the updater reaches it from the VNet (the function's VNet integration), through the
 * private DNS zone AKS links to the VNet.
 */
import type { TokenCredential } from '@azure/core-auth';
import { parse } from 'yaml';
import { KubernetesClient } from '../kubernetes/kubernetes-client';
import type { ArmClients } from './arm';
import { aksTokenProvider } from './aks-token';

/** The managed clusters API version the kit calls. */
export const MANAGED_CLUSTERS_API_VERSION = '2024-05-01';

export interface AksClusterApiOptions {
  readonly arm: ArmClients;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly clusterName: string;
  readonly credential: TokenCredential;
}

/** The API server address and CA (PEM) of the cluster, from its user kubeconfig. */
export async function aksApiServer(o: Pick<AksClusterApiOptions, 'arm' | 'subscriptionId' | 'resourceGroup' | 'clusterName'>): Promise<{ server: string; caPem: string }> {
  const id = `/subscriptions/${o.subscriptionId}/resourceGroups/${o.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${o.clusterName}`;
  const answer = (await o.arm.call('POST', `${id}/listClusterUserCredential`, MANAGED_CLUSTERS_API_VERSION)) as { kubeconfigs?: { name?: string; value?: string }[] } | undefined;
  const value = answer?.kubeconfigs?.[0]?.value;
  if (!value) throw new Error(`AKS cluster ${o.clusterName}: listClusterUserCredential returned no kubeconfig`);
  let kubeconfig: { clusters?: { cluster?: { server?: string; 'certificate-authority-data'?: string } }[] };
  try {
    kubeconfig = parse(Buffer.from(value, 'base64').toString('utf8')) as typeof kubeconfig;
  } catch (error) {
    throw new Error(`AKS cluster ${o.clusterName}: the user kubeconfig is not YAML (${(error as Error).message})`);
  }
  const cluster = kubeconfig?.clusters?.[0]?.cluster;
  if (!cluster?.server || !cluster['certificate-authority-data']) throw new Error(`AKS cluster ${o.clusterName}: the user kubeconfig names no server or CA`);
  return { server: cluster.server, caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString('utf8') };
}

/** A client of the cluster's API, authenticated as `credential` (the updater's identity). */
export async function aksClusterApi(o: AksClusterApiOptions): Promise<KubernetesClient> {
  const { server, caPem } = await aksApiServer(o);
  return new KubernetesClient({ server, caPem, token: aksTokenProvider(o.credential) });
}
