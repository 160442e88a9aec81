/**
 * The emulator profile: what changes when a target sets `aws.endpoint` (an AWS API emulator such
 * as moto on loopback), kept in ONE place and printed when on. It relaxes only what an emulator
 * cannot do; production synthesis never changes because an emulator exists, and the unit tests
 * assert the production settings.
 *
 * One mechanism: the stack switches the profile on (`EmulatorProfile.enable(stack)`, done by the
 * AWS stack set-up when `aws.endpoint` is set), and a construct asks `relaxed(this, '<id>')` where
 * it leaves something out. No flag or list is threaded through props.
 */
import type { AwsProviderConfig } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack } from 'cdktf';
import type { IConstruct } from 'constructs';
import { isLoopbackHost } from '../core/config/semantic';

export interface Relaxation {
  readonly id: string;
  readonly what: string;
  readonly why: string;
}

export const EMULATOR_RELAXATIONS = [
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
  // The EKS stacks' relaxations.
  {
    id: 'eks-no-access-entries',
    what: 'no aws_eks_access_entry / aws_eks_access_policy_association (deployer, updater, operators)',
    why: 'moto 5.2.1 has no EKS access-entry API (CreateAccessEntry, AssociateAccessPolicy)',
  },
  {
    id: 'eks-no-pod-identity-association',
    what: "no aws_eks_pod_identity_association for the runners' identity (the role itself is still created)",
    why: 'moto 5.2.1 has no EKS Pod Identity API',
  },
  {
    id: 'eks-no-addons',
    what: 'no aws_eks_addon (vpc-cni with network policy enforcement, eks-pod-identity-agent)',
    why: 'moto 5.2.1 has no EKS add-on API',
  },
  {
    id: 'eks-cluster-ignore-access-config',
    what: 'aws_eks_cluster ignores changes to access_config',
    why: 'moto does not return access_config, so every re-plan would replace the cluster',
  },
  {
    id: 'eks-node-group-ignore-drift',
    what: 'aws_eks_node_group ignores changes to remote_access and update_config',
    why: 'moto adds a remote_access block (forcing replacement) and drops update_config',
  },
  {
    id: 'eks-launch-template-ignore-tag-drift',
    what: 'the node launch template ignores changes to tag_specifications',
    why: "moto echoes the provider's default tags back as a launch-template tag specification, which AWS does not accept there",
  },
  {
    id: 'eks-no-updater-api-rule',
    what: "no ingress rule for the updater on the EKS cluster security group (the updater's own security group is still created)",
    why: 'moto returns no cluster security group id for an EKS cluster, so the rule has nothing to attach to',
  },
] as const satisfies readonly Relaxation[];

export type RelaxationId = (typeof EMULATOR_RELAXATIONS)[number]['id'];

const PROFILE = Symbol.for('private-runner-kit.EmulatorProfile');

export const EmulatorProfile = {
  /** Switches the profile on for every construct of `stack`. Never for a real account. */
  enable(stack: TerraformStack): void {
    (stack as unknown as Record<symbol, boolean>)[PROFILE] = true;
  },
  /** Whether the stack of `scope` runs against an emulator. */
  isOn(scope: IConstruct): boolean {
    return (TerraformStack.of(scope) as unknown as Record<symbol, boolean>)[PROFILE] === true;
  },
};

/** True when `scope`'s stack has the emulator profile on: then `id` (one of EMULATOR_RELAXATIONS) applies. */
export function relaxed(scope: IConstruct, id: RelaxationId): boolean {
  if (!EMULATOR_RELAXATIONS.some((r) => r.id === id)) throw new Error(`unknown emulator relaxation ${id}`);
  return EmulatorProfile.isOn(scope);
}

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
