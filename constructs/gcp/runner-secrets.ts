/**
 * A runner's two secrets in Secret Manager, replicated only to the target's region and encrypted
 * with the target's key: the meshStack API client secret and the runner's RSA private key (PEM).
 *
 * Values never enter `cdk.tf.json`, Terraform state or plan files: they reach Secret Manager through
 * the write-only `secret_data_wo` of a secret version, fed from an ephemeral variable
 * (`TF_VAR_<variable>` at deploy time), and are sent only when their version moves
 * (`secret_data_wo_version`). google 6.50.0 has no ephemeral secret read, so nothing reads them back.
 *
 * Which version was written is recorded in a label-only secret per value (`<secret>-written`,
 * label `runner-kit-written-version`; it holds no secret version, so no value, and costs nothing),
 * updated only after the value was written. At plan time one data source per value looks for that
 * record: a version not written yet (first deploy, or a bump) with an empty input stops the plan
 * before anything is created, naming the variable.
 *
 * The runner's own service account alone may read the values (`grantRead`: secretAccessor on
 * each secret, never on the project).
 */
import { DataGoogleSecretManagerSecrets } from '@cdktf/provider-google/lib/data-google-secret-manager-secrets';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member';
import { SecretManagerSecretVersion } from '@cdktf/provider-google/lib/secret-manager-secret-version';
import { Fn, type ITerraformDependable, Op, TerraformStack, TerraformVariable } from 'cdktf';
import { Construct } from 'constructs';
import type { IRunnerSecrets, SecretInput } from '../core/interfaces';
import { secretVariableNames } from '../core/naming';
import { GcpContext } from './gcp-context';
import { secretId, type SecretPurpose, WRITTEN_VERSION_LABEL, writtenVersionSecretId } from './gcp-names';
import type { RunnerKey } from './runner-key';

export const SECRET_ACCESSOR_ROLE = 'roles/secretmanager.secretAccessor';
/** Label naming the value a written-version record is for (`<runner>-<secret>`): exact, unlike a name filter. */
export const WRITTEN_FOR_LABEL = 'runner_kit_written_for';
/** The target, on the record (underscore keys: the list filter reads them exactly). */
export const WRITTEN_TARGET_LABEL = 'runner_kit_written_target';

export interface RunnerSecretsProps {
  readonly target: string;
  readonly runnerName: string;
  readonly key: RunnerKey;
  /** @default 1 */
  readonly apiClientSecretVersion?: number;
  /** @default 1 */
  readonly privateKeyVersion?: number;
  /**
   * Also keep the runner's certificate (PEM; written with the private key, on privateKeyVersion):
   * run-controller (Kubernetes platforms) checks the key against it and registers it.
   * @default false - the Cloud Run runner needs the key only
   */
  readonly withCertificate?: boolean;
}

/** Config path of a runner field, for messages. */
const runnerField = (target: string, runner: string, field: string) => `targets.${target}.runners.${runner}.${field}`;

export class RunnerSecrets extends Construct implements IRunnerSecrets {
  /** Secret ids (`projects/<p>/secrets/<id>`), by purpose. */
  readonly apiClientSecretId: string;
  readonly privateKeyId: string;
  readonly inputs: readonly SecretInput[];
  readonly secretIds: Readonly<Record<string, string>>;
  /** The secret versions: a consumer waits for them. */
  readonly versions: readonly ITerraformDependable[];
  private readonly secrets: readonly SecretManagerSecret[];

