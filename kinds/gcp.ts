/**
 * The GCP target kinds: Cloud Run worker pools and GKE Autopilot. The cloud's config (`constructs/gcp/config.ts`) is
 * loaded eagerly (validation needs it); stacks, policy documents and the updater are required on
 * first use, so nothing loads the Google provider bindings unless a GCP target is synthesized.
 */
import type { App } from 'cdktf';
import { checkCloudRunTarget, checkGcpTarget, checkGkeTarget, GcpTargetSchema, type GcpTargetConfig } from '../constructs/gcp/config';
import { gkeStackNames } from '../constructs/gcp/gcp-names';
import type { CloudDefinition, TargetKind, UpdaterEntry } from '../constructs/core/target-kind';

/** `runner-kit update` on GCP: the deployed updater's configuration, run with the caller's Google credentials. */
function gcpUpdater(name: string, target: GcpTargetConfig): UpdaterEntry {
  return {
    run: async (payload, log, env) => {
      const { expectedGcpUpdaterConfig } = require('../constructs/gcp/updater-config') as typeof import('../constructs/gcp/updater-config');
      const { runGcpUpdater } = require('../updater/entry/gcp-updater') as typeof import('../updater/entry/gcp-updater');
      return runGcpUpdater(expectedGcpUpdaterConfig(name, target), payload, { env, log, ...(payload.action === 'check' ? { reporter: { report: async (r) => log(JSON.stringify(r)) } } : {}) });
    },
  };
}

export const GCP_CLOUDRUN: TargetKind<GcpTargetConfig> = {
  cloud: 'gcp',
  platform: 'cloudrun',
  kubernetes: false,
  check: checkCloudRunTarget,
  stackNames: (target) => [target],
  addStacks: (app: App, name, target) => {
    const { GcpCloudRunStack } = require('../stacks/gcp-cloudrun-stack') as typeof import('../stacks/gcp-cloudrun-stack');
    return [new GcpCloudRunStack(app, name, { target })];
  },
  updater: gcpUpdater,
};

export const GCP_GKE: TargetKind<GcpTargetConfig> = {
  cloud: 'gcp',
  platform: 'gke',
  kubernetes: true,
  check: checkGkeTarget,
  stackNames: (target) => [gkeStackNames(target).cluster, gkeStackNames(target).workload],
  // Both take the credentials: Secret Manager, and run-controller's Kubernetes Secret (write-only).
  secretInputStacks: (target) => [gkeStackNames(target).cluster, gkeStackNames(target).workload],
  addStacks: (app: App, name, target) => {
    const { addGcpGkeStacks } = require('../stacks/gcp-gke-stacks') as typeof import('../stacks/gcp-gke-stacks');
    return addGcpGkeStacks(app, name, target);
  },
  updater: gcpUpdater,
};

export const GCP: CloudDefinition<GcpTargetConfig> = {
  cloud: 'gcp',
  targetSchema: GcpTargetSchema,
  check: checkGcpTarget,
  kinds: [GCP_CLOUDRUN, GCP_GKE],
  policies: () => {
    const { gcpPolicies } = require('../constructs/gcp/permissions/policy-documents') as typeof import('../constructs/gcp/permissions/policy-documents');
    return gcpPolicies();
  },
};
