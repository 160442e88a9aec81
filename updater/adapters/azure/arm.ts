/**
 * How the Azure adapters reach Azure Resource Manager: one credential and one set of client options
 * for every SDK client, and raw ARM calls (for the two the SDKs the kit uses do not cover: a Log
 * Analytics workspace's customer id and ingestion key) through the same authenticated pipeline.
 *
 * The updater speaks only to ARM (and to the public upstream registry): promotion is ARM
 * `importImage`, rollouts are container group PUTs, the runner's log is ARM's container logs, the
 * version record is the group's tags. So it needs no network path to the private registry, the Key
 * Vault or the storage data plane, and `runner-kit update` works from any machine with ARM access.
 */
import { ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import { ContainerRegistryManagementClient } from '@azure/arm-containerregistry';
import type { TokenCredential } from '@azure/core-auth';
import { createPipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';

export const ARM_ENDPOINT = 'https://management.azure.com';
/** The Log Analytics workspaces API version the kit reads. */
export const WORKSPACE_API_VERSION = '2022-10-01';

export interface ArmSettings {
  readonly credential: TokenCredential;
  readonly subscriptionId: string;
  /** @default ARM_ENDPOINT (tests: a fake on loopback) */
  readonly endpoint?: string;
  /** Extra trusted CAs (tests: the fake's self-signed certificate). */
  readonly caPem?: string;
}

export interface ArmClients {
  readonly aci: ContainerInstanceManagementClient;
  readonly acr: ContainerRegistryManagementClient;
  /** A raw ARM call (path starting with /subscriptions/), authenticated like the SDK clients. */
  call(method: 'GET' | 'POST', path: string, apiVersion: string): Promise<unknown>;
}

export function armClients(s: ArmSettings): ArmClients {
  const endpoint = s.endpoint ?? ARM_ENDPOINT;
  const common = {
    endpoint,
    // Always ARM's audience: a test endpoint must not change which token is asked for.
    credentialScopes: [`${ARM_ENDPOINT}/.default`],
    ...(s.caPem !== undefined ? { tlsOptions: { ca: s.caPem } } : {}),
    retryOptions: { maxRetries: 3 },
  };
  const aci = new ContainerInstanceManagementClient(s.credential, s.subscriptionId, common);
  const acr = new ContainerRegistryManagementClient(s.credential, s.subscriptionId, {
    endpoint,
    credentials: { scopes: [`${ARM_ENDPOINT}/.default`] },
    ...(s.caPem !== undefined ? { tlsOptions: { ca: s.caPem } } : {}),
  });
  return {
    aci,
    acr,
    call: async (method, path, apiVersion) => {
      if (!path.startsWith('/subscriptions/')) throw new Error(`ARM path ${path} must start with /subscriptions/`);
      const response: PipelineResponse = await aci.sendRequest(createPipelineRequest({ url: `${endpoint}${path}?api-version=${apiVersion}`, method }));
      if (response.status < 200 || response.status > 299) {
        throw new Error(`ARM ${method} ${path} answered ${response.status}: ${(response.bodyAsText ?? '').slice(0, 300)}`);
      }
      return response.bodyAsText ? JSON.parse(response.bodyAsText) : undefined;
    },
  };
}
