/**
 * The Azure updater's configuration document (`updater/entry/azure-updater-config.ts`) from a
 * target's config: one builder for the update pipeline (which puts it into the function app's
 * settings, as Terraform text) and for `runner-kit update` (which runs with the real values).
 * Pure: every value is derived from the config (names, ids), nothing from Terraform.
 */
import { maintenanceWindowOf } from '../core/config/schema';
import { RUNNER_RUN_TIMEOUT_MINUTES } from '../core/runner-settings';
import { splitImage } from '../../updater/adapters/oci/reference';
import { DEFAULT_TICK_MINUTES } from '../../updater/core/schedule-gate';
import type { AzureUpdaterConfig } from '../../updater/entry/azure-updater-config';
import { armIds, containerGroupName, logWorkspaceName, mirrorRepositoryName, registryName } from './azure-names';
import { resourceGroupOf, type AzureTargetConfig } from './config';

/** The document for target `name` as its strings come (escaped Terraform text inside the stack, plain in the CLI). */
export function buildAzureUpdaterConfig(name: string, t: AzureTargetConfig): AzureUpdaterConfig {
  const sub = t.azure.subscriptionId;
  const rg = resourceGroupOf(name, t);
  const registry = registryName(sub, name);
  const window = maintenanceWindowOf(t.updates);
  return {
    target: name,
    subscriptionId: sub,
    resourceGroup: rg,
    registry: { name: registry, loginServer: `${registry}.azurecr.io` },
    workspaceResourceId: armIds.workspace(sub, rg, logWorkspaceName(name)),
    rolloutTimeoutSeconds: t.updates.rolloutTimeoutMinutes * 60,
    runTimeoutMinutes: RUNNER_RUN_TIMEOUT_MINUTES,
    policy: { channel: t.updates.channel, hold: t.updates.hold, allowDowngrade: t.updates.allowDowngrade, ...(window !== undefined ? { window } : {}) },
    schedule: { cron: t.updates.schedule, timeZone: t.updates.timeZone, tickMinutes: DEFAULT_TICK_MINUTES },
    runners: Object.entries(t.runners).map(([runner, r]) => {
      const upstream = splitImage(r.image);
      return {
        name: runner,
        upstreamRegistry: upstream.registry,
        upstreamRepository: upstream.repository,
        version: r.version,
        mirrorRepository: mirrorRepositoryName(name, r.image),
        ...(r.replicas > 0 ? { containerGroup: containerGroupName(name, runner) } : {}),
      };
    }),
  };
}

/**
 * The document `runner-kit update` runs with: the deployed one as real values. The CLI holds the
 * config as the user wrote it (the stack holds it escaped, and Terraform renders it back into this).
 */
export function azureUpdaterConfigOf(name: string, t: AzureTargetConfig): AzureUpdaterConfig {
  return buildAzureUpdaterConfig(name, t);
}
