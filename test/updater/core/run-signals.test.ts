/**
 * The run with the two runner signals, against in-memory ports and a fake clock:
 * - the meshStack signal gates rollouts and restores after the platform's own verdict;
 * - a busy runner is never replaced by an update or an operator's rollback: bounded wait, window,
 *   then `deferred-busy`, and nothing changes.
 */
import type { MeshstackObservation, MeshstackSignal } from '../../../updater/core/meshstack-signal';
import type { ImageMirror, Reporter, RunnerDeployment, UpdateReport, VersionRecord } from '../../../updater/core/ports';
import { runUpdater, type RunnerPorts, type UpdaterRunInput } from '../../../updater/core/run';
import type { RunInProgress, RunnerActivity } from '../../../updater/core/runner-activity';
import type { UpdatePolicy } from '../../../updater/core/update-policy';
import { FakeClock } from '../../support/fake-clock';

const START = Date.parse('2026-11-22T02:10:00Z');
const digestOf = (v: string) => `sha256:${Buffer.from(v).toString('hex').padEnd(64, '0')}`;
const RUN: RunInProgress = { instance: 'task-1', runId: 'run-42', startedAt: START - 600_000 };

/** One runner: a service with revisions, a record, a meshStack signal per image, and a busy schedule. */
class World {
  readonly clock = new FakeClock(START);
  revisions = new Map<string, string>([['td:1', `mirror@${digestOf('v1.2.0')}`]]);
  serviceRevision = 'td:1';
  record: VersionRecord | undefined = {
    version: 'v1.2.0',
    digest: digestOf('v1.2.0'),
    revision: 'td:1',
    previous: { version: 'v1.1.0', digest: digestOf('v1.1.0'), revision: 'td:0' },
    updatedAt: 'before',
  };
  /** What the signal answers for an image, in order (the last answer repeats). */
  signal = new Map<string, MeshstackObservation[]>();
  /** Until when (epoch ms) the runner executes RUN. */
  busyUntil = 0;
  activityError: Error | undefined;
  readonly log: string[] = [];
  readonly reports: UpdateReport[] = [];

  constructor() {
    this.revisions.set('td:0', `mirror@${digestOf('v1.1.0')}`);
  }

  ports(policy: Partial<UpdatePolicy> = {}, name = 'default'): RunnerPorts {
    const mirror: ImageMirror = { promote: async (v) => (this.log.push(`promote ${v}`), digestOf(v)), imageReference: (d) => `mirror@${d}` };
    const deployment: RunnerDeployment = {
      current: async () => ({ revision: this.serviceRevision }),
      rollOut: async (image) => {
        const revision = `td:${this.revisions.size}`;
        this.revisions.set(revision, image);
        const previousRevision = this.serviceRevision;
        this.serviceRevision = revision;
        this.log.push(`rollOut ${revision} at ${this.clock.now() - START}`);
        return { revision, previousRevision };
      },
      restore: async (revision) => {
        const previousRevision = this.serviceRevision;
        this.serviceRevision = revision;
        this.log.push(`restore ${revision}`);
        return { revision, previousRevision };
      },
      waitHealthy: async () => ({ healthy: true }),
    };
    const meshstack: MeshstackSignal = {
      observe: async (rollout, since) => {
        const answers = this.signal.get(this.revisions.get(rollout.revision)!) ?? [{ state: 'reaching', detail: 'polls succeed' }];
        this.log.push(`observe ${rollout.revision} since ${since - START}`);
        return answers.length > 1 ? answers.shift()! : answers[0]!;
      },
    };
    const activity: RunnerActivity = {
      runsInProgress: async () => {
        if (this.activityError) throw this.activityError;
        return this.clock.now() < this.busyUntil ? [RUN] : [];
      },
    };
    return {
      name,
      policy: { channel: 'patch', hold: false, allowDowngrade: false, version: 'v1.2.0', ...policy },
      releases: { listTags: async () => ['v1.2.0', 'v1.2.1'] },
      mirror,
      deployment,
      versions: { read: async () => this.record, write: async (r) => void (this.record = r) },
      meshstack,
      activity,
    };
  }

  reporter: Reporter = { report: async (r) => void this.reports.push(r) };

  run(payload: UpdaterRunInput['payload'], options: Partial<UpdaterRunInput> = {}, policy: Partial<UpdatePolicy> = {}) {
    return runUpdater({
      target: 't',
      payload,
      runners: [this.ports(policy)],
      reporter: this.reporter,
      rolloutTimeoutSeconds: 300,
      clock: this.clock,
      ...options,
    });
  }
}

const failingPolls: MeshstackObservation = { state: 'failing', reason: 'task-2: 2 polls in a row failed; last: unexpected error: unexpected HTTP status: 401' };

