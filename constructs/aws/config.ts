/**
 * The AWS part of the config: the `aws` block, the state backends (local or S3), the operator
 * access (IAM principals and an external id), and the checks only AWS needs (ids of a
 * bring-your-own VPC, CloudWatch retention values, Fargate sizes, EKS versions and EC2 instance
 * types). AWS's resource limits (names, tags, quotas, sizes) are in `config-limits.ts`.
 *
 * Pure: no cdktf import (validation loads this file; `runner-kit validate` must stay fast).
 */
import { z } from 'zod';
import type { ConfigIssue } from '../core/config/config-error';
import { cloudTargetSchema, LocalStateBackendSchema } from '../core/config/schema';
import { isLoopbackHost, type Add } from '../core/config/semantic';
import { REGIONS } from '../core/config/regions';
import { checkAwsLimits } from './config-limits';
import { eventBridgeCron } from './schedule-expression';
import { eksNodeShape } from './eks-node-shapes';
import { jobsThatFit, nodesNeeded, workloadDemand, type NodeFit, type NodeShape, type WorkloadDemand } from '../kubernetes/capacity';

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const AwsBlockSchema = z
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

const S3StateBackendSchema = z.strictObject({
  type: z.literal('s3'),
  bucket: z.string().describe('S3 bucket holding the state (versioned and encrypted, created beforehand).'),
  key: z.string().optional().describe('Object key. Default: private-runner-kit/<target>.tfstate.'),
  region: z.string().optional().describe("Bucket region. Default: the target's region."),
  kmsKeyId: z.string().optional().describe('KMS key for server-side encryption of the state object. Default: the bucket default.'),
});

