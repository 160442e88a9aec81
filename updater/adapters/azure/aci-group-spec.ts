/**
 * What the updater changes in a runner's container group, in one pure module: a rollout (or a
 * rollback, or linking the runner's logs) is a PUT of the group as it is, with only these changed:
 * - the image of the runner container and of the init container (`fetch-secrets`), which run the
 *   same release;
 * - `diagnostics.logAnalytics`: the workspace id and key (ARM never returns the key, so every PUT
 *   must supply it again, or the group would stop shipping logs).
 * Everything else (identity, registry credentials, subnet, volumes, environment, resources, tags)
 * is sent back as Azure returned it. The version tags are written separately, after the rollout is
 * healthy (`group-tag-version-store.ts`), with a PATCH that does not restart the group.
 *
 * `ownedPaths` names what a PUT changed, in the ARM model's terms; the tests hold it against the
 * Terraform attributes the container group construct ignores (`UPDATER_OWNED_ATTRIBUTES`), so a
 * later `cdktf deploy` never reverts the updater's work.
 */
import type { ContainerGroup, LogAnalytics } from '@azure/arm-containerinstance';

/** The containers whose image is the runner's release (`constructs/azure/aci-runner-files.ts`). */
export const RUNNER_CONTAINER = 'runner';
export const INIT_CONTAINER = 'fetch-secrets';

/** The runner container's image, or undefined when the group has no runner container. */
export function runnerImageOf(group: ContainerGroup): string | undefined {
  return group.containers.find((c) => c.name === RUNNER_CONTAINER)?.image;
}

/** The digest (`sha256:...`) of a by-digest image reference. */
export function digestOf(image: string | undefined): string | undefined {
  const at = image?.lastIndexOf('@sha256:') ?? -1;
  return at < 0 ? undefined : image!.slice(at + 1);
}

/** What a PUT built by {@link specWith} changes, as paths of the ARM model. */
export type OwnedPath = 'containers[runner].image' | 'initContainers[fetch-secrets].image' | 'diagnostics';

/**
 * The group to PUT: `group` as read, with `image` in the runner's containers and `logs` as its log
 * connection (undefined: leave the connection as it is, which ARM returns without the key; only
 * valid for a group that has none). Throws when the group has no runner container.
 */
export function specWith(group: ContainerGroup, change: { readonly image?: string; readonly logs?: LogAnalytics }): { readonly spec: ContainerGroup; readonly changed: readonly OwnedPath[] } {
  if (runnerImageOf(group) === undefined) throw new Error(`container group ${group.name ?? '(unnamed)'} has no "${RUNNER_CONTAINER}" container; it was not made by the kit`);
  const changed: OwnedPath[] = [];
  // Instance views are ARM's report of the running group, never part of what is PUT.
  const containers = group.containers.map(({ instanceView: _view, ...c }) => {
    if (c.name !== RUNNER_CONTAINER || change.image === undefined || c.image === change.image) return c;
    changed.push('containers[runner].image');
    return { ...c, image: change.image };
  });
  const initContainers = group.initContainers?.map(({ instanceView: _view, ...c }) => {
    if (c.name !== INIT_CONTAINER || change.image === undefined || c.image === change.image) return c;
    changed.push('initContainers[fetch-secrets].image');
    return { ...c, image: change.image };
  });
  let diagnostics = group.diagnostics;
  if (change.logs !== undefined) {
    changed.push('diagnostics');
    diagnostics = { logAnalytics: change.logs };
  } else if (group.diagnostics?.logAnalytics !== undefined) {
    throw new Error(`container group ${group.name ?? ''} ships its logs to a workspace; a PUT must supply the workspace key again (ARM does not return it)`);
  }
  const spec: ContainerGroup = {
    location: group.location,
    ...(group.tags !== undefined ? { tags: group.tags } : {}),
    ...(group.zones !== undefined ? { zones: group.zones } : {}),
    ...(group.identity !== undefined ? { identity: { type: group.identity.type, ...(group.identity.userAssignedIdentities !== undefined ? { userAssignedIdentities: Object.fromEntries(Object.keys(group.identity.userAssignedIdentities).map((id) => [id, {}])) } : {}) } } : {}),
    containers,
    ...(initContainers !== undefined ? { initContainers } : {}),
    osType: group.osType,
    ...(group.imageRegistryCredentials !== undefined ? { imageRegistryCredentials: group.imageRegistryCredentials } : {}),
    ...(group.restartPolicy !== undefined ? { restartPolicy: group.restartPolicy } : {}),
    // The private address is ACI's to assign; sent back without it.
    ...(group.ipAddress !== undefined ? { ipAddress: { type: group.ipAddress.type, ports: group.ipAddress.ports } } : {}),
    ...(group.volumes !== undefined ? { volumes: group.volumes } : {}),
    ...(diagnostics !== undefined ? { diagnostics } : {}),
    ...(group.subnetIds !== undefined ? { subnetIds: group.subnetIds } : {}),
    ...(group.dnsConfig !== undefined ? { dnsConfig: group.dnsConfig } : {}),
    ...(group.sku !== undefined ? { sku: group.sku } : {}),
    ...(group.encryptionProperties !== undefined ? { encryptionProperties: group.encryptionProperties } : {}),
    ...(group.priority !== undefined ? { priority: group.priority } : {}),
  };
  return { spec, changed };
}

/** Whether the group ships its logs (ARM shows the workspace id, never the key). */
export function logsLinked(group: ContainerGroup, workspaceCustomerId: string): boolean {
  return group.diagnostics?.logAnalytics?.workspaceId === workspaceCustomerId;
}
