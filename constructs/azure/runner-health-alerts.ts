/**
 * Health that sees meshStack, as Azure alert rules on the runner's own log lines in the target's
 * Log Analytics workspace (ACI's `ContainerInstanceLog_CL` table, once the updater has linked the
 * group): "cannot reach meshStack" when the runner logs poll or login failures, "not polling" when
 * its worker loop stops logging its per-request heartbeat (a stopped, crashing or hung runner).
 * The twin of `constructs/aws/runner-health-signal.ts`; the phrases are the runner's own text
 * (`TF_BLOCK_RUNNER_PHRASES`), and the updater's rollout gate reads the same lines, stricter.
 *
 * "Not polling" arms once the group's logs arrive: a group whose log was never linked (the first
 * minutes after the first deploy, until the updater's next tick) has no lines at all, and the rule
 * does not fire on that (it looks for a runner that logged in the last day and stopped).
 */
import { MonitorScheduledQueryRulesAlertV2 } from '@cdktf/provider-azurerm/lib/monitor-scheduled-query-rules-alert-v2';
import { Construct } from 'constructs';
import type { IAlarmSink, IRunnerHealthSignal } from '../core/interfaces';
import { TF_BLOCK_RUNNER_PHRASES } from '../../updater/core/runner-logs/tf-block-runner';
import type { ResourceScope } from './resource-scope';

/** Failure lines per window that count as "cannot reach" (one or two are a meshStack blip). */
export const ERRORS_PER_WINDOW = 3;

/** The window lengths Azure's log alert rules accept, in minutes (ISO 8601 durations PT5M .. P1D). */
export const ALERT_WINDOW_MINUTES = [5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440] as const;

/** The shortest accepted window that covers `minutes` (at least 5: the rules are evaluated every 5 minutes). */
export function alertWindow(minutes: number): { readonly minutes: number; readonly duration: string } {
  const m = ALERT_WINDOW_MINUTES.find((w) => w >= minutes) ?? 1440;
  return { minutes: m, duration: m === 1440 ? 'P1D' : m % 60 === 0 ? `PT${m / 60}H` : `PT${m}M` };
}

/** A Kusto string literal of `text` (double quotes, backslash escapes). */
export function kql(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

export interface RunnerHealthAlertsProps {
  readonly scope: ResourceScope;
  /** The runner's container group name (`ContainerGroup_s` in the table). */
  readonly groupName: string;
  readonly workspaceId: string;
  readonly alarms: IAlarmSink;
  readonly unreachableName: string;
  readonly silentName: string;
  /** Minutes of evidence before an alert fires. @default 10 */
  readonly unhealthyMinutes?: number;
}

export class RunnerHealthAlerts extends Construct implements IRunnerHealthSignal {
  readonly unreachableAlarmName: string;
  readonly silentAlarmName: string;

  constructor(scope: Construct, id: string, props: RunnerHealthAlertsProps) {
    super(scope, id);
    const window = alertWindow(props.unhealthyMinutes ?? 10);
    const minutes = window.minutes;
    const P = TF_BLOCK_RUNNER_PHRASES;
    const lines = `ContainerInstanceLog_CL\n| where ContainerGroup_s == ${kql(props.groupName)} and ContainerName_s == "runner"`;
    const rule = (id: string, name: string, description: string, query: string, severity: number) =>
      new MonitorScheduledQueryRulesAlertV2(this, id, {
        name,
        description,
        resourceGroupName: props.scope.resourceGroupName,
        location: props.scope.location,
        scopes: [props.workspaceId],
        severity,
        evaluationFrequency: 'PT5M',
        windowDuration: window.duration,
        criteria: [{ query, timeAggregationMethod: 'Count', operator: 'GreaterThan', threshold: 0, failingPeriods: { minimumFailingPeriodsToTriggerAlert: 1, numberOfEvaluationPeriods: 1 } }],
        autoMitigationEnabled: true,
        action: { actionGroups: [props.alarms.sinkId] },
        tags: { ...props.scope.tags },
      });
    rule(
      'Unreachable',
      props.unreachableName,
      `Runner ${props.groupName} logged at least ${ERRORS_PER_WINDOW} failed polls or logins in ${minutes} minutes: it cannot reach meshStack (credentials, network, DNS, TLS). Its /healthz cannot tell.`,
      [`${lines}`, `| where Message has ${kql(P.pollFailed)} or Message has ${kql(P.loginFailed)}`, '| summarize failures = count()', `| where failures >= ${ERRORS_PER_WINDOW}`].join('\n'),
      1,
    );
    rule(
      'Silent',
      props.silentName,
      `Runner ${props.groupName} logged no poll for ${minutes} minutes after it had logged before: it is stopped, crashing or hung, and picks up no runs.`,
      [
        `let window = ${minutes}m;`,
        `let recent = toscalar(${lines.replace('\n', ' ')} | where TimeGenerated > ago(window) and Message has ${kql(P.heartbeat)} | count);`,
        `${lines}`,
        '| where TimeGenerated > ago(1d)',
        '| summarize lines = count()',
        '| where lines > 0 and recent == 0',
      ].join('\n'),
      1,
    );
    this.unreachableAlarmName = props.unreachableName;
    this.silentAlarmName = props.silentName;
  }
}
