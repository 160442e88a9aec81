/**
 * The target's Azure Container Registry: the private mirror of every upstream image the runners
 * run (one repository per image, `<target>/<image>`, created by the first promotion). Admin user
 * off, anonymous pull off, export off; nothing pulls from it but the runners' own identities
 * (AcrPull on this registry) and nothing writes to it but the updater's ARM `importImage` (a
 * server-side copy from ghcr.io by digest: no registry credential anywhere, no push permission).
 *
 * SKU and exposure (the cost trade-off, README: Azure, "The mirror"):
 * - default Premium (~$50/month, plus ~$7/month for the private endpoint): public network access off,
 *   reachable only through its private endpoint in the VNet and by Azure's trusted services, which is
 *   how a VNet-injected container group pulls with its managed identity; the kit's own writes are
 *   `importImage` calls to Azure Resource Manager, which need no network path to the registry;
 * - `azure.allowPublicRegistryEndpoint: true`: Standard (~$20/month), public endpoint open, Entra ID
 *   authentication only. Private endpoints, network rules and export control are Premium features.
 */
import { ContainerRegistry } from '@cdktf/provider-azurerm/lib/container-registry';
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';
import type { IRegistryMirror } from '../core/interfaces';
import { acknowledge } from '../core/rules/acknowledgement';
import { mirrorRepositoryName } from './azure-names';
import type { ResourceScope } from './resource-scope';

export interface MirrorRegistryProps {
  readonly scope: ResourceScope;
  readonly name: string;
  readonly target: string;
  /** Risky opt-out: Standard SKU with its public endpoint open. @default false - Premium, private */
  readonly allowPublicEndpoint?: boolean;
}

/** One upstream image's repository in the registry. */
export class AcrRepositoryMirror implements IRegistryMirror {
  constructor(
    readonly upstreamImage: string,
    readonly repositoryName: string,
    private readonly loginServer: string,
  ) {}

  get repositoryUrl(): string {
    return `${this.loginServer}/${this.repositoryName}`;
  }
}

export class MirrorRegistry extends Construct {
  readonly id: string;
  readonly name: string;
  readonly loginServer: string;
  readonly sku: 'Premium' | 'Standard';
  readonly privateOnly: boolean;
  private readonly target: string;

  constructor(scope: Construct, id: string, props: MirrorRegistryProps) {
    super(scope, id);
    const open = props.allowPublicEndpoint ?? false;
    this.sku = open ? 'Standard' : 'Premium';
    this.privateOnly = !open;
    this.target = props.target;
    const registry = new ContainerRegistry(this, 'Resource', {
      name: props.name,
      resourceGroupName: props.scope.resourceGroupName,
      location: props.scope.location,
      sku: this.sku,
      adminEnabled: false,
      anonymousPullEnabled: false,
      publicNetworkAccessEnabled: open,
      ...(open
        ? {}
        : {
            // Premium only: the managed-identity pull of a VNet-injected container group comes through here.
            networkRuleBypassOption: 'AzureServices',
            exportPolicyEnabled: false,
            networkRuleSet: [{ defaultAction: 'Deny' }],
          }),
      tags: { ...props.scope.tags },
    });
    if (open) {
      acknowledge(
        registry,
        'AZURE-ACR-3',
        'public_network_access_enabled',
        'azure.allowPublicRegistryEndpoint: the customer chose the Standard SKU (no private endpoint) for cost; the endpoint takes Entra ID tokens only (admin user and anonymous pull off).',
      );
      Annotations.of(this).addWarning(
        `azure.allowPublicRegistryEndpoint: the mirror registry ${props.name} is Standard with its public endpoint open to the internet (Entra ID authentication only).`,
      );
    }
    this.id = registry.id;
    this.name = props.name;
    this.loginServer = registry.loginServer;
  }

  /** The mirror of `upstreamImage` (its repository is created by the first promotion). */
  mirror(upstreamImage: string): AcrRepositoryMirror {
    return new AcrRepositoryMirror(upstreamImage, mirrorRepositoryName(this.target, upstreamImage), this.loginServer);
  }
}
