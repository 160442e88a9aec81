/**
 * The kit's configuration: one YAML file of named targets. This zod schema is the single source of
 * the shape, the defaults, the field descriptions, the exported JSON Schema
 * (`schema/runner-kit.schema.json`) and the README's config reference. Meaning (CIDR sizes,
 * regions, UUIDs) is checked afterwards by `semantic.ts`.
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
    cpu: z
      .number()
      .int()
      .min(256)
      .max(16384)
      .default(1024)
      .describe('CPU units per task (1024 = 1 vCPU). ECS Fargate: 256, 512, 1024, 2048, 4096, 8192 or 16384.'),
    memory: z
      .number()
      .int()
      .min(512)
      .max(122880)
      .default(2048)
      .describe('Memory per task in MiB. Must fit the CPU size (Fargate table). 2048: Terraform runs OOM at 1 GiB.'),
    architecture: z
      .enum(['x86_64', 'arm64'])
      .default('x86_64')
      .describe('CPU architecture of the task; the image is published for both. arm64 costs ~20% less on Fargate.'),
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
    existingVpcId: z
      .string()
      .optional()
      .describe('Bring your own VPC: its id. The kit then creates no VPC, NAT or flow logs; egress is yours to provide.'),
    existingPrivateSubnetIds: z
      .array(z.string())
      .optional()
      .describe('Bring your own VPC: private subnet ids (one per zone, at least 2) with a route to the internet through NAT.'),
    egressExtraPorts: z
      .array(z.number().int())
      .default([])
      .describe('TCP ports the runner may reach besides 443 (at most 10), e.g. [22] for git over SSH.'),
  })
  .describe('Private networking with egress only: no inbound path to the runner exists.');

const AwsSchema = z
  .strictObject({
    endpoint: z
      .string()
      .optional()
      .describe(
        'One endpoint for every AWS API (an emulator such as moto or LocalStack on loopback: http://127.0.0.1:<port>). ' +
          'Switches on the emulator profile, which prints what it relaxes. Never set for a real account. Loopback only, ' +
          'unless allowRemoteEndpoint.',
      ),
    allowRemoteEndpoint: z
      .boolean()
      .optional()
      .describe(
        'Risky opt-out: let aws.endpoint name a host that is not this machine (https only). Every AWS call, the runners\' ' +
          'secret values included, then goes to that host, with encryption and credential checks relaxed.',
      ),
    accountId: z
      .string()
      .optional()
      .describe('12-digit AWS account id, used to fill generated policy files; the deployed stack reads it from STS.'),
  })
  .describe('AWS settings.');

const StateBackendSchema = z
  .discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('local'),
      path: z
        .string()
        .optional()
        .describe(
          'State file path; a relative one is resolved against the directory synthesis runs in (never inside cdktf.out, ' +
            'which each synthesis replaces). Default: terraform.<target>.tfstate there.',
        ),
    }),
    z.strictObject({
      type: z.literal('s3'),
      bucket: z.string().describe('S3 bucket holding the state (versioned and encrypted, created beforehand).'),
      key: z.string().optional().describe('Object key. Default: private-runner-kit/<target>.tfstate.'),
      region: z.string().optional().describe("Bucket region. Default: the target's region."),
      kmsKeyId: z.string().optional().describe('KMS key for server-side encryption of the state object. Default: the bucket default.'),
    }),
  ])
  .describe('Where Terraform keeps this target\'s state: "local" (default) or "s3" (with S3-native locking).');

const LogsSchema = z
  .strictObject({
    retentionDays: z
      .number()
      .int()
      .default(90)
      .describe('Days runner and flow logs are kept (a value CloudWatch Logs accepts, e.g. 30, 90, 365).'),
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
  .describe('Alarms, published to one SNS topic per target.');

const MaintenanceWindowSchema = z
  .strictObject({
    schedule: z
      .string()
      .describe('5-field cron (minute hour day-of-month month day-of-week) of when each window opens, e.g. "0 2 * * 1-5".'),
    durationMinutes: z.number().int().describe('How long each window stays open, in minutes (1 to 10080).'),
    timeZone: z.string().default('UTC').describe('IANA time zone the schedule is read in, e.g. Europe/Berlin.'),
  })
  .describe('When the updater may replace a running runner. Outside it, scheduled runs only report.');

export const UPDATE_CHANNELS = ['pinned', 'patch', 'minor', 'latest'] as const;

const UpdatesSchema = z
  .strictObject({
    channel: z
      .enum(UPDATE_CHANNELS)
      .default('patch')
      .describe(
        '"pinned": run exactly the runner\'s version. "patch": newest vX.Y.* of the running minor. ' +
          '"minor": newest vX.*.*. "latest": newest release. Only vX.Y.Z tags count.',
      ),
    hold: z.boolean().default(false).describe('Freeze the runners: no update or rollback happens; checks still report.'),
    allowDowngrade: z
      .boolean()
      .default(false)
      .describe('Let the updater move to an older release when the policy or an operator selects one.'),
    schedule: z
      .string()
      .default('rate(1 hour)')
      .describe(
        'How often the updater checks, as an EventBridge Scheduler expression: rate(<n> <unit>) or cron(<minutes> <hours> ' +
          '<day-of-month> <month> <day-of-week> <year>); at most every 15 minutes.',
      ),
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

const OperatorAccessSchema = z
  .strictObject({
    principals: z
      .array(z.string())
      .min(1)
      .describe(
        'Who may assume the operator role: AWS account ids (12 digits) or IAM role/user ARNs of meshcloud\'s ' +
          'operators, as given to you during onboarding.',
      ),
    externalId: z
      .string()
      .describe(
        'The sts:ExternalId operators must present (2 to 1224 characters of A-Z a-z 0-9 and +=,.@:/-), ' +
          'as agreed with meshcloud. Required: it prevents the confused-deputy problem.',
      ),
    principalArnPatterns: z
      .array(z.string())
      .default([])
      .describe('Optional: aws:PrincipalArn patterns (StringLike) the caller must match, e.g. arn:aws:iam::111122223333:role/meshcloud-ops-*.'),
    sourceIdentityPatterns: z
      .array(z.string())
      .default([])
      .describe('Optional: sts:SourceIdentity patterns (StringLike) the caller must set, e.g. *@meshcloud.io.'),
  })
  .describe('Read-only diagnostics for meshcloud operators, plus invoking the updater. No deploy permissions.');

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
      .describe('Kubernetes minor version of the cluster, e.g. "1.33" (EKS: a version in standard support, see the kit\'s list). Pod Security is pinned to it.'),
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
      .default(20)
      .describe('Runs each runner keeps in flight at once; the namespace quota is sized from it.'),
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
    nodeInstanceTypes: z
      .array(z.string())
      .default(['m6i.large'])
      .describe('Instance types of the node group (EKS), e.g. ["m6i.large"]; Graviton types (m7g.large) when every runner is arm64.'),
    nodeMinSize: z.number().int().min(1).max(100).default(2).describe('Fewest nodes; 2 keeps the controller running through a zone failure.'),
    nodeMaxSize: z.number().int().min(1).max(100).default(4).describe('Most nodes the node group may scale to.'),
    nodeDesiredSize: z.number().int().min(1).max(100).optional().describe('Nodes to start with. Default: nodeMinSize.'),
  })
  .describe('Kubernetes platforms (eks; later aks, gke): the cluster and the run-controller workload.');

export const TargetSchema = z
  .strictObject({
    cloud: z.enum(CLOUDS).describe('Cloud to deploy to.'),
    platform: z.enum(PLATFORMS).describe('Container platform: ecs | eks (aws), aci | aks (azure), cloudrun | gke (gcp).'),
    region: z.string().describe("Cloud region, e.g. eu-central-1."),
    meshstack: z
      .strictObject({
        apiUrl: z.string().describe('meshStack API base URL (https), e.g. https://federation.example.meshcloud.io.'),
      })
      .describe('The meshStack instance the runners poll.'),
    runners: z
      .record(z.string(), RunnerSchema)
      .describe('Runners of this target (at most 10), by name: 1-20 lowercase letters and digits, no "-" (e.g. "default").'),
    network: NetworkSchema.default(NetworkSchema.parse({})),
    aws: AwsSchema.optional(),
    tags: z
      .record(z.string(), z.string())
      .default({})
      .describe(
        'Tags / labels put on every resource, besides the kit\'s own (managed-by, runner-kit-target, Name, runner-kit-upstream, ' +
          'runner-kit:version, which cannot be set here). AWS: at most 47 (50 per resource, 3 kept for the kit\'s), keys unique ' +
          'ignoring case, letters, digits, spaces and _ . : / = + - @.',
      ),
    stateBackend: StateBackendSchema.default({ type: 'local' }),
    logs: LogsSchema.default(LogsSchema.parse({})),
    alarms: AlarmsSchema.default(AlarmsSchema.parse({})),
    updates: UpdatesSchema.default(UpdatesSchema.parse({})),
    operatorAccess: OperatorAccessSchema.optional(),
    kubernetes: KubernetesSchema.optional(),
  })
  .describe('One deployment target; its name (3-32 lowercase letters and digits, no "-") becomes the cdktf stack name and the prefix of every resource name.');

export const KitConfigSchema = z
  .strictObject({
    $schema: z.string().optional().describe('Path or URL of the JSON Schema, for editors.'),
    targets: z.record(z.string(), z.unknown()).describe('Deployment targets by name.'),
  })
  .describe('private-runner-kit configuration.');

export type TargetConfig = z.output<typeof TargetSchema>;
export type RunnerConfig = TargetConfig['runners'][string];
export type NetworkConfig = TargetConfig['network'];
export type UpdatesConfig = TargetConfig['updates'];
export type OperatorAccessConfig = NonNullable<TargetConfig['operatorAccess']>;
export type KubernetesConfig = NonNullable<TargetConfig['kubernetes']>;

/** A validated config: targets by name, in file order. */
export interface KitConfig {
  readonly targets: Readonly<Record<string, TargetConfig>>;
}
