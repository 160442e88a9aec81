/**
 * Reports each update decision twice: one JSON line on stdout (Lambda ships it to the function's
 * CloudWatch log group, where Logs Insights can query its fields) and one data point of the
 * `UpdateOutcome` metric, which the kit's alarms watch (e.g. on `failed` or `rolled-back`).
 *
 * Reporting never fails an update: when the metric cannot be published, the report's line is
 * already logged and a second line says why the metric is missing.
 */
import { PutMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { ReportedOutcome, Reporter, UpdateReport } from '../../core/ports';

/** Namespace of the updater's metrics unless the options name another. */
export const DEFAULT_METRIC_NAMESPACE = 'PrivateRunnerKit/Updater';
/** One data point (value 1, unit Count) per report, dimensions Target, Runner, Outcome. */
export const OUTCOME_METRIC_NAME = 'UpdateOutcome';
/** The `msg` of every report line, so a log query can select them. */
export const REPORT_LOG_MESSAGE = 'runner-kit update';

export interface CloudWatchReporterOptions {
  readonly cloudwatch: CloudWatchClient;
  /**
   * Metric namespace.
   * @default 'PrivateRunnerKit/Updater' ({@link DEFAULT_METRIC_NAMESPACE})
   */
  readonly namespace?: string;
  /**
   * Writes one log line (without newline).
   * @default console.log - Lambda's stdout goes to the function's log group
   */
  readonly log?: (line: string) => void;
}

/** Log level of a report: `error` for `failed`, `warn` for `rolled-back` and `rejected`, `info` otherwise. */
export function reportLevel(outcome: ReportedOutcome): 'info' | 'warn' | 'error' {
  if (outcome === 'failed') return 'error';
  if (outcome === 'rolled-back' || outcome === 'rejected') return 'warn';
  return 'info';
}

export class CloudWatchReporter implements Reporter {
  private readonly cloudwatch: CloudWatchClient;
  private readonly namespace: string;
  private readonly log: (line: string) => void;

  constructor(options: CloudWatchReporterOptions) {
    this.cloudwatch = options.cloudwatch;
    this.namespace = options.namespace ?? DEFAULT_METRIC_NAMESPACE;
    this.log = options.log ?? ((line) => console.log(line));
  }

  /**
   * Logs `{"level","msg":"runner-kit update","target","runner","action","outcome","from","to",
   * "digest","revision","reason","durationMs"}` (undefined fields left out), then puts one
   * `UpdateOutcome` data point. Resolves even when PutMetricData fails (see the file comment).
   */
  async report(report: UpdateReport): Promise<void> {
    this.log(
      JSON.stringify({
        level: reportLevel(report.outcome),
        msg: REPORT_LOG_MESSAGE,
        target: report.target,
        runner: report.runner,
        action: report.action,
        outcome: report.outcome,
        from: report.from,
        to: report.to,
        digest: report.digest,
        revision: report.revision,
        reason: report.reason,
        durationMs: report.durationMs,
      }),
    );
    try {
      await this.cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: this.namespace,
          MetricData: [
            {
              MetricName: OUTCOME_METRIC_NAME,
              Value: 1,
              Unit: 'Count',
              Dimensions: [
                { Name: 'Target', Value: report.target },
                { Name: 'Runner', Value: report.runner },
                { Name: 'Outcome', Value: report.outcome },
              ],
            },
          ],
        }),
      );
    } catch (err) {
      this.log(
        JSON.stringify({
          level: 'error',
          msg: 'runner-kit update metric not published',
          target: report.target,
          runner: report.runner,
          outcome: report.outcome,
          namespace: this.namespace,
          error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
          fix: 'allow cloudwatch:PutMetricData for this namespace to the updater; the update itself is unaffected',
        }),
      );
    }
  }
}
