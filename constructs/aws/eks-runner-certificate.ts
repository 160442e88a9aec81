/**
 * A runner's X.509 certificate (PEM) in Secrets Manager, beside its API client secret and private
 * key (`RunnerSecrets`). run-controller needs it in its config file: it checks that the private
 * key matches and registers the certificate with meshStack on start. The certificate is public,
 * but it travels with the key: same version (`credentialsVersion`), same delivery (a write-only
 * attribute fed by an ephemeral variable, `TF_VAR_runner_<name>_certificate`, printed by
 * `runner-kit keys`), same path into the cluster.
 */
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { SecretInput } from './runner-secrets';

export interface RunnerCertificateProps {
  /** `<target>/<runner>`: the secret is `<prefix>/certificate`. */
  readonly namePrefix: string;
  readonly runnerName: string;
  readonly kmsKeyArn: string;
  /** @default 1 - bump together with the other credentials */
  readonly credentialsVersion?: number;
  /** @default 7 */
  readonly recoveryWindowInDays?: number;
}

export function certificateVariableName(runnerName: string): string {
  return `runner_${runnerName.replace(/-/g, '_')}_certificate`;
}

export class RunnerCertificate extends Construct {
  readonly secretArn: string;
  readonly secretName: string;
  readonly input: SecretInput;
  readonly version: SecretsmanagerSecretVersion;

  constructor(scope: Construct, id: string, props: RunnerCertificateProps) {
    super(scope, id);
    const version = props.credentialsVersion ?? 1;
    if (!Number.isInteger(version) || version < 1) throw new Error(`runner ${props.runnerName}: credentialsVersion ${version} must be a whole number >= 1`);
    const variableName = certificateVariableName(props.runnerName);
    const description = `X.509 certificate (PEM) of runner "${props.runnerName}", as registered in meshStack.`;
    this.secretName = `${props.namePrefix}/certificate`;
    const secret = new SecretsmanagerSecret(this, 'Resource', {
      name: this.secretName,
      description,
      kmsKeyId: props.kmsKeyArn,
      recoveryWindowInDays: props.recoveryWindowInDays ?? 7,
    });
    // Same shape as the secret inputs: ephemeral, default "" (sends nothing unless the version moves).
    const variable = new TerraformVariable(TerraformStack.of(this), variableName, {
      type: 'string',
      sensitive: false,
      nullable: false,
      default: '',
      description: `${description} Needed only when the secret is created or credentialsVersion is bumped.`,
    });
    variable.addOverride('ephemeral', true);
    this.version = new SecretsmanagerSecretVersion(this, 'Version', {
      secretId: secret.id,
      secretStringWo: variable.stringValue,
      secretStringWoVersion: version,
    });
    this.secretArn = secret.arn;
    this.input = { variable: variableName, description, secretArn: secret.arn };
  }
}
