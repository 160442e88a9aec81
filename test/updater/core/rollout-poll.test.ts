import type { RolloutHealth } from '../../../updater/core/ports';
import { pollRollout, type Clock, type RolloutObservation } from '../../../updater/core/rollout-poll';

/** A clock that advances only when the poller sleeps. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return { slept, now: () => t, sleep: async (ms) => void (slept.push(ms), (t += ms)) };
}

const sequence = (...observations: RolloutObservation[]) => {
  let i = 0;
  return async () => observations[Math.min(i++, observations.length - 1)]!;
};

const base = { subject: 'ECS service prod-default', revision: 'td:7', pollIntervalMs: 10_000 };

describe('pollRollout', () => {
  it('GIVEN the platform reports complete after two readings THEN healthy, having slept the interval between', async () => {
    const clock = fakeClock();
    const health = await pollRollout(sequence({ state: 'in-progress', detail: 'a' }, { state: 'in-progress', detail: 'b' }, { state: 'complete' }), { ...base, timeoutSeconds: 60, clock });
    expect(health).toEqual({ healthy: true });
    expect(clock.slept).toEqual([10_000, 10_000]);
  });

  it('GIVEN complete and a verification THEN the verification decides', async () => {
    const verdict: RolloutHealth = { healthy: false, reason: 'health alarm in ALARM' };
    expect(await pollRollout(sequence({ state: 'complete' }), { ...base, timeoutSeconds: 60, clock: fakeClock(), verify: async () => verdict })).toBe(verdict);
  });

  it('GIVEN failed THEN unhealthy with the platform\'s reason, without waiting further', async () => {
    const clock = fakeClock();
    expect(await pollRollout(sequence({ state: 'failed', reason: 'circuit breaker rolled back' }), { ...base, timeoutSeconds: 60, clock })).toEqual({ healthy: false, reason: 'circuit breaker rolled back' });
    expect(clock.slept).toEqual([]);
  });

  it('GIVEN no end before the deadline THEN unhealthy, naming the subject, the revision, the timeout and the last state; never sleeping past the deadline', async () => {
    const clock = fakeClock();
    const health = await pollRollout(sequence({ state: 'in-progress', detail: '1 of 2 tasks running' }), { ...base, timeoutSeconds: 25, clock });
    expect(health).toEqual({ healthy: false, reason: 'ECS service prod-default did not become healthy on td:7 within 25 s; last state: 1 of 2 tasks running' });
    expect(clock.slept).toEqual([10_000, 10_000, 5_000]);
  });

  it.each([0, -1, Number.NaN])('fails for timeoutSeconds %s', async (timeoutSeconds) => {
    await expect(pollRollout(sequence({ state: 'complete' }), { ...base, timeoutSeconds })).rejects.toThrow(/timeoutSeconds must be a positive number/);
  });

  it('fails for a non-positive poll interval', async () => {
    await expect(pollRollout(sequence({ state: 'complete' }), { ...base, timeoutSeconds: 5, pollIntervalMs: 0 })).rejects.toThrow(/pollIntervalMs must be a positive number/);
  });
});
