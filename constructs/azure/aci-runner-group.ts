/**
 * One meshStack runner as an Azure Container Instances container group: private IP only, in the
 * runner subnet, with the runner's user-assigned identity, its image by digest from the kit's mirror
 * pulled with that identity (no registry password), the configured vCPUs and memory, and restart
 * policy Always (a runner that exits is started again).
 *
 * No secret in the group's spec: the init container `fetch-secrets` reads the key and client secret
 * from the Key Vault with the group's identity and writes them into an `emptyDir` the runner reads
 * (`aci-runner-files.ts`). The environment holds only plain values (UUID, URL, client id, paths).
 *
 * What the updater owns after the first deploy (Terraform ignores it, so a later `cdktf deploy`
 * never reverts an update; `UPDATER_OWNED_ATTRIBUTES` is the list, and the updater's own list of
 * what its PUT changes is tested against it):
 * - the image of both containers (a rollout is a PUT of the same group with the new digest);
 * - `diagnostics`: the runner's log connection to Log Analytics, which only the updater's identity
 *   makes, because ACI needs the workspace key in the spec and the kit keeps that key out of
 *   Terraform state (README: Azure, "Runner logs");
 * - the version record tags (`VERSION_TAGS`): what runs, what ran before.
 *
 * Probes: none. ACI's documentation states liveness probes are not supported for container groups
 * in a virtual network, and tf-block-runner's `/healthz` answers 200 whatever its state; health
 * comes from the runner's own log lines instead (`RunnerHealthAlerts`, the updater's meshStack gate).
 */
import { ContainerGroup } from '@cdktf/provider-azurerm/lib/container-group';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { IRunnerService } from '../core/interfaces';
import { RUNNER_HOME } from '../core/runner-image';
import { aciRunnerVolumes, fetchSecretsPaths, fetchSecretsScript, HEALTH_PORT, INIT_CONTAINER, INIT_ENV, PRIVATE_KEY_FILE, RUNNER_CONFIG_FILE, RUNNER_CONFIG_YAML, RUNNER_CONTAINER } from './aci-runner-files';
import { VERSION_TAGS } from './azure-names';
import type { ResourceScope } from './resource-scope';

/** Attributes of the container group the updater owns after the first deploy (Terraform's `ignore_changes`). */
export const UPDATER_OWNED_ATTRIBUTES: readonly string[] = [
  'container[0].image',
  'init_container[0].image',
  'diagnostics',
  ...Object.values(VERSION_TAGS).map((t) => `tags["${t}"]`),
];

export interface AciRunnerGroupProps {
  readonly scope: ResourceScope;
  /** `<target>-<runner>`. */
  readonly name: string;
  /** Full image reference the first deploy runs: by digest, from the mirror. */
  readonly image: string;
  /** The mirror registry's login server (`<name>.azurecr.io`). */
  readonly registryServer: string;
  /** The runner's identity: pulls the image, reads the two secrets. */
  readonly identity: { readonly id: string; readonly clientId: string };
  readonly subnetId: string;
  readonly vaultUri: string;
  readonly secretNames: { readonly apiClientSecret: string; readonly privateKey: string };
  readonly runnerUuid: string;
  readonly meshstackApiUrl: string;
  readonly apiClientId: string;
  /** @default 1 */
  readonly vcpu?: number;
  /** @default 2048 */
  readonly memoryMiB?: number;
  /** The version record the first deploy writes (the bootstrap's version and digest). */
  readonly versionRecord: { readonly version: string; readonly digest: string };
  /** Extra CAs (PEM) and SSH known hosts the runner trusts (config `trust`). @default - the image's own */
  readonly trust?: { readonly caCertificates?: string | undefined; readonly sshKnownHosts?: string | undefined };
  /** What the group must wait for (its identity's role assignments, the secrets). @default [] */
  readonly dependsOn?: readonly ITerraformDependable[];
}

export class AciRunnerGroup extends Construct implements IRunnerService {
  readonly serviceName: string;
  readonly groupId: string;
  /** IRunnerService: where the runner's lines are (Log Analytics table and group), as a query filter. */
  readonly logs: string;
  readonly group: ContainerGroup;

  constructor(scope: Construct, id: string, props: AciRunnerGroupProps) {
    super(scope, id);
    const s = props.scope;
    const trust = props.trust ?? {};
    const volumes = aciRunnerVolumes({ caCertificates: trust.caCertificates !== undefined, sshKnownHosts: trust.sshKnownHosts !== undefined });
    const memoryGb = (props.memoryMiB ?? 2048) / 1024;
    this.group = new ContainerGroup(this, 'Resource', {
      name: props.name,
      resourceGroupName: s.resourceGroupName,
      location: s.location,
      osType: 'Linux',
      sku: 'Standard',
      restartPolicy: 'Always',
      ipAddressType: 'Private',
      subnetIds: [props.subnetId],
      identity: { type: 'UserAssigned', identityIds: [props.identity.id] },
      imageRegistryCredential: [{ server: props.registryServer, userAssignedIdentityId: props.identity.id }],
      initContainer: [
        {
          name: INIT_CONTAINER,
          image: props.image,
          commands: ['/bin/sh', '-c', fetchSecretsScript(fetchSecretsPaths(volumes))],
          environmentVariables: {
            [INIT_ENV.vaultUri]: props.vaultUri,
            [INIT_ENV.clientId]: props.identity.clientId,
            [INIT_ENV.apiClientSecretName]: props.secretNames.apiClientSecret,
            [INIT_ENV.privateKeyName]: props.secretNames.privateKey,
            [INIT_ENV.runnerConfig]: RUNNER_CONFIG_YAML,
            ...(trust.caCertificates !== undefined ? { [INIT_ENV.caCertificates]: trust.caCertificates } : {}),
            ...(trust.sshKnownHosts !== undefined ? { [INIT_ENV.sshKnownHosts]: trust.sshKnownHosts } : {}),
          },
          volume: volumes.map((v) => ({ name: v.name, mountPath: v.initPath, emptyDir: true, readOnly: false })),
        },
      ],
      container: [
        {
          name: RUNNER_CONTAINER,
          image: props.image,
          cpu: props.vcpu ?? 1,
          memory: memoryGb,
          environmentVariables: {
            RUNNER_UUID: props.runnerUuid,
            RUNNER_API_URL: props.meshstackApiUrl,
            RUNNER_API_CLIENT_ID: props.apiClientId,
            RUNNER_PRIVATE_KEY_FILE: PRIVATE_KEY_FILE,
            RUNNER_CONFIG_FILE: RUNNER_CONFIG_FILE,
            PORT: String(HEALTH_PORT),
            // The image's PATH and nix profile live here (Dockerfile:58); said explicitly, never moved.
            HOME: RUNNER_HOME,
          },
          // A private IP needs one port; the NSG admits nothing inbound.
          ports: [{ port: HEALTH_PORT, protocol: 'TCP' }],
          volume: volumes.map((v) => ({ name: v.name, mountPath: v.runnerPath, emptyDir: true, readOnly: true })),
        },
      ],
      tags: {
        ...s.tags,
        [VERSION_TAGS.version]: props.versionRecord.version,
        [VERSION_TAGS.digest]: props.versionRecord.digest,
      },
      lifecycle: { ignoreChanges: [...UPDATER_OWNED_ATTRIBUTES] },
      dependsOn: [...(props.dependsOn ?? [])],
    });
    this.serviceName = props.name;
    this.groupId = this.group.id;
    this.logs = `ContainerInstanceLog_CL | where ContainerGroup_s == "${props.name}"`;
  }
}
