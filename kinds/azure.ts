/**
 * The Azure target kinds: Azure Container Instances (AKS next). The cloud's config
 * (`constructs/azure/config.ts`) is loaded eagerly (validation needs it); the stack, the policy
 * documents and the updater are required on first use, so nothing loads the azurerm provider
 * bindings or the Azure SDKs unless an Azure target is synthesized or updated.
 */
import type { App } from 'cdktf';
import { aciStackName } from '../constructs/azure/azure-names';
import { AzureTargetSchema, checkAciTarget, checkAzureAcrossTargets, checkAzureTarget, type AzureTargetConfig } from '../constructs/azure/config';
import type { CloudDefinition, TargetKind, UpdaterEntry } from '../constructs/core/target-kind';

/** `runner-kit update` on Azure: the deployed updater's configuration, run with the caller's Azure credentials. */
function azureUpdater(name: string, target: AzureTargetConfig): UpdaterEntry {
  return {
    run: async (payload, log, env) => {
      const { azureUpdaterConfigOf } = require('../constructs/azure/updater-config') as typeof import('../constructs/azure/updater-config');
      const { runAzureUpdater } = require('../updater/entry/azure-updater') as typeof import('../updater/entry/azure-updater');
      return runAzureUpdater(azureUpdaterConfigOf(name, target), payload, {
        env,
        log,
        // A dry run decides only; its report is the printed result, not an outcome log line for the alerts.
        ...(payload.action === 'check' ? { reporter: { report: async (r) => log(JSON.stringify(r)) } } : {}),
      });
    },
  };
}

export const AZURE_ACI: TargetKind<AzureTargetConfig> = {
  cloud: 'azure',
  platform: 'aci',
  kubernetes: false,
  check: checkAciTarget,
  stackNames: (target) => [aciStackName(target)],
  addStacks: (app: App, name, target) => {
    const { AzureAciStack } = require('../stacks/azure-aci-stack') as typeof import('../stacks/azure-aci-stack');
    return [new AzureAciStack(app, name, { target })];
  },
  updater: azureUpdater,
};

export const AZURE: CloudDefinition<AzureTargetConfig> = {
  cloud: 'azure',
  targetSchema: AzureTargetSchema,
  check: (name, t, add) => checkAzureTarget(name, t, add),
  checkAcrossTargets: checkAzureAcrossTargets,
  kinds: [AZURE_ACI],
  policies: () => {
    const { generateAzureTarget } = require('../constructs/azure/permissions/policy-documents') as typeof import('../constructs/azure/permissions/policy-documents');
    const { renderAzurePolicyReadme } = require('../constructs/azure/permissions/auditor-readme') as typeof import('../constructs/azure/permissions/auditor-readme');
    return {
      folder: 'azure',
      documents: (config, target, source) => generateAzureTarget(config, target, source),
      readme: (audited, banner) => renderAzurePolicyReadme(audited as Parameters<typeof renderAzurePolicyReadme>[0], banner),
    };
  },
};
