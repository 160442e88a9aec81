import {
  decide,
  type DecideInput,
  type MaintenanceWindow,
  type UpdateChannel,
  type UpdateDecision,
  type UpdatePolicy,
} from '../../../updater/core';

const UPSTREAM = [
  'latest',
  'main',
  'v1.2.0',
  'v1.2.9',
  'v1.3.0',
  'v1.3.1',
  'v1.3.2-rc.1',
  'v1.9.9',
  'v1.10.0',
  'v2.0.0',
  'v2.1.0-rc.1',
  'garbage',
];

/** Sundays 03:00-05:00 Berlin time. 2026-06-07 is a Sunday. */
const WINDOW: MaintenanceWindow = { schedule: '0 3 * * 0', durationMinutes: 120, timeZone: 'Europe/Berlin' };
const INSIDE = new Date('2026-06-07T01:30:00Z'); // Sunday 03:30 CEST
const OUTSIDE = new Date('2026-06-08T01:30:00Z'); // Monday 03:30 CEST

function policy(channel: UpdateChannel, overrides: Partial<UpdatePolicy> = {}): UpdatePolicy {
  return { channel, hold: false, allowDowngrade: false, ...overrides };
}

function run(overrides: Partial<DecideInput>): UpdateDecision {
  return decide({ running: 'v1.3.0', upstreamTags: UPSTREAM, policy: policy('patch'), now: INSIDE, ...overrides });
}