const AwsOperatorAccessSchema = z
  .strictObject({
    principals: z
      .array(z.string())
      .min(1)
      .describe('Who may assume the operator role: AWS account ids (12 digits) or IAM role/user ARNs of meshcloud\'s operators, as given to you during onboarding.'),
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
  .describe('Read-only diagnostics for meshcloud operators (an IAM role they assume), plus invoking the updater. No deploy permissions.');

export const AWS_PLATFORMS = ['ecs', 'eks'] as const;

/** An AWS target: the shared fields plus the `aws` block, local or S3 state and IAM operator access. */
export const AwsTargetSchema = cloudTargetSchema('aws', AWS_PLATFORMS, {
  aws: AwsBlockSchema.optional(),
  stateBackend: z
    .discriminatedUnion('type', [LocalStateBackendSchema, S3StateBackendSchema])
    .default({ type: 'local' })
    .describe('Where Terraform keeps this target\'s state: "local" (default) or "s3" (with S3-native locking).'),
  operatorAccess: AwsOperatorAccessSchema.optional(),
});

export type AwsTargetConfig = z.output<typeof AwsTargetSchema>;
export type AwsOperatorAccessConfig = NonNullable<AwsTargetConfig['operatorAccess']>;

// --- checks -------------------------------------------------------------------------------------

/** CloudWatch Logs' accepted retention values (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** sts:ExternalId as STS accepts it: 2-1224 characters of letters, digits and +=,.@:/- */
export const EXTERNAL_ID_RE = /^[\w+=,.@:/-]{2,1224}$/;
/** An operator principal: a 12-digit account id, or an IAM role or user ARN (with optional path). */
export const OPERATOR_PRINCIPAL_RE = /^(\d{12}|arn:aws(-cn|-us-gov)?:iam::\d{12}:(role|user)\/([\w+=,.@-]+\/)*[\w+=,.@-]{1,64})$/;
/** aws:PrincipalArn pattern (StringLike): an IAM or STS ARN, `*` and `?` allowed. */
const PRINCIPAL_ARN_PATTERN_RE = /^arn:(aws|aws-cn|aws-us-gov|\*):(iam|sts|\*)::(\d{12}|\*|\?+):[\w+=,.@/*?-]+$/;
/** sts:SourceIdentity pattern (StringLike): up to 64 characters of letters, digits, +=,.@- and * ? */
const SOURCE_IDENTITY_PATTERN_RE = /^[\w+=,.@*?-]{1,64}$/;

/** Every AWS check of one target: its block, network ids, operator access, logs, state backend, then AWS's limits. */
export function checkAwsTarget(name: string, t: Loose, add: Add, typed?: AwsTargetConfig): ConfigIssue[] {
  const aws = obj(t.aws);
  const endpoint = str(aws.endpoint);
  if (endpoint !== undefined) checkEndpoint(endpoint, aws.allowRemoteEndpoint === true, add);
  if (aws.allowRemoteEndpoint === true && endpoint === undefined) {
    add('aws.allowRemoteEndpoint', true, 'is set without aws.endpoint', 'remove it: it only widens what aws.endpoint accepts');
  }
  const accountId = str(aws.accountId);
  if (accountId !== undefined && !/^\d{12}$/.test(accountId)) {
    add('aws.accountId', accountId, 'is not a 12-digit AWS account id', 'use the account id as shown by `aws sts get-caller-identity`, e.g. "123456789012"');
  }
  checkNetworkIds(obj(t.network), add);
  const keyId = str(obj(t.encryption).existingKeyId);
  if (keyId !== undefined) checkExistingKey(keyId, str(t.region), accountId, add);
  if (t.operatorAccess !== undefined) checkOperatorAccess(obj(t.operatorAccess), add);
  const retention = int(obj(t.logs).retentionDays);
  if (retention !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
    add('logs.retentionDays', retention, 'is not a retention CloudWatch Logs accepts', `use one of: ${LOG_RETENTION_DAYS.join(', ')}`);
  }
  const schedule = str(obj(t.updates).schedule);
  const translated = schedule === undefined ? undefined : eventBridgeCron(schedule);
  if (translated !== undefined && !translated.ok && !translated.error.startsWith('cron ')) {
    add('updates.schedule', schedule, `has no EventBridge Scheduler form: ${translated.error}`, 'restrict only one of day-of-month and day-of-week, e.g. "0 3 * * 1" (Mondays) or "0 3 1 * *" (the 1st)');
  }
  const backend = obj(t.stateBackend);
  const backendRegion = str(backend.region);
  if (backend.type === 's3' && backendRegion !== undefined && !REGIONS.aws.includes(backendRegion)) {
    add('stateBackend.region', backendRegion, 'is not an AWS region', 'use the region of the state bucket, e.g. eu-central-1');
  }
  return checkAwsLimits(name, t, typed);
}

function checkEndpoint(value: string, allowRemote: boolean, add: Add): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    add('aws.endpoint', value, 'is not a URL', 'use e.g. http://127.0.0.1:4566, or remove it to deploy to AWS');
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    add('aws.endpoint', value, 'must be an http(s) URL', 'use e.g. http://127.0.0.1:4566');
    return;
  }
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '' || (url.pathname !== '/' && url.pathname !== '')) {
    add('aws.endpoint', value, 'must be an origin only (scheme, host, port): no credentials, path, query or fragment', `use ${url.protocol}//${url.host}`);
    return;
  }
  if (isLoopbackHost(url.hostname)) return;
  if (!allowRemote) {
    add(
      'aws.endpoint',
      value,
      'is not on this machine (loopback): the emulator profile sends every AWS call to it, the runners\' secret values included, and relaxes encryption and credential checks',
      'run the emulator on loopback (http://127.0.0.1:<port>), or remove aws.endpoint to deploy to AWS; if you really mean a remote emulator, set aws.allowRemoteEndpoint: true',
    );
  } else if (url.protocol !== 'https:') {
    add('aws.endpoint', value, 'is a remote host over plain http: every call, secret values included, would cross the network readable', `use https://${url.host}, or run the emulator on loopback`);
  }
}

/** A bring-your-own network on AWS: a VPC id and subnet ids. */
function checkNetworkIds(n: Loose, add: Add): void {
  const vpcId = str(n.existingNetworkId);
  if (vpcId !== undefined && !/^vpc-[0-9a-f]{8,17}$/.test(vpcId)) {
    add('network.existingNetworkId', vpcId, 'is not a VPC id', 'use the id shown by `aws ec2 describe-vpcs`, e.g. vpc-0abc1234def567890');
  }
  list(n.existingSubnetIds).forEach((id, i) => {
    if (typeof id === 'string' && !/^subnet-[0-9a-f]{8,17}$/.test(id)) add(`network.existingSubnetIds[${i}]`, id, 'is not a subnet id', 'use e.g. subnet-0abc1234def567890');
  });
}

