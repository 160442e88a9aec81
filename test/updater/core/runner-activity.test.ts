/**
 * The bounded wait for a busy runner, cloud-neutral.
 */
import { describeRuns, waitUntilIdle, type RunInProgress, type RunnerActivity } from '../../../updater/core/runner-activity';
import { FakeClock } from '../../support/fake-clock';

const RUN: RunInProgress = { instance: 'task-1', runId: 'run-42', startedAt: Date.parse('2026-11-22T09:40:00Z') };
const activityOf = (...answers: (readonly RunInProgress[] | Error)[]): RunnerActivity & { looks: number } => {
  const a = {
    looks: 0,
    runsInProgress: async () => {
      a.looks++;
      const next = answers.length > 1 ? answers.shift()! : answers[0]!;
      if (next instanceof Error) throw next;
      return next;
    },
  };
  return a;
};

describe('waitUntilIdle', () => {
  it('GIVEN an idle runner THEN idle after one look, without waiting', async () => {
    const clock = new FakeClock(0);
    await expect(waitUntilIdle(activityOf([]), { deadline: 600_000, pollIntervalMs: 30_000, clock })).resolves.toEqual({ idle: true, waitedMs: 0 });
  });

  it('GIVEN a run that ends after two looks THEN idle, having waited two intervals', async () => {
    const clock = new FakeClock(0);
    const activity = activityOf([RUN], [RUN], []);
    await expect(waitUntilIdle(activity, { deadline: 600_000, pollIntervalMs: 30_000, clock })).resolves.toEqual({ idle: true, waitedMs: 60_000 });
    expect(activity.looks).toBe(3);
  });

  it('GIVEN a deadline already passed (no wait allowed) THEN one look and busy', async () => {
    const clock = new FakeClock(0);
    await expect(waitUntilIdle(activityOf([RUN]), { deadline: 0, pollIntervalMs: 30_000, clock })).resolves.toEqual({ idle: false, runs: [RUN], reason: 'this run has no time left to wait' });
    expect(clock.slept).toBe(0);
  });

  it('GIVEN a run longer than the deadline THEN busy after waiting up to the deadline, never beyond', async () => {
    const clock = new FakeClock(0);
    const result = await waitUntilIdle(activityOf([RUN]), { deadline: 100_000, pollIntervalMs: 30_000, clock });
    expect(result).toEqual({ idle: false, runs: [RUN], reason: 'still busy after waiting 100 s, the longest this run may wait' });
    expect(clock.sleeps).toEqual([30_000, 30_000, 30_000, 10_000]);
  });

  it('GIVEN stop says the window closed THEN busy with that reason, at once', async () => {
    const clock = new FakeClock(0);
    const stop = (now: number) => (now >= 60_000 ? 'the maintenance window "0 2 * * *" (UTC) closed' : undefined);
    await expect(waitUntilIdle(activityOf([RUN]), { deadline: 600_000, pollIntervalMs: 30_000, stop, clock })).resolves.toEqual({
      idle: false,
      runs: [RUN],
      reason: 'the maintenance window "0 2 * * *" (UTC) closed after waiting 60 s',
    });
  });

  it('GIVEN the activity cannot be read THEN the error is passed on, never taken for idle', async () => {
    const clock = new FakeClock(0);
    await expect(waitUntilIdle(activityOf(new Error('AccessDenied')), { deadline: 600_000, pollIntervalMs: 30_000, clock })).rejects.toThrow('AccessDenied');
  });

  it('describeRuns names run, instance and start', () => {
    expect(describeRuns([RUN, { instance: 'task-2' }])).toBe('run run-42 on task-1 (started 2026-11-22T09:40:00.000Z), a run on task-2');
  });
});
