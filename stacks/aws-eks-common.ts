/**
 * What both EKS stacks of a target share: the AWS provider (region, default tags, the emulator
 * profile when `aws.endpoint` is set), the state backend (one state per stack), and the names
 * that connect the two stacks without cross-stack references.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { EmulatorProfile, emulatorProviderConfig } from '../constructs/aws/emulator-profile';
import type { TargetConfig } from '../constructs/core/config/schema';
import { kitTags } from '../constructs/core/naming';
import { CONTROLLER_APP } from '../constructs/kubernetes/labels';
import { IMPLEMENTATION_IMAGES, type ImplementationType } from '../constructs/kubernetes/run-controller-config';
import { localStatePath } from './local-state';

/** Stack names of a target on EKS: the cluster first, then the workload on it. */
export const eksStackNames = (target: string) => ({ cluster: `${target}-cluster`, workload: `${target}-workload` });

/** Names both stacks derive from the config (the cluster is named after the target). */
export const eksNames = {
  cluster: (target: string) => target,
  controller: (runner: string) => `${CONTROLLER_APP}-${runner}`,
  runnerRole: (target: string, runner: string) => `${target}-${runner}-runner`,
  secretPrefix: (target: string, runner: string) => `${target}/${runner}`,
};

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
  const k = t.kubernetes!;
  const r = t.runners[runner]!;
  return {
    controller: k.controllerImage,
    implementations: Object.fromEntries(k.implementations.map((type) => [type, type === 'TERRAFORM' ? r.image : IMPLEMENTATION_IMAGES[type]])),
  };
}

/** Every distinct upstream image of the target: one mirror repository each. */
export function eksMirroredImages(t: TargetConfig): string[] {
  const all = Object.keys(t.runners).flatMap((runner) => {
    const u = eksUpstreamImages(t, runner);
    return [u.controller, ...Object.values(u.implementations)];
  });
  return [...new Set(all)];
}
