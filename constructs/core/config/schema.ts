/**
 * The kit's configuration: one YAML file of named targets. The zod schemas are the single source of
 * the shape, the defaults, the field descriptions, the exported JSON Schema
 * (`schema/runner-kit.schema.json`) and the README's config reference. Meaning (CIDR sizes,
 * regions, UUIDs) is checked afterwards by `semantic.ts` and each cloud's checks.
 *
 * A target is a union discriminated by `cloud`. This file holds what every cloud shares, under
 * neutral names with units (`vcpu`, `memoryMiB`, a 5-field cron `updates.schedule`); each cloud's
 * folder adds its own block, state backends and operator access (`constructs/<cloud>/config.ts`),
 * and `constructs/target-kinds.ts` joins them into the one target schema.
 */
import { z } from 'zod';

export const CLOUDS = ['aws', 'azure', 'gcp'] as const;
export type Cloud = (typeof CLOUDS)[number];

export const PLATFORMS = ['ecs', 'eks', 'aci', 'aks', 'cloudrun', 'gke'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Which platforms each cloud offers (container-as-a-service and Kubernetes). */
export const PLATFORMS_BY_CLOUD: Readonly<Record<Cloud, readonly Platform[]>> = {
  aws: ['ecs', 'eks'],
  azure: ['aci', 'aks'],
  gcp: ['cloudrun', 'gke'],
};

/** Target and runner names: lowercase letters and digits, no hyphen (the naming rule: `constructs/core/naming.ts`). */
export { RUNNER_NAME_PATTERN, TARGET_NAME_PATTERN } from '../naming';

export const DEFAULT_RUNNER_IMAGE = 'ghcr.io/meshcloud/tf-block-runner';

const RunnerSchema = z
  .strictObject({
    uuid: z.string().describe("The runner's UUID in meshStack (Administration > Building Block Runners)."),
    apiClientId: z
      .string()
      .min(1)
      .describe(
        'Client id (at most 256 characters) of the meshStack API key the runner logs in with. Needs MANAGED_BUILDINGBLOCKRUN_LIST, ' +
          'MANAGED_BUILDINGBLOCKRUN_SAVE and MANAGED_BUILDINGBLOCKRUNSOURCE_SAVE. The client secret is never ' +
          'in this file: it is supplied at deploy time (see "Supplying secrets" in the README).',
      ),
    image: z
      .string()
      .default(DEFAULT_RUNNER_IMAGE)
      .describe('Upstream image repository, without tag or digest (at most 255 characters). Default: meshcloud\'s tf-block-runner on ghcr.io.'),
    version: z
      .string()
      .describe(
        'Release tag the first deploy runs, vX.Y.Z (never "latest" or "main": what runs must be reproducible). ' +
          'Later the updater moves it along updates.channel; with channel "pinned" it is the version to run.',
      ),
    replicas: z
      .number()
      .int()
      .min(0)
      .max(10)
      .default(1)
      .describe('Number of runner tasks (each polls meshStack and executes runs). 0 parks the runner.'),
    vcpu: z
      .number()
      .positive()
      .default(1)
      .describe(
        'vCPUs per runner task, e.g. 1 (default), 0.5, 2. Each platform allows its own sizes: ECS Fargate 0.25, 0.5, 1, 2, 4, 8 or 16. ' +
          'On Kubernetes it sizes each TERRAFORM run Job (request; the limit is twice that).',
      ),
    memoryMiB: z
      .number()
      .int()
      .min(512)
      .max(122880)
      .default(2048)
      .describe('Memory per runner task (or TERRAFORM run Job) in MiB; it must fit the vCPUs on the platform (Fargate table). 2048: Terraform runs OOM at 1 GiB.'),
    architecture: z
      .enum(['x86_64', 'arm64'])
      .default('x86_64')
      .describe('CPU architecture the runner runs on; the images are published for both. arm64 costs ~20% less on Fargate.'),
    apiClientSecretVersion: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe(
        'Version of the API client secret in the secret store. Bump it and supply the new value (TF_VAR_runner_<name>_api_client_secret) ' +
          'to rotate it; a deploy without a bump never touches the stored value and needs no input.',
      ),
    privateKeyVersion: z
      .number()
      .int()
      .min(1)
      .default(1)
      .describe(
        "Version of the runner's private key (and, on Kubernetes, its certificate) in the secret store. Bump it and supply the new " +
          'key (and certificate) to rotate it; a deploy without a bump never touches the stored values and needs no input.',
      ),
  })
  .describe('One runner: a service that polls meshStack and executes building-block runs.');

const NetworkSchema = z
  .strictObject({
    cidr: z
      .string()
      .default('10.42.0.0/22')
      .describe('IPv4 block of the kit-owned network, /16 to /24, in a private range. Split into one private and one public subnet per zone.'),
    zones: z
      .number()
      .int()
      .min(2)
      .max(6)
      .default(2)
      .describe('Availability zones to spread subnets (and runner tasks) over; at least 2.'),
    natGateways: z
      .enum(['single', 'perZone'])
      .default('single')
      .describe('"single": one NAT gateway (cost). "perZone": one per zone, so egress survives a zone failure.'),
    existingNetworkId: z
      .string()
      .optional()
      .describe('Bring your own network: its id (AWS: a VPC id, vpc-...). The kit then creates no network, NAT or flow logs; egress is yours to provide.'),
    existingSubnetIds: z
      .array(z.string())
      .optional()
      .describe('Bring your own network: the private subnets the runners run in (AWS: subnet-..., one per zone, at least 2), with a route to the internet through NAT.'),
    egressExtraPorts: z
      .array(z.number().int())
      .default([])
      .describe('TCP ports the runner may reach besides 443 (at most 10), e.g. [22] for git over SSH.'),
  })
  .describe('Private networking with egress only: no inbound path to the runner exists.');

const EncryptionSchema = z
  .strictObject({
    existingKeyId: z
      .string()
      .optional()
      .describe(
        'Bring your own key: its id (AWS: a KMS key ARN in the target\'s region, arn:aws:kms:<region>:<account>:key/<id>). The kit then creates no key and never changes ' +
          'the one you bring; its key policy must let the kit\'s services use it (README: Bring your own key).',
      ),
  })
  .describe('The customer-managed key encrypting secrets, logs, mirrors and alarms: the kit creates one per target unless you bring your own.');

const TrustSchema = z
  .strictObject({
    caCertificates: z
      .string()
      .optional()
      .describe(
        'Extra CA certificates the runners trust (PEM blocks, at most 14 KiB), e.g. the CA of a private git server or of a TLS-inspecting proxy. ' +
          'Added to the image\'s own bundle, for the runner, Terraform/OpenTofu, git, curl and nix alike (README: Private git servers and proxies).',
      ),
    sshKnownHosts: z
      .string()
      .optional()
      .describe('Extra SSH known hosts for git over SSH (lines as `ssh-keyscan <host>` prints them, at most 8 KiB), added beside the image\'s own list (GitHub, GitLab, Azure DevOps, Bitbucket).'),
  })
  .describe('Whom the runners trust besides the public CAs and well-known git hosts. Public material, never secret: it sits in the runner\'s task or pod definition.');

/** The local state backend, on every cloud; each cloud adds its own remote backend. */
export const LocalStateBackendSchema = z.strictObject({
  type: z.literal('local'),
  path: z
    .string()
    .optional()
    .describe(
      'State file path; a relative one is resolved against the directory synthesis runs in (never inside cdktf.out, ' +
        'which each synthesis replaces). Default: terraform.<target>.tfstate there.',
    ),
});

const LogsSchema = z
  .strictObject({
    retentionDays: z
      .number()
      .int()
      .default(90)
      .describe('Days runner, updater and network logs are kept; each cloud accepts its own values (AWS: a CloudWatch Logs retention, e.g. 30, 90, 365).'),
  })
  .describe('Log settings.');

const AlarmsSchema = z
  .strictObject({
    emails: z.array(z.string()).default([]).describe('E-mail addresses subscribed to the alarm topic (each must confirm; each once).'),
    runnerUnhealthyMinutes: z
      .number()
      .int()
      .min(1)
      .max(1440)
      .default(10)
      .describe('Minutes a runner may run fewer tasks than desired, or (ECS) fail to reach meshStack or stop polling, before its alarm fires.'),
  })
  .describe('Alarms, published to one alarm sink per target (AWS: an SNS topic).');

const MaintenanceWindowSchema = z
  .strictObject({
    schedule: z
      .string()
      .describe('5-field cron (minute hour day-of-month month day-of-week) of when each window opens, in updates.timeZone, e.g. "0 2 * * 1-5".'),
    durationMinutes: z.number().int().describe('How long each window stays open, in minutes (1 to 10080).'),
  })
  .describe('When the updater may replace a running runner. Outside it, scheduled runs only report.');

export const UPDATE_CHANNELS = ['pinned', 'patch', 'minor', 'latest'] as const;

const UpdatesSchema = z
  .strictObject({
    channel: z
      .enum(UPDATE_CHANNELS)
      .default('minor')
      .describe(
        '"minor" (default): newest vX.*.* of the running major, the releases upstream publishes (every new feature is a minor release). ' +
          '"patch": newest vX.Y.* of the running minor (fixes only). "pinned": run exactly the runner\'s version. ' +
          '"latest": newest release, major versions included. Only vX.Y.Z tags count.',
      ),
    hold: z.boolean().default(false).describe('Freeze the runners: no update or rollback happens; checks still report.'),
    allowDowngrade: z
      .boolean()
      .default(false)
      .describe('Let the updater move to an older release when the policy or an operator selects one.'),
    schedule: z
      .string()
      .default('0 * * * *')
      .describe(
        'When the updater checks, as a 5-field cron (minute hour day-of-month month day-of-week) in timeZone, e.g. "0 * * * *" ' +
          '(hourly, the default) or "30 6 * * 1-5"; at most every 15 minutes. Each cloud\'s scheduler runs it (AWS: EventBridge Scheduler).',
      ),
    timeZone: z.string().default('UTC').describe('IANA time zone schedule and window are read in, e.g. Europe/Berlin.'),
    window: MaintenanceWindowSchema.optional(),
    keepReleases: z
      .number()
      .int()
      .min(2)
      .max(100)
      .default(10)
      .describe('Releases kept in each mirror repository; older images are expired (rollback needs at least 2).'),
    rolloutTimeoutMinutes: z
      .number()
      .int()
      .min(1)
      .max(12)
      .default(10)
      .describe('Minutes a new version has to become healthy before the updater rolls it back.'),
  })
  .describe('The auto-update pipeline: channel policy, maintenance window and schedule.');

export const KUBERNETES_IMPLEMENTATION_TYPES = ['TERRAFORM', 'GITHUB_WORKFLOW', 'GITLAB_PIPELINE', 'AZURE_DEVOPS_PIPELINE', 'MANUAL'] as const;

const KubernetesSchema = z
  .strictObject({
    ownedByWorkspace: z
      .string()
      .min(1)
      .describe('Identifier (at most 256 characters) of the meshStack workspace that owns the runners: run-controller registers itself under it on start.'),
    version: z
      .string()
      .default('1.33')
      .describe('Kubernetes minor version of the cluster, e.g. "1.33" (EKS, AKS: a version the platform supports, see the kit\'s lists; AKS applies patch versions itself). Pod Security is pinned to it.'),
    namespace: z
      .string()
      .default('meshstack-runner')
      .describe('Namespace of run-controller and of the Job it starts per run (Pod Security "restricted", quota, default-deny network policy).'),
    implementations: z
      .array(z.enum(KUBERNETES_IMPLEMENTATION_TYPES))
      .default(['TERRAFORM'])
      .describe(
        'Implementation types the runners execute, each as a Job from its meshcloud image (mirrored, same release as the runner): ' +
          'TERRAFORM runs the runner\'s image (tf-block-runner); the others run github-, gitlab-, azure-devops- or manual-block-runner.',
      ),
    controllerImage: z
      .string()
      .default('ghcr.io/meshcloud/run-controller')
      .describe('Upstream run-controller repository, without tag or digest; it runs the runner\'s version from the private mirror.'),
    maxConcurrentJobs: z
      .number()
      .int()
      .min(1)
      .max(200)
      .default(4)
      .describe('Runs each runner keeps in flight at once: the namespace quota and (EKS) the node group are sized to hold them. Default 4 (run-controller\'s own is 20, for autoscaled clusters).'),
    pollingIntervalSeconds: z
      .number()
      .int()
      .min(5)
      .max(300)
      .default(10)
      .describe('Seconds between two polls of the meshStack API.'),
    allowPublicEndpoint: z
      .boolean()
      .default(false)
      .describe('Opt-in: make the Kubernetes API endpoint reachable from the internet, from publicEndpointCidrs only. Default: private endpoint only (deploy from inside the network).'),
    publicEndpointCidrs: z
      .array(z.string())
      .default([])
      .describe('With allowPublicEndpoint: the IPv4 networks allowed to reach the API endpoint (never 0.0.0.0/0), e.g. ["203.0.113.0/24"].'),
    nodeTypes: z
      .array(z.string())
      .optional()
      .describe('Machine types of the cluster\'s nodes, in the cloud\'s naming (EKS: EC2 instance types, default ["m6i.xlarge"]; Graviton types such as m7g.xlarge when every runner is arm64. AKS: exactly one VM size, default ["Standard_D4s_v5"]; Standard_D4ps_v5 when every runner is arm64).'),
    nodeMinSize: z.number().int().min(1).max(100).default(2).describe('Fewest nodes; 2 keeps the controller running through a zone failure.'),
    nodeMaxSize: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe('Most nodes the node group may have. Default: the larger of 4 and the nodes maxConcurrentJobs needs. Validation refuses a size that cannot hold the promised Jobs.'),
    nodeDesiredSize: z
      .number()
      .int()
      .min(1)
      .max(100)
      .optional()
      .describe(
        'EKS: nodes to run (AKS refuses it: its autoscaler decides between nodeMinSize and nodeMaxSize). The node group does not scale by itself, so these must hold maxConcurrentJobs Jobs of every runner at their request, the controllers and cluster DNS. ' +
          'Default: the nodes that need (at least nodeMinSize); validation refuses fewer, with the numbers.',
      ),
  })
  .describe('Kubernetes platforms (eks, aks, gke): the cluster and the run-controller workload.');

/**
 * The fields every cloud's target has, with the same names and meanings. A cloud's target schema
 * (`cloudTargetSchema`) adds `cloud`, `platform`, its own block, `stateBackend` and `operatorAccess`.
 */
export const SHARED_TARGET_SHAPE = {
  region: z.string().describe('Cloud region, e.g. eu-central-1.'),
  meshstack: z
    .strictObject({
      apiUrl: z.string().describe('meshStack API base URL (https), e.g. https://federation.example.meshcloud.io.'),
    })
    .describe('The meshStack instance the runners poll.'),
  runners: z
    .record(z.string(), RunnerSchema)
    .describe('Runners of this target (at most 10), by name: 1-20 lowercase letters and digits, no "-" (e.g. "default").'),
  network: NetworkSchema.default(NetworkSchema.parse({})),
  encryption: EncryptionSchema.default({}),
  trust: TrustSchema.default({}),
  tags: z
    .record(z.string(), z.string())
    .default({})
    .describe(
      'Tags / labels put on every resource, besides the kit\'s own (managed-by, runner-kit-target, Name, runner-kit-upstream, ' +
        'runner-kit:version, which cannot be set here). Each cloud checks its own limits (AWS: at most 47, keys unique ' +
        'ignoring case, letters, digits, spaces and _ . : / = + - @).',
    ),
  logs: LogsSchema.default(LogsSchema.parse({})),
  alarms: AlarmsSchema.default(AlarmsSchema.parse({})),
  updates: UpdatesSchema.default(UpdatesSchema.parse({})),
  kubernetes: KubernetesSchema.optional(),
} as const;

const TARGET_DESCRIPTION = 'One deployment target; its name (3-32 lowercase letters and digits, no "-") becomes the cdktf stack name and the prefix of every resource name.';

/** A cloud's target schema: the shared fields plus the cloud's own (its block, state backends, operator access). */
export function cloudTargetSchema<C extends Cloud, P extends readonly [string, ...string[]], S extends z.ZodRawShape>(cloud: C, platforms: P, shape: S) {
  return z
    .strictObject({
      cloud: z.literal(cloud).describe('Cloud to deploy to.'),
      platform: z.enum(platforms).describe(`Container platform on ${cloud}: ${platforms.join(' | ')}.`),
      ...SHARED_TARGET_SHAPE,
      ...shape,
    })
    .describe(TARGET_DESCRIPTION);
}

const SharedTargetSchema = z.strictObject({ cloud: z.enum(CLOUDS), platform: z.enum(PLATFORMS), ...SHARED_TARGET_SHAPE, stateBackend: z.object({ type: z.string() }).passthrough() });

export const KitConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors.'),
    targets: z.record(z.string(), z.unknown()).describe('Deployment targets by name.'),
  })
  .describe('private-runner-kit configuration.');

/** What every cloud's validated target has; a cloud's own type (`AwsTargetConfig`, ...) adds its fields. */
export type SharedTargetConfig = z.output<typeof SharedTargetSchema>;
export type RunnerConfig = SharedTargetConfig['runners'][string];
export type NetworkConfig = SharedTargetConfig['network'];
export type UpdatesConfig = SharedTargetConfig['updates'];
export type KubernetesConfig = NonNullable<SharedTargetConfig['kubernetes']>;

/** The updater's maintenance window: the configured one, read in `updates.timeZone`. */
export function maintenanceWindowOf(updates: UpdatesConfig): { readonly schedule: string; readonly durationMinutes: number; readonly timeZone: string } | undefined {
  return updates.window === undefined ? undefined : { ...updates.window, timeZone: updates.timeZone };
}

/** A validated config: targets by name, in file order (`TargetConfig` is the union of the clouds' targets). */
export interface KitConfig<T extends SharedTargetConfig = import('../../../kinds').TargetConfig> {
  readonly targets: Readonly<Record<string, T>>;
}