describe('runUpdater with the meshStack signal', () => {
  it('GIVEN the new runners reach meshStack THEN updated, the signal asked about the new revision since the rollout began', async () => {
    const w = new World();
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default).toMatchObject({ outcome: 'updated', to: 'v1.2.1' });
    expect(w.log).toEqual(['promote v1.2.1', 'rollOut td:2 at 0', 'observe td:2 since 0']);
  });

  it('GIVEN the new runners cannot poll (the platform calls the rollout healthy) THEN rolled back, the reason quoting the runner', async () => {
    const w = new World();
    w.signal.set(`mirror@${digestOf('v1.2.1')}`, [{ state: 'unknown', detail: 'no poll yet' }, failingPolls]);
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.2.0', to: 'v1.2.1' });
    expect(result.runners.default!.reason).toBe(
      'v1.2.1 did not become healthy (the runners of td:2 cannot reach meshStack: task-2: 2 polls in a row failed; last: unexpected error: unexpected HTTP status: 401); rolled back to v1.2.0, which is healthy again.',
    );
    expect(w.serviceRevision).toBe('td:1');
    expect(w.record?.version).toBe('v1.2.0');
    // The restore is verified by the same signal: the old revision reaches meshStack again.
    expect(w.log.filter((l) => l.startsWith('observe'))).toEqual(['observe td:2 since 0', 'observe td:2 since 0', 'observe td:1 since 15000']);
  });

  it('GIVEN the new runners never show a successful poll THEN the signal waits until the rollout deadline, then rolls back', async () => {
    const w = new World();
    w.signal.set(`mirror@${digestOf('v1.2.1')}`, [{ state: 'unknown', detail: 'its first poll is under way (no answer yet)' }]);
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default!.outcome).toBe('rolled-back');
    expect(result.runners.default!.reason).toContain('no runner of td:2 showed within 300 s of the rollout that it reaches meshStack (its first poll is under way (no answer yet))');
  });

  it('GIVEN the platform used up the rollout timeout THEN the signal still gets minimumSignalSeconds', async () => {
    const w = new World();
    const ports = w.ports();
    const slowPlatform: RunnerDeployment = { ...ports.deployment, waitHealthy: async (_r, timeout) => (await w.clock.sleep(timeout * 1000), { healthy: true }) };
    w.signal.set(`mirror@${digestOf('v1.2.1')}`, [{ state: 'unknown', detail: 'x' }]);
    const started = w.clock.now();
    await runUpdater({ target: 't', payload: { action: 'scheduled' }, runners: [{ ...ports, deployment: slowPlatform }], reporter: w.reporter, rolloutTimeoutSeconds: 300, clock: w.clock, minimumSignalSeconds: 90 });
    // 300 s for the rollout, 90 s of signal, then the restore (300 s platform; its signal answers reaching at once).
    expect(w.clock.now() - started).toBe((300 + 90 + 300) * 1000);
  });

  it('GIVEN the old revision cannot reach meshStack either (e.g. a rotated credential broke both) THEN failed, both reasons given', async () => {
    const w = new World();
    w.signal.set(`mirror@${digestOf('v1.2.1')}`, [failingPolls]);
    w.signal.set(`mirror@${digestOf('v1.2.0')}`, [{ state: 'failing', reason: 'task-3: 2 polls in a row failed; last: unexpected error: unexpected HTTP status: 401' }]);
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default!.outcome).toBe('failed');
    expect(result.runners.default!.reason).toMatch(/did not become healthy \(the runners of td:2 cannot reach meshStack.*\) and the rollback to v1\.2\.0 is not healthy either \(the runners of td:1 cannot reach meshStack: task-3/);
  });

  it("GIVEN an operator's rollback whose target cannot reach meshStack THEN failed and back on the running revision", async () => {
    const w = new World();
    w.signal.set(`mirror@${digestOf('v1.1.0')}`, [failingPolls]);
    const result = await w.run({ action: 'rollback' });
    expect(result.runners.default).toMatchObject({ outcome: 'failed', from: 'v1.2.0', to: 'v1.1.0' });
    expect(w.serviceRevision).toBe('td:1');
    expect(w.record?.version).toBe('v1.2.0');
  });
});

