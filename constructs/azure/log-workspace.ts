/**
 * The target's Log Analytics workspace: the runners' container logs, the updater's telemetry
 * (workspace-based Application Insights) and the network's traffic analytics land here, kept
 * `logs.retentionDays`. The alert rules query it; operators read it (`workspaces/query/read`).
 *
 * Local (shared-key) authentication stays on because it is the only way Azure Container Instances
 * ship container logs (the group's `diagnostics.logAnalytics` takes the workspace id and key). The
 * key never passes through Terraform: the updater's identity reads it at run time and hands it to
 * ACI (README: Azure, "Runner logs").
 */
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { Construct } from 'constructs';
import type { ResourceScope } from './resource-scope';

export interface LogWorkspaceProps {
  readonly scope: ResourceScope;
  readonly name: string;
  /** @default 90 */
  readonly retentionDays?: number;
}

export class LogWorkspace extends Construct {
  /** ARM resource id. */
  readonly id: string;
  /** The workspace's own id (a GUID; "customer id"), what ingestion and queries name it by. */
  readonly workspaceId: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: LogWorkspaceProps) {
    super(scope, id);
    const w = new LogAnalyticsWorkspace(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.scope.resourceGroupName,
      location: props.scope.location,
      sku: 'PerGB2018',
      retentionInDays: props.retentionDays ?? 90,
      // Queries only with RBAC on the workspace, never by having read access to a resource alone.
      allowResourceOnlyPermissions: false,
      tags: { ...props.scope.tags },
    });
    this.id = w.id;
    this.workspaceId = w.workspaceId;
    this.name = w.name;
  }
}
