/**
 * What every GCP stack sets up before its constructs: the Google provider (project, region, the
 * kit's labels on every resource that takes labels), the state backend (local or Cloud Storage,
 * one state per stack) and the GCP context (project number, enabled APIs).
 */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { GcsBackend, type TerraformStack } from 'cdktf';
import type { GcpTargetConfig } from '../constructs/gcp/config';
import { GcpContext } from '../constructs/gcp/gcp-context';
import { kitTags } from '../constructs/core/naming';
import { localBackend } from './local-state';

export function configureGcpStack(stack: TerraformStack, targetName: string, t: GcpTargetConfig, options: { readonly apis?: readonly string[] } = {}): GcpContext {
  const provider = new GoogleProvider(stack, 'google', { project: t.gcp.projectId, region: t.region, addTerraformAttributionLabel: false });
  // Written as an override: cdktf would turn the label keys into snake_case (cost-center -> cost_center).
  provider.addOverride('default_labels', kitTags(targetName, t.tags));
  if (t.stateBackend.type === 'gcs') {
    new GcsBackend(stack, { bucket: t.stateBackend.bucket, prefix: t.stateBackend.prefix ?? `private-runner-kit/${stack.node.id}` });
  } else {
    localBackend(stack, targetName, t.stateBackend.path);
  }
  return GcpContext.init(stack, { projectId: t.gcp.projectId, region: t.region, ...(options.apis !== undefined ? { apis: options.apis } : {}) });
}
