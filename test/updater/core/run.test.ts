/**
 * The cloud-neutral run against in-memory ports: every path a real adapter can take (healthy,
 * unhealthy then rolled back, rollback failing, errors thrown, bootstrap, operator rollback).
 */
import type {
  ImageMirror,
  ReleaseSource,
  Reporter,
  RolloutHealth,
  RunnerDeployment,
  UpdateReport,
  VersionRecord,
  VersionStore,
} from '../../../updater/core/ports';
import { runUpdater, type RunnerPorts } from '../../../updater/core/run';
import type { UpdatePolicy } from '../../../updater/core/update-policy';

const NOW = new Date('2026-11-22T10:00:00Z');
const digestOf = (v: string) => `sha256:${Buffer.from(v).toString('hex').padEnd(64, '0')}`;

class FakeWorld {
  tags = ['v1.2.0', 'v1.2.1', 'v1.3.0', 'latest', 'main', 'v1.4.0-rc.1'];
  promoted: string[] = [];
  revisions: { revision: string; image: string }[] = [{ revision: 'td:1', image: `mirror@${digestOf('v1.2.0')}` }];
  serviceRevision: string | undefined = 'td:1';
  unhealthy = new Set<string>(); // images that never become healthy
  record: VersionRecord | undefined = { version: 'v1.2.0', digest: digestOf('v1.2.0'), updatedAt: 'before' };
  reports: UpdateReport[] = [];
  throwOnPromote = false;

  ports(policy: Partial<UpdatePolicy> = {}): RunnerPorts {
    const releases: ReleaseSource = { listTags: async () => this.tags };
    const mirror: ImageMirror = {
      promote: async (v) => {
        if (this.throwOnPromote) throw new Error('registry unreachable');
        this.promoted.push(v);
        return digestOf(v);
      },
      imageReference: (d) => `mirror@${d}`,
    };
    const imageOf = (rev: string) => this.revisions.find((r) => r.revision === rev)?.image ?? '';
    const deployment: RunnerDeployment = {
      current: async () => (this.serviceRevision === undefined ? undefined : { revision: this.serviceRevision, digest: imageOf(this.serviceRevision).split('@')[1] }),
      rollOut: async (image) => {
        const revision = `td:${this.revisions.length + 1}`;
        this.revisions.push({ revision, image });
        const previousRevision = this.serviceRevision as string;
        this.serviceRevision = revision;
        return { revision, previousRevision };
      },
      restore: async (revision) => {
        const previousRevision = this.serviceRevision as string;
        this.serviceRevision = revision;
        return { revision, previousRevision };
      },
      waitHealthy: async (rollout): Promise<RolloutHealth> =>
        this.unhealthy.has(imageOf(rollout.revision)) ? { healthy: false, reason: 'tasks fail their health check' } : { healthy: true },
    };
    const versions: VersionStore = {
      read: async () => this.record,
      write: async (r) => {
        this.record = r;
      },
    };
    return {
      name: 'default',
      policy: { channel: 'patch', hold: false, allowDowngrade: false, version: 'v1.2.0', ...policy },
      releases,
      mirror,
      deployment,
      versions,
    };
  }

  reporter: Reporter = { report: async (r) => void this.reports.push(r) };

  run(payload: Parameters<typeof runUpdater>[0]['payload'], policy: Partial<UpdatePolicy> = {}) {
    return runUpdater({ target: 't', payload, runners: [this.ports(policy)], reporter: this.reporter, rolloutTimeoutSeconds: 60, now: () => NOW });
  }
}

