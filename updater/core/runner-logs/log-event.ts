/**
 * One line a runner logged, as a platform's log store returns it (CloudWatch Logs, the Kubernetes
 * pod log, Azure Log Analytics, Cloud Logging): the time the platform recorded and the text.
 */
export interface LogEvent {
  /** Epoch ms, as the platform recorded the line (not the runner's own, second-resolution, local-time stamp). */
  readonly timestamp: number;
  readonly message: string;
}

/** The events in time order; lines recorded in the same millisecond keep the order they came in. */
export function inTimeOrder(events: readonly LogEvent[]): LogEvent[] {
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.timestamp - b.e.timestamp || a.i - b.i).map(({ e }) => ({ timestamp: e.timestamp, message: e.message.replace(/\r?\n$/, '') }));
}

/** The Go standard logger's timestamp (`log.LstdFlags`): `2026/07/23 10:00:00`. Both runners log with it. */
export const GO_LOG_TIME = String.raw`\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}`;