/** A bring-your-own KMS key: a key ARN (not an alias: IAM grants need the key) in the target's region and account. */
function checkExistingKey(keyId: string, region: string | undefined, accountId: string | undefined, add: Add): void {
  const m = /^arn:aws(-cn|-us-gov)?:kms:([a-z0-9-]+):(\d{12}):key\/((mrk-)?[0-9a-f-]{32,36})$/.exec(keyId);
  if (m === null) {
    add('encryption.existingKeyId', keyId, 'is not a KMS key ARN', 'use the key\'s ARN as shown by `aws kms describe-key --key-id <id or alias>` (KeyMetadata.Arn), e.g. arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab; an alias will not do');
    return;
  }
  if (region !== undefined && m[2] !== region) {
    add('encryption.existingKeyId', keyId, `is in region ${m[2]}, not the target's region ${region}`, 'use a key in the target\'s region (KMS keys are regional; a multi-Region key\'s replica in this region works)');
  }
  if (accountId !== undefined && m[3] !== accountId) {
    add('encryption.existingKeyId', keyId, `is in account ${m[3]}, not the target's account ${accountId}`, 'use a key in the target\'s account: the kit grants its roles use of the key through IAM in this account');
  }
}

function checkOperatorAccess(o: Loose, addToTarget: Add): void {
  const add: Add = (field, received, message, fix) => addToTarget(`operatorAccess.${field}`, received, message, fix);
  const externalId = str(o.externalId);
  if (externalId !== undefined && !EXTERNAL_ID_RE.test(externalId)) {
    const why = externalId.length < 2 || externalId.length > 1224 ? `has ${externalId.length} characters (STS accepts 2 to 1224)` : 'has characters STS does not accept in an external id';
    add('externalId', externalId, why, 'use the external id agreed with meshcloud: 2-1224 characters of A-Z a-z 0-9 _ + = , . @ : / -');
  }
  const principals = list(o.principals);
  principals.forEach((p, i) => {
    if (typeof p === 'string' && !OPERATOR_PRINCIPAL_RE.test(p)) {
      add(`principals[${i}]`, p, 'is neither a 12-digit AWS account id nor an IAM role or user ARN', 'use e.g. "111122223333" or "arn:aws:iam::111122223333:role/meshcloud-operators", as given during onboarding');
    }
  });
  if (new Set(principals).size !== principals.length) add('principals', principals, 'lists a principal twice', 'list each principal once');
  list(o.principalArnPatterns).forEach((p, i) => {
    if (typeof p === 'string' && !PRINCIPAL_ARN_PATTERN_RE.test(p)) {
      add(`principalArnPatterns[${i}]`, p, 'is not an IAM/STS ARN pattern', 'use e.g. "arn:aws:iam::111122223333:role/meshcloud-ops-*" (* and ? are wildcards)');
    }
  });
  list(o.sourceIdentityPatterns).forEach((p, i) => {
    if (typeof p === 'string' && !SOURCE_IDENTITY_PATTERN_RE.test(p)) {
      add(`sourceIdentityPatterns[${i}]`, p, 'is not a source identity pattern (up to 64 characters of letters, digits, +=,.@- and the wildcards * ?)', 'use e.g. "*@meshcloud.io"');
    }
  });
}

// --- per platform -------------------------------------------------------------------------------

/** Fargate task sizes: memory MiB allowed per vCPU. */
const FARGATE_MEMORY: ReadonlyMap<number, readonly number[]> = new Map([
  [0.25, [512, 1024, 2048]],
  [0.5, range(1024, 4096, 1024)],
  [1, range(2048, 8192, 1024)],
  [2, range(4096, 16384, 1024)],
  [4, range(8192, 30720, 1024)],
  [8, range(16384, 61440, 4096)],
  [16, range(32768, 122880, 8192)],
]);

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** ECS CPU units of a vCPU count (1024 per vCPU). */
export const ecsCpuUnits = (vcpu: number) => Math.round(vcpu * 1024);

