import {
  chooseTarget,
  formatRelease,
  parseReleaseTag,
  releasesIn,
  validateUpdatePolicy,
  type TargetChoice,
  type UpdateChannel,
  type UpdatePolicy,
} from '../../../updater/core';

/** Upstream as ghcr.io lists it: releases mixed with moving tags, pre-releases and malformed tags. */
const UPSTREAM_TAGS = [
  'latest',
  'main',
  'v1.2.0',
  'v1.2.9',
  'v1.3.0',
  'v1.3.1',
  'v1.3.2-rc.1',
  '1.3.5',
  'v01.3.9',
  'v1.3',
  'v1.9.9',
  'v1.10.0',
  'v1.11.0-rc.1',
  'v2.0.0',
  'v2.0.1+build.7',
  'v3.0.0-rc.1',
  'garbage',
];
const UPSTREAM = releasesIn(UPSTREAM_TAGS);

function policy(channel: UpdateChannel, overrides: Partial<UpdatePolicy> = {}): UpdatePolicy {
  return { channel, hold: false, allowDowngrade: false, ...overrides };
}

/** The chosen tag, or the kind when nothing is chosen, to keep the tables readable. */
function chosen(choice: TargetChoice): string {
  return choice.kind === 'release' ? formatRelease(choice.release) : choice.kind;
}

describe('releasesIn', () => {
  it('keeps only release tags vX.Y.Z', () => {
    expect(releasesIn(UPSTREAM_TAGS).map(formatRelease)).toEqual([
      'v1.2.0',
      'v1.2.9',
      'v1.3.0',
      'v1.3.1',
      'v1.9.9',
      'v1.10.0',
      'v2.0.0',
    ]);
  });
});

