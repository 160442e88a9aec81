/**
 * A runner's two secrets in Secrets Manager, encrypted with the target's key: the meshStack API
 * client secret and the runner's RSA private key (PEM).
 *
 * Secret VALUES never enter Terraform state or plan files. They reach Secrets Manager through the
 * provider's write-only attribute `secret_string_wo`, fed from ephemeral Terraform variables
 * (`TF_VAR_<name>` at deploy time). The stored version number `credentialsVersion` decides when a
 * value is (re)sent: a deploy without a bump sends nothing and needs no secret input.
 *
 * The variables default to "" rather than null: the provider requires `secret_string_wo` whenever
 * `secret_string_wo_version` is set, and "" satisfies that on deploys that send nothing. A first
 * deploy without the inputs stores an empty value, which the runner task refuses at start with a
 * message naming the variables (see `VOLUME_INIT_SCRIPT`).
 */
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';

export interface RunnerSecretsProps {
  /** `<target>/<runner>`: secret names are `<prefix>/api-client-secret` and `<prefix>/private-key`. */
  readonly namePrefix: string;
  /** The runner name, used for the Terraform variable names (`runner_<name>_...`). */
  readonly runnerName: string;
  readonly kmsKeyArn: string;
  /**
   * Version of the values; bump it (with new values supplied) to rotate.
   * @default 1
   */
  readonly credentialsVersion?: number;
  /**
   * Days a deleted secret can be restored.
   * @default 7 - the minimum, so a destroyed and re-created target can reuse the names after a week
   */
  readonly recoveryWindowInDays?: number;
}

/** One secret the deployer must supply, as an ephemeral Terraform variable. */
export interface SecretInput {
  /** Terraform variable name; set it as `TF_VAR_<name>`. */
  readonly variable: string;
  readonly description: string;
  readonly secretArn: string;
}

/** The ephemeral Terraform variables holding a runner's secret inputs (set as `TF_VAR_<name>`). */
export function secretVariableNames(runnerName: string): { readonly apiClientSecret: string; readonly privateKey: string } {
  const prefix = `runner_${runnerName.replace(/-/g, '_')}`;
  return { apiClientSecret: `${prefix}_api_client_secret`, privateKey: `${prefix}_private_key` };
}

export class RunnerSecrets extends Construct {
  readonly apiClientSecretArn: string;
  readonly privateKeyArn: string;
  readonly inputs: readonly SecretInput[];
  /** The secret versions: what a consumer must wait for before it can read the values. */
  readonly versions: readonly SecretsmanagerSecretVersion[];

  constructor(scope: Construct, id: string, props: RunnerSecretsProps) {
    super(scope, id);
    const variables = secretVariableNames(props.runnerName);
    const version = props.credentialsVersion ?? 1;
    const versions: SecretsmanagerSecretVersion[] = [];
    const make = (suffix: string, variableName: string, description: string): SecretInput => {
      const secret = new SecretsmanagerSecret(this, suffix === 'api-client-secret' ? 'ApiClientSecret' : 'PrivateKey', {
        name: `${props.namePrefix}/${suffix}`,
        description,
        kmsKeyId: props.kmsKeyArn,
        recoveryWindowInDays: props.recoveryWindowInDays ?? 7,
      });
      const variable = ephemeralSecretVariable(this, variableName, `${description} Needed only when the secret is created or credentialsVersion is bumped; empty leaves the stored value untouched.`);
      versions.push(
        new SecretsmanagerSecretVersion(this, `${secret.node.id}Version`, {
          secretId: secret.id,
          secretStringWo: variable.stringValue,
          secretStringWoVersion: version,
        }),
      );
      return { variable: variableName, description, secretArn: secret.arn };
    };
    const client = make('api-client-secret', variables.apiClientSecret, `meshStack API client secret of runner "${props.runnerName}".`);
    const key = make('private-key', variables.privateKey, `RSA-4096 private key (PEM) of runner "${props.runnerName}".`);
    this.apiClientSecretArn = client.secretArn;
    this.privateKeyArn = key.secretArn;
    this.inputs = [client, key];
    this.versions = versions;
  }
}

/**
 * An ephemeral, sensitive string variable at the stack root with a fixed name, default "".
 * cdktf 0.21 has no `ephemeral` option, so it is set as an override (Terraform >= 1.10).
 */
function ephemeralSecretVariable(scope: Construct, name: string, description: string): TerraformVariable {
  const variable = new TerraformVariable(TerraformStack.of(scope), name, { type: 'string', sensitive: true, nullable: false, default: '', description });
  variable.addOverride('ephemeral', true);
  return variable;
}
