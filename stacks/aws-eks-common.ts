/**
 * What both EKS stacks of a target share: the AWS provider (region, default tags, the emulator
 * profile when `aws.endpoint` is set), the state backend (one state per stack), and the names
 * that connect the two stacks without cross-stack references.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { eksUpstreamImages as upstreamImages, mirroredImages } from '../constructs/aws/aws-names';
import { EmulatorProfile, emulatorProviderConfig } from '../constructs/aws/emulator-profile';
import type { TargetConfig } from '../constructs/core/config/schema';
import { kitTags } from '../constructs/core/naming';
import type { ImplementationType } from '../constructs/kubernetes/run-controller-config';
import { localStatePath } from './local-state';

/** Stack names and the names both stacks derive from the config (`constructs/aws/aws-names.ts`). */
export { eksNames, eksStackNames } from '../constructs/aws/aws-names';

export function configureAwsStack(stack: TerraformStack, stackName: string, targetName: string, t: TargetConfig): AwsProvider {
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
      // One state object per stack: `<key>` names the target, the stack name is appended.
      key: t.stateBackend.key !== undefined ? `${t.stateBackend.key.replace(/\.tfstate$/, '')}-${stackName.slice(targetName.length + 1)}.tfstate` : `private-runner-kit/${stackName}.tfstate`,
      region: t.stateBackend.region ?? t.region,
      encrypt: true,
      ...(t.stateBackend.kmsKeyId !== undefined ? { kmsKeyId: t.stateBackend.kmsKeyId } : {}),
    });
    backend.addOverride('use_lockfile', true);
  } else {
    const path = t.stateBackend.path;
    new LocalBackend(stack, { path: localStatePath(path !== undefined ? `${path.replace(/\.tfstate$/, '')}-${stackName.slice(targetName.length + 1)}.tfstate` : undefined, `terraform.${stackName}.tfstate`) });
  }
  return provider;
}

/** The upstream images one runner needs on Kubernetes: run-controller and one image per implementation type. */
export function eksUpstreamImages(t: TargetConfig, runner: string): { controller: string; implementations: Partial<Record<ImplementationType, string>> } {
  return upstreamImages(t, runner);
}

/** Every distinct upstream image of the target: one mirror repository each. */
export function eksMirroredImages(t: TargetConfig): string[] {
  return mirroredImages(t);
}
