/**
 * Terraform ephemeral resources (Terraform >= 1.10) for the EKS stacks. cdktf 0.21 predates them,
 * so the block is written as a stack override and read through plain references. Their values
 * exist only while Terraform runs: never in state or plan files.
 *
 * - `aws_eks_cluster_auth`: the Kubernetes provider's token (a data source would store it in state).
 * - `aws_secretsmanager_secret_version`: a runner's credential, fed into write-only attributes.
 */
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';

export class EphemeralResource {
  constructor(
    readonly type: string,
    readonly name: string,
  ) {}

  /** A reference to one attribute, for write-only attributes and provider configuration only. */
  get(attribute: string): string {
    return `\${ephemeral.${this.type}.${this.name}.${attribute}}`;
  }
}

/** Declares `ephemeral "<type>" "<name>" { ...config }` (snake_case keys) in the stack of `scope`. */
export function ephemeralResource(scope: Construct, type: string, name: string, config: Readonly<Record<string, unknown>>): EphemeralResource {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`ephemeral resource name "${name}" must be lowercase letters, digits and underscores`);
  TerraformStack.of(scope).addOverride(`ephemeral.${type}.${name}`, config);
  return new EphemeralResource(type, name);
}
