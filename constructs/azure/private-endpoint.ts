/**
 * A private endpoint of one of the kit's services (the Key Vault, the container registry) in the
 * endpoints subnet, with the service's private DNS zone linked to the VNet, so names resolve to the
 * private address inside the network (Azure's DNS serves linked private zones).
 */
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { Construct } from 'constructs';
import type { ResourceScope } from './resource-scope';

/** The private DNS zone and subresource of each service (Azure's documented values). */
export const PRIVATE_LINK = {
  vault: { zone: 'privatelink.vaultcore.azure.net', subresource: 'vault' },
  registry: { zone: 'privatelink.azurecr.io', subresource: 'registry' },
} as const;

export interface KitPrivateEndpointProps {
  readonly scope: ResourceScope;
  readonly name: string;
  readonly service: keyof typeof PRIVATE_LINK;
  /** The resource the endpoint connects to. */
  readonly resourceId: string;
  readonly subnetId: string;
  readonly virtualNetworkId: string;
}

export class KitPrivateEndpoint extends Construct {
  readonly endpoint: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: KitPrivateEndpointProps) {
    super(scope, id);
    const s = props.scope;
    const link = PRIVATE_LINK[props.service];
    const zone = new PrivateDnsZone(this, 'Zone', { name: link.zone, resourceGroupName: s.resourceGroupName, tags: { ...s.tags } });
    new PrivateDnsZoneVirtualNetworkLink(this, 'ZoneLink', {
      name: props.name,
      resourceGroupName: s.resourceGroupName,
      privateDnsZoneName: zone.name,
      virtualNetworkId: props.virtualNetworkId,
      registrationEnabled: false,
      tags: { ...s.tags },
    });
    this.endpoint = new PrivateEndpoint(this, 'Resource', {
      name: props.name,
      resourceGroupName: s.resourceGroupName,
      location: s.location,
      subnetId: props.subnetId,
      privateServiceConnection: { name: props.name, isManualConnection: false, privateConnectionResourceId: props.resourceId, subresourceNames: [link.subresource] },
      privateDnsZoneGroup: { name: props.service, privateDnsZoneIds: [zone.id] },
      tags: { ...s.tags },
    });
  }
}
