/**
 * Terraform ephemeral resources (Terraform >= 1.10), for every cloud. cdktf 0.21 predates them,
 * so the block is written as a stack override and read through plain references. Their values
 * exist only while Terraform runs: never in state or plan files.
 *
 * Used for provider tokens (EKS: `aws_eks_cluster_auth`, which a data source would store in state)
 * and for a runner's credentials read from the cloud's secret store and fed into write-only
 * attributes (EKS: `aws_secretsmanager_secret_version`).
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
