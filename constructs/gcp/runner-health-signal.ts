/**
 * Health that sees meshStack on Cloud Run: alerts on the runner's own log lines in Cloud Logging
 * (its /healthz answers 200 whatever its state, and worker pools have no probes in google 6.50.0).
 * The phrases are the runner's own (`updater/core/runner-logs/tf-block-runner.ts`, v1.3.0):
 * - "cannot reach meshStack": poll or login failures, more than one in `runnerUnhealthyMinutes`
 *   (one failed poll can be a blip; the runner retries 60 s later);
 * - "not polling": the worker loop's heartbeat (`[AUTH] Using`) absent for that long.
 * Only while the runner runs (replicas > 0). The updater's rollout gate reads the same lines.
 */
import { Construct } from 'constructs';
import type { IRunnerHealthSignal } from '../core/interfaces';
import { TF_BLOCK_RUNNER_PHRASES } from '../../updater/core/runner-logs/tf-block-runner';
import type { AlarmChannels } from './alarm-channels';
import { LogAlert } from './log-alert';

export interface RunnerHealthSignalProps {
  readonly target: string;
  readonly runner: string;
  /** The worker pool's Cloud Logging filter. */
  readonly logFilter: string;
  readonly channels: AlarmChannels;
  readonly replicas: number;
  readonly unhealthyMinutes: number;
}

/** A Cloud Logging substring test of one phrase, quoted for the filter language. */
const has = (phrase: string) => `textPayload:${JSON.stringify(phrase)}`;

export class RunnerHealthSignal extends Construct implements IRunnerHealthSignal {
  readonly unreachableAlarmName?: string;
  readonly silentAlarmName?: string;

  constructor(scope: Construct, id: string, props: RunnerHealthSignalProps) {
    super(scope, id);
    if (props.replicas <= 0) return;
    const name = `${props.target}-${props.runner}`;
    const common = { target: props.target, channels: props.channels, minutes: props.unhealthyMinutes };
    const unreachable = new LogAlert(this, 'CannotReachMeshstack', {
      ...common,
      metric: `${props.runner}/meshstack-failures`,
      description: `Poll and login failures of runner ${name} (its own log lines)`,
      filter: `${props.logFilter} AND (${has(TF_BLOCK_RUNNER_PHRASES.pollFailed)} OR ${has(TF_BLOCK_RUNNER_PHRASES.loginFailed)})`,
      displayName: `${name}: cannot reach meshStack`,
      documentation: `Runner ${name} logs failed polls or logins: check its API key, the meshStack URL and egress (NAT, firewall).`,
      when: { above: 1 },
    });
    const silent = new LogAlert(this, 'NotPolling', {
      ...common,
      metric: `${props.runner}/poll-heartbeat`,
      description: `Poll heartbeat of runner ${name} (one line per poll)`,
      filter: `${props.logFilter} AND ${has(TF_BLOCK_RUNNER_PHRASES.heartbeat)}`,
      displayName: `${name}: not polling`,
      documentation: `Runner ${name} has logged no poll: it is not running, stuck, or its instances fail to start.`,
      when: 'absent',
    });
    this.unreachableAlarmName = unreachable.displayName;
    this.silentAlarmName = silent.displayName;
  }
}