describe('decide', () => {
  describe('scheduled run inside the window', () => {
    it.each<[UpdateChannel, string, string]>([
      ['patch', 'v1.3.0', 'v1.3.1'],
      ['patch', 'v1.2.0', 'v1.2.9'],
      ['minor', 'v1.3.0', 'v1.10.0'],
      ['latest', 'v1.3.0', 'v2.0.0'],
    ])('GIVEN channel %s running %s THEN it updates to %s', (channel, running, to) => {
      expect(run({ running, policy: policy(channel, { window: WINDOW }) })).toEqual({
        action: 'update',
        outcome: 'update-available',
        from: running,
        to,
        reason: expect.stringMatching(
          new RegExp(`^Applying the change from ${running} to ${to} \\(the newest .*release\\)\\.$`),
        ),
      });
    });

    it('GIVEN channel pinned to a newer version THEN it updates to exactly that version', () => {
      expect(run({ policy: policy('pinned', { version: 'v1.9.9' }) })).toMatchObject({
        action: 'update',
        to: 'v1.9.9',
      });
    });

    it.each<[UpdateChannel, string, string]>([
      ['patch', 'v1.3.1', 'Running v1.3.1 is the newest v1.3.* release.'],
      ['minor', 'v1.10.0', 'Running v1.10.0 is the newest v1.*.* release.'],
      ['latest', 'v2.0.0', 'Running v2.0.0 is the newest release.'],
    ])('GIVEN channel %s running %s, the newest of its line THEN it is up to date', (channel, running, reason) => {
      expect(run({ running, policy: policy(channel) })).toEqual({
        action: 'none',
        outcome: 'up-to-date',
        from: running,
        reason,
      });
    });

    it('GIVEN channel pinned running the pin THEN it is up to date', () => {
      expect(run({ policy: policy('pinned', { version: 'v1.3.0' }) })).toEqual({
        action: 'none',
        outcome: 'up-to-date',
        from: 'v1.3.0',
        reason: 'Running v1.3.0 is the pinned version.',
      });
    });

    it('GIVEN no release of the running line upstream THEN the runner stays, up to date', () => {
      expect(run({ running: 'v4.0.0', policy: policy('patch') })).toEqual({
        action: 'none',
        outcome: 'up-to-date',
        from: 'v4.0.0',
        reason: 'Running v4.0.0 stays: no v4.0.* release is published upstream.',
      });
    });

    it('GIVEN only pre-releases and moving tags are newer THEN nothing changes', () => {
      expect(run({ running: 'v2.0.0', policy: policy('latest') }).outcome).toBe('up-to-date');
    });
  });

  describe('maintenance window', () => {
    it('GIVEN a scheduled run outside the window THEN it only reports, naming the next start', () => {
      expect(run({ policy: policy('patch', { window: WINDOW }), now: OUTSIDE })).toEqual({
        action: 'none',
        outcome: 'outside-window',
        from: 'v1.3.0',
        to: 'v1.3.1',
        reason:
          'The change from v1.3.0 to v1.3.1 (the newest v1.3.* release) waits: the maintenance window "0 3 * * 0" (Europe/Berlin) is closed and opens next at 2026-06-14T01:00:00.000Z.',
      });
    });

    it('GIVEN no window THEN updates happen at any time', () => {
      expect(run({ policy: policy('patch'), now: OUTSIDE }).action).toBe('update');
    });

    it('GIVEN an operator update request outside the window THEN it updates now', () => {
      expect(
        run({ policy: policy('patch', { window: WINDOW }), now: OUTSIDE, request: { action: 'update' } }),
      ).toMatchObject({
        action: 'update',
        outcome: 'update-available',
        to: 'v1.3.1',
      });
    });

    it('GIVEN the first deployment outside the window THEN it deploys now (nothing runs to disrupt)', () => {
      expect(run({ running: undefined, policy: policy('patch', { window: WINDOW }), now: OUTSIDE })).toMatchObject({
        action: 'update',
        to: 'v2.0.0',
      });
    });
  });

  describe('hold', () => {
    it('GIVEN hold THEN it never updates but reports what is available', () => {
      expect(run({ policy: policy('latest', { hold: true }) })).toEqual({
        action: 'none',
        outcome: 'held',
        from: 'v1.3.0',
        to: 'v2.0.0',
        reason:
          'The policy holds the runner (hold: true), so the change from v1.3.0 to v2.0.0 (the newest release) waits.',
      });
    });

    it.each([
      ['an operator update', { action: 'update' as const }],
      ['an operator update to a version', { action: 'update' as const, version: 'v1.3.1' }],
      ['a check', { action: 'check' as const }],
    ])('GIVEN hold WHEN %s is requested THEN it is held', (_name, request) => {
      expect(run({ policy: policy('patch', { hold: true }), request })).toMatchObject({
        action: 'none',
        outcome: 'held',
        to: 'v1.3.1',
      });
    });

    it('GIVEN hold WHEN a rollback is requested THEN it is held', () => {
      expect(run({ policy: policy('patch', { hold: true }), request: { action: 'rollback' } })).toEqual({
        action: 'none',
        outcome: 'held',
        from: 'v1.3.0',
        reason: 'The policy holds the runner (hold: true), so the rollback from v1.3.0 waits.',
      });
    });

    it('GIVEN hold on the first deployment THEN it is held', () => {
      expect(run({ running: undefined, policy: policy('patch', { hold: true }) })).toMatchObject({
        action: 'none',
        outcome: 'held',
        to: 'v2.0.0',
      });
    });

    it('GIVEN hold and nothing newer THEN it is simply up to date', () => {
      expect(run({ running: 'v1.3.1', policy: policy('patch', { hold: true }) }).outcome).toBe('up-to-date');
    });
  });

  describe('check requests never change anything', () => {
    it('GIVEN a check inside the window THEN it reports the update without applying it', () => {
      expect(run({ policy: policy('patch', { window: WINDOW }), request: { action: 'check' } })).toEqual({
        action: 'none',
        outcome: 'update-available',
        from: 'v1.3.0',
        to: 'v1.3.1',
        reason: 'Check only: the change from v1.3.0 to v1.3.1 (the newest v1.3.* release) is available.',
      });
    });

    it('GIVEN a check outside the window THEN it reports that the update would wait', () => {
      expect(
        run({ policy: policy('patch', { window: WINDOW }), now: OUTSIDE, request: { action: 'check' } }),
      ).toMatchObject({
        action: 'none',
        outcome: 'outside-window',
        to: 'v1.3.1',
      });
    });

    it('GIVEN a check for a given version in the channel THEN it reports that version', () => {
      expect(run({ request: { action: 'check', version: 'v1.3.1' } })).toMatchObject({ action: 'none', outcome: 'update-available', to: 'v1.3.1' });
    });

    it('GIVEN a check for a version beyond the channel THEN it reports that it would be rejected', () => {
      expect(run({ request: { action: 'check', version: 'v2.0.0' } })).toMatchObject({ action: 'none', outcome: 'rejected' });
    });

    it('GIVEN a check on the first deployment THEN nothing is deployed', () => {
      expect(run({ running: undefined, request: { action: 'check' } })).toMatchObject({ action: 'none', to: 'v2.0.0' });
    });
  });

  describe('no downgrade', () => {
    it('GIVEN a pin older than the running release and allowDowngrade false THEN nothing changes and the reason says why', () => {
      expect(run({ policy: policy('pinned', { version: 'v1.2.9' }) })).toEqual({
        action: 'none',
        outcome: 'rejected',
        from: 'v1.3.0',
        reason:
          'Rejected: v1.2.9, the pinned version, is older than running v1.3.0 and allowDowngrade is false, so the runner stays on v1.3.0.',
      });
    });

    it('GIVEN a pin older than the running release and allowDowngrade true THEN it moves back to the pin', () => {
      expect(run({ policy: policy('pinned', { version: 'v1.2.9', allowDowngrade: true }) })).toMatchObject({
        action: 'update',
        from: 'v1.3.0',
        to: 'v1.2.9',
      });
    });

    it('GIVEN the running release was withdrawn upstream and the newest is older THEN it stays', () => {
      expect(run({ running: 'v2.5.0', policy: policy('latest') })).toMatchObject({
        action: 'none',
        outcome: 'rejected',
      });
    });

    it('GIVEN a requested older version and allowDowngrade false THEN it is rejected', () => {
      expect(run({ request: { action: 'update', version: 'v1.2.0' } })).toMatchObject({
        action: 'none',
        outcome: 'rejected',
        reason: expect.stringContaining('allowDowngrade is false'),
      });
    });

    it('GIVEN a requested older version and allowDowngrade true THEN it downgrades', () => {
      expect(
        run({ policy: policy('patch', { allowDowngrade: true }), request: { action: 'update', version: 'v1.2.0' } }),
      ).toMatchObject({
        action: 'update',
        to: 'v1.2.0',
      });
    });
  });

  describe('first deployment (nothing runs)', () => {
    it.each<UpdateChannel>(['patch', 'minor', 'latest'])(
      'GIVEN channel %s and no version THEN it deploys the newest release',
      (channel) => {
        expect(run({ running: undefined, policy: policy(channel) })).toEqual({
          action: 'update',
          outcome: 'update-available',
          from: undefined,
          to: 'v2.0.0',
          reason: 'Applying the first deployment of v2.0.0 (the newest release).',
        });
      },
    );

    it.each<UpdateChannel>(['pinned', 'patch', 'minor', 'latest'])(
      'GIVEN channel %s and version v1.2.9 THEN it deploys v1.2.9',
      (channel) => {
        expect(run({ running: undefined, policy: policy(channel, { version: 'v1.2.9' }) })).toMatchObject({
          action: 'update',
          to: 'v1.2.9',
        });
      },
    );

    it('GIVEN a version that is not published upstream THEN it is rejected', () => {
      expect(run({ running: undefined, policy: policy('minor', { version: 'v1.4.0' }) })).toEqual({
        action: 'none',
        outcome: 'rejected',
        from: undefined,
        reason: 'Rejected: the initial version v1.4.0 is not published upstream.',
      });
    });

    it('GIVEN no release upstream THEN it is rejected', () => {
      expect(run({ running: undefined, upstreamTags: ['latest', 'main', 'v3.0.0-rc.1'] })).toMatchObject({
        outcome: 'rejected',
        reason: 'Rejected: no release tag vX.Y.Z is published upstream.',
      });
    });
  });

  describe('request validation', () => {
    it.each([
      ['latest', 'Rejected: requested version "latest" is not a release tag vX.Y.Z.'],
      ['1.3.1', 'Rejected: requested version "1.3.1" is not a release tag vX.Y.Z.'],
      ['v1.3.2-rc.1', 'Rejected: requested version "v1.3.2-rc.1" is not a release tag vX.Y.Z.'],
      ['v9.9.9', 'Rejected: requested version v9.9.9 is not published upstream.'],
    ])('GIVEN an update to %j THEN it is rejected', (version, reason) => {
      expect(run({ request: { action: 'update', version } })).toEqual({
        action: 'none',
        outcome: 'rejected',
        from: 'v1.3.0',
        reason,
      });
    });

    it.each<[UpdateChannel, string, string]>([
      ['patch', 'v1.9.9', 'Rejected: requested version v1.9.9 is beyond the patch channel, which moves v1.3.0 only to a v1.3.* release; change updates.channel in the configuration to go there.'],
      ['patch', 'v2.0.0', 'Rejected: requested version v2.0.0 is beyond the patch channel, which moves v1.3.0 only to a v1.3.* release; change updates.channel in the configuration to go there.'],
      ['minor', 'v2.0.0', 'Rejected: requested version v2.0.0 is beyond the minor channel, which moves v1.3.0 only to a v1.*.* release; change updates.channel in the configuration to go there.'],
    ])('GIVEN channel %s WHEN an operator requests %s THEN it is rejected: an operator cannot move a runner past the customer\'s channel', (channel, version, reason) => {
      expect(run({ policy: policy(channel, { window: WINDOW }), now: OUTSIDE, request: { action: 'update', version } })).toEqual({ action: 'none', outcome: 'rejected', from: 'v1.3.0', reason });
    });

    it.each<[UpdateChannel, string]>([
      ['patch', 'v1.3.1'],
      ['minor', 'v1.9.9'],
      ['latest', 'v2.0.0'],
    ])('GIVEN channel %s WHEN an operator requests %s (within it) THEN it updates now, outside the window', (channel, version) => {
      expect(run({ policy: policy(channel, { window: WINDOW }), now: OUTSIDE, request: { action: 'update', version } })).toEqual({
        action: 'update',
        outcome: 'update-available',
        from: 'v1.3.0',
        to: version,
        reason: `Applying the change from v1.3.0 to ${version} (the requested version).`,
      });
    });

    it('GIVEN a pinned policy WHEN another version is requested THEN it is rejected (change the pin instead)', () => {
      expect(
        run({ policy: policy('pinned', { version: 'v1.3.0' }), request: { action: 'update', version: 'v1.3.1' } }),
      ).toMatchObject({
        outcome: 'rejected',
        reason:
          'Rejected: the policy pins v1.3.0, so requested version v1.3.1 is not allowed; change the pinned version in the configuration instead.',
      });
    });

    it('GIVEN a pinned policy WHEN the pin itself is requested THEN it moves to the pin now', () => {
      expect(
        run({
          policy: policy('pinned', { version: 'v1.3.1', window: WINDOW }),
          now: OUTSIDE,
          request: { action: 'update', version: 'v1.3.1' },
        }),
      ).toMatchObject({ action: 'update', to: 'v1.3.1' });
    });

    it('GIVEN the running version is requested THEN it is up to date', () => {
      expect(run({ request: { action: 'update', version: 'v1.3.0' } })).toMatchObject({
        action: 'none',
        outcome: 'up-to-date',
      });
    });

    it('GIVEN a rollback request THEN it rolls back to the previous revision, even outside the window', () => {
      expect(
        run({ policy: policy('patch', { window: WINDOW }), now: OUTSIDE, request: { action: 'rollback' } }),
      ).toEqual({
        action: 'rollback',
        outcome: 'update-available',
        from: 'v1.3.0',
        reason: 'Rolling back from v1.3.0 to the previous revision, as an operator requested.',
      });
    });

    it('GIVEN a rollback request with a version THEN it is rejected', () => {
      expect(run({ request: { action: 'rollback', version: 'v1.2.9' } })).toMatchObject({
        action: 'none',
        outcome: 'rejected',
        reason: expect.stringContaining('takes no version (got "v1.2.9")'),
      });
    });

    it('GIVEN a rollback request on the first deployment THEN it is rejected', () => {
      expect(run({ running: undefined, request: { action: 'rollback' } })).toEqual({
        action: 'none',
        outcome: 'rejected',
        from: undefined,
        reason: 'Rejected: nothing runs yet, so there is no previous revision to roll back to.',
      });
    });
  });

  describe('invalid input', () => {
    it('GIVEN an invalid policy THEN it is rejected, naming every field', () => {
      const bad = policy('pinned', { window: { schedule: '0 3 * * MON', durationMinutes: 60, timeZone: 'Berlin' } });
      const decision = run({ policy: bad });
      expect(decision).toMatchObject({ action: 'none', outcome: 'rejected' });
      expect(decision.reason).toContain('channel "pinned" needs version');
      expect(decision.reason).toContain('window.schedule: cron "0 3 * * MON": day-of-week "MON" is not valid');
      expect(decision.reason).toContain('window.timeZone "Berlin" is not an IANA time zone');
    });

    it.each(['latest', 'main', 'sha256:0123'])(
      'GIVEN the running tag %j is not a release THEN it is rejected',
      (running) => {
        expect(run({ running })).toEqual({
          action: 'none',
          outcome: 'rejected',
          from: running,
          reason: `Rejected: running tag "${running}" is not a release vX.Y.Z, so an update cannot be told from a downgrade; redeploy a release or request a rollback.`,
        });
      },
    );
  });
});
