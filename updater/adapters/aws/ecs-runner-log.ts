/**
 * The runner's own log on ECS (its CloudWatch log group) as the updater's {@link MeshstackSignal}
 * and {@link RunnerActivity}. This file only fetches lines; what they mean is the cloud-neutral
 * `updater/core/runner-logs/tf-block-runner.ts`, shared with Azure Container Instances and Cloud Run.
 *
 * Where the lines are: the task definition sends each container's stdout and stderr (the awslogs
 * driver captures both) to the runner's log group with stream prefix `runner`, so the runner
 * container of task `<id>` writes stream `runner/runner/<id>` (ECS names awslogs streams
 * `<prefix>/<container>/<task id>`). One stream is one container's life.
 *
 * Reads: `logs:FilterLogEvents` on this runner's log group only, and `ecs:DescribeServices` (the
 * desired count), which the updater holds for its rollouts anyway. No filter pattern is sent: the
 * lines of interest are matched here, exactly, so the result does not depend on how a log store
 * (or the emulator, which ignores `logStreamNamePrefix` and most pattern syntax) evaluates patterns.
 * The volume is small: tf-block-runner logs one line per poll (about 6 a minute) and a few per run;
 * Terraform's own output goes to a file, not to the container's output (tfcmd.go:337-338).
 */
