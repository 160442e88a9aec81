/**
 * RunnerHealthSignal: metric filters on the runner's log group for its own poll/login failures and
 * heartbeat, and the two alarms on them, as the ECS stack synthesizes them (and the construct alone
 * for the overrides and failures).
 */
import { Testing } from 'cdktf';
import { ERRORS_PER_PERIOD, phrasePattern, RUNNER_METRIC_NAMESPACE, RunnerHealthSignal } from '../../../constructs/aws/runner-health-signal';
import { TF_BLOCK_RUNNER_LINES } from '../../../updater/core/runner-logs/tf-block-runner';
import { runnerLine } from '../../support/runner-log-lines';
import { exampleTarget, synthConfig, Synthesized, type Json } from '../../support/synth';
import { unitStack } from './unit-stack';

/** CloudWatch's exact-phrase semantics: the quoted text, unescaped, anywhere in the line (case-sensitive). */
function phraseMatches(pattern: string, line: string): boolean {
  const m = /^"((?:[^"\\]|\\.)*)"$/.exec(pattern);
  if (!m) throw new Error(`not a single quoted phrase: ${pattern}`);
  return line.includes(m[1]!.replace(/\\(.)/g, '$1'));
}

describe('RunnerHealthSignal in the ECS example', () => {
  let s: Synthesized;
  let filters: Json[];
  beforeAll(() => {
    s = synthConfig(exampleTarget().config);
    const order = ['PollFailures', 'LoginFailures', 'Heartbeat'];
    filters = order.map((id) => s.find('aws_cloudwatch_log_metric_filter', `MeshstackSignal_${id}`));
  });

  it("counts the runner's poll and login failures into one metric, and its heartbeat into another, on the runner's own log group", () => {
    expect(filters).toEqual([
      {
        name: 'ecsexample-default-meshstack-poll-failures',
        log_group_name: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Runner-default_LogGroup_[0-9A-F]+\.name\}$/),
        pattern: '"unexpected error:"',
        metric_transformation: { name: 'ecsexample-default-meshstack-errors', namespace: RUNNER_METRIC_NAMESPACE, value: '1', default_value: '0', unit: 'Count' },
      },
      {
        name: 'ecsexample-default-meshstack-login-failures',
        log_group_name: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Runner-default_LogGroup_[0-9A-F]+\.name\}$/),
        pattern: '"[ApiKeyAuth] failed to fetch access token"',
        metric_transformation: { name: 'ecsexample-default-meshstack-errors', namespace: RUNNER_METRIC_NAMESPACE, value: '1', default_value: '0', unit: 'Count' },
      },
      {
        name: 'ecsexample-default-poll-heartbeat',
        log_group_name: expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.Runner-default_LogGroup_[0-9A-F]+\.name\}$/),
        pattern: '"[AUTH] Using"',
        metric_transformation: { name: 'ecsexample-default-poll-heartbeats', namespace: RUNNER_METRIC_NAMESPACE, value: '1', unit: 'Count' },
      },
    ]);
  });

  it('each pattern counts the lines the runner writes for it, and not the other lines of a healthy poll or run', () => {
    const [poll, login, heartbeat] = filters.map((f) => f.pattern as string) as [string, string, string];
    const healthy = [runnerLine.startup(), runnerLine.pollStarted(), runnerLine.runStarted('r'), runnerLine.runCall(), runnerLine.runFinished('r')];
    expect(phraseMatches(poll, runnerLine.pollFailed())).toBe(true);
    expect(phraseMatches(poll, runnerLine.pollFailed('Post "https://x/api": dial tcp: lookup x: no such host'))).toBe(true);
    expect(phraseMatches(login, runnerLine.loginFailed())).toBe(true);
    expect(healthy.filter((l) => phraseMatches(poll, l) || phraseMatches(login, l))).toEqual([]);
    expect([runnerLine.pollStarted(), runnerLine.runCall()].every((l) => phraseMatches(heartbeat, l))).toBe(true);
    // The updater's stricter patterns agree on the same lines.
    expect(TF_BLOCK_RUNNER_LINES.pollFailed.test(runnerLine.pollFailed())).toBe(true);
  });

  it('alarm "cannot reach meshStack": 3 or more failures in each 5 minutes for the configured 10 minutes, no data is fine, to the alarm topic', () => {
    expect(s.find('aws_cloudwatch_metric_alarm', 'CannotReachMeshstack')).toMatchObject({
      alarm_name: 'ecsexample-default-cannot-reach-meshstack',
      alarm_description: expect.stringContaining('Runner ecsexample-default cannot reach meshStack'),
      namespace: RUNNER_METRIC_NAMESPACE,
      metric_name: 'ecsexample-default-meshstack-errors',
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 2,
      datapoints_to_alarm: 2,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: ERRORS_PER_PERIOD,
      treat_missing_data: 'notBreaching',
      alarm_actions: [expect.stringMatching(/^\$\{aws_sns_topic\.AlarmTopic_[0-9A-F]+\.arn\}$/)],
      ok_actions: [expect.stringMatching(/^\$\{aws_sns_topic\.AlarmTopic_[0-9A-F]+\.arn\}$/)],
    });
  });

  it('alarm "not polling": no heartbeat line for 10 minutes; missing data is breaching (a silent runner has no data)', () => {
    expect(s.find('aws_cloudwatch_metric_alarm', 'NotPolling')).toMatchObject({
      alarm_name: 'ecsexample-default-not-polling',
      metric_name: 'ecsexample-default-poll-heartbeats',
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 2,
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'breaching',
    });
  });
});

describe('RunnerHealthSignal overrides and failures', () => {
  const synth = (props: Partial<ConstructorParameters<typeof RunnerHealthSignal>[2]>) => {
    const stack = unitStack();
    new RunnerHealthSignal(stack, 'Signal', { name: 't-r', logGroupName: '/private-runner-kit/t/runners/r', alarms: { sinkId: 'arn:aws:sns:eu-central-1:123456789012:t-alarms' }, ...props });
    return new Synthesized(JSON.parse(Testing.synth(stack)));
  };

  it('GIVEN unhealthyMinutes 12 THEN whole 5-minute periods: 3', () => {
    const s = synth({ unhealthyMinutes: 12 });
    for (const [, a] of s.resources('aws_cloudwatch_metric_alarm')) expect(a).toMatchObject({ evaluation_periods: 3, datapoints_to_alarm: 3 });
  });

  it('GIVEN a runner scaled to zero THEN the filters but no alarm (nothing runs that could poll)', () => {
    const s = synth({ desiredCount: 0 });
    expect(s.count('aws_cloudwatch_log_metric_filter')).toBe(3);
    expect(s.count('aws_cloudwatch_metric_alarm')).toBe(0);
  });

  it('fails when unhealthyMinutes is not a positive whole number', () => {
    expect(() => synth({ unhealthyMinutes: 0 })).toThrow('unhealthyMinutes must be a whole number of minutes, at least 1; got 0');
  });

  it('phrasePattern quotes a phrase and escapes quotes and backslashes', () => {
    expect(phrasePattern('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
  });
});
