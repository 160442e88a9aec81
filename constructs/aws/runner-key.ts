/**
 * The target's customer-managed KMS key: encrypts the runner secrets, every log group and the
 * alarm topic. Rotation on. The key policy names principals explicitly (no `*` principal): the
 * account (so IAM policies can grant use, as in AWS's default key policy), CloudWatch Logs for the
 * kit's own log groups only, and CloudWatch alarms for publishing to the encrypted topic.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';
import { AwsContext } from './aws-context';
import type { IamPolicyDocument, IamStatement } from './iam-policy-document';
import type { IEncryptionKey } from '../core/interfaces';
import { logGroupPrefix } from '../core/naming';
import { keyAlias } from './aws-names';
import { ExistingKey } from './existing-key';

export interface RunnerKeyProps {
  /** Alias name without the `alias/` prefix. */
  readonly alias: string;
  /** Log groups this key may encrypt: every log group whose name starts with this prefix. */
  readonly logGroupPrefix: string;
  /**
   * Days before a scheduled deletion takes effect.
   * @default 30 - the longest window, to recover from an accidental destroy
   */
  readonly deletionWindowInDays?: number;
}

export class RunnerKey extends Construct implements IEncryptionKey {
  readonly keyArn: string;
  readonly keyId: string;
  /** IEncryptionKey: AWS resources reference the key by its ARN. */
  get keyReference(): string {
    return this.keyArn;
  }

  constructor(scope: Construct, id: string, props: RunnerKeyProps) {
    super(scope, id);
    const ctx = AwsContext.of(this);
    const policy: IamPolicyDocument = { Version: '2012-10-17', Statement: kitKeyPolicyStatements(ctx, [props.logGroupPrefix]) };
    const key = new KmsKey(this, 'Resource', {
      description: `private-runner-kit: runner secrets, logs and alarms (${props.alias})`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: JSON.stringify(policy),
    });
    new KmsAlias(this, 'Alias', { name: `alias/${props.alias}`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
  }
}

/**
 * The key policy statements the kit's services need on a target key: the account administers it
 * through IAM (so IAM policies can grant use, as in AWS's default key policy), CloudWatch Logs
 * encrypts the log groups under `logGroupPrefixes` only, CloudWatch alarms publish to the encrypted
 * topic. A bring-your-own key's policy must contain the same (README: Bring your own key).
 */
export function kitKeyPolicyStatements(ctx: AwsContext, logGroupPrefixes: readonly string[]): IamStatement[] {
  const logGroups = logGroupPrefixes.map((p) => ctx.arn('logs', `log-group:${p}*`));
  return [
    {
      Sid: 'AccountAdministersKeyThroughIam',
      Effect: 'Allow',
      Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'CloudWatchLogsEncryptsKitLogGroups',
      Effect: 'Allow',
      Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroups.length === 1 ? logGroups[0]! : logGroups } },
    },
    {
      Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': ctx.accountId } },
    },
  ];
}

/** The target's key: the customer's own (`encryption.existingKeyId`, read only), else one the kit creates. */
export function targetKey(scope: Construct, target: string, t: { readonly encryption: { readonly existingKeyId?: string | undefined } }): IEncryptionKey {
  const existing = t.encryption.existingKeyId;
  if (existing !== undefined) return new ExistingKey(scope, 'Key', { keyArn: existing });
  return new RunnerKey(scope, 'Key', { alias: keyAlias(target), logGroupPrefix: logGroupPrefix(target) });
}
