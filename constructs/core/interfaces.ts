/**
 * The typed interfaces the cloud-neutral compositions pass between a cloud's constructs (after
 * aws-cdk's "use kms.IKey, not keyArn"): one concept, one interface, the same on every cloud.
 * A cloud's bindings (`constructs/<cloud>/bindings-*.ts`) create its constructs and return these;
 * the compositions (`constructs/core/compositions/`) wire them and write the outputs, with the
 * same names everywhere.
 */

/** A customer-managed encryption key: an AWS KMS key, an Azure Key Vault key, a GCP Cloud KMS key. */
export interface IEncryptionKey {
  /** What the cloud's resources reference the key by (AWS: the key ARN; Azure: the Key Vault key id; GCP: the crypto key name). */
  readonly keyReference: string;
}

/** Private networking with egress only (a VPC, a VNet, a VPC network). */
export interface IRunnerNetwork {
  /** The network's identifier (VPC id, VNet id, network self link). */
  readonly networkId: string;
  /** Where runners run: private subnets without public IPs. */
  readonly runnerSubnetIds: readonly string[];
  /** Public IPs all runner traffic leaves from (NAT); empty when the customer brings the network. */
  readonly egressIps: readonly string[];
  /** TCP ports the runners may reach: 443 plus the configured extra ports. */
  readonly egressPorts: readonly number[];
}

/** The kit's private mirror of one upstream image (an ECR repository, an ACR repository, an Artifact Registry repository). */
export interface IRegistryMirror {
  /** The upstream repository it mirrors, e.g. `ghcr.io/meshcloud/tf-block-runner`. */
  readonly upstreamImage: string;
  /** The mirror repository's name inside its registry. */
  readonly repositoryName: string;
  /** `<registry host>/<repository>`, without tag or digest. */
  readonly repositoryUrl: string;
}

/** Where alarms go (an SNS topic, an Azure action group, a GCP notification channel). */
export interface IAlarmSink {
  readonly sinkId: string;
}

/** One secret the deployer supplies at deploy time, as an ephemeral Terraform variable. */
export interface SecretInput {
  /** Terraform variable name; set it as `TF_VAR_<name>`. */
  readonly variable: string;
  readonly description: string;
  /** Where the secret lives (Secrets Manager ARN, Key Vault secret id, Secret Manager secret name). */
  readonly secretId: string;
  /** The config field whose value decides when it is sent, e.g. `targets.prod.runners.default.privateKeyVersion`. */
  readonly versionField: string;
}

/** A runner's secrets in its cloud's secret store; values never in Terraform state or plans. */
export interface IRunnerSecrets {
  /** What the deployer supplies. */
  readonly inputs: readonly SecretInput[];
  /** Where each secret lives, by purpose (`api_client_secret`, `private_key`, `certificate`). */
  readonly secretIds: Readonly<Record<string, string>>;
}

/** The auto-update pipeline of a target. */
export interface IUpdatePipeline {
  /** The updater's name (a Lambda function, an Azure Function, a Cloud Run job). */
  readonly updaterName: string;
  /** Where each runner's version record lives (an SSM parameter, ...), by runner. */
  readonly versionRecords: Readonly<Record<string, string>>;
  /** The by-digest image the deploy's bootstrap promoted for `runner`, as a Terraform expression. */
  bootstrapImage(runner: string): string;
  /** The version the deploy's bootstrap promoted for `runner`, as a Terraform expression. */
  bootstrapVersion(runner: string): string;
}

/** One runner's workload on a container platform (an ECS service, a container group, a worker pool). */
export interface IRunnerService {
  /** Its name on the platform. */
  readonly serviceName: string;
  /** Where its logs are (a log group name, a Log Analytics workspace, a log filter). */
  readonly logs: string;
}

/**
 * Health that sees meshStack, as alarms: whether a runner reaches meshStack and keeps polling,
 * from the runner's own log lines (its /healthz answers 200 whatever its state). The updater's
 * rollout gate reads the same lines (`updater/core/runner-logs/`).
 */
export interface IRunnerHealthSignal {
  /** The "cannot reach meshStack" alarm, when the runner runs (replicas > 0). */
  readonly unreachableAlarmName?: string;
  /** The "not polling" alarm, when the runner runs. */
  readonly silentAlarmName?: string;
}

/** What meshcloud operators use: a role, a role assignment, a service account. */
export interface IOperatorAccess {
  /** The identity or role operators assume/impersonate (ARN, role definition id, service account email). */
  readonly principal: string;
}
