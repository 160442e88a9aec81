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
import type { IamPolicyDocument } from './iam-policy-document';
import type { IEncryptionKey } from '../core/interfaces';

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
    const policy: IamPolicyDocument = {
      Version: '2012-10-17',
      Statement: [
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
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': ctx.arn('logs', `log-group:${props.logGroupPrefix}*`) } },
        },
        {
          Sid: 'CloudWatchAlarmsPublishToEncryptedTopic',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': ctx.accountId } },
        },
      ],
    };
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
