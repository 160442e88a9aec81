/**
 * The GCP part of the config: the `gcp` block (the project everything goes into), the state
 * backends (local or Cloud Storage), the operator access (principals meshcloud names may
 * impersonate one customer-owned operator service account, and nothing else), and the checks only
 * GCP needs (project id, Cloud Run sizes, labels, name lengths, bucket names, log retention).
 *
 * Pure: no cdktf import (validation loads this file; `runner-kit validate` must stay fast).
 */
import { z } from 'zod';
import { joinPath, type ConfigIssue } from '../core/config/config-error';
import { isPrivateRange, parseCidr, type Ipv4Cidr } from '../core/config/cidr';
import { cloudTargetSchema, LocalStateBackendSchema, RUNNER_NAME_PATTERN, TARGET_NAME_PATTERN } from '../core/config/schema';
import type { Add } from '../core/config/semantic';
import { GCP_NAME_RULES, gcpResourceNames, kitBucketName } from './gcp-names';

type Loose = Record<string, unknown>;
const obj = (v: unknown): Loose => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isInteger(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const GKE_RELEASE_CHANNELS = ['RAPID', 'REGULAR', 'STABLE'] as const;
export const GKE_DEFAULT_PODS_CIDR = '10.96.0.0/17';
export const GKE_DEFAULT_SERVICES_CIDR = '10.100.0.0/20';

const GcpBlockSchema = z
  .strictObject({
    projectId: z
      .string()
      .describe(
        'The GCP project everything of this target is created in (6-30 characters: lowercase letters, digits, hyphens), e.g. acme-runners-prod. ' +
          'The kit creates nothing outside it, and enables the APIs it needs in it (never disables one).',
      ),
    projectNumber: z
      .string()
      .optional()
      .describe('The project\'s number (digits), used only to fill the generated policy files for auditors; the deployed stack reads it from the project.'),
    gke: z
      .strictObject({
        releaseChannel: z
          .enum(GKE_RELEASE_CHANNELS)
          .default('REGULAR')
          .describe('GKE release channel the Autopilot cluster follows (Google upgrades control plane and nodes within it): RAPID, REGULAR (default) or STABLE.'),
        maintenanceStartTime: z
          .string()
          .default('03:00')
          .describe('Start of the cluster\'s daily 4-hour maintenance window, HH:MM in UTC (GKE upgrades only inside it). Default 03:00.'),
        podsCidr: z
          .string()
          .default(GKE_DEFAULT_PODS_CIDR)
          .describe(`Secondary range of the runners' subnet for pod addresses (/13 to /21, private, not overlapping network.cidr). Default ${GKE_DEFAULT_PODS_CIDR}.`),
        servicesCidr: z
          .string()
          .default(GKE_DEFAULT_SERVICES_CIDR)
          .describe(`Secondary range for Service addresses (/16 to /27, private, not overlapping the others). Default ${GKE_DEFAULT_SERVICES_CIDR}.`),
      })
      .optional()
      .describe('GKE only (platform gke): the Autopilot cluster\'s release channel, maintenance window and address ranges.'),
  })
  .describe('GCP settings.');

const GcsStateBackendSchema = z.strictObject({
  type: z.literal('gcs'),
  bucket: z.string().describe('Cloud Storage bucket holding the state (versioned, created beforehand; Terraform locks with it).'),
  prefix: z.string().optional().describe('Object prefix of the state. Default: private-runner-kit/<target>.'),
});

const GcpOperatorAccessSchema = z
  .strictObject({
    principals: z
      .array(z.string())
      .min(1)
      .describe(
        'Who may impersonate the operator service account (roles/iam.serviceAccountTokenCreator on that one account, nothing else): ' +
          'group:<email> or serviceAccount:<email> (or user:<email>) of meshcloud\'s operators, as given to you during onboarding.',
      ),
  })
  .describe('Read-only diagnostics for meshcloud operators (a customer-owned service account they impersonate), plus running the updater. No deploy permissions.');

export const GCP_PLATFORMS = ['cloudrun', 'gke'] as const;

/** A GCP target: the shared fields plus the `gcp` block, local or Cloud Storage state and operator access by impersonation. */
export const GcpTargetSchema = cloudTargetSchema('gcp', GCP_PLATFORMS, {
  gcp: GcpBlockSchema,
  stateBackend: z
    .discriminatedUnion('type', [LocalStateBackendSchema, GcsStateBackendSchema])
    .default({ type: 'local' })
    .describe('Where Terraform keeps this target\'s state: "local" (default) or "gcs" (a Cloud Storage bucket).'),
  operatorAccess: GcpOperatorAccessSchema.optional(),
});

export type GcpTargetConfig = z.output<typeof GcpTargetSchema>;

// --- checks -------------------------------------------------------------------------------------

/** Project ids: 6-30 characters, lowercase letter first, no trailing hyphen. */
export const PROJECT_ID_RE = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
export const OPERATOR_PRINCIPAL_RE = /^(group|serviceAccount|user):[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;
/** Labels (GCP: at most 64 per resource; keys and values up to 63 lowercase letters, digits, _ and -). */
export const GCP_MAX_LABELS = 64;
/** The kit's own labels on every resource: managed-by, runner-kit-target. */
export const KIT_LABELS_ON_ONE_RESOURCE = 2;
const LABEL_KEY_RE = /^[\p{Ll}][\p{Ll}\p{N}_-]{0,62}$/u;
const LABEL_VALUE_RE = /^[\p{Ll}\p{N}_-]{0,63}$/u;
/** Cloud Logging bucket retention: 1 to 3650 days. */
export const LOG_RETENTION_MIN_DAYS = 1;
export const LOG_RETENTION_MAX_DAYS = 3650;

/** Every GCP check of one target: its block, operator access, labels, logs, network, state backend and names. */
export function checkGcpTarget(name: string, t: Loose, add: Add, typed?: GcpTargetConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const gcp = obj(t.gcp);
  const project = str(gcp.projectId);
  if (project !== undefined && !PROJECT_ID_RE.test(project)) {
    add('gcp.projectId', project, 'is not a GCP project id (6-30 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen)', 'use the project id as `gcloud projects list` shows it, e.g. acme-runners-prod (not the display name or the number)');
  }
  const number = str(gcp.projectNumber);
  if (number !== undefined && !/^\d{6,20}$/.test(number)) add('gcp.projectNumber', number, 'is not a project number', 'use the digits `gcloud projects describe <id> --format="value(projectNumber)"` prints');
  if (t.operatorAccess !== undefined) {
    const principals = list(obj(t.operatorAccess).principals);
    principals.forEach((p, i) => {
      if (typeof p === 'string' && !OPERATOR_PRINCIPAL_RE.test(p)) {
        add(`operatorAccess.principals[${i}]`, p, 'is not an IAM principal the kit accepts', 'use group:<email>, serviceAccount:<email> or user:<email>, e.g. "group:runner-operators@meshcloud.io"');
      }
    });
    if (new Set(principals).size !== principals.length) add('operatorAccess.principals', principals, 'lists a principal twice', 'list each principal once');
  }
  checkLabels(obj(t.tags), add);
  const retention = int(obj(t.logs).retentionDays);
  if (retention !== undefined && (retention < LOG_RETENTION_MIN_DAYS || retention > LOG_RETENTION_MAX_DAYS)) {
    add('logs.retentionDays', retention, `is not a Cloud Logging bucket retention (${LOG_RETENTION_MIN_DAYS} to ${LOG_RETENTION_MAX_DAYS} days)`, 'use e.g. 90');
  }
  const network = obj(t.network);
  for (const field of ['existingNetworkId', 'existingSubnetIds'] as const) {
    if (network[field] !== undefined) {
      add(`network.${field}`, network[field], 'is not available on GCP in this version of the kit (the kit creates the VPC network, its NAT and firewall)', `remove network.${field}`);
    }
  }
  const keyId = str(obj(t.encryption).existingKeyId);
  if (keyId !== undefined) {
    const m = /^projects\/([a-z][a-z0-9-]{4,28}[a-z0-9])\/locations\/([a-z0-9-]+)\/keyRings\/[A-Za-z0-9_-]{1,63}\/cryptoKeys\/[A-Za-z0-9_-]{1,63}$/.exec(keyId);
    if (m === null) add('encryption.existingKeyId', keyId, 'is not a Cloud KMS crypto key name', 'use projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>');
    else if (str(t.region) !== undefined && m[2] !== t.region) add('encryption.existingKeyId', keyId, `is in location ${m[2]}, not the target's region ${String(t.region)}`, 'use a key in the target\'s region (Secret Manager replicas, Artifact Registry and Cloud Storage need a key in their own location)');
  }
  const backend = obj(t.stateBackend);
  if (backend.type === 'gcs') {
    const bucket = str(backend.bucket);
    if (bucket !== undefined && !/^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/.test(bucket)) add('stateBackend.bucket', bucket, 'is not a Cloud Storage bucket name', 'use the name of the existing state bucket, e.g. acme-terraform-state');
  }
  if (typed !== undefined) checkNames(name, typed, (path, received, message, fix) => issues.push({ path: joinPath(['targets', name]) + (path ? `.${path}` : ''), received, message, fix }));
  return issues;
}

function checkLabels(tags: Loose, add: Add): void {
  const keys = Object.keys(tags);
  if (keys.length > GCP_MAX_LABELS - KIT_LABELS_ON_ONE_RESOURCE) {
    add('tags', `${keys.length} tags`, `has ${keys.length} tags; GCP allows ${GCP_MAX_LABELS} labels per resource and the kit sets ${KIT_LABELS_ON_ONE_RESOURCE}`, `keep at most ${GCP_MAX_LABELS - KIT_LABELS_ON_ONE_RESOURCE}`);
  }
  for (const key of keys) {
    const path = joinPath(['tags', key]);
    if (!LABEL_KEY_RE.test(key)) add(path, key, 'is not a GCP label key (1-63 lowercase letters, digits, _ and -, starting with a letter)', `use e.g. ${JSON.stringify(key.toLowerCase().replace(/[^a-z0-9_-]/g, '-').replace(/^[^a-z]+/, '').slice(0, 63) || 'cost-center')}`);
    const value = tags[key];
    if (typeof value === 'string' && !LABEL_VALUE_RE.test(value)) add(path, value, 'is not a GCP label value (at most 63 lowercase letters, digits, _ and -)', `use e.g. ${JSON.stringify(value.toLowerCase().replace(/[^a-z0-9_-]/g, '-').slice(0, 63))}`);
  }
}

function checkNames(target: string, t: GcpTargetConfig, add: Add): void {
  if (!TARGET_NAME_PATTERN.test(target) || !PROJECT_ID_RE.test(t.gcp.projectId)) return;
  const runners = Object.keys(t.runners).filter((r) => RUNNER_NAME_PATTERN.test(r));
  for (const n of gcpResourceNames(target, t.gcp.projectId, runners)) {
    const rule = GCP_NAME_RULES[n.type];
    if (n.name.length >= rule.min && n.name.length <= rule.max && rule.pattern.test(n.name)) continue;
    const bucket = n.name === kitBucketName(t.gcp.projectId, target);
    add(
      n.runner !== undefined ? joinPath(['runners', n.runner]) : '',
      n.runner ?? target,
      `would give ${rule.what} "${n.name}" (${n.name.length} characters), which GCP refuses (${rule.min}-${rule.max} characters)`,
      bucket ? 'use a shorter target name (the kit\'s bucket is rk-<project id>-<target>, at most 63 characters)' : 'use a shorter target or runner name',
    );
  }
}

// --- per platform -------------------------------------------------------------------------------

/** Cloud Run CPU counts (whole vCPUs) and the memory each allows, in MiB (Cloud Run's CPU/memory table). */
const CLOUD_RUN_SIZES: ReadonlyMap<number, { readonly min: number; readonly max: number }> = new Map([
  [1, { min: 512, max: 4096 }],
  [2, { min: 512, max: 8192 }],
  [4, { min: 2048, max: 16384 }],
  [6, { min: 4096, max: 24576 }],
  [8, { min: 4096, max: 32768 }],
]);

/** Cloud Run worker pools: whole vCPUs 1, 2, 4, 6 or 8 with memory they allow; x86_64 only. */
export function checkCloudRunTarget(t: Loose, add: Add): void {
  for (const [runner, raw] of Object.entries(obj(t.runners))) {
    const r = obj(raw);
    const vcpu = typeof r.vcpu === 'number' ? r.vcpu : 1;
    const memory = int(r.memoryMiB) ?? 2048;
    const size = CLOUD_RUN_SIZES.get(vcpu);
    if (size === undefined) {
      add(`runners.${runner}.vcpu`, vcpu, 'is not a Cloud Run worker pool CPU count', `use one of: ${[...CLOUD_RUN_SIZES.keys()].join(', ')}`);
    } else if (memory < size.min || memory > size.max) {
      add(`runners.${runner}.memoryMiB`, memory, `does not fit ${vcpu} vCPU on Cloud Run`, `use ${size.min} to ${size.max} MiB (the root filesystem is in memory too: runs need at least 2048)`);
    }
    if (r.architecture === 'arm64') add(`runners.${runner}.architecture`, 'arm64', 'is not available on Cloud Run (x86_64 only)', 'remove architecture or set x86_64');
  }
  if (obj(t.gcp).gke !== undefined) add('gcp.gke', obj(t.gcp).gke, 'is set but platform is cloudrun (it configures a GKE cluster)', 'remove gcp.gke, or use platform gke');
}

/** Kubernetes versions the kit deploys on GKE (the minimum the cluster runs; the release channel may run newer). */
export const GKE_KUBERNETES_VERSIONS = ['1.31', '1.32', '1.33', '1.34'] as const;
/** Autopilot's general-purpose pods: memory between 1 and 6.5 GiB per vCPU. */
export const AUTOPILOT_MEMORY_GIB_PER_VCPU = { min: 1, max: 6.5 } as const;

/**
 * GKE Autopilot: the kubernetes block without node settings (Google manages the nodes), a version
 * the kit deploys, run sizes Autopilot schedules, x86_64, and the cluster's own ranges (private,
 * not overlapping the subnet or each other). The `gcp.gke` block belongs to gke targets only.
 */
export function checkGkeTarget(t: Loose, add: Add): void {
  const k = obj(t.kubernetes);
  for (const field of ['nodeTypes', 'nodeMaxSize', 'nodeDesiredSize'] as const) {
    if (k[field] !== undefined) add(`kubernetes.${field}`, k[field], 'is not used on GKE: the cluster is Autopilot, where Google sizes and manages the nodes', `remove kubernetes.${field}`);
  }
  if (k.nodeMinSize !== undefined && k.nodeMinSize !== 2) add('kubernetes.nodeMinSize', k.nodeMinSize, 'is not used on GKE: the cluster is Autopilot, where Google sizes and manages the nodes', 'remove kubernetes.nodeMinSize');
  const version = str(k.version) ?? '1.33';
  if (/^1\.\d{2}$/.test(version) && !(GKE_KUBERNETES_VERSIONS as readonly string[]).includes(version)) {
    add('kubernetes.version', version, 'is not a Kubernetes version the kit deploys on GKE', `use one of: ${GKE_KUBERNETES_VERSIONS.join(', ')}`);
  }
  for (const [runner, raw] of Object.entries(obj(t.runners))) {
    const r = obj(raw);
    const vcpu = typeof r.vcpu === 'number' ? r.vcpu : 1;
    const memory = int(r.memoryMiB) ?? 2048;
    const gib = memory / 1024;
    if (gib < vcpu * AUTOPILOT_MEMORY_GIB_PER_VCPU.min || gib > vcpu * AUTOPILOT_MEMORY_GIB_PER_VCPU.max) {
      add(`runners.${runner}.memoryMiB`, memory, `does not fit ${vcpu} vCPU on GKE Autopilot (${AUTOPILOT_MEMORY_GIB_PER_VCPU.min} to ${AUTOPILOT_MEMORY_GIB_PER_VCPU.max} GiB per vCPU)`, `use ${Math.ceil(vcpu * 1024)} to ${Math.floor(vcpu * 6.5 * 1024)} MiB, or change vcpu`);
    }
    if (r.architecture === 'arm64') add(`runners.${runner}.architecture`, 'arm64', 'is not available on GKE in this version of the kit (the run Jobs are scheduled on x86_64 Autopilot nodes)', 'remove architecture or set x86_64');
  }
  const gke = obj(obj(t.gcp).gke);
  const start = str(gke.maintenanceStartTime);
  if (start !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(start)) add('gcp.gke.maintenanceStartTime', start, 'is not a time of day HH:MM (UTC)', 'use e.g. "03:00"');
  const ranges: { field: string; value: string; min: number; max: number }[] = [
    { field: 'network.cidr', value: str(obj(t.network).cidr) ?? '10.42.0.0/22', min: 0, max: 32 },
    { field: 'gcp.gke.podsCidr', value: str(gke.podsCidr) ?? GKE_DEFAULT_PODS_CIDR, min: 13, max: 21 },
    { field: 'gcp.gke.servicesCidr', value: str(gke.servicesCidr) ?? GKE_DEFAULT_SERVICES_CIDR, min: 16, max: 27 },
  ];
  const parsed: { field: string; value: string; cidr: Ipv4Cidr }[] = [];
  for (const r of ranges) {
    const c = parseCidr(r.value);
    if ('error' in c) {
      if (r.field !== 'network.cidr') add(r.field, r.value, c.error, `use a private IPv4 block such as ${r.field.endsWith('podsCidr') ? GKE_DEFAULT_PODS_CIDR : GKE_DEFAULT_SERVICES_CIDR}`);
      continue;
    }
    if (r.field !== 'network.cidr') {
      if (c.prefix < r.min || c.prefix > r.max) add(r.field, r.value, `is a /${c.prefix}; GKE needs /${r.min} to /${r.max} here`, `use e.g. ${r.field.endsWith('podsCidr') ? GKE_DEFAULT_PODS_CIDR : GKE_DEFAULT_SERVICES_CIDR}`);
      if (!isPrivateRange(c)) add(r.field, r.value, 'is not in a private range (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10)', `use e.g. ${r.field.endsWith('podsCidr') ? GKE_DEFAULT_PODS_CIDR : GKE_DEFAULT_SERVICES_CIDR}`);
    }
    for (const other of parsed) {
      if (overlaps(c, other.cidr)) add(r.field, r.value, `overlaps ${other.field} (${other.value})`, `choose a block outside ${other.value}`);
    }
    parsed.push({ field: r.field, value: r.value, cidr: c });
  }
}

function overlaps(a: Ipv4Cidr, b: Ipv4Cidr): boolean {
  const size = (c: Ipv4Cidr) => 2 ** (32 - c.prefix);
  return a.network < b.network + size(b) && b.network < a.network + size(a);
}
