/**
 * A runner's two secrets in Secrets Manager, encrypted with the target's key: the meshStack API
 * client secret and the runner's RSA private key (PEM). Each is a `WriteOnlySecret`: its value
 * never enters Terraform state or plan files, it has its own version (rotating one never touches
 * the other), and a version not yet written without its input stops the plan before anything is
 * created.
 */
import type { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Construct } from 'constructs';
import { WriteOnlySecret, type SecretInput } from './write-only-secret';

export type { SecretInput } from './write-only-secret';

export interface RunnerSecretsProps {
  readonly target: string;
  /** The runner name: secret names are `<target>/<runner>/api-client-secret` and `.../private-key`. */
  readonly runnerName: string;
  readonly kmsKeyArn: string;
  /** @default 1 */
  readonly apiClientSecretVersion?: number;
  /** @default 1 */
  readonly privateKeyVersion?: number;
  /** @default 7 (see WriteOnlySecret) */
  readonly recoveryWindowInDays?: number;
}

/** The ephemeral Terraform variables holding a runner's secret inputs (set as `TF_VAR_<name>`). */
export function secretVariableNames(runnerName: string): { readonly apiClientSecret: string; readonly privateKey: string; readonly certificate: string } {
  const prefix = `runner_${runnerName.replace(/-/g, '_')}`;
  return { apiClientSecret: `${prefix}_api_client_secret`, privateKey: `${prefix}_private_key`, certificate: `${prefix}_certificate` };
}

/** Config path of a runner field, for messages: `targets.<t>.runners.<r>.<field>`. */
export const runnerField = (target: string, runner: string, field: string) => `targets.${target}.runners.${runner}.${field}`;

export class RunnerSecrets extends Construct {
  readonly apiClientSecret: WriteOnlySecret;
  readonly privateKey: WriteOnlySecret;
  readonly apiClientSecretArn: string;
  readonly privateKeyArn: string;
  readonly inputs: readonly SecretInput[];
  /** The secret versions: what a consumer must wait for before it can read the values. */
  readonly versions: readonly SecretsmanagerSecretVersion[];

  constructor(scope: Construct, id: string, props: RunnerSecretsProps) {
    super(scope, id);
    const variables = secretVariableNames(props.runnerName);
    const common = { target: props.target, kmsKeyArn: props.kmsKeyArn, ...(props.recoveryWindowInDays !== undefined ? { recoveryWindowInDays: props.recoveryWindowInDays } : {}) };
    this.apiClientSecret = new WriteOnlySecret(this, 'ApiClientSecret', {
      ...common,
      secretName: `${props.target}/${props.runnerName}/api-client-secret`,
      recordKey: `${props.runnerName}/api-client-secret`,
      description: `meshStack API client secret of runner "${props.runnerName}".`,
      variable: variables.apiClientSecret,
      version: props.apiClientSecretVersion ?? 1,
      versionField: runnerField(props.target, props.runnerName, 'apiClientSecretVersion'),
    });
    this.privateKey = new WriteOnlySecret(this, 'PrivateKey', {
      ...common,
      secretName: `${props.target}/${props.runnerName}/private-key`,
      recordKey: `${props.runnerName}/private-key`,
      description: `RSA-4096 private key (PEM) of runner "${props.runnerName}".`,
      variable: variables.privateKey,
      version: props.privateKeyVersion ?? 1,
      versionField: runnerField(props.target, props.runnerName, 'privateKeyVersion'),
    });
    this.apiClientSecretArn = this.apiClientSecret.secretArn;
    this.privateKeyArn = this.privateKey.secretArn;
    this.inputs = [this.apiClientSecret.input, this.privateKey.input];
    this.versions = [this.apiClientSecret.version, this.privateKey.version];
  }
}
