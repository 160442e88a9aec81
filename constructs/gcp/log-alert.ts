/**
 * An alert on log lines, the GCP way: a log-based counter metric (Cloud Logging counts the entries
 * that match a filter) and a Cloud Monitoring alert policy on it, notifying the target's channels.
 * Either "the lines appear" (`threshold`: more than N in the window) or "the lines stop" (`absent`).
 */
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { Construct } from 'constructs';
import type { AlarmChannels } from './alarm-channels';
import { GcpContext } from './gcp-context';
import { logMetricName } from './gcp-names';

export interface LogAlertProps {
  readonly target: string;
  /** Metric name below the target, e.g. `default/meshstack-failures`. */
  readonly metric: string;
  readonly description: string;
  /** Cloud Logging filter of the counted lines. */
  readonly filter: string;
  /** Alert policy display name. */
  readonly displayName: string;
  /** What the alert tells on-call. */
  readonly documentation: string;
  readonly channels: AlarmChannels;
  /** Window in minutes. */
  readonly minutes: number;
  /** `{ above: n }`: fires when more than n lines match in the window; `'absent'`: when none does for the window. */
  readonly when: { readonly above: number } | 'absent';
}

export class LogAlert extends Construct {
  readonly metricType: string;
  readonly alertPolicyName: string;
  readonly displayName: string;

  constructor(scope: Construct, id: string, props: LogAlertProps) {
    super(scope, id);
    const ctx = GcpContext.of(this);
    const metric = new LoggingMetric(this, 'Metric', {
      project: ctx.projectId,
      name: logMetricName(props.target, props.metric),
      description: props.description,
      filter: props.filter,
      metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1' },
      dependsOn: [...ctx.apis],
    });
    this.metricType = `logging.googleapis.com/user/${logMetricName(props.target, props.metric)}`;
    const seconds = `${Math.max(props.when === 'absent' ? 2 : 1, props.minutes) * 60}s`;
    const filter = `metric.type="${this.metricType}"`;
    const policy = new MonitoringAlertPolicy(this, 'Resource', {
      project: ctx.projectId,
      displayName: props.displayName,
      combiner: 'OR',
      enabled: true,
      notificationChannels: [...props.channels.channelIds],
      documentation: { content: props.documentation, mimeType: 'text/markdown' },
      conditions: [
        props.when === 'absent'
          ? { displayName: `${props.displayName}: no matching line for ${seconds}`, conditionAbsent: { filter, duration: seconds, aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_SUM' }] } }
          : {
              displayName: `${props.displayName}: more than ${props.when.above} matching line(s) in ${seconds}`,
              conditionThreshold: {
                filter,
                comparison: 'COMPARISON_GT',
                thresholdValue: props.when.above,
                duration: '0s',
                aggregations: [{ alignmentPeriod: seconds, perSeriesAligner: 'ALIGN_SUM' }],
              },
            },
      ],
      alertStrategy: { autoClose: '86400s' },
      dependsOn: [metric],
    });
    this.alertPolicyName = policy.name;
    this.displayName = props.displayName;
  }
}