  constructor(scope: Construct, id: string, props: RunnerSecretsProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    const agentGrant = props.key.grantEncryptDecrypt('SecretManager', ctx.serviceAgent('gcp-sa-secretmanager.iam.gserviceaccount.com'));
    const variables = secretVariableNames(props.runnerName);
    const replication = { userManaged: { replicas: [{ location: ctx.region, customerManagedEncryption: { kmsKeyName: props.key.keyReference } }] } };
    const one = (cid: string, what: SecretPurpose, variableName: string, version: number, field: string, description: string) => {
      if (!Number.isInteger(version) || version < 1) throw new Error(`${field} ${version} must be a whole number >= 1`);
      const secret = new SecretManagerSecret(this, cid, {
        project: ctx.projectId,
        secretId: secretId(props.target, props.runnerName, what),
        replication,
        labels: { 'runner-kit-runner': props.runnerName },
        dependsOn: [...ctx.apis, agentGrant],
      });
      const variable = new TerraformVariable(TerraformStack.of(this), variableName, {
        type: 'string',
        sensitive: true,
        nullable: false,
        default: '',
        description: `${description} Needed when the secret is created and whenever ${field} is bumped; otherwise empty, and nothing is sent.`,
      });
      // cdktf 0.21 has no `ephemeral` option; Terraform >= 1.10 reads it from the override.
      variable.addOverride('ephemeral', true);
      const writtenFor = `${props.runnerName}-${what}`;
      const recorded = new DataGoogleSecretManagerSecrets(this, `${cid}-Recorded`, {
        project: ctx.projectId,
        filter: `labels.${WRITTEN_TARGET_LABEL}=${props.target} AND labels.${WRITTEN_FOR_LABEL}=${writtenFor} AND labels.${WRITTEN_VERSION_LABEL}=${version}`,
      });
      const value = new SecretManagerSecretVersion(this, `${cid}-Version`, {
        secret: secret.id,
        secretDataWo: variable.stringValue,
        secretDataWoVersion: version,
        lifecycle: {
          precondition: [
            {
              // `length(...) >= 1`: cdktf renders falsy operands ("" and 0) as `undefined`.
              condition: Op.or(Op.gte(Fn.lengthOf(variable.stringValue), 1), Op.gte(Fn.lengthOf(recorded.secrets), 1)),
              errorMessage:
                `TF_VAR_${variableName} is not set, but version ${version} of secret ${secretId(props.target, props.runnerName, what)} has not been written yet ` +
                `(a first deploy, or ${field} was bumped). Nothing was changed. Set TF_VAR_${variableName} (README: Supplying secrets) and deploy again.`,
            },
          ],
        },
      });
      new SecretManagerSecret(this, `${cid}-Written`, {
        project: ctx.projectId,
        secretId: writtenVersionSecretId(props.target, props.runnerName, what),
        replication,
        labels: { [WRITTEN_TARGET_LABEL]: props.target, [WRITTEN_FOR_LABEL]: writtenFor, [WRITTEN_VERSION_LABEL]: String(version) },
        annotations: { 'runner-kit-purpose': `Records which version of ${secretId(props.target, props.runnerName, what)} was written; holds no value.` },
        dependsOn: [value],
      });
      const input: SecretInput = { variable: variableName, description, secretId: secret.id, versionField: field };
      return { secret, value, input };
    };
    const client = one('ApiClientSecret', 'api-client-secret', variables.apiClientSecret, props.apiClientSecretVersion ?? 1, runnerField(props.target, props.runnerName, 'apiClientSecretVersion'), `meshStack API client secret of runner "${props.runnerName}".`);
    const key = one('PrivateKey', 'private-key', variables.privateKey, props.privateKeyVersion ?? 1, runnerField(props.target, props.runnerName, 'privateKeyVersion'), `RSA-4096 private key (PEM) of runner "${props.runnerName}".`);
    const certificate =
      props.withCertificate === true
        ? one('Certificate', 'certificate', variables.certificate, props.privateKeyVersion ?? 1, runnerField(props.target, props.runnerName, 'privateKeyVersion'), `X.509 certificate (PEM) of runner "${props.runnerName}", as registered in meshStack.`)
        : undefined;
    this.apiClientSecretId = client.secret.id;
    this.privateKeyId = key.secret.id;
    this.secrets = [client.secret, key.secret];
    this.inputs = [client.input, key.input, ...(certificate !== undefined ? [certificate.input] : [])];
    this.versions = [client.value, key.value, ...(certificate !== undefined ? [certificate.value] : [])];
    this.secretIds = { api_client_secret: client.secret.id, private_key: key.secret.id, ...(certificate !== undefined ? { certificate: certificate.secret.id } : {}) };
  }

  /** Lets `member` (the runner's service account) read both values: one binding per secret. */
  grantRead(member: string): ITerraformDependable[] {
    return this.secrets.map((s, i) => new SecretManagerSecretIamMember(this, `Read${i === 0 ? 'ApiClientSecret' : 'PrivateKey'}`, { project: s.project, secretId: s.secretId, role: SECRET_ACCESSOR_ROLE, member }));
  }
}
