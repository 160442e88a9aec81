/**
 * Where a GCP target's alerts go: one Cloud Monitoring e-mail notification channel per address of
 * `alarms.emails` (Cloud Monitoring has no topic to subscribe to; each alert policy names every
 * channel). Without addresses the alert policies still exist and show in the console.
 */
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { IAlarmSink } from '../core/interfaces';
import { GcpContext } from './gcp-context';

export interface AlarmChannelsProps {
  readonly target: string;
  readonly emails: readonly string[];
}

export class AlarmChannels extends Construct implements IAlarmSink {
  /** The channels' names (`projects/<p>/notificationChannels/<id>`), for alert policies. */
  readonly channelIds: readonly string[];
  /** IAlarmSink: the channels, comma-separated (empty without addresses). */
  readonly sinkId: string;

  constructor(scope: Construct, id: string, props: AlarmChannelsProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    this.channelIds = props.emails.map(
      (email, i) =>
        new MonitoringNotificationChannel(this, `Email${i + 1}`, {
          project: ctx.projectId,
          displayName: `private-runner-kit ${props.target}: ${email}`,
          type: 'email',
          labels: { email_address: email },
          dependsOn: [...ctx.apis],
        }).name,
    );
    this.sinkId = this.channelIds.length === 0 ? '' : Fn.join(',', [...this.channelIds]);
  }
}
