/**
 * The runner's own log on Azure Container Instances as the updater's {@link MeshstackSignal} and
 * {@link RunnerActivity}: the runner container's output as ARM returns it (`containers/logs`, the
 * current container instance, each line with ACI's timestamp), judged by the cloud-neutral
 * interpreters of tf-block-runner's lines (`updater/core/runner-logs/tf-block-runner.ts`), exactly as
 * on ECS. This file only fetches lines.
 *
 * Reads: `containerGroups/read` (which image runs, since when) and `containers/logs/read`, on the
 * runner's own group only. The log of the current instance is what matters: a run lives in the
 * current instance (a restart ends it), and after a rollout only the new instance's lines count.
 */
import type { ContainerInstanceManagementClient } from '@azure/arm-containerinstance';
import { judgeInstances, type MeshstackObservation, type MeshstackSignal } from '../../core/meshstack-signal';
import type { Rollout } from '../../core/ports';
import type { RunInProgress, RunnerActivity } from '../../core/runner-activity';
import type { LogEvent } from '../../core/runner-logs/log-event';
import { tfBlockRunnerRunInProgress, tfBlockRunnerVerdict } from '../../core/runner-logs/tf-block-runner';
import { RUNNER_CONTAINER } from './aci-group-spec';

export interface AciRunnerLogOptions {
  readonly aci: ContainerInstanceManagementClient;
  readonly resourceGroup: string;
  readonly groupName: string;
  /** The runner's `timeoutMins` (how long a run can take). */
  readonly runTimeoutMinutes: number;
  /** Lines read from the end of the log. @default 20000 (about 30 hours of an idle runner's polls) */
  readonly tail?: number;
  /** A container whose last line is older is stopped or hung: it executes no run an update could kill. @default 180000 */
  readonly staleAfterMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

export class AciRunnerLog implements MeshstackSignal, RunnerActivity {
  constructor(private readonly o: AciRunnerLogOptions) {
    if (!Number.isInteger(o.runTimeoutMinutes) || o.runTimeoutMinutes <= 0) throw new Error(`runTimeoutMinutes must be the runner's timeoutMins, a positive whole number; got ${o.runTimeoutMinutes}`);
  }

  /** The runner container of `rollout.revision`, started at or after `since`, judged by its lines. */
  async observe(rollout: Rollout, since: number): Promise<MeshstackObservation> {
    const group = await this.o.aci.containerGroups.get(this.o.resourceGroup, this.o.groupName);
    const runner = group.containers.find((c) => c.name === RUNNER_CONTAINER);
    if (runner?.image !== rollout.revision) return judgeInstances([], 1);
    const started = runner.instanceView?.currentState?.startTime?.getTime();
    if (runner.instanceView?.currentState?.state !== 'Running' || started === undefined || started < since) return judgeInstances([], 1);
    const events = (await this.lines()).filter((e) => e.timestamp >= started - 1000);
    return judgeInstances([{ instance: `container group ${this.o.groupName}`, verdict: tfBlockRunnerVerdict(events) }], 1);
  }

  /** The run the runner container executes now, if any (see `tfBlockRunnerRunInProgress`). */
  async runsInProgress(): Promise<readonly RunInProgress[]> {
    let group;
    try {
      group = await this.o.aci.containerGroups.get(this.o.resourceGroup, this.o.groupName);
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return [];
      throw error;
    }
    const runner = group.containers.find((c) => c.name === RUNNER_CONTAINER);
    if (runner?.instanceView?.currentState?.state !== 'Running') return [];
    const now = (this.o.now ?? Date.now)();
    const run = tfBlockRunnerRunInProgress(await this.lines(), now, this.o.staleAfterMs ?? 180_000);
    return run === undefined ? [] : [{ instance: `container group ${this.o.groupName}`, ...run }];
  }

  private async lines(): Promise<LogEvent[]> {
    const logs = await this.o.aci.containers.listLogs(this.o.resourceGroup, this.o.groupName, RUNNER_CONTAINER, { tail: this.o.tail ?? 20_000, timestamps: true });
    return parseAciLog(logs.content ?? '');
  }
}

/** ACI's timestamp (RFC 3339 with up to nanoseconds), then one space, then the line. */
const ACI_STAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}) (.*)$/;
/** Go's standard logger stamp (the runner's own, container time: UTC on ACI), as a fallback. */
const GO_STAMP = /(?:^|\] )(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2}) /;

/**
 * The lines of an ACI container log read with `timestamps=true`. A line without ACI's stamp falls
 * back to the runner's own stamp (seconds, UTC), and a line with neither to the previous line's time.
 */
export function parseAciLog(content: string): LogEvent[] {
  const events: LogEvent[] = [];
  let last = 0;
  for (const raw of content.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line === '') continue;
    const aci = ACI_STAMP.exec(line);
    if (aci) {
      const ms = (aci[2] ?? '').padEnd(3, '0').slice(0, 3);
      last = Date.parse(`${aci[1]}.${ms}${aci[3]}`);
      events.push({ timestamp: last, message: aci[4]! });
      continue;
    }
    const go = GO_STAMP.exec(line);
    if (go) last = Date.UTC(Number(go[1]), Number(go[2]) - 1, Number(go[3]), Number(go[4]), Number(go[5]), Number(go[6]));
    events.push({ timestamp: last, message: line });
  }
  return events;
}
