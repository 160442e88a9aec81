/**
 * Health that sees meshStack, as alarms: metric filters on an ECS runner's log group count the
 * runner's own poll and login failures and its poll heartbeat, and two alarms on the target's alarm
 * topic say when it cannot reach meshStack or has stopped polling.
 *
 * Why: the runner's `/healthz` answers 200 whatever its state (tf-block-runner `main.go:96-98` at
 * v1.3.0), so a runner with a wrong secret, an unknown UUID or no route to meshStack passes the ECS
 * health check and keeps the "running tasks below desired" alarm quiet while no run is picked up.
 * The updater's rollout gate reads the same lines, stricter (`updater/core/runner-logs/tf-block-runner.ts`).
 *
 * What is counted (phrases from `TF_BLOCK_RUNNER_PHRASES`; a metric filter matches an exact,
 * case-sensitive phrase anywhere in a line; the awslogs driver sends stdout and stderr to the group):
 * - `<service>-meshstack-errors`: `unexpected error:` (a failed poll: any status but 200/201/404/409,
 *   DNS, TLS, connection; worker.go:77 and :87, stdout) and `[ApiKeyAuth] failed to fetch access token`
 *   (meshapi/auth.go:98, stderr). A failing runner logs about one of each per minute
 *   (FAILED_WORKER_DELAY 60 s, manager.go:13).
 * - `<service>-poll-heartbeats`: `[AUTH] Using` (runapi.go:23 and :27, stderr), one line per API call
 *   of the worker: about 6 a minute idle or in a run, 1 a minute while failing, none when the worker
 *   hangs (the runner sets no HTTP timeout, runapi.go:62) or the container does not run.
 *
 * Limits: with several tasks the metrics add up, so one hung task among healthy ones keeps the
 * heartbeat alarm quiet (the updater's gate judges each task). The phrases depend on the runner's log
 * text: re-check them at every upstream release (a format change makes the heartbeat alarm fire,
 * which is the safe direction).
 */
import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import type { IAlarmSink, IRunnerHealthSignal } from '../core/interfaces';
import { TF_BLOCK_RUNNER_PHRASES } from '../../updater/core/runner-logs/tf-block-runner';
import { meshstackErrorsFilterName, meshstackUnreachableAlarmName, runnerHeartbeatFilterName, runnerSilentAlarmName } from './aws-names';

/** Namespace of the runners' log metrics (the updater's own are in `PrivateRunnerKit/Updater`). */
export const RUNNER_METRIC_NAMESPACE = 'PrivateRunnerKit/Runners';
/** Metric filters cannot set fixed dimensions, so the metric name carries the runner. */
export const meshstackErrorsMetricName = (service: string) => `${service}-meshstack-errors`;
export const heartbeatMetricName = (service: string) => `${service}-poll-heartbeats`;
/** Alarm period: a failing runner logs a failure about once a minute, so five minutes hold several. */
export const SIGNAL_PERIOD_SECONDS = 300;
/** Failure lines per period that count as "cannot reach" (one or two are a meshStack blip). */
export const ERRORS_PER_PERIOD = 3;

