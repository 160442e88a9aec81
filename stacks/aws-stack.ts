/**
 * What every AWS stack sets up before its constructs: the AWS provider (region, the kit's default
 * tags, the emulator profile when `aws.endpoint` is set), the state backend (local or S3 with
 * S3-native locking, one state per stack) and the AWS context (partition, account, region) the
 * constructs build ARNs from.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Backend, type TerraformStack } from 'cdktf';
import { AwsContext } from '../constructs/aws/aws-context';
import type { AwsTargetConfig } from '../constructs/aws/config';
import { EmulatorProfile, emulatorProviderConfig } from '../constructs/aws/emulator-profile';
import { kitTags } from '../constructs/core/naming';
import { localBackend, stateSuffix, withStateSuffix } from './local-state';

/** `awsContext: false` for a stack with no AWS resources of its own (the EKS workload stack): no account and partition lookups. */
export function configureAwsStack(stack: TerraformStack, targetName: string, t: AwsTargetConfig, options: { readonly awsContext?: boolean } = {}): AwsProvider {
  const endpoint = t.aws?.endpoint;
  const provider = new AwsProvider(stack, 'aws', {
    region: t.region,
    defaultTags: [{ tags: kitTags(targetName, t.tags) }],
    ...(endpoint !== undefined ? emulatorProviderConfig(endpoint) : {}),
  });
  if (endpoint !== undefined) EmulatorProfile.enable(stack);
  if (t.stateBackend.type === 's3') {
    const backend = new S3Backend(stack, {
      bucket: t.stateBackend.bucket,
      // One state object per stack: `<key>` names the target, a second stack's name is appended.
      key: t.stateBackend.key !== undefined ? withStateSuffix(t.stateBackend.key, stateSuffix(stack.node.id, targetName)) : `private-runner-kit/${stack.node.id}.tfstate`,
      region: t.stateBackend.region ?? t.region,
      encrypt: true,
      ...(t.stateBackend.kmsKeyId !== undefined ? { kmsKeyId: t.stateBackend.kmsKeyId } : {}),
    });
    // S3-native state locking (Terraform >= 1.10); cdktf 0.21 predates the option.
    backend.addOverride('use_lockfile', true);
  } else {
    localBackend(stack, targetName, t.stateBackend.path);
  }
  if (options.awsContext ?? true) AwsContext.init(stack, t.region);
  return provider;
}
