/**
 * Where an Azure construct puts its resources: the target's resource group, its region and the
 * tags every resource carries. Every Azure construct takes one, so none of them repeats the
 * location, the group or the kit's tags.
 */
export interface ResourceScope {
  readonly subscriptionId: string;
  readonly tenantId: string;
  /** The kit's resource group: its name (`resource_group_name` of every resource) ... */
  readonly resourceGroupName: string;
  /** ... and its id (role assignment scopes, assignable scopes); a Terraform reference. */
  readonly resourceGroupId: string;
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
  /** The kit's tags and the customer's, for every resource that takes tags. */
  readonly tags: Readonly<Record<string, string>>;
}
