/**
 * The updater's reports on Azure: one JSON log line per runner and run, which the Functions host
 * sends to the updater's Application Insights (the `traces` table). The alert rules on failed and
 * rolled-back updates query these lines (`constructs/azure/update-pipeline.ts`), so the message
 * marker and the `outcome` and `runner` fields are a contract.
 */
import type { Reporter, UpdateReport } from '../../core/ports';

/** The marker every report line carries (`msg`); the alert queries match it. */
export const REPORT_MESSAGE = 'runner-kit update report';

export class LogReporter implements Reporter {
  constructor(private readonly log: (line: string) => void = (line) => console.log(line)) {}

  async report(report: UpdateReport): Promise<void> {
    this.log(JSON.stringify({ msg: REPORT_MESSAGE, level: report.outcome === 'failed' ? 'error' : 'info', ...report }));
  }
}
