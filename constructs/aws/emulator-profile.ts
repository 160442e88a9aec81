/**
 * The emulator profile: what changes when a target sets `aws.endpoint` (an AWS API emulator such
 * as moto on loopback), kept in ONE place and printed when on. It relaxes only what an emulator
 * cannot do; production synthesis never changes because an emulator exists, and the unit tests
 * assert the production settings.
 */
import type { AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { isLoopbackHost } from '../core/config/semantic';
import { EKS_EMULATOR_RELAXATIONS } from './eks-emulator-relaxations';

export interface Relaxation {
  readonly id: string;
  readonly what: string;
  readonly why: string;
}

export const EMULATOR_RELAXATIONS: readonly Relaxation[] = [
  {
    id: 'single-endpoint',
    what: 'every AWS API the kit uses is sent to aws.endpoint',
    why: 'the emulator serves all services on one port',
  },
  {
    id: 'skip-credential-checks',
    what: 'provider skips credential validation, metadata API lookups and region validation',
    why: 'an emulator accepts any credentials; there is no instance metadata service',
  },
  {
    id: 'max-retries-3',
    what: 'provider max_retries = 3',
    why: 'an emulator answers HTTP 500 for actions it lacks, which the SDK would retry for many minutes',
  },
  {
    id: 'lambda-no-environment-key',
    what: "the updater function's environment is not encrypted with the target's KMS key (and its role gets no kms:Decrypt for it)",
    why: 'moto does not return aws_lambda_function.kms_key_arn, so every re-plan would show a change',
  },
  {
    id: 'lambda-default-log-group',
    what: 'the updater function logs to its default log group instead of the kit log group (no logging_config)',
    why: 'moto does not return aws_lambda_function.logging_config, so every re-plan would show a change',
  },
  {
    id: 'ecs-rollout-by-service',
    what: "the updater judges a rollout by the service's task definition instead of its PRIMARY deployment",
    why: 'moto never creates a new deployment on UpdateService; its only deployment keeps the first task definition',
  },
  // The EKS stacks' relaxations (kept next to the EKS constructs that apply them).
  ...EKS_EMULATOR_RELAXATIONS,
];

/** Services whose endpoint is overridden (the provider's `endpoints` block keys). */
const SERVICES = [
  'cloudwatch', 'cloudwatchlogs', 'ec2', 'ecr', 'ecs', 'eks', 'events', 'iam', 'kms', 'lambda',
  'scheduler', 'secretsmanager', 'sns', 'ssm', 'sts', 's3',
] as const;

/** Provider settings for an emulator endpoint. */
export function emulatorProviderConfig(endpoint: string): Partial<AwsProviderConfig> {
  return {
    accessKey: 'emulator',
    secretKey: 'emulator',
    skipCredentialsValidation: true,
    skipMetadataApiCheck: 'true',
    skipRegionValidation: true,
    skipRequestingAccountId: false,
    s3UsePathStyle: true,
    maxRetries: 3,
    endpoints: [Object.fromEntries(SERVICES.map((s) => [s, endpoint]))],
  };
}

export function describeEmulatorProfile(target: string, endpoint: string): string {
  let host: string | undefined;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    host = undefined;
  }
  const remote = host === undefined || !isLoopbackHost(host);
  return [
    ...(remote
      ? [`[${target}] WARNING: aws.endpoint ${endpoint} is NOT on this machine (aws.allowRemoteEndpoint): every AWS call of this target, the runners' secret values included, goes to that host.`]
      : []),
    `[${target}] emulator profile ON (aws.endpoint = ${endpoint}); relaxed for the emulator only:`,
    ...EMULATOR_RELAXATIONS.map((r) => `  - ${r.what} (${r.why})`),
  ].join('\n');
}
