/**
 * A runner's log connection: what ACI needs in a container group's `diagnostics.logAnalytics`
 * (the workspace's customer id and its primary key, log type `ContainerInstanceLogs`), read at run
 * time with the updater's identity (`workspaces/read`, `workspaces/sharedkeys/action` on the
 * target's workspace only). The key is held in memory for one PUT and never logged; it never
 * passes through Terraform (README: Azure, "Runner logs").
 */
import type { LogAnalytics } from '@azure/arm-containerinstance';
import { WORKSPACE_API_VERSION, type ArmClients } from './arm';

export interface WorkspaceLink {
  /** The workspace's customer id (what a linked group shows as `workspaceId`). */
  customerId(): Promise<string>;
  /** The connection for a PUT, key included. */
  logAnalytics(): Promise<LogAnalytics>;
}

export function workspaceLink(arm: ArmClients, workspaceResourceId: string): WorkspaceLink {
  let id: Promise<string> | undefined;
  const customerId = () =>
    (id ??= (async () => {
      const workspace = (await arm.call('GET', workspaceResourceId, WORKSPACE_API_VERSION)) as { properties?: { customerId?: string } };
      const value = workspace?.properties?.customerId;
      if (typeof value !== 'string' || value === '') throw new Error(`Log Analytics workspace ${workspaceResourceId} answered without a customer id`);
      return value;
    })());
  return {
    customerId,
    logAnalytics: async () => {
      const keys = (await arm.call('POST', `${workspaceResourceId}/sharedKeys`, WORKSPACE_API_VERSION)) as { primarySharedKey?: string };
      if (typeof keys?.primarySharedKey !== 'string' || keys.primarySharedKey === '') throw new Error(`Log Analytics workspace ${workspaceResourceId} returned no shared key`);
      return { workspaceId: await customerId(), workspaceKey: keys.primarySharedKey, logType: 'ContainerInstanceLogs', workspaceResourceId };
    },
  };
}