describe('chooseTarget', () => {
  it.each<[UpdateChannel, string, string]>([
    ['patch', 'v1.3.0', 'v1.3.1'],
    ['patch', 'v1.2.0', 'v1.2.9'],
    ['patch', 'v1.3.1', 'v1.3.1'],
    ['patch', 'v2.0.0', 'v2.0.0'],
    ['minor', 'v1.3.0', 'v1.10.0'],
    ['minor', 'v1.2.0', 'v1.10.0'],
    ['minor', 'v2.0.0', 'v2.0.0'],
    ['latest', 'v1.3.0', 'v2.0.0'],
    ['latest', 'v1.2.0', 'v2.0.0'],
    ['latest', 'v2.0.0', 'v2.0.0'],
  ])('GIVEN channel %s running %s THEN it chooses %s, ignoring non-release tags', (channel, running, expected) => {
    expect(chosen(chooseTarget(policy(channel), parseReleaseTag(running), UPSTREAM))).toBe(expected);
  });

  it('GIVEN channel patch THEN v1.1 does not pick up v1.10 (numeric, not prefix, match)', () => {
    const upstream = releasesIn(['v1.1.0', 'v1.1.4', 'v1.10.0', 'v1.11.2']);
    expect(chosen(chooseTarget(policy('patch'), parseReleaseTag('v1.1.0'), upstream))).toBe('v1.1.4');
  });

  it.each<[string, string, string]>([
    ['v1.3.0', 'v1.2.9', 'older than running'],
    ['v1.3.0', 'v1.3.0', 'equal to running'],
    ['v1.3.0', 'v2.0.0', 'newer than running'],
  ])(
    'GIVEN channel pinned running %s WHEN pinned to %s (%s) THEN it chooses exactly the pin',
    (running, pin, _case) => {
      expect(chosen(chooseTarget(policy('pinned', { version: pin }), parseReleaseTag(running), UPSTREAM))).toBe(pin);
    },
  );

  it('GIVEN a pin that is not published upstream THEN it says so', () => {
    expect(chooseTarget(policy('pinned', { version: 'v1.4.0' }), parseReleaseTag('v1.3.0'), UPSTREAM)).toEqual({
      kind: 'unavailable',
      reason: 'the pinned version v1.4.0 is not published upstream',
    });
  });

  it('GIVEN the pinned version runs but was withdrawn upstream THEN it stays chosen', () => {
    expect(chosen(chooseTarget(policy('pinned', { version: 'v1.4.0' }), parseReleaseTag('v1.4.0'), UPSTREAM))).toBe(
      'v1.4.0',
    );
  });

  it('GIVEN channel pinned without a version THEN nothing can be chosen', () => {
    expect(chooseTarget(policy('pinned'), parseReleaseTag('v1.3.0'), UPSTREAM).kind).toBe('unavailable');
  });

  it.each<UpdateChannel>(['patch', 'minor', 'latest'])(
    'GIVEN channel %s and no release of the running line upstream THEN the runner stays',
    (channel) => {
      expect(chooseTarget(policy(channel), parseReleaseTag('v4.0.0'), releasesIn(['latest', 'v5.0.0-rc.1']))).toEqual({
        kind: 'stay',
        reason: `no ${
          channel === 'latest' ? 'release' : channel === 'minor' ? 'v4.*.* release' : 'v4.0.* release'
        } is published upstream`,
      });
    },
  );

  it('GIVEN channel latest and the running release newer than any upstream THEN it chooses the older newest (the caller refuses downgrades)', () => {
    expect(chosen(chooseTarget(policy('latest'), parseReleaseTag('v3.0.0'), UPSTREAM))).toBe('v2.0.0');
  });

  describe('on the first deployment (nothing runs)', () => {
    it.each<UpdateChannel>(['patch', 'minor', 'latest'])(
      'GIVEN channel %s and no version THEN it chooses the newest release',
      (channel) => {
        expect(chooseTarget(policy(channel), undefined, UPSTREAM)).toEqual({
          kind: 'release',
          release: parseReleaseTag('v2.0.0'),
          because: 'the newest release',
        });
      },
    );

    it.each<UpdateChannel>(['pinned', 'patch', 'minor', 'latest'])(
      'GIVEN channel %s and version v1.3.0 THEN it chooses v1.3.0',
      (channel) => {
        expect(chosen(chooseTarget(policy(channel, { version: 'v1.3.0' }), undefined, UPSTREAM))).toBe('v1.3.0');
      },
    );

    it('GIVEN an initial version that is not published upstream THEN it says so', () => {
      expect(chooseTarget(policy('minor', { version: 'v1.4.0' }), undefined, UPSTREAM)).toEqual({
        kind: 'unavailable',
        reason: 'the initial version v1.4.0 is not published upstream',
      });
    });

    it('GIVEN no release upstream at all THEN nothing can be chosen', () => {
      expect(chooseTarget(policy('latest'), undefined, releasesIn(['latest', 'main']))).toEqual({
        kind: 'unavailable',
        reason: 'no release tag vX.Y.Z is published upstream',
      });
    });
  });
});

describe('validateUpdatePolicy', () => {
  it('accepts a complete policy', () => {
    expect(
      validateUpdatePolicy(
        policy('minor', {
          version: 'v1.3.0',
          window: { schedule: '0 3 * * 0', durationMinutes: 120, timeZone: 'Europe/Berlin' },
        }),
      ),
    ).toEqual([]);
  });

  it('fails when channel pinned has no version', () => {
    expect(validateUpdatePolicy(policy('pinned'))).toEqual([
      'channel "pinned" needs version, the release to stay on, e.g. version: v1.3.0',
    ]);
  });

  it.each(['1.3.0', 'latest', 'v1.3.0-rc.1', 'v1.3'])('fails when version is %j', (version) => {
    expect(validateUpdatePolicy(policy('patch', { version }))).toEqual([
      `version "${version}" is not a release tag; use the form vX.Y.Z, e.g. v1.3.0`,
    ]);
  });

  it('fails when the window is invalid, naming the window field', () => {
    const errors = validateUpdatePolicy(
      policy('latest', { window: { schedule: '0 3 * *', durationMinutes: 0, timeZone: 'Mars/Olympus_Mons' } }),
    );
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^window\.schedule: cron "0 3 \* \*" has 4 fields/);
    expect(errors[1]).toMatch(/^window\.durationMinutes 0 is not allowed/);
    expect(errors[2]).toMatch(/^window\.timeZone "Mars\/Olympus_Mons" is not an IANA time zone/);
  });
});