import { FilterLogEventsCommand, type CloudWatchLogsClient, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeServicesCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { judgeInstances, type MeshstackObservation, type MeshstackSignal } from '../../core/meshstack-signal';
import type { Rollout } from '../../core/ports';
import type { RunInProgress, RunnerActivity } from '../../core/runner-activity';
import type { LogEvent } from '../../core/runner-logs/log-event';
import { tfBlockRunnerRunInProgress, tfBlockRunnerStartedAt, tfBlockRunnerVerdict } from '../../core/runner-logs/tf-block-runner';

/** `awslogs-stream-prefix` `runner` + container name `runner` (constructs/aws/ecs-runner-service.ts). */
export const RUNNER_LOG_STREAM_PREFIX = 'runner/runner/';

/**
 * How far back a run in progress is looked for, beyond the runner's `timeoutMins`: the run's
 * deadline covers the whole run (worker.go:116), terraform-exec then waits up to 60 s for tofu to
 * stop (WaitDelay), and the final status PATCH follows. Three minutes cover both with a margin.
 */
export const RUN_LOOKBACK_MARGIN_MINUTES = 3;

export interface EcsRunnerLogOptions {
  readonly logs: CloudWatchLogsClient;
  /** Reads the service's desired count (how many tasks must reach meshStack). */
  readonly ecs: ECSClient;
  readonly cluster: string;
  readonly service: string;
  /** The runner's log group, e.g. `/private-runner-kit/acme/runners/default`. */
  readonly logGroupName: string;
  /** The runner's `timeoutMins` (the longest a run can take). */
  readonly runTimeoutMinutes: number;
  /** @default RUNNER_LOG_STREAM_PREFIX */
  readonly streamPrefix?: string;
  /**
   * A container whose last line is older counts as stopped or hung, so it executes no run that an
   * update could kill. A run makes a status call (one line) every 10 s (manager.go:75).
   * @default 180_000 ms
   */
  readonly staleAfterMs?: number;
  /**
   * The most lines read for one answer; more is an error (something floods the log), never a guess.
   * @default 100_000
   */
  readonly maxEvents?: number;
  /** Clock in epoch milliseconds, for tests. @default Date.now */
  readonly now?: () => number;
}

export class EcsRunnerLog implements MeshstackSignal, RunnerActivity {
  private readonly o: Required<Omit<EcsRunnerLogOptions, 'now'>> & { now: () => number };

  constructor(options: EcsRunnerLogOptions) {
    if (!/^[.\-_/#A-Za-z0-9]{1,512}$/.test(options.logGroupName)) {
      throw new Error(`logGroupName "${options.logGroupName}" is not a CloudWatch log group name; use the runner's log group, e.g. /private-runner-kit/acme/runners/default`);
    }
    if (!Number.isInteger(options.runTimeoutMinutes) || options.runTimeoutMinutes <= 0) {
      throw new Error(`runTimeoutMinutes must be the runner's timeoutMins, a positive whole number; got ${options.runTimeoutMinutes}`);
    }
    this.o = {
      streamPrefix: RUNNER_LOG_STREAM_PREFIX,
      staleAfterMs: 180_000,
      maxEvents: 100_000,
      ...options,
      now: options.now ?? Date.now,
    };
  }

  /**
   * The runner containers that started at or after `since` (their startup line,
   * `Build metadata: version=`, is at or after it: containers of the revision the service moved
   * to), each judged by {@link tfBlockRunnerVerdict}, against the service's desired count.
   */
  async observe(_rollout: Rollout, since: number): Promise<MeshstackObservation> {
    const [streams, expected] = await Promise.all([this.read(since), this.desiredCount()]);
    const instances = [...streams]
      .filter(([, events]) => (tfBlockRunnerStartedAt(events) ?? Number.NEGATIVE_INFINITY) >= since)
      .map(([stream, events]) => ({ instance: taskOf(stream, this.o.streamPrefix), verdict: tfBlockRunnerVerdict(events) }));
    return judgeInstances(instances, expected);
  }

  /** The runs the service's runner containers execute now (see {@link tfBlockRunnerRunInProgress}). */
  async runsInProgress(): Promise<readonly RunInProgress[]> {
    const now = this.o.now();
    const streams = await this.read(now - (this.o.runTimeoutMinutes + RUN_LOOKBACK_MARGIN_MINUTES) * 60_000);
    const runs: RunInProgress[] = [];
    for (const [stream, events] of streams) {
      const run = tfBlockRunnerRunInProgress(events, now, this.o.staleAfterMs);
      if (run !== undefined) runs.push({ instance: taskOf(stream, this.o.streamPrefix), ...run });
    }
    return runs;
  }

  /** The runner containers' lines since `startTime`, by stream. */
  private async read(startTime: number): Promise<Map<string, LogEvent[]>> {
    const streams = new Map<string, LogEvent[]>();
    let count = 0;
    let nextToken: string | undefined;
    do {
      const page = await this.o.logs.send(
        new FilterLogEventsCommand({
          logGroupName: this.o.logGroupName,
          logStreamNamePrefix: this.o.streamPrefix,
          startTime: Math.floor(startTime),
          ...(nextToken !== undefined ? { nextToken } : {}),
        }),
      );
      for (const event of page.events ?? []) {
        if (!isEvent(event) || !event.logStreamName.startsWith(this.o.streamPrefix)) continue;
        if (++count > this.o.maxEvents) {
          throw new Error(
            `log group ${this.o.logGroupName} holds more than ${this.o.maxEvents} runner lines since ${new Date(startTime).toISOString()}; ` +
              'the updater reads no further (something floods the runner log) and cannot tell the runner\'s state',
          );
        }
        const list = streams.get(event.logStreamName) ?? [];
        list.push({ timestamp: event.timestamp, message: event.message });
        streams.set(event.logStreamName, list);
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    return streams;
  }

  private async desiredCount(): Promise<number> {
    const answer = await this.o.ecs.send(new DescribeServicesCommand({ cluster: this.o.cluster, services: [this.o.service] }));
    const service = answer.services?.[0];
    if (service?.desiredCount === undefined) {
      throw new Error(`ECS service ${this.o.service} in cluster ${this.o.cluster} was not found or reports no desired count`);
    }
    return service.desiredCount;
  }
}

function isEvent(e: FilteredLogEvent): e is FilteredLogEvent & { logStreamName: string; timestamp: number; message: string } {
  return typeof e.logStreamName === 'string' && typeof e.timestamp === 'number' && typeof e.message === 'string';
}

/** `task <id>` for `runner/runner/<id>`. */
function taskOf(stream: string, prefix: string): string {
  return `task ${stream.slice(prefix.length)}`;
}
