/**
 * Maintenance windows: when the updater may replace the running runner.
 *
 * A window opens at every wall-clock minute its 5-field cron schedule matches in its IANA time
 * zone and stays open for `durationMinutes` of elapsed time. The updater runs on a fixed
 * interval, so it asks "is a window open now?" rather than being triggered by the schedule.
 *
 * Daylight-saving time (the behaviour a reviewer should know):
 * - The schedule matches wall-clock times, so `0 3 * * *` in Europe/Berlin opens at 03:00 local
 *   time both in winter (02:00 UTC) and in summer (01:00 UTC).
 * - A wall-clock time skipped by a spring-forward transition does not exist, so it does not fire:
 *   `30 2 * * *` in Europe/Berlin has no window on 2026-03-29 (02:00 jumps to 03:00). The window
 *   is not moved to 03:00 either; the next one opens the following day. Schedules for
 *   maintenance should avoid the 02:00-03:00 hour where DST applies, as with any cron.
 * - A wall-clock time repeated by a fall-back transition exists twice, so it fires twice:
 *   `30 2 * * *` in Europe/Berlin opens at 00:30 UTC and again at 01:30 UTC on 2026-10-25.
 *   An extra window is harmless (an update is idempotent); a missing one would delay updates.
 * - `durationMinutes` is elapsed time, not wall-clock time: a 60-minute window opening at
 *   01:30 on a spring-forward night closes at 03:30 local time, one real hour later.
 *
 * Time-zone arithmetic uses `Intl.DateTimeFormat` (Node's full ICU). Like the Temporal polyfill,
 * it assumes a zone changes its UTC offset at most once within any three days, and that a
 * fall-back never moves the wall clock back across midnight. Checked against every zone Node
 * knows by sampling every 6 hours: the first holds from 1970 to 2040; the second from 2011 to
 * 2040 (until 2010 some Canadian Atlantic zones fell back from 00:01 to 23:01, and there a
 * window in the repeated hour could be missed). The updater only asks about the present.
 */

/** When the updater may replace the runner. */
export interface MaintenanceWindow {
  /**
   * 5-field cron, `minute hour day-of-month month day-of-week`, evaluated in `timeZone`. Fields
   * take numbers, `*`, lists `1,3`, ranges `1-5` and steps `*\/15` or `1-5/2`; day-of-week is
   * 0-7 with both 0 and 7 meaning Sunday. Names (`MON`, `JAN`) and macros (`@daily`) are not
   * accepted, so one spelling works everywhere.
   */
  readonly schedule: string;
  /** How long each window stays open, in minutes of elapsed time (1 to 10080, one week). */
  readonly durationMinutes: number;
  /** IANA time zone the schedule is read in, e.g. `Europe/Berlin` or `UTC`. */
  readonly timeZone: string;
}

/** A parsed cron schedule: the values each field allows, ascending. */
export interface CronSchedule {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: readonly number[];
  readonly months: readonly number[];
  /** 0-6, Sunday = 0 (a 7 in the expression is stored as 0). */
  readonly daysOfWeek: readonly number[];
  /**
   * Whether the day-of-month and day-of-week fields start with `*`. As in Vixie cron (and so in
   * cronie, the cron of most Linux systems), a day matches both fields when either starts with
   * `*`, and matches either field when both are restricted: `0 3 1 * 1` runs on the 1st and on
   * every Monday. Note that `*\/2` starts with `*`, exactly as in Vixie cron.
   */
  readonly dayOfMonthStar: boolean;
  readonly dayOfWeekStar: boolean;
}

export type CronParseResult =
  | { readonly ok: true; readonly schedule: CronSchedule }
  | { readonly ok: false; readonly error: string };

