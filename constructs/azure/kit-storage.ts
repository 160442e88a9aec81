/**
 * The target's storage account: the updater's code package (its Flex Consumption deployment
 * container), the updater host's own state (timer leases) and its request queue, and the VNet flow
 * logs. Entra ID only (shared keys off, so no account key exists to leak or to land in state),
 * TLS 1.2, HTTPS only, no public blobs, infrastructure encryption on.
 *
 * Network: default deny. Admitted are the updater's subnet (service endpoint), Azure's trusted
 * services (Network Watcher writes the flow logs), and the public networks of the deployers (who
 * upload the updater's package) and, when configured, of meshcloud's operators (who put requests in
 * the updater's queue).
 */
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { Construct } from 'constructs';
import type { ResourceScope } from './resource-scope';

export interface KitStorageProps {
  readonly scope: ResourceScope;
  readonly name: string;
  /** Subnets whose service endpoint may reach the account (the updater's). */
  readonly subnetIds: readonly string[];
  /** Public networks admitted (deployers, operators). */
  readonly allowedCidrs: readonly string[];
}

export class KitStorage extends Construct {
  readonly id: string;
  readonly name: string;
  readonly primaryBlobEndpoint: string;
  readonly account: StorageAccount;

  constructor(scope: Construct, id: string, props: KitStorageProps) {
    super(scope, id);
    this.account = new StorageAccount(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.scope.resourceGroupName,
      location: props.scope.location,
      accountTier: 'Standard',
      accountReplicationType: 'ZRS',
      accountKind: 'StorageV2',
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      allowNestedItemsToBePublic: false,
      crossTenantReplicationEnabled: false,
      infrastructureEncryptionEnabled: true,
      localUserEnabled: false,
      sftpEnabled: false,
      publicNetworkAccessEnabled: true,
      networkRules: {
        defaultAction: 'Deny',
        bypass: ['AzureServices'],
        ipRules: props.allowedCidrs.map((c) => c.replace(/\/32$/, '')),
        virtualNetworkSubnetIds: [...props.subnetIds],
      },
      blobProperties: { deleteRetentionPolicy: { days: 7 }, containerDeleteRetentionPolicy: { days: 7 } },
      tags: { ...props.scope.tags },
    });
    this.id = this.account.id;
    this.name = this.account.name;
    this.primaryBlobEndpoint = this.account.primaryBlobEndpoint;
  }
}
