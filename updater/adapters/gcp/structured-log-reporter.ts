/**
 * Reports on GCP: one structured JSON line per decision on stdout. Cloud Run hands JSON lines to
 * Cloud Logging as `jsonPayload` (with `severity` as the entry's severity), where log-based
 * metrics count the outcomes the alert policies watch (`constructs/gcp/update-pipeline.ts`).
 */
import type { Reporter, UpdateReport } from '../../core/ports';

export const REPORT_MESSAGE = 'runner-kit update';

export function severityOf(outcome: UpdateReport['outcome']): 'ERROR' | 'WARNING' | 'INFO' {
  if (outcome === 'failed') return 'ERROR';
  if (outcome === 'rolled-back' || outcome === 'rejected' || outcome === 'deferred-busy') return 'WARNING';
  return 'INFO';
}

export class StructuredLogReporter implements Reporter {
  constructor(private readonly log: (line: string) => void = (line) => console.log(line)) {}

  async report(report: UpdateReport): Promise<void> {
    this.log(JSON.stringify({ severity: severityOf(report.outcome), msg: REPORT_MESSAGE, ...report }));
  }
}