/** A wall-clock minute as the cron fields see it. */
export interface WallClockTime {
  readonly minute: number;
  readonly hour: number;
  readonly dayOfMonth: number;
  /** 1-12. */
  readonly month: number;
  /** 0-6, Sunday = 0. */
  readonly dayOfWeek: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** A week: any longer window would be open all the time for a weekly schedule; omit the window instead. */
const MAX_DURATION_MINUTES = 7 * 24 * 60;

/** How far `nextWindowStart` looks ahead; a schedule that matches less often (29 February) reports no start. */
const NEXT_START_HORIZON_DAYS = 366;

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** The allowed values as a reader would write them. */
  readonly range: string;
}

const CRON_FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59, range: '0-59' },
  { name: 'hour', min: 0, max: 23, range: '0-23' },
  { name: 'day-of-month', min: 1, max: 31, range: '1-31' },
  { name: 'month', min: 1, max: 12, range: '1-12' },
  { name: 'day-of-week', min: 0, max: 7, range: '0-7 (0 and 7 = Sunday)' },
];

/** Days in each month (index 1-12), February with its leap day, to reject schedules that never match. */
const MAX_DAYS_IN_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** One comma-separated item: `*` or `n` or `a-b`, optionally followed by `/step`. */
const CRON_ITEM = /^(?:(\*)|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/;

/**
 * Parses a 5-field cron expression. Errors name the field, the value received and what is
 * allowed, e.g. `cron "0 25 * * *": hour value 25 is out of range; allowed 0-23`.
 * A schedule that can never match (`0 3 31 2 *`) is an error too, because a window that never
 * opens would silently stop all updates.
 */
export function parseCron(expression: string): CronParseResult {
  const fail = (detail: string): CronParseResult => ({ ok: false, error: `cron "${expression}": ${detail}` });
  const texts = expression
    .trim()
    .split(/\s+/)
    .filter((text) => text !== '');
  if (texts.length !== CRON_FIELDS.length) {
    return {
      ok: false,
      error: `cron "${expression}" has ${texts.length} fields, expected 5 (minute hour day-of-month month day-of-week), e.g. "0 3 * * 0" for Sundays at 03:00`,
    };
  }
  const values: number[][] = [];
  for (const [index, field] of CRON_FIELDS.entries()) {
    const parsed = parseField(field, texts[index]);
    if (typeof parsed === 'string') return fail(parsed);
    values.push(parsed);
  }
  const [minutes, hours, daysOfMonth, months, daysOfWeek] = values;
  const schedule: CronSchedule = {
    minutes,
    hours,
    daysOfMonth,
    months,
    daysOfWeek: ascendingUnique(daysOfWeek.map((day) => day % 7)),
    dayOfMonthStar: texts[2].startsWith('*'),
    dayOfWeekStar: texts[4].startsWith('*'),
  };
  if (neverMatches(schedule)) {
    return fail(
      `day-of-month "${texts[2]}" never occurs in month "${texts[3]}", so the schedule never matches; choose days that exist in those months`,
    );
  }
  return { ok: true, schedule };
}

/** Whether the schedule matches a wall-clock minute. */
export function cronMatches(schedule: CronSchedule, time: WallClockTime): boolean {
  return (
    schedule.minutes.includes(time.minute) &&
    schedule.hours.includes(time.hour) &&
    matchesDay(schedule, time.month, time.dayOfMonth, time.dayOfWeek)
  );
}

/** Problems with a window, each naming the field, the value and the fix; empty when valid. */
export function validateMaintenanceWindow(window: MaintenanceWindow): string[] {
  const errors: string[] = [];
  const cron = parseCron(window.schedule);
  if (!cron.ok) errors.push(`schedule: ${cron.error}`);
  const duration = window.durationMinutes;
  if (!Number.isInteger(duration) || duration < 1 || duration > MAX_DURATION_MINUTES) {
    errors.push(
      `durationMinutes ${duration} is not allowed: use a whole number of minutes from 1 to ${MAX_DURATION_MINUTES} (one week)`,
    );
  }
  if (!isKnownTimeZone(window.timeZone)) {
    errors.push(
      `timeZone "${window.timeZone}" is not an IANA time zone; use e.g. "Europe/Berlin", "America/New_York" or "UTC"`,
    );
  }
  return errors;
}

/**
 * Whether a window is open at `now`: some minute in (now - duration, now] is a window start. So a
 * window is open from its start minute inclusive to start + duration exclusive.
 *
 * @throws Error when the window is invalid; check `validateMaintenanceWindow` first.
 */
export function isInsideWindow(window: MaintenanceWindow, now: Date): boolean {
  const schedule = validSchedule(window);
  const end = now.getTime();
  const start = firstStartBetween(schedule, window.timeZone, end - window.durationMinutes * MINUTE_MS + 1, end);
  return start !== undefined;
}

/**
 * The earliest window start at or after `now`, for reports ("next window 2026-03-30T00:30:00.000Z").
 * Looks 366 days ahead and returns `undefined` beyond that.
 *
 * @throws Error when the window is invalid; check `validateMaintenanceWindow` first.
 */
export function nextWindowStart(window: MaintenanceWindow, now: Date): Date | undefined {
  const schedule = validSchedule(window);
  const from = now.getTime();
  const start = firstStartBetween(schedule, window.timeZone, from, from + NEXT_START_HORIZON_DAYS * DAY_MS);
  return start === undefined ? undefined : new Date(start);
}

/** A field's values, or an error sentence naming the field. */
function parseField(field: CronField, text: string): number[] | string {
  const values: number[] = [];
  for (const item of text.split(',')) {
    const parsed = parseItem(field, text, item);
    if (typeof parsed === 'string') return parsed;
    values.push(...parsed);
  }
  return ascendingUnique(values);
}

function parseItem(field: CronField, text: string, item: string): number[] | string {
  const match = CRON_ITEM.exec(item);
  if (match === null) {
    return `${field.name} "${text}" is not valid; use numbers ${field.range}, *, lists (1,3), ranges (1-5) and steps (*/15, 1-5/2)`;
  }
  const [, star, first, last, stepText] = match;
  if (stepText !== undefined && star === undefined && last === undefined) {
    return `${field.name} "${item}" has a step without a range; write ${first}-${field.max}/${stepText}`;
  }
  const step = stepText === undefined ? 1 : Number(stepText);
  if (step < 1) return `${field.name} step "/${stepText}" is not allowed; use a step of at least 1`;
  const bounds = star === undefined ? [first, last ?? first] : [String(field.min), String(field.max)];
  const outOfRange = bounds.find((bound) => Number(bound) < field.min || Number(bound) > field.max);
  if (outOfRange !== undefined) return `${field.name} value ${outOfRange} is out of range; allowed ${field.range}`;
  const [from, to] = bounds.map(Number);
  if (from > to) {
    return `${field.name} range ${item} runs backwards; write it as ${from}-${field.max},${field.min}-${to}`;
  }
  const values: number[] = [];
  for (let value = from; value <= to; value += step) values.push(value);
  return values;
}

function ascendingUnique(values: readonly number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

/** Vixie cron day semantics, see `CronSchedule.dayOfMonthStar`. */
function matchesDay(schedule: CronSchedule, month: number, dayOfMonth: number, dayOfWeek: number): boolean {
  if (!schedule.months.includes(month)) return false;
  const domMatches = schedule.daysOfMonth.includes(dayOfMonth);
  const dowMatches = schedule.daysOfWeek.includes(dayOfWeek);
  return schedule.dayOfMonthStar || schedule.dayOfWeekStar ? domMatches && dowMatches : domMatches || dowMatches;
}

/**
 * True when no date satisfies the day fields. Only possible when both must hold (one starts with
 * `*`) and every chosen day-of-month is past the end of every chosen month; every weekday occurs
 * on every day-of-month over the years, so the weekday never makes a date impossible on its own.
 */
function neverMatches(schedule: CronSchedule): boolean {
  if (!schedule.dayOfMonthStar && !schedule.dayOfWeekStar) return false;
  return !schedule.months.some((month) => schedule.daysOfMonth.some((day) => day <= MAX_DAYS_IN_MONTH[month]));
}

function validSchedule(window: MaintenanceWindow): CronSchedule {
  const errors = validateMaintenanceWindow(window);
  const cron = parseCron(window.schedule);
  if (errors.length > 0 || !cron.ok) throw new Error(`invalid maintenance window: ${errors.join('; ')}`);
  return cron.schedule;
}

function isKnownTimeZone(timeZone: string): boolean {
  // An IANA name (Area/Location, or UTC and its aliases), never an offset: Node 22's ICU accepts
  // "+01:00" as a zone, Node 20's does not, and a fixed offset ignores daylight saving anyway.
  if (!/^[A-Za-z]/.test(timeZone)) return false;
  try {
    zoneFormatter(timeZone);
    return true;
  } catch (error) {
    if (error instanceof RangeError) return false;
    throw error;
  }
}

/**
 * The earliest window start in [from, to] (epoch ms), or undefined. Walks the local calendar days
 * from the wall-clock date of `from` to that of `to`; on each day the schedule matches it turns
 * every matching wall-clock minute into the instants that show it (see `instantsShowing`).
 */
function firstStartBetween(schedule: CronSchedule, timeZone: string, from: number, to: number): number | undefined {
  const lastDay = startOfDay(to + offsetAt(timeZone, to));
  for (let day = startOfDay(from + offsetAt(timeZone, from)); day <= lastDay; day += DAY_MS) {
    const date = new Date(day);
    if (!matchesDay(schedule, date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay())) continue;
    const starts = startsOnDay(schedule, timeZone, day).filter((start) => start >= from && start <= to);
    if (starts.length > 0) return Math.min(...starts);
  }
  return undefined;
}

/** Every instant on the local day starting at `day` (wall-clock ms) whose wall-clock minute the schedule matches. */
function startsOnDay(schedule: CronSchedule, timeZone: string, day: number): number[] {
  const offsets = offsetsAround(timeZone, day);
  return schedule.hours.flatMap((hour) =>
    schedule.minutes.flatMap((minute) => instantsShowing(timeZone, day + hour * HOUR_MS + minute * MINUTE_MS, offsets)),
  );
}

/**
 * The UTC offsets the zone uses on the local day starting at `day`: those a day before and two
 * days after, which cover every instant of that day given at most one transition in three days.
 */
function offsetsAround(timeZone: string, day: number): readonly number[] {
  return [...new Set([offsetAt(timeZone, day - DAY_MS), offsetAt(timeZone, day + 2 * DAY_MS)])];
}

/**
 * The instants whose wall clock shows `wall` (wall-clock ms): one on an ordinary day, none when a
 * spring-forward transition skips it, two when a fall-back transition repeats it.
 */
function instantsShowing(timeZone: string, wall: number, offsets: readonly number[]): number[] {
  if (offsets.length === 1) return [wall - offsets[0]];
  return offsets.map((offset) => wall - offset).filter((instant) => instant + offsetAt(timeZone, instant) === wall);
}

/** Midnight of the wall-clock date containing `wall` (both wall-clock ms). */
function startOfDay(wall: number): number {
  return wall - mod(wall, DAY_MS);
}

function mod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/**
 * The zone's UTC offset at `instant` (epoch ms), in ms: the wall-clock time read as if it were
 * UTC, minus the instant. Wall-clock values are handled as such "local ms" throughout this file,
 * so calendar arithmetic on them never meets a DST transition.
 */
function offsetAt(timeZone: string, instant: number): number {
  const parts: Record<string, string> = {};
  for (const part of zoneFormatter(timeZone).formatToParts(instant)) parts[part.type] = part.value;
  const year = parts.era === 'BC' ? 1 - Number(parts.year) : Number(parts.year);
  const wall = new Date(0);
  wall.setUTCFullYear(year, Number(parts.month) - 1, Number(parts.day));
  wall.setUTCHours(Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall.getTime() - (instant - mod(instant, 1000));
}

/** Formatters are costly to build and immutable, so one per zone is kept for the process's life. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** @throws RangeError for a time zone Intl does not know. */
function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      era: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}
