/**
 * The schedule gate (updater/core/schedule-gate.ts): a timer in UTC every `tickMinutes` runs the
 * scheduled update exactly once per scheduled minute, in the configured time zone.
 */
import { scheduledRunDue, tickTimerSchedule } from '../../../updater/core/schedule-gate';

/** Every tick (whole multiples of `tick` minutes, UTC) from `from` for `hours`, that the gate lets through. */
function dueTicks(schedule: string, timeZone: string, from: string, hours: number, tick = 5): string[] {
  const start = Date.parse(from);
  const due: string[] = [];
  for (let t = start; t < start + hours * 3_600_000; t += tick * 60_000) {
    if (scheduledRunDue({ schedule, timeZone }, new Date(t), tick)) due.push(new Date(t).toISOString());
  }
  return due;
}

describe('schedule gate', () => {
  it('GIVEN a daily cron in Europe/Berlin THEN exactly one tick per day runs it, the first tick at or after the scheduled minute', () => {
    // 02:07 CET = 01:07 UTC in December; the tick covering it is 01:10 UTC.
    expect(dueTicks('7 2 * * *', 'Europe/Berlin', '2026-12-01T00:00:00Z', 48)).toEqual(['2026-12-01T01:10:00.000Z', '2026-12-02T01:10:00.000Z']);
  });

  it('GIVEN the same cron in summer THEN daylight saving time moves the UTC tick, not the local minute', () => {
    expect(dueTicks('7 2 * * *', 'Europe/Berlin', '2026-07-01T00:00:00Z', 24)).toEqual(['2026-07-01T00:10:00.000Z']);
  });

  it('GIVEN an hourly cron THEN every hour runs once, at the tick of its minute', () => {
    const due = dueTicks('0 * * * *', 'UTC', '2026-12-01T00:00:00Z', 24);
    expect(due).toHaveLength(24);
    expect(due.every((d) => d.endsWith(':00:00.000Z'))).toBe(true);
  });

  it('GIVEN a cron every minute THEN every tick runs it (never twice: the previous tick covered the minutes before)', () => {
    expect(dueTicks('* * * * *', 'UTC', '2026-12-01T00:00:00Z', 1)).toHaveLength(12);
  });

  it('GIVEN a tick length outside 1..60 THEN it refuses, naming it', () => {
    expect(() => scheduledRunDue({ schedule: '0 * * * *', timeZone: 'UTC' }, new Date(), 0)).toThrow(/tickMinutes must be a whole number from 1 to 60, got 0/);
    expect(() => scheduledRunDue({ schedule: '0 * * * *', timeZone: 'UTC' }, new Date(), 2.5)).toThrow(/got 2.5/);
  });

  it('writes the timer as an NCRONTAB with seconds', () => {
    expect(tickTimerSchedule()).toBe('0 */5 * * * *');
    expect(tickTimerSchedule(10)).toBe('0 */10 * * * *');
  });
});
