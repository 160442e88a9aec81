/**
 * A runner's X.509 certificate (PEM) in Secrets Manager, beside its API client secret and private
 * key (`RunnerSecrets`). run-controller needs it in its config file: it checks that the private
 * key matches and registers the certificate with meshStack on start. The certificate is public,
 * but it travels with the key: the same version (`privateKeyVersion`), the same delivery (a
 * write-only attribute fed by an ephemeral variable, `TF_VAR_runner_<name>_certificate`, printed by
 * `runner-kit keys`), the same path into the cluster.
 */
import { Construct } from 'constructs';
import { runnerField, secretVariableNames } from './runner-secrets';
import { WriteOnlySecret, type SecretInput } from './write-only-secret';
import type { IEncryptionKey } from '../core/interfaces';

export interface RunnerCertificateProps {
  readonly target: string;
  readonly runnerName: string;
  /** The target's key. */
  readonly key: IEncryptionKey;
  /** The private key's version: a new key needs a new certificate. @default 1 */
  readonly privateKeyVersion?: number;
  /** @default 7 */
  readonly recoveryWindowInDays?: number;
}

export function certificateVariableName(runnerName: string): string {
  return secretVariableNames(runnerName).certificate;
}

export class RunnerCertificate extends Construct {
  readonly secretArn: string;
  readonly secretName: string;
  readonly input: SecretInput;
  readonly secret: WriteOnlySecret;

  constructor(scope: Construct, id: string, props: RunnerCertificateProps) {
    super(scope, id);
    this.secret = new WriteOnlySecret(this, 'Certificate', {
      target: props.target,
      key: props.key,
      secretName: `${props.target}/${props.runnerName}/certificate`,
      recordKey: `${props.runnerName}/certificate`,
      description: `X.509 certificate (PEM) of runner "${props.runnerName}", as registered in meshStack.`,
      variable: certificateVariableName(props.runnerName),
      version: props.privateKeyVersion ?? 1,
      versionField: runnerField(props.target, props.runnerName, 'privateKeyVersion'),
      sensitive: false,
      ...(props.recoveryWindowInDays !== undefined ? { recoveryWindowInDays: props.recoveryWindowInDays } : {}),
    });
    this.secretArn = this.secret.secretArn;
    this.secretName = this.secret.secretName;
    this.input = this.secret.input;
  }
}
