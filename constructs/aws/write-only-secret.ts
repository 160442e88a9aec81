/**
 * One secret in Secrets Manager, encrypted with the target's key, whose value never enters
 * Terraform state or plan files: it reaches Secrets Manager through the provider's write-only
 * `secret_string_wo`, fed from an ephemeral variable (`TF_VAR_<variable>` at deploy time), and is
 * sent only when its `version` moves.
 *
 * A version that has not been written yet (first deploy, or the version was bumped) with an empty
 * input stops the plan with a message naming the variable and the field to bump, before anything
 * is created (see `WrittenVersions`). Once written, the version is recorded, so routine deploys
 * need no input and send nothing.
 *
 * The variable defaults to "" rather than null: the provider requires `secret_string_wo` whenever
 * `secret_string_wo_version` is set, and "" satisfies that on deploys that send nothing.
 */
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { Fn, Op, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import { WrittenVersions } from './written-versions';
import type { IEncryptionKey, SecretInput } from '../core/interfaces';

export type { SecretInput } from '../core/interfaces';

export interface WriteOnlySecretProps {
  /** Target name: the written-version record is per target. */
  readonly target: string;
  /** Secrets Manager name, e.g. `<target>/<runner>/private-key`. */
  readonly secretName: string;
  /** Key of the written-version record, e.g. `<runner>/private-key`. */
  readonly recordKey: string;
  readonly description: string;
  /** Terraform variable name of the input (`runner_<name>_private_key`). */
  readonly variable: string;
  /** Version of the value: bump it (with the new value supplied) to rotate. */
  readonly version: number;
  /** The config field holding `version`, named in messages. */
  readonly versionField: string;
  /** The target's key. */
  readonly key: IEncryptionKey;
  /**
   * Whether the input is sensitive (hidden in Terraform's output).
   * @default true - a certificate, which is public, may set false
   */
  readonly sensitive?: boolean;
  /**
   * Days a deleted secret can be restored.
   * @default 7 - the minimum, so a destroyed and re-created target can reuse the names after a week
   */
  readonly recoveryWindowInDays?: number;
}

export class WriteOnlySecret extends Construct {
  readonly secretArn: string;
  readonly secretName: string;
  readonly input: SecretInput;
  /** The value's version resource: what a consumer must wait for before it can read the value. */
  readonly version: SecretsmanagerSecretVersion;
  /** The record that `version` was written. */
  readonly record: SsmParameter;

  constructor(scope: Construct, id: string, props: WriteOnlySecretProps) {
    super(scope, id);
    if (!Number.isInteger(props.version) || props.version < 1) throw new Error(`${props.versionField} ${props.version} must be a whole number >= 1`);
    const written = WrittenVersions.of(this, props.target);
    this.secretName = props.secretName;
    const secret = new SecretsmanagerSecret(this, 'Resource', {
      name: props.secretName,
      description: props.description,
      kmsKeyId: props.key.keyReference,
      recoveryWindowInDays: props.recoveryWindowInDays ?? 7,
    });
    const variable = new TerraformVariable(TerraformStack.of(this), props.variable, {
      type: 'string',
      sensitive: props.sensitive ?? true,
      nullable: false,
      default: '',
      description: `${props.description} Needed when the secret is created and whenever ${props.versionField} is bumped; otherwise empty, and nothing is sent.`,
    });
    // cdktf 0.21 has no `ephemeral` option; Terraform >= 1.10 reads it from the override.
    variable.addOverride('ephemeral', true);
    this.version = new SecretsmanagerSecretVersion(this, 'Version', {
      secretId: secret.id,
      secretStringWo: variable.stringValue,
      secretStringWoVersion: props.version,
      lifecycle: {
        precondition: [
          {
            // `length(var) >= 1`, not `var != ""` or `> 0`: cdktf renders falsy operands ("" and 0) as `undefined`.
            condition: Op.or(Op.gte(Fn.lengthOf(variable.stringValue), 1), Op.eq(written.recordedVersion(props.recordKey), String(props.version))),
            errorMessage:
              `TF_VAR_${props.variable} is not set, but version ${props.version} of ${props.secretName} has not been written yet ` +
              `(a first deploy, or ${props.versionField} was bumped). Nothing was changed. Set TF_VAR_${props.variable} ` +
              '(README: Supplying secrets) and deploy again.',
          },
        ],
      },
    });
    this.record = written.record(this, 'Written', props.recordKey, props.version, this.version);
    this.secretArn = secret.arn;
    this.input = { variable: props.variable, description: props.description, secretId: secret.arn, versionField: props.versionField };
  }
}
