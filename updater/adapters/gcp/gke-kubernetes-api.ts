/**
 * The Kubernetes API of a GKE cluster, as the updater reaches it: the control plane's DNS endpoint
 * (`gke-<id>.<region>.gke.goog`, read from the cluster through the GKE API), which Google's front
 * end serves with a publicly trusted certificate and guards with IAM (`container.clusters.connect`)
 * before Kubernetes RBAC sees the request; the bearer token is the caller's own Google OAuth access
 * token (the updater job's service account, from the metadata server), which GKE maps to the
 * Kubernetes user named by the service account's email. No kubeconfig, no client certificate, no
 * cluster credentials are ever issued.
 */
import type { AccessTokenProvider } from './access-token';
import type { GoogleApi } from './google-api';
import { KubernetesClient, type TokenProvider } from '../kubernetes/kubernetes-client';

/** The token source of the Kubernetes adapter on GKE: the Google access token itself. */
export function gkeTokenProvider(tokens: AccessTokenProvider): TokenProvider {
  return () => tokens.token();
}

/** What the updater reads of a cluster (GKE API v1 `Cluster`). */
interface ClusterView {
  readonly status?: string;
  readonly controlPlaneEndpointsConfig?: { readonly dnsEndpointConfig?: { readonly endpoint?: string; readonly allowExternalTraffic?: boolean } };
}

export interface GkeKubernetesApiOptions {
  readonly api: GoogleApi;
  readonly tokens: AccessTokenProvider;
  /** @default 'https://container.googleapis.com' */
  readonly endpoint?: string;
  readonly project: string;
  readonly location: string;
  readonly cluster: string;
  /** Another server than the cluster's DNS endpoint, still looked up (tests: a fake API server on loopback). */
  readonly serverOverride?: { readonly server: string; readonly caPem?: string };
}

/** The cluster's DNS endpoint, as `https://<host>`; throws when the cluster has none open to the updater. */
export async function gkeDnsEndpoint(o: Pick<GkeKubernetesApiOptions, 'api' | 'endpoint' | 'project' | 'location' | 'cluster'>): Promise<string> {
  const name = `projects/${o.project}/locations/${o.location}/clusters/${o.cluster}`;
  const cluster = await o.api.json<ClusterView>('GET', `${o.endpoint ?? 'https://container.googleapis.com'}/v1/${name}`, { read: true });
  const dns = cluster?.controlPlaneEndpointsConfig?.dnsEndpointConfig;
  if (dns?.endpoint === undefined || dns.endpoint === '' || dns.allowExternalTraffic !== true) {
    throw new Error(`cluster ${name} has no DNS endpoint the updater may use (controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic is not true); deploy the cluster stack again`);
  }
  if (!/^[a-z0-9.-]+\.gke\.goog$/.test(dns.endpoint)) throw new Error(`cluster ${name} reports DNS endpoint "${dns.endpoint}", which is not a gke.goog host`);
  return `https://${dns.endpoint}`;
}

/** A Kubernetes client for the cluster, authenticated with the caller's Google access token. */
export async function gkeKubernetesClient(o: GkeKubernetesApiOptions): Promise<KubernetesClient> {
  const endpoint = await gkeDnsEndpoint(o);
  const server = o.serverOverride?.server ?? endpoint;
  return new KubernetesClient({ server, token: gkeTokenProvider(o.tokens), ...(o.serverOverride?.caPem !== undefined ? { caPem: o.serverOverride.caPem } : {}) });
}
