import { parseConfig } from '../../../../constructs/core/config/load';
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { EXAMPLE_AWS_ECS } from '../../../support/synth';

function issuesWith(updates: unknown) {
  const doc = parse(readFileSync(EXAMPLE_AWS_ECS, 'utf8'));
  const name = Object.keys(doc.targets)[0]!;
  doc.targets[name].updates = updates;
  const r = parseConfig(stringify(doc), 'test.yaml');
  return r.ok ? [] : r.issues.map((i) => ({ ...i, path: i.path.replace(`targets.${name}.`, '') }));
}

describe('updates: semantic checks', () => {
  it.each([
    [{}],
    [{ schedule: 'rate(15 minutes)' }],
    [{ schedule: 'rate(1 hour)' }],
    [{ schedule: 'rate(1 day)' }],
    [{ schedule: 'cron(0 3 * * ? *)' }],
    [{ channel: 'pinned', window: { schedule: '30 2 * * 1-5', durationMinutes: 90, timeZone: 'Europe/Berlin' } }],
  ])('accepts %j', (updates) => {
    expect(issuesWith(updates)).toEqual([]);
  });

  it.each([
    [{ schedule: 'rate(5 minutes)' }, 'updates.schedule', 'more often than every 15 minutes'],
    [{ schedule: 'rate(1 hours)' }, 'updates.schedule', 'singular unit'],
    [{ schedule: 'every hour' }, 'updates.schedule', 'not an EventBridge Scheduler expression'],
    [{ schedule: 'at(2026-12-01T00:00:00)' }, 'updates.schedule', 'not an EventBridge Scheduler expression'],
    [{ window: { schedule: '0 2 * * MON', durationMinutes: 60 } }, 'updates.window.schedule', ''],
    [{ window: { schedule: '0 2 * * 1', durationMinutes: 0 } }, 'updates.window.durationMinutes', 'not allowed'],
    [{ window: { schedule: '0 2 * * 1', durationMinutes: 60, timeZone: 'Mars/Olympus' } }, 'updates.window.timeZone', 'not an IANA time zone'],
    [{ channel: 'nightly' }, 'updates.channel', ''],
    [{ keepReleases: 1 }, 'updates.keepReleases', ''],
  ])('rejects %j at %s with a fix', (updates, path, message) => {
    const issue = issuesWith(updates).find((i) => i.path === path);
    expect(issue).toBeDefined();
    expect(issue!.message).toContain(message);
    expect(issue!.fix.length).toBeGreaterThan(10);
  });
});
