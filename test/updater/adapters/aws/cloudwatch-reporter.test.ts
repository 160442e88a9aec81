import { CloudWatchClient, GetMetricStatisticsCommand, ListMetricsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchReporter, reportLevel } from '../../../../updater/adapters/aws/cloudwatch-reporter';
import type { UpdateReport } from '../../../../updater/core/ports';
import { moto, startMoto, type MotoServer } from '../../../support/moto';
import { describeWith } from '../../../support/requirements';
import { emulatorClientConfig } from './emulator-clients';

const UPDATED: UpdateReport = {
  target: 'acme-prod',
  runner: 'default',
  action: 'scheduled',
  outcome: 'updated',
  from: 'v1.3.0',
  to: 'v1.4.0',
  digest: `sha256:${'2'.repeat(64)}`,
  revision: 'arn:aws:ecs:eu-central-1:123456789012:task-definition/acme-prod-default:8',
  reason: 'v1.4.0 is the newest minor release. v1.4.0 is healthy.',
  durationMs: 184_212,
};

describe('CloudWatchReporter without a working metric endpoint', () => {
  it('logs the report, then one error line when PutMetricData fails, and does not throw', async () => {
    const lines: string[] = [];
    const failing = {
      send: async () => {
        throw Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/acme-prod-updater is not authorized to perform: cloudwatch:PutMetricData'), { name: 'AccessDenied' });
      },
    } as unknown as CloudWatchClient;
    await expect(new CloudWatchReporter({ cloudwatch: failing, log: (l) => lines.push(l) }).report(UPDATED)).resolves.toBeUndefined();
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', msg: 'runner-kit update', outcome: 'updated' });
    expect(JSON.parse(lines[1])).toEqual({
      level: 'error',
      msg: 'runner-kit update metric not published',
      target: 'acme-prod',
      runner: 'default',
      outcome: 'updated',
      namespace: 'PrivateRunnerKit/Updater',
      error: 'AccessDenied: User: arn:aws:sts::123456789012:assumed-role/acme-prod-updater is not authorized to perform: cloudwatch:PutMetricData',
      fix: expect.stringContaining('cloudwatch:PutMetricData'),
    });
  });

  it.each([
    ['failed', 'error'],
    ['rolled-back', 'warn'],
    ['rejected', 'warn'],
    ['updated', 'info'],
    ['up-to-date', 'info'],
  ] as const)('logs outcome %s at level %s', (outcome, level) => {
    expect(reportLevel(outcome)).toBe(level);
  });
});

describeWith([moto], 'CloudWatchReporter on the AWS API emulator', () => {
  let server: MotoServer;
  let cloudwatch: CloudWatchClient;

  beforeAll(async () => {
    server = await startMoto();
    cloudwatch = new CloudWatchClient(emulatorClientConfig(server.endpoint));
  });

  afterAll(async () => {
    await server?.stop();
  });

  it('logs exactly one JSON line with the report\'s fields in order', async () => {
    const lines: string[] = [];
    await new CloudWatchReporter({ cloudwatch, log: (l) => lines.push(l) }).report(UPDATED);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    const line = JSON.parse(lines[0]);
    expect(Object.keys(line)).toEqual(['level', 'msg', 'target', 'runner', 'action', 'outcome', 'from', 'to', 'digest', 'revision', 'reason', 'durationMs']);
    expect(line).toEqual({ level: 'info', msg: 'runner-kit update', ...UPDATED });
  });

  it('leaves out the fields a report does not have', async () => {
    const lines: string[] = [];
    await new CloudWatchReporter({ cloudwatch, log: (l) => lines.push(l) }).report({
      target: 'acme-prod',
      runner: 'default',
      action: 'check',
      outcome: 'up-to-date',
      reason: 'Running v1.4.0 stays.',
      durationMs: 812,
    });
    expect(JSON.parse(lines[0])).toEqual({ level: 'info', msg: 'runner-kit update', target: 'acme-prod', runner: 'default', action: 'check', outcome: 'up-to-date', reason: 'Running v1.4.0 stays.', durationMs: 812 });
  });

  it('puts one UpdateOutcome data point with dimensions Target, Runner, Outcome', async () => {
    await new CloudWatchReporter({ cloudwatch, namespace: 'Test/Updater', log: () => undefined }).report({ ...UPDATED, outcome: 'rolled-back' });
    const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'Test/Updater' }));
    expect(listed.Metrics).toEqual([
      {
        Namespace: 'Test/Updater',
        MetricName: 'UpdateOutcome',
        Dimensions: expect.arrayContaining([
          { Name: 'Target', Value: 'acme-prod' },
          { Name: 'Runner', Value: 'default' },
          { Name: 'Outcome', Value: 'rolled-back' },
        ]),
      },
    ]);
    const stats = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Test/Updater',
        MetricName: 'UpdateOutcome',
        Dimensions: [
          { Name: 'Target', Value: 'acme-prod' },
          { Name: 'Runner', Value: 'default' },
          { Name: 'Outcome', Value: 'rolled-back' },
        ],
        StartTime: new Date(Date.now() - 10 * 60_000),
        EndTime: new Date(Date.now() + 60_000),
        Period: 60,
        Statistics: ['Sum'],
        Unit: 'Count',
      }),
    );
    expect(stats.Datapoints?.reduce((sum, d) => sum + (d.Sum ?? 0), 0)).toBe(1);
  });

  it('uses the namespace PrivateRunnerKit/Updater by default', async () => {
    await new CloudWatchReporter({ cloudwatch, log: () => undefined }).report({ ...UPDATED, outcome: 'held' });
    const listed = await cloudwatch.send(new ListMetricsCommand({ Namespace: 'PrivateRunnerKit/Updater', MetricName: 'UpdateOutcome' }));
    const held = listed.Metrics?.filter((m) => m.Dimensions?.some((d) => d.Name === 'Outcome' && d.Value === 'held'));
    expect(held).toHaveLength(1);
  });
});