/** ECS on Fargate: each runner's vCPUs and memory must be a Fargate task size. */
export function checkEcsTarget(t: Loose, add: Add): void {
  for (const [runner, raw] of Object.entries(obj(t.runners))) {
    const r = obj(raw);
    const vcpu = typeof r.vcpu === 'number' ? r.vcpu : 1;
    const memory = int(r.memoryMiB) ?? 2048;
    const memories = FARGATE_MEMORY.get(vcpu);
    if (memories === undefined) {
      add(`runners.${runner}.vcpu`, vcpu, 'is not a Fargate task size', `use one of: ${[...FARGATE_MEMORY.keys()].join(', ')}`);
    } else if (!memories.includes(memory)) {
      add(`runners.${runner}.memoryMiB`, memory, `does not fit ${vcpu} vCPU on Fargate`, `use one of: ${memories[0]}..${memories[memories.length - 1]} in steps of ${memories[1]! - memories[0]!} MiB`);
    }
  }
}

/** Kubernetes versions the kit deploys on EKS: those in standard support at this kit release (update per release). */
export const EKS_KUBERNETES_VERSIONS = ['1.31', '1.32', '1.33', '1.34'] as const;
/** 4 vCPU / 16 GiB: three default Terraform Jobs (1 vCPU / 2 GiB) per node; two nodes hold the default 4 Jobs and the controller. */
export const EKS_DEFAULT_NODE_TYPES = ['m6i.xlarge'] as const;

/** EKS: a supported Kubernetes version and EC2 instance types for the nodes. */
export function checkEksTarget(t: Loose, add: Add, typed?: AwsTargetConfig): void {
  const k = obj(t.kubernetes);
  const version = str(k.version) ?? '1.33';
  if (!(EKS_KUBERNETES_VERSIONS as readonly string[]).includes(version)) {
    add('kubernetes.version', version, 'is not a Kubernetes version the kit deploys on EKS', `use one of: ${EKS_KUBERNETES_VERSIONS.join(', ')}`);
  }
  list(k.nodeTypes).forEach((type, i) => {
    if (typeof type === 'string' && !/^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(type)) add(`kubernetes.nodeTypes[${i}]`, type, 'is not an EC2 instance type', 'use e.g. m6i.xlarge');
  });
  if (Array.isArray(k.nodeTypes) && k.nodeTypes.length === 0) add('kubernetes.nodeTypes', [], 'is empty', 'list at least one instance type, e.g. m6i.xlarge');
  if (typed?.kubernetes !== undefined) checkEksCapacity(typed, add);
}

/**
 * The node group must hold what the workload promises: it does not scale by itself, so its desired
 * size (and its maximum) must hold every runner's `maxConcurrentJobs` Jobs at their request, plus
 * the controllers and cluster DNS (`eksNodeCounts`).
 */
