/**
 * Where a local Terraform state file lives, on every cloud. Synthesis replaces `cdktf.out` as a
 * whole (so a failed synthesis never leaves a half-written tree), so the state must never live
 * inside it: a relative path is resolved against the directory synthesis runs in (the project
 * directory, for `cdktf deploy`), exactly as cdktf's own default does.
 */
import * as path from 'node:path';
import { LocalBackend, type TerraformStack } from 'cdktf';

export function localStatePath(configured: string | undefined, defaultFile: string, base: string = process.cwd()): string {
  return path.resolve(base, configured ?? defaultFile);
}

/**
 * The part a stack adds to its target's state names: '' for the target's only stack, `cluster` for
 * `<target>-cluster`. Each stack of a target keeps its own state.
 */
export function stateSuffix(stackName: string, targetName: string): string {
  return stackName === targetName ? '' : stackName.slice(targetName.length + 1);
}

/** `name.tfstate` -> `name-<suffix>.tfstate` (unchanged without a suffix). */
export function withStateSuffix(file: string, suffix: string): string {
  return suffix === '' ? file : `${file.replace(/\.tfstate$/, '')}-${suffix}.tfstate`;
}

/** The local backend of a stack: the configured path (with the stack's suffix), else `terraform.<stack>.tfstate`. */
export function localBackend(stack: TerraformStack, targetName: string, configuredPath: string | undefined): LocalBackend {
  const stackName = stack.node.id;
  const suffix = stateSuffix(stackName, targetName);
  return new LocalBackend(stack, { path: localStatePath(configuredPath !== undefined ? withStateSuffix(configuredPath, suffix) : undefined, `terraform.${stackName}.tfstate`) });
}
