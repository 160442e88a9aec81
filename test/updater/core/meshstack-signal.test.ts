/**
 * The cloud-neutral parts of the meshStack signal: one verdict from many instances, and the bounded
 * wait for evidence after the platform called a rollout complete.
 */
import { awaitMeshstack, judgeInstances, type MeshstackObservation, type MeshstackSignal } from '../../../updater/core/meshstack-signal';
import { FakeClock } from '../../support/fake-clock';

const ROLLOUT = { revision: 'td:2', previousRevision: 'td:1' };
const reaching = (detail = 'ok'): MeshstackObservation => ({ state: 'reaching', detail });
const unknown = (detail = 'waiting'): MeshstackObservation => ({ state: 'unknown', detail });
const failing = (reason = '401'): MeshstackObservation => ({ state: 'failing', reason });

describe('judgeInstances', () => {
  it('GIVEN every expected instance reaching THEN reaching', () => {
    expect(judgeInstances([{ instance: 'a', verdict: reaching() }, { instance: 'b', verdict: reaching() }], 2)).toMatchObject({ state: 'reaching', detail: expect.stringContaining('2 of 2') });
  });

  it('GIVEN one instance failing among reaching ones THEN failing, naming it', () => {
    expect(judgeInstances([{ instance: 'a', verdict: reaching() }, { instance: 'b', verdict: failing('2 polls in a row failed') }], 2)).toEqual({ state: 'failing', reason: 'b: 2 polls in a row failed' });
  });

  it('GIVEN fewer reaching instances than expected (one silent) THEN unknown', () => {
    expect(judgeInstances([{ instance: 'a', verdict: reaching() }, { instance: 'b', verdict: unknown('its first poll is under way') }], 2)).toEqual({
      state: 'unknown',
      detail: '1 of 2 expected instance(s) showed that they reach meshStack; b: its first poll is under way',
    });
    expect(judgeInstances([], 1)).toMatchObject({ state: 'unknown', detail: expect.stringContaining('no instance of the revision has logged yet') });
  });

  it('GIVEN a runner scaled to zero THEN reaching: nothing runs that could be broken', () => {
    expect(judgeInstances([], 0).state).toBe('reaching');
  });
});

describe('awaitMeshstack', () => {
  const signalOf = (...answers: (MeshstackObservation | Error)[]): MeshstackSignal & { calls: number[] } => {
    const calls: number[] = [];
    return {
      calls,
      observe: async (_rollout, since) => {
        calls.push(since);
        const next = answers.length > 1 ? answers.shift()! : answers[0]!;
        if (next instanceof Error) throw next;
        return next;
      },
    };
  };
  const options = (clock: FakeClock, seconds = 120) => ({ since: clock.now(), deadline: clock.now() + seconds * 1000, pollIntervalMs: 15_000, clock });

  it('GIVEN evidence that the runners reach meshStack THEN healthy at once', async () => {
    const clock = new FakeClock(1_000_000);
    const signal = signalOf(reaching());
    await expect(awaitMeshstack(signal, ROLLOUT, options(clock))).resolves.toEqual({ healthy: true });
    expect(signal.calls).toEqual([1_000_000]);
    expect(clock.slept).toBe(0);
  });

  it('GIVEN no evidence yet, then reaching THEN it asks again and is healthy', async () => {
    const clock = new FakeClock(0);
    const signal = signalOf(unknown(), unknown(), reaching());
    await expect(awaitMeshstack(signal, ROLLOUT, options(clock))).resolves.toEqual({ healthy: true });
    expect(clock.sleeps).toEqual([15_000, 15_000]);
  });

  it('GIVEN failing THEN unhealthy at once, with the reason', async () => {
    const clock = new FakeClock(0);
    await expect(awaitMeshstack(signalOf(unknown(), failing('task-1: 2 polls in a row failed; last: unexpected error: unexpected HTTP status: 401')), ROLLOUT, options(clock))).resolves.toEqual({
      healthy: false,
      reason: 'the runners of td:2 cannot reach meshStack: task-1: 2 polls in a row failed; last: unexpected error: unexpected HTTP status: 401',
    });
  });

  it('GIVEN no evidence until the deadline (a hung runner) THEN unhealthy, with the last evidence', async () => {
    const clock = new FakeClock(0);
    const result = await awaitMeshstack(signalOf(unknown('its first poll is under way (no answer yet)')), ROLLOUT, options(clock, 100));
    expect(result).toEqual({ healthy: false, reason: 'no runner of td:2 showed within 100 s of the rollout that it reaches meshStack (its first poll is under way (no answer yet))' });
    expect(clock.slept).toBe(100_000);
    expect(clock.sleeps.at(-1)).toBe(10_000);
  });

  it('GIVEN the log cannot be read once THEN it asks again (a blip does not roll back)', async () => {
    const clock = new FakeClock(0);
    await expect(awaitMeshstack(signalOf(new Error('ThrottlingException: Rate exceeded'), reaching()), ROLLOUT, options(clock))).resolves.toEqual({ healthy: true });
  });

  it('GIVEN the log can never be read (e.g. a missing permission) THEN unhealthy at the deadline, naming the error', async () => {
    const clock = new FakeClock(0);
    await expect(awaitMeshstack(signalOf(new Error('AccessDeniedException: not authorized to perform logs:FilterLogEvents')), ROLLOUT, options(clock, 30))).resolves.toEqual({
      healthy: false,
      reason: expect.stringContaining("the runner's log could not be read: AccessDeniedException: not authorized to perform logs:FilterLogEvents"),
    });
  });

  it('rejects a poll interval that is not positive', async () => {
    await expect(awaitMeshstack(signalOf(reaching()), ROLLOUT, { since: 0, deadline: 1, pollIntervalMs: 0 })).rejects.toThrow('pollIntervalMs must be a positive number');
  });
});