function checkEksCapacity(t: AwsTargetConfig, add: Add): void {
  const counts = eksNodeCounts(t);
  if ('unsized' in counts) {
    add(`kubernetes.nodeTypes[${counts.index}]`, counts.unsized, 'is an instance type the kit cannot size (it sizes m, c and r families of generation 5 or newer, and t3, t3a, t4g)', 'use e.g. m6i.xlarge, c7i.2xlarge, r6i.large or m7g.xlarge');
    return;
  }
  const k = t.kubernetes!;
  if (!counts.fit.fits) {
    add('kubernetes.nodeTypes', k.nodeTypes ?? EKS_DEFAULT_NODE_TYPES, `cannot run a single Job: ${counts.fit.reason}`, 'choose a larger instance type, or lower the runners\' vcpu / memoryMiB');
    return;
  }
  const need = counts.fit.nodes;
  const demand = `${counts.demand.jobs} Jobs (maxConcurrentJobs ${k.maxConcurrentJobs} x ${Object.keys(t.runners).length} runner(s)) of ${counts.demand.jobCpuMillis}m CPU and ${counts.demand.jobMemoryMiB} MiB, plus the controllers and cluster DNS, need ${need} ${counts.shape.type} node(s) (each holds ${counts.fit.jobsPerNode} Job(s): ${counts.shape.cpuMillis}m CPU and ${counts.shape.memoryMiB} MiB allocatable)`;
  const runners = Object.keys(t.runners).length;
  const fix = (field: string, nodes: number) => {
    const perRunner = Math.floor(jobsThatFit(counts.demand, counts.shape, nodes) / runners);
    return `raise ${field} to ${need}, choose a larger instance type, or lower maxConcurrentJobs${perRunner >= 1 ? ` to ${perRunner} (what ${nodes} node(s) hold)` : ''}`;
  };
  if (k.nodeDesiredSize !== undefined && k.nodeDesiredSize < need) {
    add('kubernetes.nodeDesiredSize', k.nodeDesiredSize, `is too small: ${demand}; the node group does not scale by itself, so Jobs beyond it would wait Pending`, fix('nodeDesiredSize', k.nodeDesiredSize));
  }
  if (k.nodeMaxSize !== undefined && k.nodeMaxSize < need) {
    add('kubernetes.nodeMaxSize', k.nodeMaxSize, `is too small: ${demand}`, fix('nodeMaxSize', k.nodeMaxSize));
  }
  if (k.nodeMaxSize !== undefined && k.nodeMaxSize < k.nodeMinSize) add('kubernetes.nodeMaxSize', k.nodeMaxSize, `is below nodeMinSize (${k.nodeMinSize})`, `raise it to at least ${k.nodeMinSize}`);
  if (k.nodeDesiredSize !== undefined && k.nodeDesiredSize < k.nodeMinSize) add('kubernetes.nodeDesiredSize', k.nodeDesiredSize, `is below nodeMinSize (${k.nodeMinSize})`, `raise it to at least ${k.nodeMinSize}`);
  if (k.nodeDesiredSize !== undefined && k.nodeMaxSize !== undefined && k.nodeDesiredSize > k.nodeMaxSize) add('kubernetes.nodeDesiredSize', k.nodeDesiredSize, `is above nodeMaxSize (${k.nodeMaxSize})`, `lower it to at most ${k.nodeMaxSize}, or raise nodeMaxSize`);
}

/**
 * The node group's sizes for the target: desired = the nodes the workload needs (at least
 * nodeMinSize), max = the larger of 4 and that, unless configured. The smallest configured type
 * is the one sized (a managed node group may launch any of them).
 */
export function eksNodeCounts(t: AwsTargetConfig):
  | { readonly unsized: string; readonly index: number }
  | { readonly shape: NodeShape; readonly demand: WorkloadDemand; readonly fit: NodeFit; readonly min: number; readonly desired: number; readonly max: number } {
  const k = t.kubernetes!;
  const types = k.nodeTypes ?? EKS_DEFAULT_NODE_TYPES;
  const shapes: NodeShape[] = [];
  for (const [index, type] of types.entries()) {
    const shape = eksNodeShape(type);
    if (shape === undefined) return { unsized: type, index };
    shapes.push(shape);
  }
  const demand = workloadDemand({ runners: t.runners, kubernetes: k });
  const fits = shapes.map((shape) => ({ shape, fit: nodesNeeded(demand, shape) }));
  // The type that needs the most nodes (or cannot hold a Job at all) decides.
  const worst = fits.find((f) => !f.fit.fits) ?? fits.reduce((a, b) => ((b.fit.fits ? b.fit.nodes : 0) > (a.fit.fits ? a.fit.nodes : 0) ? b : a));
  const need = worst.fit.fits ? worst.fit.nodes : k.nodeMinSize;
  const desired = k.nodeDesiredSize ?? Math.max(k.nodeMinSize, need);
  return { shape: worst.shape, demand, fit: worst.fit, min: k.nodeMinSize, desired, max: k.nodeMaxSize ?? Math.max(4, desired) };
}
