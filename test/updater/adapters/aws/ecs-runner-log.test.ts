/**
 * EcsRunnerLog without the emulator: the requests it sends (one log group, the runner streams, no
 * filter pattern, the look-back for runs), paging to the end, and the bound on what it reads.
 */
import type { CloudWatchLogsClient, FilterLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import type { ECSClient } from '@aws-sdk/client-ecs';
import { EcsRunnerLog, RUN_LOOKBACK_MARGIN_MINUTES } from '../../../../updater/adapters/aws/ecs-runner-log';
import { runnerLine } from '../../../support/runner-log-lines';

type Page = { events: { logStreamName: string; timestamp: number; message: string }[]; nextToken?: string };

function clients(pages: Page[], desiredCount = 1) {
  const requests: FilterLogEventsCommandInput[] = [];
  const logs = {
    send: async (command: { input: FilterLogEventsCommandInput }) => {
      requests.push(command.input);
      return pages.shift() ?? { events: [] };
    },
  } as unknown as CloudWatchLogsClient;
  const ecs = { send: async () => ({ services: [{ desiredCount }] }) } as unknown as ECSClient;
  return { logs, ecs, requests };
}

const NOW = Date.parse('2026-11-22T10:00:00Z');
const options = (c: ReturnType<typeof clients>, extra: object = {}) => ({
  logs: c.logs,
  ecs: c.ecs,
  cluster: 'acme',
  service: 'acme-default',
  logGroupName: '/private-runner-kit/acme/runners/default',
  runTimeoutMinutes: 60,
  now: () => NOW,
  ...extra,
});

describe('EcsRunnerLog', () => {
  it('reads only the runner streams of its log group, without a filter pattern, from the run timeout plus the margin back; follows every page', async () => {
    const c = clients([
      { events: [{ logStreamName: 'runner/runner/t1', timestamp: NOW - 600_000, message: runnerLine.runStarted('run-1') }], nextToken: 'p2' },
      { events: [], nextToken: 'p3' },
      { events: [{ logStreamName: 'runner/runner/t1', timestamp: NOW - 5_000, message: runnerLine.runCall() }] },
    ]);
    await expect(new EcsRunnerLog(options(c)).runsInProgress()).resolves.toEqual([{ instance: 'task t1', runId: 'run-1', startedAt: NOW - 600_000 }]);
    expect(c.requests).toEqual([
      { logGroupName: '/private-runner-kit/acme/runners/default', logStreamNamePrefix: 'runner/runner/', startTime: NOW - (60 + RUN_LOOKBACK_MARGIN_MINUTES) * 60_000 },
      { logGroupName: '/private-runner-kit/acme/runners/default', logStreamNamePrefix: 'runner/runner/', startTime: NOW - (60 + RUN_LOOKBACK_MARGIN_MINUTES) * 60_000, nextToken: 'p2' },
      { logGroupName: '/private-runner-kit/acme/runners/default', logStreamNamePrefix: 'runner/runner/', startTime: NOW - (60 + RUN_LOOKBACK_MARGIN_MINUTES) * 60_000, nextToken: 'p3' },
    ]);
  });

  it('drops lines of other streams even when the log store ignores the prefix (the emulator does)', async () => {
    const c = clients([{ events: [{ logStreamName: 'volume-init/volume-init/t1', timestamp: NOW - 5_000, message: runnerLine.runStarted('x') }] }]);
    await expect(new EcsRunnerLog(options(c)).runsInProgress()).resolves.toEqual([]);
  });

  it('fails rather than guesses when the log holds more lines than maxEvents', async () => {
    const events = Array.from({ length: 5 }, (_, i) => ({ logStreamName: 'runner/runner/t1', timestamp: NOW - i, message: runnerLine.pollStarted() }));
    await expect(new EcsRunnerLog(options(clients([{ events }]), { maxEvents: 4 })).runsInProgress()).rejects.toThrow(
      'log group /private-runner-kit/acme/runners/default holds more than 4 runner lines since',
    );
  });

  it('observe judges against the desired count: a runner scaled to zero needs no evidence', async () => {
    await expect(new EcsRunnerLog(options(clients([], 0))).observe({ revision: 'td:2', previousRevision: 'td:1' }, NOW)).resolves.toMatchObject({ state: 'reaching' });
  });

  it('fails when constructed with a log group or a run timeout it cannot use', () => {
    expect(() => new EcsRunnerLog(options(clients([]), { logGroupName: 'no spaces allowed' }))).toThrow('logGroupName "no spaces allowed" is not a CloudWatch log group name');
    expect(() => new EcsRunnerLog(options(clients([]), { runTimeoutMinutes: 0 }))).toThrow("runTimeoutMinutes must be the runner's timeoutMins, a positive whole number; got 0");
  });
});
