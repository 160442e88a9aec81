/**
 * The emulator profile: what changes when a target sets `aws.endpoint` (an AWS API emulator such
 * as moto on loopback), kept in ONE place and printed when on. It relaxes only what an emulator
 * cannot do; production synthesis never changes because an emulator exists, and the unit tests
 * assert the production settings.
 */
import type { AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';

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
  return [
    `[${target}] emulator profile ON (aws.endpoint = ${endpoint}); relaxed for the emulator only:`,
    ...EMULATOR_RELAXATIONS.map((r) => `  - ${r.what} (${r.why})`),
  ].join('\n');
}
