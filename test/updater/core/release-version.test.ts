import fc from 'fast-check';
import { compareReleases, formatRelease, parseReleaseTag } from '../../../updater/core';

describe('parseReleaseTag', () => {
  it.each([
    ['v0.0.0', { major: 0, minor: 0, patch: 0 }],
    ['v1.2.3', { major: 1, minor: 2, patch: 3 }],
    ['v1.10.0', { major: 1, minor: 10, patch: 0 }],
    ['v10.20.30', { major: 10, minor: 20, patch: 30 }],
  ])('parses release tag %s', (tag, expected) => {
    expect(parseReleaseTag(tag)).toEqual(expected);
  });

  it.each([
    ['latest', 'moving tag'],
    ['main', 'branch tag'],
    ['1.2.3', 'no v prefix'],
    ['V1.2.3', 'upper-case V'],
    ['v01.2.3', 'leading zero in major'],
    ['v1.02.3', 'leading zero in minor'],
    ['v1.2.03', 'leading zero in patch'],
    ['v1.2', 'two components'],
    ['v1', 'one component'],
    ['v1.2.3.4', 'four components'],
    ['v1.2.3-rc.1', 'pre-release'],
    ['v1.2.3-alpha', 'pre-release'],
    ['v1.2.3+build.5', 'build metadata'],
    ['v-1.2.3', 'negative number'],
    ['v1.2.x', 'wildcard'],
    [' v1.2.3', 'leading space'],
    ['v1.2.3\n', 'trailing newline'],
    ['v１.2.3', 'non-ASCII digit'],
    ['v99999999999999999999.0.0', 'beyond exact integers'],
    ['', 'empty'],
    ['sha256:abc', 'garbage'],
  ])('ignores %j (%s)', (tag) => {
    expect(parseReleaseTag(tag)).toBeUndefined();
  });

  it('GIVEN any string WHEN it parses THEN formatting gives the same tag back (one spelling per release)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.stringMatching(/^v\d{1,3}\.\d{1,3}\.\d{1,3}$/)), (tag) => {
        const release = parseReleaseTag(tag);
        return release === undefined || formatRelease(release) === tag;
      }),
    );
  });
});

describe('compareReleases', () => {
  const order = (a: string, b: string): number => compareReleases(parseReleaseTag(a)!, parseReleaseTag(b)!);

  it.each([
    ['v1.10.0', 'v1.9.9'],
    ['v2.0.0', 'v1.99.99'],
    ['v1.2.10', 'v1.2.9'],
    ['v1.0.0', 'v0.99.99'],
    ['v0.0.1', 'v0.0.0'],
  ])('orders %s after %s numerically', (newer, older) => {
    expect(order(newer, older)).toBe(1);
    expect(order(older, newer)).toBe(-1);
  });

  it('orders equal releases as 0', () => {
    expect(order('v1.3.0', 'v1.3.0')).toBe(0);
  });

  it('sorts a mixed list numerically, not as text', () => {
    const tags = ['v1.10.0', 'v1.9.9', 'v2.0.0', 'v1.2.3', 'v1.99.99', 'v0.1.0'];
    const sorted = tags
      .map((tag) => parseReleaseTag(tag)!)
      .sort(compareReleases)
      .map(formatRelease);
    expect(sorted).toEqual(['v0.1.0', 'v1.2.3', 'v1.9.9', 'v1.10.0', 'v1.99.99', 'v2.0.0']);
  });

  it('is antisymmetric and agrees with tuple order', () => {
    const release = fc.record({ major: fc.nat(1000), minor: fc.nat(1000), patch: fc.nat(1000) });
    fc.assert(
      fc.property(release, release, (a, b) => {
        const tuple = Math.sign(a.major - b.major) || Math.sign(a.minor - b.minor) || Math.sign(a.patch - b.patch);
        return compareReleases(a, b) === tuple && compareReleases(b, a) === -tuple;
      }),
    );
  });
});

describe('formatRelease', () => {
  it('formats as vX.Y.Z and round-trips through parseReleaseTag', () => {
    fc.assert(
      fc.property(fc.record({ major: fc.nat(), minor: fc.nat(), patch: fc.nat() }), (release) => {
        const tag = formatRelease(release);
        expect(tag).toBe(`v${release.major}.${release.minor}.${release.patch}`);
        expect(parseReleaseTag(tag)).toEqual(release);
      }),
    );
  });
});
