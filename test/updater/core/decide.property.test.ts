import fc from 'fast-check';
import {
  compareReleases,
  decide,
  parseReleaseTag,
  type DecideInput,
  type MaintenanceWindow,
} from '../../../updater/core';

/** Small numbers so that generated lists share releases and lines; malformed look-alikes and free text around them. */
const releaseTag = fc
  .tuple(fc.nat(3), fc.nat(3), fc.nat(3))
  .map(([major, minor, patch]) => `v${major}.${minor}.${patch}`);
const tag = fc.oneof(
  { arbitrary: releaseTag, weight: 4 },
  {
    arbitrary: fc.constantFrom(
      'latest',
      'main',
      'v1.2',
      '1.2.3',
      'v01.2.3',
      'v1.2.3-rc.1',
      'v1.2.3+meta',
      'V1.2.3',
      '',
    ),
    weight: 2,
  },
  { arbitrary: fc.string(), weight: 1 },
);

const windows: MaintenanceWindow[] = [
  { schedule: '0 3 * * 0', durationMinutes: 120, timeZone: 'Europe/Berlin' },
  { schedule: '30 2 * * *', durationMinutes: 60, timeZone: 'America/New_York' },
  { schedule: '*/10 * * * *', durationMinutes: 5, timeZone: 'Asia/Kolkata' },
  { schedule: '0 25 * * *', durationMinutes: 60, timeZone: 'UTC' }, // invalid
  { schedule: '0 3 * * *', durationMinutes: 60, timeZone: 'Nowhere/Special' }, // invalid
];

const input: fc.Arbitrary<DecideInput> = fc.record(
  {
    running: fc.option(tag, { nil: undefined }),
    upstreamTags: fc.array(tag, { maxLength: 12 }),
    policy: fc.record(
      {
        channel: fc.constantFrom('pinned' as const, 'patch' as const, 'minor' as const, 'latest' as const),
        version: fc.option(tag, { nil: undefined }),
        hold: fc.boolean(),
        allowDowngrade: fc.boolean(),
        window: fc.option(fc.constantFrom(...windows), { nil: undefined }),
      },
      { requiredKeys: ['channel', 'hold', 'allowDowngrade'] },
    ),
    now: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2035-12-31T23:59:59Z'), noInvalidDate: true }),
    request: fc.option(
      fc.record(
        {
          action: fc.constantFrom('check' as const, 'update' as const, 'rollback' as const),
          version: fc.option(tag, { nil: undefined }),
        },
        { requiredKeys: ['action'] },
      ),
      { nil: undefined },
    ),
  },
  { requiredKeys: ['upstreamTags', 'policy', 'now'] },
);

describe('decide properties (arbitrary tags, policies and requests)', () => {
  const runs = { numRuns: 2000 };

  it('never throws and always explains itself in one sentence', () => {
    fc.assert(
      fc.property(input, (given) => {
        const decision = decide(given);
        expect(decision.reason).toMatch(/^[A-Z][^\n]*\.$/);
      }),
      runs,
    );
  });

  it('never names a target that is not a release tag published upstream', () => {
    fc.assert(
      fc.property(input, (given) => {
        const { to } = decide(given);
        if (to === undefined) return;
        expect(parseReleaseTag(to)).toBeDefined();
        expect(given.upstreamTags).toContain(to);
      }),
      runs,
    );
  });

  it('never targets an older release when allowDowngrade is false', () => {
    fc.assert(
      fc.property(input, (given) => {
        const { from, to } = decide({ ...given, policy: { ...given.policy, allowDowngrade: false } });
        const running = from === undefined ? undefined : parseReleaseTag(from);
        if (to === undefined || running === undefined) return;
        // Strictly newer: an equal target is reported as up to date, without `to`.
        expect(compareReleases(parseReleaseTag(to)!, running)).toBeGreaterThan(0);
      }),
      runs,
    );
  });

  it('changes nothing while held, on a check, or when rejected; rolls back only on request', () => {
    fc.assert(
      fc.property(input, (given) => {
        const decision = decide(given);
        if (given.policy.hold || given.request?.action === 'check' || decision.outcome === 'rejected') {
          expect(decision.action).toBe('none');
        }
        if (decision.action === 'update') expect(decision.to).toBeDefined();
        if (decision.action === 'rollback') expect(given.request?.action).toBe('rollback');
      }),
      runs,
    );
  });
});
