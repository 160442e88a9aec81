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
    [{ schedule: '*/15 * * * *' }],
    [{ schedule: '0 * * * *' }],
    [{ schedule: '0 3 * * *' }],
    [{ schedule: '30 6 * * 1-5', timeZone: 'America/New_York' }],
    [{ channel: 'pinned', timeZone: 'Europe/Berlin', window: { schedule: '30 2 * * 1-5', durationMinutes: 90 } }],
  ])('accepts %j', (updates) => {
    expect(issuesWith(updates)).toEqual([]);
  });

  it.each([
    [{ schedule: '*/5 * * * *' }, 'updates.schedule', 'runs the updater 5 minute(s) after a previous run'],
    [{ schedule: '0,10 * * * *' }, 'updates.schedule', 'runs the updater 10 minute(s) after a previous run'],
    [{ schedule: 'rate(1 hour)' }, 'updates.schedule', 'is not a 5-field cron'],
    [{ schedule: 'cron(0 3 * * ? *)' }, 'updates.schedule', 'is not a 5-field cron'],
    [{ schedule: '0 3 1 * 1' }, 'updates.schedule', 'has no EventBridge Scheduler form'],
    [{ window: { schedule: '0 2 * * MON', durationMinutes: 60 } }, 'updates.window.schedule', ''],
    [{ window: { schedule: '0 2 * * 1', durationMinutes: 0 } }, 'updates.window.durationMinutes', 'not allowed'],
    [{ timeZone: 'Mars/Olympus', window: { schedule: '0 2 * * 1', durationMinutes: 60 } }, 'updates.timeZone', 'not an IANA time zone'],
    [{ timeZone: '+01:00' }, 'updates.timeZone', 'not an IANA time zone'],
    [{ channel: 'nightly' }, 'updates.channel', ''],
    [{ keepReleases: 1 }, 'updates.keepReleases', ''],
  ])('rejects %j at %s with a fix', (updates, path, message) => {
    const issue = issuesWith(updates).find((i) => i.path === path);
    expect(issue).toBeDefined();
    expect(issue!.message).toContain(message);
    expect(issue!.fix.length).toBeGreaterThan(10);
  });
});
