/**
 * The target's Key Vault: where the runners' API client secrets and private keys live. RBAC
 * authorization (no access policies: who may read which secret is an Azure role assignment at that
 * secret), purge protection, soft delete 90 days, network ACL default deny with no trusted-service
 * bypass, and a private endpoint in the VNet through which the runners read their secrets.
 *
 * Its public endpoint admits only `azure.deployerCidrs`: Terraform writes the secret values from
 * the deployer's machine (write-only `value_wo`, never in state or plan) and reads the secrets'
 * metadata at each plan (data plane), so the deploying machine must reach the vault. The deploying
 * identity gets "Key Vault Secrets Officer" on this vault only, to write them (README: Azure, "How
 * the deployer reaches the Key Vault").
 *
 * On Azure this vault is the target's encryption key in the foundation's sense (`IEncryptionKey`):
 * the runners' secrets are encrypted by it; the registry, logs and storage use Microsoft-managed
 * keys (a gap written down in the README).
 */
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Construct } from 'constructs';
import type { IEncryptionKey } from '../core/interfaces';
import { acknowledge } from '../core/rules/acknowledgement';
import type { ResourceScope } from './resource-scope';

/** Built-in roles the kit assigns, by their role definition names. */
export const BUILT_IN_ROLES = {
  keyVaultSecretsOfficer: 'Key Vault Secrets Officer',
  keyVaultSecretsUser: 'Key Vault Secrets User',
  acrPull: 'AcrPull',
  storageBlobDataOwner: 'Storage Blob Data Owner',
  storageBlobDataContributor: 'Storage Blob Data Contributor',
  storageQueueDataContributor: 'Storage Queue Data Contributor',
  storageQueueDataMessageSender: 'Storage Queue Data Message Sender',
  monitoringMetricsPublisher: 'Monitoring Metrics Publisher',
} as const;

export interface RunnerVaultProps {
  readonly scope: ResourceScope;
  readonly name: string;
  /** Public networks admitted to the vault's endpoint (the deployers'). */
  readonly deployerCidrs: readonly string[];
  /** The object id of the identity Terraform runs as (it writes the secret values). */
  readonly deployerObjectId: string;
}

export class RunnerVault extends Construct implements IEncryptionKey {
  readonly vaultId: string;
  readonly vaultUri: string;
  readonly name: string;
  /** The deployer's right to write secret values: secret writes must wait for it. */
  readonly deployerAccess: RoleAssignment;
  readonly vault: KeyVault;

  /** IEncryptionKey: the vault that encrypts the runners' secrets. */
  get keyReference(): string {
    return this.vaultId;
  }

  constructor(scope: Construct, id: string, props: RunnerVaultProps) {
    super(scope, id);
    this.vault = new KeyVault(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.scope.resourceGroupName,
      location: props.scope.location,
      tenantId: props.scope.tenantId,
      skuName: 'standard',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: 90,
      publicNetworkAccessEnabled: true,
      networkAcls: { defaultAction: 'Deny', bypass: 'None', ipRules: [...props.deployerCidrs] },
      tags: { ...props.scope.tags },
    });
    acknowledge(
      this.vault,
      'AZURE-KV-2',
      'public_network_access_enabled',
      'The deploying machine writes the runners\' secrets (write-only) and reads their metadata at each plan: the public endpoint admits only azure.deployerCidrs (network ACL default Deny, no bypass); runners use the private endpoint.',
    );
    this.vaultId = this.vault.id;
    this.vaultUri = this.vault.vaultUri;
    this.name = this.vault.name;
    this.deployerAccess = new RoleAssignment(this, 'DeployerWritesSecrets', {
      scope: this.vault.id,
      roleDefinitionName: BUILT_IN_ROLES.keyVaultSecretsOfficer,
      principalId: props.deployerObjectId,
      description: 'The identity running cdktf deploy writes the runners\' secret values (write-only) and reads their metadata.',
    });
  }
}
