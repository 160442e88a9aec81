/**
 * What AWS refuses at apply time, checked before anything is synthesized: the limits of the
 * resources the kit creates for an AWS target. A config that passes these never half-deploys on
 * a name, tag, quota or size. Every limit is a named constant below, with where AWS documents it.
 *
 * - names: every name the stacks give a resource (`awsResourceNames`), against its type's length
 *   and charset, and unique across the config's targets;
 * - tags: at most 50 per resource counting the kit's own, IAM's charset and lengths (the strictest
 *   of the tagged services, since default tags reach every resource), keys unique ignoring case;
 * - quotas: security-group rules per direction, EKS public-endpoint CIDRs;
 * - sizes: the updater's environment (Lambda: 4 KB), its description, the operator role's trust
 *   policy (IAM: 2,048 characters), the runner's task definition (ECS: 64 KiB);
 * - the S3 state backend: bucket naming rules, key length, KMS key reference form.
 *
 * AWS-specific, so kept apart from the cloud-neutral checks (`semantic.ts`); Azure and GCP get a
 * file like this one. Loose input where the check reads one field (it runs even when the target's
 * shape is wrong elsewhere, so every problem shows at once); the computed sizes need the parsed
 * target with its defaults, and run once the shape is valid.
 */
import { joinPath, type ConfigIssue } from '../core/config/config-error';
import { maintenanceWindowOf, RUNNER_NAME_PATTERN, TARGET_NAME_PATTERN } from '../core/config/schema';
import type { AwsTargetConfig as TargetConfig } from './config';
import {
  awsResourceNames,
  ecsServiceName,
  eksNames,
  eksUpstreamImages,
  healthAlarmName,
  mirrorRepositoryName,
  updaterFunctionDescription,
  versionParameterName,
  type AwsNamedType,
  type AwsResourceName,
} from './aws-names';
import { toJson } from './iam-policy-document';
import { operatorTrust } from './operator-trust';
import { buildAwsUpdaterConfig, updaterEnvironment } from '../../updater/entry/aws-updater-config';
import { runnerLogGroupPrefix } from './aws-names';
import { RUNNER_RUN_TIMEOUT_MINUTES } from '../core/runner-settings';

type Loose = Record<string, unknown>;
type Add = (path: string, received: unknown, message: string, fix: string) => void;
const obj = (v: unknown): Loose => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Loose) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

// --- tags (docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html; IAM: id_tags.html) ------
/** Tags per resource, AWS-wide. */
export const AWS_MAX_TAGS_PER_RESOURCE = 50;
/**
 * The most tags the kit puts on one resource: `managed-by` and `runner-kit-target` everywhere, plus
 * one of `Name` (network resources, security groups, nodes), `runner-kit-upstream` (mirror
 * repositories) or `runner-kit:version` (task-definition revisions the updater registers).
 */
export const KIT_TAGS_ON_ONE_RESOURCE = 3;
export const AWS_MAX_USER_TAGS = AWS_MAX_TAGS_PER_RESOURCE - KIT_TAGS_ON_ONE_RESOURCE;
export const AWS_TAG_KEY_MAX = 128;
export const AWS_TAG_VALUE_MAX = 256;
/** IAM's tag charset (the strictest of the services the kit tags): letters, digits, spaces and _ . : / = + - @ */
const AWS_TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

// --- quotas -------------------------------------------------------------------------------------
/** Inbound or outbound rules per security group (VPC quota, default 60). */
export const AWS_SECURITY_GROUP_RULES_PER_DIRECTION = 60;
/** Egress rules of the runner security group besides the extra ports: HTTPS. */
const KIT_EGRESS_RULES = 1;
/** CIDR blocks allowed to reach an EKS cluster's public endpoint (EKS quota). */
export const EKS_MAX_PUBLIC_ACCESS_CIDRS = 40;

// --- sizes --------------------------------------------------------------------------------------
/** Lambda: total size of a function's environment variables, keys and values (4 KB). */
export const LAMBDA_ENVIRONMENT_MAX_BYTES = 4096;
/** Lambda: a function's description. */
export const LAMBDA_DESCRIPTION_MAX = 256;
/** IAM: a role trust policy, in characters without whitespace (default quota; raising it needs a request). */
export const IAM_TRUST_POLICY_MAX = 2048;
/** ECS: a task definition (RegisterTaskDefinition request), 64 KiB. */
export const ECS_TASK_DEFINITION_MAX_BYTES = 64 * 1024;
/**
 * The runner's task definition without the user's values, with every Terraform reference at its
 * longest (partition aws-us-gov, the longest region, 12-digit account, by-digest image): measured
 * by test/constructs/core/config/aws-limits.test.ts, which fails when the kit's containers grow past it.
 */
