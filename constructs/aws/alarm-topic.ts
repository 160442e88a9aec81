/**
 * The SNS topic every alarm of a target publishes to, encrypted with the target's key. Only
 * CloudWatch alarms of this account may publish; subscribers are the configured e-mail addresses
 * (each must confirm) or whatever the customer subscribes later (chat, paging).
 */
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Construct } from 'constructs';
import { AwsContext } from './aws-context';
import type { IamPolicyDocument } from './iam-policy-document';
import type { IAlarmSink, IEncryptionKey } from '../core/interfaces';

export interface AlarmTopicProps {
  readonly topicName: string;
  /** Encrypts the topic. */
  readonly key: IEncryptionKey;
  /** @default [] */
  readonly emails?: readonly string[];
}

export class AlarmTopic extends Construct implements IAlarmSink {
  readonly topicArn: string;
  get sinkId(): string {
    return this.topicArn;
  }

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    const ctx = AwsContext.of(this);
    const topic = new SnsTopic(this, 'Resource', { name: props.topicName, kmsMasterKeyId: props.key.keyReference });
    const policy: IamPolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CloudWatchAlarmsOfThisAccountPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'sns:Publish',
          Resource: topic.arn,
          Condition: { StringEquals: { 'aws:SourceAccount': ctx.accountId } },
        },
        {
          Sid: 'AccountManagesTopic',
          Effect: 'Allow',
          Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
          Action: ['sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:ListSubscriptionsByTopic', 'sns:Publish'],
          Resource: topic.arn,
        },
      ],
    };
    new SnsTopicPolicy(this, 'Policy', { arn: topic.arn, policy: JSON.stringify(policy) });
    (props.emails ?? []).forEach((email, i) => new SnsTopicSubscription(this, `Email${i + 1}`, { topicArn: topic.arn, protocol: 'email', endpoint: email }));
    this.topicArn = topic.arn;
  }
}