/** A CloudWatch filter pattern for one exact phrase: quoted, with `"` and `\` escaped. */
export function phrasePattern(phrase: string): string {
  return `"${phrase.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export interface RunnerHealthSignalProps {
  /** `<target>-<runner>`, the service name: filter, metric and alarm names derive from it. */
  readonly name: string;
  /** The runner's log group (a reference makes the filters wait for it). */
  readonly logGroupName: string;
  /** Where both alarms go, on ALARM and on OK (the target's topic). */
  readonly alarms: IAlarmSink;
  /**
   * The service's task count; no alarm at 0 (nothing runs that could poll).
   * @default 1
   */
  readonly desiredCount?: number;
  /**
   * Minutes of failures (or of silence) before an alarm fires, rounded up to whole 5-minute periods.
   * @default 10 - the same as the "running tasks below desired" alarm
   */
  readonly unhealthyMinutes?: number;
}

export class RunnerHealthSignal extends Construct implements IRunnerHealthSignal {
  /** Set when the service runs tasks (desiredCount > 0). */
  readonly unreachableAlarmName?: string;
  readonly silentAlarmName?: string;
  readonly errorsMetricName: string;
  readonly heartbeatMetricName: string;

  constructor(scope: Construct, id: string, props: RunnerHealthSignalProps) {
    super(scope, id);
    const minutes = props.unhealthyMinutes ?? 10;
    if (!Number.isInteger(minutes) || minutes < 1) throw new Error(`unhealthyMinutes must be a whole number of minutes, at least 1; got ${minutes}`);
    const periods = Math.ceil((minutes * 60) / SIGNAL_PERIOD_SECONDS);
    this.errorsMetricName = meshstackErrorsMetricName(props.name);
    this.heartbeatMetricName = heartbeatMetricName(props.name);
    // Lines that do not match count 0, so the sum is 0 (not missing) while the runner logs anything else.
    const count = (metricName: string) => ({ name: metricName, namespace: RUNNER_METRIC_NAMESPACE, value: '1', defaultValue: '0', unit: 'Count' });

    new CloudwatchLogMetricFilter(this, 'PollFailures', {
      name: meshstackErrorsFilterName(props.name, 'poll'),
      logGroupName: props.logGroupName,
      pattern: phrasePattern(TF_BLOCK_RUNNER_PHRASES.pollFailed),
      metricTransformation: count(this.errorsMetricName),
    });
    new CloudwatchLogMetricFilter(this, 'LoginFailures', {
      name: meshstackErrorsFilterName(props.name, 'login'),
      logGroupName: props.logGroupName,
      pattern: phrasePattern(TF_BLOCK_RUNNER_PHRASES.loginFailed),
      metricTransformation: count(this.errorsMetricName),
    });
    // No default value: a heartbeat must be a line; missing data is what the silence alarm is for.
    new CloudwatchLogMetricFilter(this, 'Heartbeat', {
      name: runnerHeartbeatFilterName(props.name),
      logGroupName: props.logGroupName,
      pattern: phrasePattern(TF_BLOCK_RUNNER_PHRASES.heartbeat),
      metricTransformation: { name: this.heartbeatMetricName, namespace: RUNNER_METRIC_NAMESPACE, value: '1', unit: 'Count' },
    });

    if ((props.desiredCount ?? 1) <= 0) return;
    const window = `${periods * (SIGNAL_PERIOD_SECONDS / 60)} minutes`;
    this.unreachableAlarmName = meshstackUnreachableAlarmName(props.name);
    new CloudwatchMetricAlarm(this, 'CannotReachMeshstack', {
      alarmName: this.unreachableAlarmName,
      alarmDescription:
        `Runner ${props.name} cannot reach meshStack: its log shows ${ERRORS_PER_PERIOD} or more failed polls or logins ` +
        `("${TF_BLOCK_RUNNER_PHRASES.pollFailed}", "${TF_BLOCK_RUNNER_PHRASES.loginFailed}") in every 5 minutes for ${window}, so it picks up no run. ` +
        `Check the API client secret and runner UUID, and egress to the meshStack URL; the lines are in log group ${props.logGroupName}.`,
      namespace: RUNNER_METRIC_NAMESPACE,
      metricName: this.errorsMetricName,
      statistic: 'Sum',
      period: SIGNAL_PERIOD_SECONDS,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: ERRORS_PER_PERIOD,
      // No failure lines is the healthy state.
      treatMissingData: 'notBreaching',
      alarmActions: [props.alarms.sinkId],
      okActions: [props.alarms.sinkId],
    });
    this.silentAlarmName = runnerSilentAlarmName(props.name);
    new CloudwatchMetricAlarm(this, 'NotPolling', {
      alarmName: this.silentAlarmName,
      alarmDescription:
        `Runner ${props.name} has not polled meshStack for ${window}: no "${TF_BLOCK_RUNNER_PHRASES.heartbeat}" line in its log ` +
        `(a hung poll, a stopped task, or a runner release that logs differently). Log group ${props.logGroupName}.`,
      namespace: RUNNER_METRIC_NAMESPACE,
      metricName: this.heartbeatMetricName,
      statistic: 'Sum',
      period: SIGNAL_PERIOD_SECONDS,
      evaluationPeriods: periods,
      datapointsToAlarm: periods,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      // No line at all is exactly the failure this alarm is for.
      treatMissingData: 'breaching',
      alarmActions: [props.alarms.sinkId],
      okActions: [props.alarms.sinkId],
    });
  }
}