describe('runUpdater with a busy runner', () => {
  it('GIVEN a run in progress and no time to wait THEN deferred-busy: promoted, nothing rolled out, record unchanged, reported', async () => {
    const w = new World();
    w.busyUntil = START + 3_600_000;
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default).toEqual({
      outcome: 'deferred-busy',
      from: 'v1.2.0',
      to: 'v1.2.1',
      digest: digestOf('v1.2.0'),
      revision: 'td:1',
      reason:
        'The runner is executing run run-42 on task-1 (started 2026-11-22T02:00:00.000Z), and replacing it would kill the run; the change from v1.2.0 to v1.2.1 waits (this run has no time left to wait). Nothing changed; the next run tries again (v1.2.1 is promoted and waits in the mirror).',
    });
    expect(w.log).toEqual(['promote v1.2.1']);
    expect(w.record?.version).toBe('v1.2.0');
    expect(w.reports.map((r) => r.outcome)).toEqual(['deferred-busy']);
  });

  it('GIVEN the run ends within the wait THEN updated, rolled out right after the run ended', async () => {
    const w = new World();
    w.busyUntil = START + 70_000;
    const result = await w.run({ action: 'scheduled' }, { busyWaitSeconds: 600, busyPollSeconds: 30 });
    expect(result.runners.default!.outcome).toBe('updated');
    expect(w.log).toContain('rollOut td:2 at 90000');
  });

  it('GIVEN the run outlasts the wait THEN deferred-busy after waiting exactly the budget', async () => {
    const w = new World();
    w.busyUntil = START + 3_600_000;
    const result = await w.run({ action: 'scheduled' }, { busyWaitSeconds: 100, busyPollSeconds: 30 });
    expect(result.runners.default!.outcome).toBe('deferred-busy');
    expect(result.runners.default!.reason).toContain('still busy after waiting 100 s, the longest this run may wait');
    expect(w.clock.slept).toBe(100_000);
  });

  it('GIVEN a scheduled run in the window and the window closes during the wait THEN deferred-busy, naming the window', async () => {
    const w = new World();
    w.busyUntil = START + 3_600_000;
    // The window opens at 02:00 UTC for 15 minutes; the run starts at 02:10.
    const window = { schedule: '0 2 * * *', durationMinutes: 15, timeZone: 'UTC' };
    const result = await w.run({ action: 'scheduled' }, { busyWaitSeconds: 3600, busyPollSeconds: 60 }, { window });
    expect(result.runners.default!.outcome).toBe('deferred-busy');
    expect(result.runners.default!.reason).toContain('the maintenance window "0 2 * * *" (UTC) closed after waiting 300 s');
    expect(w.log).toEqual(['promote v1.2.1']);
  });

  it("GIVEN an operator's update outside the window THEN only the budget bounds the wait", async () => {
    const w = new World();
    w.busyUntil = START + 400_000;
    const window = { schedule: '0 5 * * *', durationMinutes: 15, timeZone: 'UTC' };
    const result = await w.run({ action: 'update', version: 'v1.2.1' }, { busyWaitSeconds: 900, busyPollSeconds: 60 }, { window });
    expect(result.runners.default!.outcome).toBe('updated');
  });

  it("GIVEN an operator's rollback while a run is in progress THEN deferred-busy and nothing restored", async () => {
    const w = new World();
    w.busyUntil = START + 3_600_000;
    const result = await w.run({ action: 'rollback' });
    expect(result.runners.default).toMatchObject({ outcome: 'deferred-busy', from: 'v1.2.0', to: 'v1.1.0' });
    expect(result.runners.default!.reason).toMatch(/the rollback from v1\.2\.0 to v1\.1\.0 waits \(this run has no time left to wait\)\. Nothing changed; ask for the rollback again once the run is done\.$/);
    expect(w.log).toEqual([]);
    expect(w.serviceRevision).toBe('td:1');
  });

  it('GIVEN the activity cannot be read THEN failed (alarmed), nothing rolled out', async () => {
    const w = new World();
    w.activityError = new Error('AccessDeniedException: logs:FilterLogEvents');
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default).toMatchObject({ outcome: 'failed' });
    expect(result.runners.default!.reason).toBe(
      'Updater error: cannot tell whether the runner is executing a run (AccessDeniedException: logs:FilterLogEvents), so it was not replaced; nothing was changed',
    );
    expect(w.log).toEqual(['promote v1.2.1']);
  });

  it('GIVEN the new release is found unhealthy THEN the automatic rollback does not wait for runs (the activity is asked once, before the rollout)', async () => {
    const w = new World();
    w.signal.set(`mirror@${digestOf('v1.2.1')}`, [failingPolls]);
    let looks = 0;
    const ports = w.ports();
    const activity: RunnerActivity = { runsInProgress: async () => (looks++ === 0 ? [] : [RUN]) };
    const result = await runUpdater({ target: 't', payload: { action: 'scheduled' }, runners: [{ ...ports, activity }], reporter: w.reporter, rolloutTimeoutSeconds: 300, clock: w.clock, busyWaitSeconds: 600 });
    expect(result.runners.default!.outcome).toBe('rolled-back');
    expect(looks).toBe(1);
  });

  it('GIVEN two busy runners THEN the wait budget is shared: the run never waits longer than busyWaitSeconds in total', async () => {
    const w = new World();
    w.busyUntil = START + 3_600_000;
    const result = await runUpdater({
      target: 't',
      payload: { action: 'scheduled' },
      runners: [w.ports({}, 'a'), w.ports({}, 'b')],
      reporter: w.reporter,
      rolloutTimeoutSeconds: 300,
      clock: w.clock,
      busyWaitSeconds: 120,
      busyPollSeconds: 30,
    });
    expect(Object.values(result.runners).map((r) => r.outcome)).toEqual(['deferred-busy', 'deferred-busy']);
    expect(w.clock.slept).toBe(120_000);
  });
});
