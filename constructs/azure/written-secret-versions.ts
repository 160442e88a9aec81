/**
 * Which version of each runner secret has been written to the Key Vault, read at plan time, so a
 * first deploy or a version bump without its input stops the PLAN instead of writing an empty
 * value (the Azure twin of `constructs/aws/written-versions.ts`).
 *
 * The record is the secret's own tag `runner-kit-written-version`, set in the same request that
 * writes the value, so it can never claim a version whose value was not written. It is read by two
 * data sources that return no secret value: the subscription's list of Key Vaults with the vault's
 * name (empty before the first deploy, known at plan time), and the vault's list of secrets with
 * their tags (a data-plane call the deployer may make: "Key Vault Secrets Officer").
 */
import { DataAzurermKeyVaultSecrets } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-secrets';
import { DataAzurermResources } from '@cdktf/provider-azurerm/lib/data-azurerm-resources';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { RunnerVault } from './runner-vault';

/** The tag on each runner secret holding the version of its value (a number, never a value). */
export const WRITTEN_VERSION_TAG = 'runner-kit-written-version';

const ID = 'WrittenSecretVersions';

export class WrittenSecretVersions extends Construct {
  /** The stack's record of `vault` (created on first use). */
  static of(scope: Construct, vault: RunnerVault, vaultName: string): WrittenSecretVersions {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    if (existing instanceof WrittenSecretVersions) return existing;
    return new WrittenSecretVersions(stack, ID, vault, vaultName);
  }

  private readonly vaults: DataAzurermResources;
  private readonly secrets: DataAzurermKeyVaultSecrets;

  private constructor(scope: Construct, id: string, vault: RunnerVault, vaultName: string) {
    super(scope, id);
    // By name across the subscription: answers with an empty list before the first deploy.
    this.vaults = new DataAzurermResources(this, 'Vault', { type: 'Microsoft.KeyVault/vaults', name: vaultName });
    this.secrets = new DataAzurermKeyVaultSecrets(this, 'Listed', { keyVaultId: vault.vaultId, dependsOn: [vault.deployerAccess] });
  }

  /**
   * Terraform expression (without `${}`): true when version `version` of secret `name` is recorded
   * as written. False before the first deploy, when the vault does not exist yet.
   */
  written(name: string, version: number): string {
    const byName = `{ for s in ${this.ref(this.secrets, 'secrets')} : s.name => lookup(s.tags, "${WRITTEN_VERSION_TAG}", "none") }`;
    return `(length(${this.ref(this.vaults, 'resources')}) > 0 && lookup(${byName}, "${name}", "none") == "${version}")`;
  }

  private ref(source: DataAzurermResources | DataAzurermKeyVaultSecrets, attribute: string): string {
    return `data.${source.terraformResourceType}.${source.friendlyUniqueId}.${attribute}`;
  }
}