describe('runUpdater', () => {
  it('GIVEN a newer patch WHEN the scheduled run happens THEN it promotes, rolls out, records and reports updated', async () => {
    const w = new FakeWorld();
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default).toMatchObject({ outcome: 'updated', from: 'v1.2.0', to: 'v1.2.1', digest: digestOf('v1.2.1'), revision: 'td:2' });
    expect(w.promoted).toEqual(['v1.2.1']);
    expect(w.serviceRevision).toBe('td:2');
    expect(w.record).toMatchObject({ version: 'v1.2.1', digest: digestOf('v1.2.1'), revision: 'td:2', previous: { version: 'v1.2.0', revision: 'td:1' } });
    expect(w.reports).toHaveLength(1);
    expect(w.reports[0]).toMatchObject({ target: 't', runner: 'default', action: 'scheduled', outcome: 'updated' });
  });

  it('GIVEN the new version never becomes healthy THEN the service returns to the old revision and the record keeps the old version', async () => {
    const w = new FakeWorld();
    w.unhealthy.add(`mirror@${digestOf('v1.2.1')}`);
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default.outcome).toBe('rolled-back');
    expect(result.runners.default.reason).toContain('tasks fail their health check');
    expect(w.serviceRevision).toBe('td:1');
    expect(w.record?.version).toBe('v1.2.0');
    expect(w.reports.map((r) => r.outcome)).toEqual(['rolled-back']);
  });

  it('GIVEN the rollback is unhealthy too THEN the outcome is failed', async () => {
    const w = new FakeWorld();
    w.unhealthy.add(`mirror@${digestOf('v1.2.1')}`);
    w.unhealthy.add(`mirror@${digestOf('v1.2.0')}`);
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default.outcome).toBe('failed');
    expect(result.runners.default.reason).toContain('the rollback to v1.2.0 is not healthy either');
  });

  it('a check changes nothing and reports update-available', async () => {
    const w = new FakeWorld();
    const result = await w.run({ action: 'check' }, { channel: 'latest' });
    expect(result.runners.default).toMatchObject({ outcome: 'update-available', to: 'v1.3.0' });
    expect(w.promoted).toEqual([]);
    expect(w.serviceRevision).toBe('td:1');
  });

  it('up to date reports up-to-date and promotes nothing', async () => {
    const w = new FakeWorld();
    w.record = { version: 'v1.2.1', digest: digestOf('v1.2.1'), updatedAt: 'x' };
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default.outcome).toBe('up-to-date');
    expect(w.promoted).toEqual([]);
  });

  it('outside the window the scheduled run only reports; an operator update does not wait', async () => {
    const window = { schedule: '0 2 * * *', durationMinutes: 60, timeZone: 'UTC' };
    const w = new FakeWorld();
    expect((await w.run({ action: 'scheduled' }, { window })).runners.default.outcome).toBe('outside-window');
    expect(w.serviceRevision).toBe('td:1');
    expect((await w.run({ action: 'update', version: 'v1.3.0' }, { window, channel: 'minor' })).runners.default.outcome).toBe('updated');
    expect(w.record?.version).toBe('v1.3.0');
  });

  it('an operator rollback returns to the recorded previous revision', async () => {
    const w = new FakeWorld();
    await w.run({ action: 'scheduled' });
    const result = await w.run({ action: 'rollback' });
    expect(result.runners.default).toMatchObject({ outcome: 'rolled-back', from: 'v1.2.1', to: 'v1.2.0', revision: 'td:1' });
    expect(w.serviceRevision).toBe('td:1');
    expect(w.record).toMatchObject({ version: 'v1.2.0', previous: { version: 'v1.2.1', revision: 'td:2' } });
  });

  it('a rollback without a previous revision is rejected and changes nothing', async () => {
    const w = new FakeWorld();
    const result = await w.run({ action: 'rollback' });
    expect(result.runners.default.outcome).toBe('rejected');
    expect(w.serviceRevision).toBe('td:1');
  });

  it('an error in a port becomes a failed report, not a crash', async () => {
    const w = new FakeWorld();
    w.throwOnPromote = true;
    const result = await w.run({ action: 'scheduled' });
    expect(result.runners.default).toMatchObject({ outcome: 'failed', reason: 'Updater error: registry unreachable' });
    expect(w.reports).toHaveLength(1);
  });

  it('bootstrap promotes the configured version and returns the record to store, touching no service', async () => {
    const w = new FakeWorld();
    w.record = undefined;
    w.serviceRevision = undefined;
    const result = await w.run({ action: 'bootstrap' }, { version: 'v1.2.0' });
    expect(result.runners.default).toMatchObject({
      outcome: 'bootstrapped',
      to: 'v1.2.0',
      digest: digestOf('v1.2.0'),
      image: `mirror@${digestOf('v1.2.0')}`,
      record: { version: 'v1.2.0', digest: digestOf('v1.2.0'), updatedAt: NOW.toISOString() },
    });
    expect(w.promoted).toEqual(['v1.2.0']);
    expect(w.record).toBeUndefined();
    expect(w.revisions).toHaveLength(1);
  });

  it('a repeated bootstrap returns the recorded digest and promotes nothing', async () => {
    const w = new FakeWorld();
    w.record = { version: 'v1.2.1', digest: digestOf('v1.2.1'), updatedAt: 'x' };
    const result = await w.run({ action: 'bootstrap' }, { version: 'v1.2.0' });
    expect(result.runners.default).toMatchObject({ to: 'v1.2.1', digest: digestOf('v1.2.1') });
    expect(w.promoted).toEqual([]);
  });

  it('a failed bootstrap throws, so the deploy stops with the reason', async () => {
    const w = new FakeWorld();
    w.record = undefined;
    w.throwOnPromote = true;
    await expect(w.run({ action: 'bootstrap' })).rejects.toThrow('Bootstrap failed for runner default: Updater error: registry unreachable');
  });

  it('without a record an update refuses (never bootstrapped)', async () => {
    const w = new FakeWorld();
    w.record = undefined;
    const result = await w.run({ action: 'update', version: 'v1.3.0' }, { channel: 'minor' });
    expect(result.runners.default.outcome).toBe('failed');
    expect(result.runners.default.reason).toContain('never bootstrapped');
  });
});
