/**
 * A runner's two secrets in the target's Key Vault: its meshStack API client secret and its private
 * key (base64 of the PEM: Key Vault strips line breaks from values). Their values never enter
 * Terraform state or plan files: they reach the vault through the write-only `value_wo`, fed from
 * ephemeral variables (`TF_VAR_runner_<name>_api_client_secret`, `..._private_key`), and are sent
 * only when their version (`apiClientSecretVersion`, `privateKeyVersion`) moves.
 *
 * A version not written yet (first deploy, or bumped) with an empty input stops the plan, naming the
 * variable (`WrittenSecretVersions`). Nothing else reads the values but the runner's own identity
 * ("Key Vault Secrets User" on these two secrets only, granted by `RunnerIdentity`), from inside the
 * container group at start.
 */
import { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { IRunnerSecrets, SecretInput } from '../core/interfaces';
import { secretVariableNames } from '../core/naming';
import { runnerSecretName } from './azure-names';
import type { ResourceScope } from './resource-scope';
import type { RunnerVault } from './runner-vault';
import { WRITTEN_VERSION_TAG, WrittenSecretVersions } from './written-secret-versions';

export interface RunnerSecretsProps {
  readonly scope: ResourceScope;
  readonly target: string;
  readonly runnerName: string;
  readonly vault: RunnerVault;
  readonly vaultName: string;
  readonly apiClientSecretVersion: number;
  readonly privateKeyVersion: number;
}

type Purpose = 'api-client-secret' | 'private-key';

export class RunnerSecrets extends Construct implements IRunnerSecrets {
  readonly inputs: readonly SecretInput[];
  readonly secretIds: Readonly<Record<string, string>>;
  /** The secrets' names in the vault (what the runner's init step reads). */
  readonly secretNames: Readonly<Record<Purpose, string>>;
  /** ARM ids (role assignment scopes) of the two secrets. */
  readonly secretResourceIds: readonly string[];
  /** The secret resources: the runner must wait for them. */
  readonly secrets: readonly KeyVaultSecret[];

  constructor(scope: Construct, id: string, props: RunnerSecretsProps) {
    super(scope, id);
    const variables = secretVariableNames(props.runnerName);
    const written = WrittenSecretVersions.of(this, props.vault, props.vaultName);
    const field = (f: string) => `targets.${props.target}.runners.${props.runnerName}.${f}`;
    const make = (purpose: Purpose, variableName: string, version: number, versionField: string, description: string) => {
      if (!Number.isInteger(version) || version < 1) throw new Error(`${versionField} ${version} must be a whole number >= 1`);
      const name = runnerSecretName(props.runnerName, purpose);
      const variable = new TerraformVariable(TerraformStack.of(this), variableName, {
        type: 'string',
        sensitive: true,
        nullable: false,
        default: '',
        description: `${description} Needed when the secret is created and whenever ${versionField} is bumped; otherwise empty, and nothing is sent.`,
      });
      // cdktf 0.21 has no `ephemeral` option; Terraform >= 1.10 reads it from the override.
      variable.addOverride('ephemeral', true);
      const value = purpose === 'private-key' ? `\${base64encode(var.${variableName})}` : variable.stringValue;
      const secret = new KeyVaultSecret(this, purpose === 'private-key' ? 'PrivateKey' : 'ApiClientSecret', {
        name,
        keyVaultId: props.vault.vaultId,
        valueWo: value,
        valueWoVersion: version,
        contentType: purpose === 'private-key' ? 'application/x-pem-file;base64' : 'text/plain',
        tags: { ...props.scope.tags, [WRITTEN_VERSION_TAG]: String(version) },
        dependsOn: [props.vault.deployerAccess],
        lifecycle: {
          precondition: [
            {
              condition: `\${length(var.${variableName}) >= 1 || ${written.written(name, version)}}`,
              errorMessage:
                `TF_VAR_${variableName} is not set, but version ${version} of Key Vault secret ${name} has not been written yet ` +
                `(a first deploy, or ${versionField} was bumped). Nothing was changed. Set TF_VAR_${variableName} ` +
                '(README: Supplying secrets) and deploy again.',
            },
          ],
        },
      });
      const input: SecretInput = { variable: variableName, description, secretId: secret.resourceVersionlessId, versionField };
      return { secret, input };
    };
    const api = make('api-client-secret', variables.apiClientSecret, props.apiClientSecretVersion, field('apiClientSecretVersion'), `meshStack API client secret of runner ${props.runnerName}.`);
    const key = make('private-key', variables.privateKey, props.privateKeyVersion, field('privateKeyVersion'), `RSA private key (PEM) of runner ${props.runnerName}.`);
    this.inputs = [api.input, key.input];
    this.secretIds = { api_client_secret: api.secret.resourceVersionlessId, private_key: key.secret.resourceVersionlessId };
    this.secretNames = { 'api-client-secret': runnerSecretName(props.runnerName, 'api-client-secret'), 'private-key': runnerSecretName(props.runnerName, 'private-key') };
    this.secretResourceIds = [api.secret.resourceVersionlessId, key.secret.resourceVersionlessId];
    this.secrets = [api.secret, key.secret];
  }
}