export const ECS_TASK_DEFINITION_KIT_BYTES = 10 * 1024;
/** A character of a user value in the container definitions JSON: at most 3 UTF-8 bytes, or 2 for an escaped quote. */
const MAX_BYTES_PER_CHARACTER = 3;

// --- names (each service's API reference: CreateRole, CreateFunction, PutMetricAlarm, ...) --------
interface NameRule {
  readonly min?: number;
  readonly max: number;
  readonly pattern: RegExp;
  readonly what: string;
}
const NAME_RULES: Readonly<Record<AwsNamedType, NameRule>> = {
  'iam-role': { max: 64, pattern: /^[\w+=,.@-]+$/, what: 'an IAM role name' },
  'iam-policy': { max: 128, pattern: /^[\w+=,.@-]+$/, what: 'an IAM policy name' },
  'lambda-function': { max: 64, pattern: /^[A-Za-z0-9_-]+$/, what: 'a Lambda function name' },
  'scheduler-schedule': { max: 64, pattern: /^[0-9A-Za-z_.-]+$/, what: 'an EventBridge schedule name' },
  'cloudwatch-alarm': { max: 255, pattern: /^[\x20-\x7e]+$/, what: 'a CloudWatch alarm name' },
  'log-group': { max: 512, pattern: /^[.\-_/#A-Za-z0-9]+$/, what: 'a CloudWatch Logs group name' },
  'ecr-repository': { min: 2, max: 256, pattern: /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/, what: 'an ECR repository name' },
  'ecs-cluster': { max: 255, pattern: /^[A-Za-z0-9_-]+$/, what: 'an ECS cluster name' },
  'ecs-service': { max: 255, pattern: /^[A-Za-z0-9_-]+$/, what: 'an ECS service name' },
  'ecs-task-family': { max: 255, pattern: /^[A-Za-z0-9_-]+$/, what: 'an ECS task definition family' },
  'kms-alias': { max: 256, pattern: /^alias\/(?!aws\/)[A-Za-z0-9/_-]+$/, what: 'a KMS alias' },
  secret: { max: 512, pattern: /^[A-Za-z0-9/_+=.@-]+$/, what: 'a Secrets Manager secret name' },
  'security-group': { max: 255, pattern: /^(?!sg-)[\x20-\x7e]+$/, what: 'a security group name' },
  'sns-topic': { max: 256, pattern: /^[A-Za-z0-9_-]+$/, what: 'an SNS topic name' },
  // 1,011 characters for the whole ARN (arn:aws-us-gov:ssm:<region>:<account>:parameter is ~60), at most 15 levels.
  'ssm-parameter': { max: 950, pattern: /^(\/[A-Za-z0-9_.-]+){1,15}$/, what: 'an SSM parameter name' },
  'eks-cluster': { max: 100, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, what: 'an EKS cluster name' },
  'eks-node-group': { max: 63, pattern: /^[0-9A-Za-z][A-Za-z0-9_-]*$/, what: 'an EKS node group name' },
  'launch-template': { min: 3, max: 128, pattern: /^[A-Za-z0-9().\-/_]+$/, what: 'an EC2 launch template name' },
  stack: { max: 255, pattern: /^[A-Za-z0-9_-]+$/, what: 'a cdktf stack name' },
};

/**
 * Every AWS limit of one target. `raw` is the target as written (loose), `typed` the parsed target
 * when its shape is valid; `at` prefixes issue paths with the target.
 */
export function checkAwsLimits(targetName: string, raw: unknown, typed?: TargetConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add: Add = (path, received, message, fix) => issues.push({ path: joinPath(['targets', targetName]) + (path ? `.${path}` : ''), received, message, fix });
  const t = obj(raw);
  checkTags(obj(t.tags), add);
  const ports = Array.isArray(obj(t.network).egressExtraPorts) ? (obj(t.network).egressExtraPorts as unknown[]) : [];
  if (KIT_EGRESS_RULES + ports.length > AWS_SECURITY_GROUP_RULES_PER_DIRECTION) {
    add('network.egressExtraPorts', ports, `needs ${KIT_EGRESS_RULES + ports.length} egress rules in the runner's security group; AWS allows ${AWS_SECURITY_GROUP_RULES_PER_DIRECTION} per direction`, 'list only the ports your runs need');
  }
  const cidrs = obj(t.kubernetes).publicEndpointCidrs;
  if (Array.isArray(cidrs) && cidrs.length > EKS_MAX_PUBLIC_ACCESS_CIDRS) {
    add('kubernetes.publicEndpointCidrs', cidrs, `lists ${cidrs.length} networks; EKS accepts at most ${EKS_MAX_PUBLIC_ACCESS_CIDRS} for a public endpoint`, 'merge them into larger blocks, or deploy from inside the network (private endpoint only)');
  }
  checkS3Backend(obj(t.stateBackend), add);
  if (typed !== undefined) {
    checkNames(targetName, typed, add);
    checkUpdaterSizes(targetName, typed, add);
    checkOperatorTrustSize(typed, add);
    checkTaskDefinitionSize(typed, add);
  }
  return issues;
}

function checkTags(tags: Loose, add: Add): void {
  const keys = Object.keys(tags);
  if (keys.length > AWS_MAX_USER_TAGS) {
    add(
      'tags',
      `${keys.length} tags`,
      `has ${keys.length} tags; AWS allows ${AWS_MAX_TAGS_PER_RESOURCE} per resource, and the kit puts up to ${KIT_TAGS_ON_ONE_RESOURCE} of its own on one resource`,
      `keep at most ${AWS_MAX_USER_TAGS} tags`,
    );
  }
  const seen = new Map<string, string>();
  for (const key of keys) {
    const path = joinPath(['tags', key]);
    const value = tags[key];
    if (key.length === 0 || key.length > AWS_TAG_KEY_MAX || key.toLowerCase().startsWith('aws:') || !AWS_TAG_CHARS.test(key)) {
      add(path, key, `is not a tag key AWS accepts (1-${AWS_TAG_KEY_MAX} characters of letters, digits, spaces and _ . : / = + - @, not starting with "aws:")`, 'rename the tag key');
    }
    if (typeof value === 'string' && (value.length > AWS_TAG_VALUE_MAX || !AWS_TAG_CHARS.test(value))) {
      add(path, value, `is not a tag value AWS accepts (at most ${AWS_TAG_VALUE_MAX} characters of letters, digits, spaces and _ . : / = + - @)`, 'shorten the value or remove the other characters');
    }
    const other = seen.get(key.toLowerCase());
    if (other !== undefined) add(path, key, `differs from tag "${other}" only in case; IAM treats tag keys case-insensitively and would refuse both`, 'keep one of them');
    else seen.set(key.toLowerCase(), key);
  }
}

/** S3 bucket naming rules (docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
function bucketNameProblem(bucket: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) return '3-63 lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit';
  if (bucket.includes('..')) return 'no two adjacent dots';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return 'not formatted as an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(bucket) || /(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(bucket)) return 'no reserved prefix (xn--, sthree-) or suffix (-s3alias, --ol-s3, .mrap, --x-s3)';
  return undefined;
}
/** S3 object keys: at most 1,024 bytes of UTF-8. */
export const S3_KEY_MAX_BYTES = 1024;
const KMS_KEY_REFERENCE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias\/[A-Za-z0-9/_-]{1,250}|arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:(key\/(mrk-[0-9a-f]{32}|[0-9a-f-]{36})|alias\/[A-Za-z0-9/_-]{1,250}))$/;

function checkS3Backend(backend: Loose, add: Add): void {
  if (backend.type !== 's3') return;
  const bucket = str(backend.bucket);
  const problem = bucket === undefined ? undefined : bucketNameProblem(bucket);
  if (problem !== undefined) add('stateBackend.bucket', bucket, `is not an S3 bucket name (${problem})`, 'use the name of the existing state bucket, e.g. my-company-terraform-state');
  const key = str(backend.key);
  if (key !== undefined && (key.length === 0 || Buffer.byteLength(key) > S3_KEY_MAX_BYTES)) {
    add('stateBackend.key', key, `is not an S3 object key (1 to ${S3_KEY_MAX_BYTES} bytes)`, 'use e.g. private-runner-kit/prod.tfstate');
  }
  const kms = str(backend.kmsKeyId);
  if (kms !== undefined && !KMS_KEY_REFERENCE.test(kms)) {
    add('stateBackend.kmsKeyId', kms, 'is not a KMS key id, key ARN, alias name or alias ARN', 'use e.g. alias/terraform-state or arn:aws:kms:eu-central-1:123456789012:key/<id>');
  }
}

function checkNames(targetName: string, t: TargetConfig, add: Add): void {
  // A name that breaks the naming rule is reported as such (semantic.ts), not once per resource.
  if (!TARGET_NAME_PATTERN.test(targetName)) return;
  for (const n of awsResourceNames(targetName, t)) {
    if (n.runner !== undefined && !RUNNER_NAME_PATTERN.test(n.runner)) continue;
    const rule = NAME_RULES[n.type];
    const ok = n.name.length >= (rule.min ?? 1) && n.name.length <= rule.max && rule.pattern.test(n.name);
    if (ok) continue;
    add(
      n.runner !== undefined ? joinPath(['runners', n.runner]) : '',
      n.runner ?? targetName,
      `would give ${rule.what} "${n.name}" (${n.name.length} characters), which AWS refuses (${rule.min ?? 1}-${rule.max} characters${n.type === 'ecr-repository' ? ', lowercase, single separators' : ''})`,
      n.type === 'ecr-repository' ? 'use an image whose last path segment is lowercase letters and digits separated by single "-", "." or "_"' : 'use a shorter target or runner name',
    );
  }
}

/** The updater's configuration document as the stacks build it for `t` (names only; no Terraform values). */
export function expectedUpdaterConfig(targetName: string, t: TargetConfig): ReturnType<typeof buildAwsUpdaterConfig> {
  const eks = t.platform === 'eks';
  return buildAwsUpdaterConfig({
    target: targetName,
    region: t.region,
    rolloutTimeoutMinutes: t.updates.rolloutTimeoutMinutes,
    rolloutTrackingByService: t.aws?.endpoint !== undefined,
    policy: { channel: t.updates.channel, hold: t.updates.hold, allowDowngrade: t.updates.allowDowngrade, ...(maintenanceWindowOf(t.updates) !== undefined ? { window: maintenanceWindowOf(t.updates)! } : {}) },
    runners: Object.entries(t.runners).map(([runner, r]) => {
      const versionParameter = versionParameterName(targetName, runner);
      if (!eks) {
        const service = ecsServiceName(targetName, runner);
        return {
          name: runner,
          upstreamImage: r.image,
          version: r.version,
          mirrorRepository: mirrorRepositoryName(targetName, r.image),
          cluster: targetName,
          versionParameter,
          service,
          ...(r.replicas > 0 ? { healthAlarm: healthAlarmName(service) } : {}),
        };
      }
      const upstream = eksUpstreamImages(t, runner);
      return {
        name: runner,
        upstreamImage: upstream.controller,
        version: r.version,
        mirrorRepository: mirrorRepositoryName(targetName, upstream.controller),
        cluster: eksNames.cluster(targetName),
        versionParameter,
        kubernetes: {
          namespace: t.kubernetes!.namespace,
          deployment: eksNames.controller(runner),
          implementations: Object.entries(upstream.implementations).map(([type, image]) => ({ type, upstreamImage: image!, mirrorRepository: mirrorRepositoryName(targetName, image!) })),
        },
      };
    }),
    ...(!eks ? { runnerLogs: { groupPrefix: runnerLogGroupPrefix(targetName), runTimeoutMinutes: RUNNER_RUN_TIMEOUT_MINUTES } } : {}),
  });
}

/** Bytes Lambda counts for an environment: every key and value, UTF-8. */
export function environmentBytes(variables: Readonly<Record<string, string>>): number {
  return Object.entries(variables).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
}

function checkUpdaterSizes(targetName: string, t: TargetConfig, add: Add): void {
  if (t.platform === 'eks' && t.kubernetes === undefined) return; // reported by semantic.ts
  const bytes = environmentBytes(updaterEnvironment(expectedUpdaterConfig(targetName, t)));
  if (bytes > LAMBDA_ENVIRONMENT_MAX_BYTES) {
    add(
      'runners',
      Object.keys(t.runners),
      `need an updater configuration of ${bytes} bytes (it names every runner's service, mirror and version record); Lambda allows ${LAMBDA_ENVIRONMENT_MAX_BYTES} bytes of environment`,
      'use fewer runners in this target (split it into two targets), or shorter target, runner and image names',
    );
  }
  const description = updaterFunctionDescription(targetName, t.updates.channel, t.updates.schedule);
  if (description.length > LAMBDA_DESCRIPTION_MAX) {
    add('updates.schedule', t.updates.schedule, `makes the updater's description ${description.length} characters long; Lambda allows ${LAMBDA_DESCRIPTION_MAX}`, 'use a shorter schedule expression, e.g. "rate(1 hour)"');
  }
}

function checkOperatorTrustSize(t: TargetConfig, add: Add): void {
  if (t.operatorAccess === undefined) return;
  const chars = toJson(operatorTrust(t.operatorAccess, t.region).document).length;
  if (chars > IAM_TRUST_POLICY_MAX) {
    add(
      'operatorAccess',
      `${chars} characters`,
      `gives the operator role a trust policy of ${chars} characters; IAM allows ${IAM_TRUST_POLICY_MAX}`,
      'list fewer principals or patterns (one account id trusts all of that account\'s roles the patterns admit), or a shorter externalId',
    );
  }
}

/**
 * An upper bound of the runner's task definition size on ECS, in bytes (see
 * ECS_TASK_DEFINITION_KIT_BYTES): the user's text at its widest in JSON (3 bytes a character), the
 * trust material (ASCII, checked by `trust-check.ts`) at 2 (a line break is written `\n`).
 */
export function taskDefinitionBytesBound(apiUrl: string, runner: { readonly uuid: string; readonly apiClientId: string }, trust: { readonly caCertificates?: string | undefined; readonly sshKnownHosts?: string | undefined } = {}): number {
  const trustChars = (trust.caCertificates?.length ?? 0) + (trust.sshKnownHosts?.length ?? 0);
  return ECS_TASK_DEFINITION_KIT_BYTES + MAX_BYTES_PER_CHARACTER * (apiUrl.length + runner.uuid.length + runner.apiClientId.length) + 2 * trustChars;
}

function checkTaskDefinitionSize(t: TargetConfig, add: Add): void {
  if (t.platform !== 'ecs') return;
  for (const [runner, r] of Object.entries(t.runners)) {
    const bound = taskDefinitionBytesBound(t.meshstack.apiUrl, r, t.trust);
    if (bound > ECS_TASK_DEFINITION_MAX_BYTES) {
      const trust = (t.trust.caCertificates ?? '') + (t.trust.sshKnownHosts ?? '');
      if (trust.length > 0) add('trust', `${trust.length} characters`, `makes the runner's task definition up to ${bound} bytes; ECS allows ${ECS_TASK_DEFINITION_MAX_BYTES}`, 'list fewer CAs or known hosts (only those the runners need)');
      else add(joinPath(['runners', runner, 'apiClientId']), r.apiClientId, `makes the runner's task definition up to ${bound} bytes; ECS allows ${ECS_TASK_DEFINITION_MAX_BYTES}`, 'use the client id of the API key as meshStack shows it');
    }
  }
}

/**
 * Names that two targets of one config would both use (IAM names are account-wide, the others
 * regional; targets may share an account). The naming rule makes this impossible for valid names;
 * the check keeps it so if a name function ever changes.
 */
export function checkAwsNameCollisions(targets: readonly (readonly [string, TargetConfig])[]): ConfigIssue[] {
  const owners = new Map<string, { target: string; name: AwsResourceName }>();
  const issues: ConfigIssue[] = [];
  for (const [target, t] of targets) {
    if (t.cloud !== 'aws') continue;
    for (const n of awsResourceNames(target, t)) {
      const key = `${n.type}\u0000${n.name}`;
      const first = owners.get(key);
      if (first === undefined) owners.set(key, { target, name: n });
      else if (first.target !== target) {
        issues.push({
          path: joinPath(['targets', target]),
          received: target,
          message: `would create ${NAME_RULES[n.type].what} "${n.name}", which target "${first.target}" creates too`,
          fix: 'rename one of the targets',
        });
      }
    }
  }
  return issues;
}
