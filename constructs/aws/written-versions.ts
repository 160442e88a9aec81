/**
 * Which version of each write-only secret value has been written, per target: one SSM parameter
 * per secret (`/private-runner-kit/<target>/credentials/<runner>/<secret>` = "<version>"), created
 * only AFTER the value was written, and read back at plan time by ONE data source that lists the
 * target's path (it answers with an empty list on a first deploy instead of failing).
 *
 * Why: Terraform cannot tell at plan time whether a write-only value is about to be sent. With this
 * record, a secret whose version has not been written yet and whose input is empty stops the PLAN
 * (a precondition naming the variable), so a first deploy or a version bump without its input never
 * creates anything. Routine deploys find their version recorded and need no input. The record holds
 * version numbers only, never a value.
 */
import { DataAwsSsmParametersByPath } from '@cdktf/provider-aws/lib/data-aws-ssm-parameters-by-path';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Fn, type ITerraformDependable, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { writtenVersionsPath } from './aws-names';

export { writtenVersionsPath } from './aws-names';

const ID = 'WrittenSecretVersions';

export class WrittenVersions extends Construct {
  /** The stack's record (created on first use). */
  static of(scope: Construct, target: string): WrittenVersions {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(ID);
    if (existing instanceof WrittenVersions) {
      if (existing.target !== target) throw new Error(`stack ${stack.node.id} records written versions for target ${existing.target}, not ${target}`);
      return existing;
    }
    return new WrittenVersions(stack, ID, target);
  }

  readonly path: string;
  private readonly listed: DataAwsSsmParametersByPath;

  private constructor(scope: Construct, id: string, readonly target: string) {
    super(scope, id);
    this.path = writtenVersionsPath(target);
    this.listed = new DataAwsSsmParametersByPath(this, 'Listed', { path: this.path, recursive: true, withDecryption: false });
  }

  /** Parameter name of `key` (`<runner>/<secret>`). */
  parameterName(key: string): string {
    return `${this.path}${key}`;
  }

  /** Terraform expression: the version recorded for `key` at plan time, or "none" when none is. */
  recordedVersion(key: string): string {
    // A non-empty default: cdktf drops an empty-string default (and turns the lookup into an index
    // that fails on a missing key).
    return Fn.lookup(Fn.zipmap(this.listed.names, this.listed.values), this.parameterName(key), 'none');
  }

  /** Records that `version` of `key` was written, once `written` (the secret version) exists. */
  record(scope: Construct, id: string, key: string, version: number, written: ITerraformDependable): SsmParameter {
    return new SsmParameter(scope, id, {
      name: this.parameterName(key),
      description: `Version of ${key} written to the secret store (the number only, never the value).`,
      type: 'String',
      value: String(version),
      dependsOn: [written],
    });
  }
}
