/**
 * The runner's own log on Cloud Run (Cloud Logging) as the updater's {@link MeshstackSignal} and
 * {@link RunnerActivity}. This file only fetches lines (`entries.list`); what they mean is the
 * cloud-neutral `updater/core/runner-logs/tf-block-runner.ts`, shared with ECS and ACI.
 *
 * Where the lines are: Cloud Run sends each instance's stdout and stderr to Cloud Logging as
 * entries of the worker pool's monitored resource (`cloud_run_worker_pool`, labels
 * `worker_pool_name` and `revision_name`), one `textPayload` per line, the instance in
 * `labels.instanceId`. Grouping by instance gives one list per container's life, as a log stream
 * does on ECS. No pattern is sent: the lines are matched here, exactly.
 */
import { judgeInstances, type MeshstackObservation, type MeshstackSignal } from '../../core/meshstack-signal';
import type { Rollout } from '../../core/ports';
import type { RunInProgress, RunnerActivity } from '../../core/runner-activity';
import type { LogEvent } from '../../core/runner-logs/log-event';
import { tfBlockRunnerRunInProgress, tfBlockRunnerStartedAt, tfBlockRunnerVerdict } from '../../core/runner-logs/tf-block-runner';
import { GOOGLE_ENDPOINTS, type GoogleApi } from './google-api';

/** Beyond the runner's `timeoutMins`: terraform-exec's 60 s WaitDelay and the final PATCH (as on ECS). */
export const RUN_LOOKBACK_MARGIN_MINUTES = 3;

interface Entry {
  readonly timestamp?: string;
  readonly textPayload?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly resource?: { readonly labels?: Readonly<Record<string, string>> };
}

export interface CloudLoggingRunnerLogOptions {
  readonly api: GoogleApi;
  readonly project: string;
  readonly workerPool: string;
  readonly runTimeoutMinutes: number;
  /** How many instances must reach meshStack (the worker pool's manual instance count). */
  readonly desiredInstances: () => Promise<number>;
  /** @default GOOGLE_ENDPOINTS.logging */
  readonly endpoint?: string;
  /** @default 180_000 */
  readonly staleAfterMs?: number;
  /** @default 100_000 */
  readonly maxEvents?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export class CloudLoggingRunnerLog implements MeshstackSignal, RunnerActivity {
  private readonly url: string;

  constructor(private readonly o: CloudLoggingRunnerLogOptions) {
    if (!/^[a-z][-a-z0-9]*$/.test(o.workerPool)) throw new Error(`workerPool "${o.workerPool}" is not a worker pool name`);
    if (!Number.isInteger(o.runTimeoutMinutes) || o.runTimeoutMinutes <= 0) throw new Error(`runTimeoutMinutes must be the runner's timeoutMins, a positive whole number; got ${o.runTimeoutMinutes}`);
    this.url = `${(o.endpoint ?? GOOGLE_ENDPOINTS.logging).replace(/\/+$/, '')}/v2/entries:list`;
  }

  async observe(rollout: Rollout, since: number): Promise<MeshstackObservation> {
    const [instances, expected] = await Promise.all([this.read(since, rollout.revision), this.o.desiredInstances()]);
    const judged = [...instances]
      .filter(([, events]) => (tfBlockRunnerStartedAt(events) ?? Number.NEGATIVE_INFINITY) >= since)
      .map(([instance, events]) => ({ instance: `instance ${instance}`, verdict: tfBlockRunnerVerdict(events) }));
    return judgeInstances(judged, expected);
  }

  async runsInProgress(): Promise<readonly RunInProgress[]> {
    const now = (this.o.now ?? Date.now)();
    const instances = await this.read(now - (this.o.runTimeoutMinutes + RUN_LOOKBACK_MARGIN_MINUTES) * 60_000);
    const runs: RunInProgress[] = [];
    for (const [instance, events] of instances) {
      const run = tfBlockRunnerRunInProgress(events, now, this.o.staleAfterMs ?? 180_000);
      if (run !== undefined) runs.push({ instance: `instance ${instance}`, ...run });
    }
    return runs;
  }

  /** The runner's lines since `startTime` (of one revision, when given), by instance. */
  private async read(startTime: number, revision?: string): Promise<Map<string, LogEvent[]>> {
    const filter = [
      'resource.type="cloud_run_worker_pool"',
      `resource.labels.worker_pool_name="${this.o.workerPool}"`,
      ...(revision !== undefined ? [`resource.labels.revision_name="${revision.replace(/[^a-z0-9-]/g, '')}"`] : []),
      `timestamp>="${new Date(Math.floor(startTime)).toISOString()}"`,
      'textPayload:*',
    ].join(' AND ');
    const instances = new Map<string, LogEvent[]>();
    let count = 0;
    let pageToken: string | undefined;
    do {
      const page = await this.o.api.json<{ entries?: Entry[]; nextPageToken?: string }>('POST', this.url, {
        read: true,
        body: { resourceNames: [`projects/${this.o.project}`], filter, orderBy: 'timestamp asc', pageSize: 1000, ...(pageToken !== undefined ? { pageToken } : {}) },
      });
      for (const entry of page?.entries ?? []) {
        const time = entry.timestamp !== undefined ? Date.parse(entry.timestamp) : Number.NaN;
        if (typeof entry.textPayload !== 'string' || Number.isNaN(time)) continue;
        if (++count > (this.o.maxEvents ?? 100_000)) {
          throw new Error(`worker pool ${this.o.workerPool} logged more than ${this.o.maxEvents ?? 100_000} lines since ${new Date(startTime).toISOString()}; the updater reads no further (something floods the runner log) and cannot tell the runner's state`);
        }
        const instance = entry.labels?.instanceId ?? entry.resource?.labels?.revision_name ?? 'unknown';
        const list = instances.get(instance) ?? [];
        list.push({ timestamp: time, message: entry.textPayload });
        instances.set(instance, list);
      }
      pageToken = page?.nextPageToken !== undefined && page.nextPageToken !== '' ? page.nextPageToken : undefined;
    } while (pageToken !== undefined);
    return instances;
  }
}
