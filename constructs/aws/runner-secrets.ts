/**
 * A runner's two secrets in Secrets Manager, encrypted with the target's key: the meshStack API
 * client secret and the runner's RSA private key (PEM). Each is a `WriteOnlySecret`: its value
 * never enters Terraform state or plan files, it has its own version (rotating one never touches
 * the other), and a version not yet written without its input stops the plan before anything is
 * created.
 */
import type { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { Construct } from 'constructs';
import { secretVariableNames } from '../core/naming';
import { WriteOnlySecret, type SecretInput } from './write-only-secret';
import type { IEncryptionKey, IRunnerSecrets } from '../core/interfaces';

export type { SecretInput } from './write-only-secret';

export interface RunnerSecretsProps {
  readonly target: string;
  /** The runner name: secret names are `<target>/<runner>/api-client-secret` and `.../private-key`. */
  readonly runnerName: string;
  /** The target's key. */
  readonly key: IEncryptionKey;
  /** @default 1 */
  readonly apiClientSecretVersion?: number;
  /** @default 1 */
  readonly privateKeyVersion?: number;
  /** @default 7 (see WriteOnlySecret) */
  readonly recoveryWindowInDays?: number;
}

export { secretVariableNames } from '../core/naming';

/** Config path of a runner field, for messages: `targets.<t>.runners.<r>.<field>`. */
export const runnerField = (target: string, runner: string, field: string) => `targets.${target}.runners.${runner}.${field}`;

export class RunnerSecrets extends Construct implements IRunnerSecrets {
  readonly apiClientSecret: WriteOnlySecret;
  readonly privateKey: WriteOnlySecret;
  readonly apiClientSecretArn: string;
  readonly privateKeyArn: string;
  readonly inputs: readonly SecretInput[];
  /** The secret versions: what a consumer must wait for before it can read the values. */
  readonly versions: readonly SecretsmanagerSecretVersion[];
  readonly secretIds: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: RunnerSecretsProps) {
    super(scope, id);
    const variables = secretVariableNames(props.runnerName);
    const common = { target: props.target, key: props.key, ...(props.recoveryWindowInDays !== undefined ? { recoveryWindowInDays: props.recoveryWindowInDays } : {}) };
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
    this.secretIds = { api_client_secret: this.apiClientSecretArn, private_key: this.privateKeyArn };
  }
}
