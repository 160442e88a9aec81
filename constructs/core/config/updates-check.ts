/**
 * Checks of the `updates` block that its shape cannot express: the maintenance window (the same
 * validation the updater applies at run time, so a window that passes here never fails there) and
 * the scheduler expression. Loose input, like every semantic check: each check guards its types.
 */
import { validateMaintenanceWindow } from '../../../updater/core/maintenance-window';

type Add = (path: string, received: unknown, message: string, fix: string) => void;
type Loose = Record<string, unknown>;

/** The updater may run up to 15 minutes (Lambda's limit); more frequent runs would only queue. */
export const MIN_SCHEDULE_MINUTES = 15;
const RATE_RE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON_RE = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/;
/** EventBridge Scheduler's limit on a schedule expression. */
export const MAX_SCHEDULE_EXPRESSION_LENGTH = 256;
const UNIT_MINUTES: Readonly<Record<string, number>> = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1440, days: 1440 };

export function checkUpdates(raw: unknown, add: Add): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
  const u = raw as Loose;
  if (typeof u.schedule === 'string') checkSchedule(u.schedule, add);
  const w = u.window;
  if (w !== null && typeof w === 'object' && !Array.isArray(w)) {
    const window = w as Loose;
    if (typeof window.schedule === 'string' && typeof window.durationMinutes === 'number') {
      const problems = validateMaintenanceWindow({
        schedule: window.schedule,
        durationMinutes: window.durationMinutes,
        timeZone: typeof window.timeZone === 'string' ? window.timeZone : 'UTC',
      });
      for (const problem of problems) {
        const field = problem.split(/[ :]/, 1)[0]!;
        add(`updates.window.${field}`, window[field] ?? 'UTC', problem.slice(field.length).replace(/^:?\s*/, ''), fixFor(field));
      }
    }
  }
}

function checkSchedule(expression: string, add: Add): void {
  if (expression.length > MAX_SCHEDULE_EXPRESSION_LENGTH) {
    add('updates.schedule', expression, `is ${expression.length} characters long; EventBridge Scheduler accepts ${MAX_SCHEDULE_EXPRESSION_LENGTH}`, 'use e.g. "rate(1 hour)" or "cron(0 3 * * ? *)"');
    return;
  }
  const rate = RATE_RE.exec(expression);
  if (rate) {
    const [count, unit] = [Number(rate[1]), rate[2]!];
    const singular = !unit.endsWith('s');
    if (count < 1 || (singular && count !== 1) || (!singular && count === 1)) {
      add('updates.schedule', expression, 'is not a valid rate expression (1 takes the singular unit, other values the plural)', 'write e.g. "rate(1 hour)" or "rate(6 hours)"');
      return;
    }
    if (count * UNIT_MINUTES[unit]! < MIN_SCHEDULE_MINUTES) {
      add('updates.schedule', expression, `runs the updater more often than every ${MIN_SCHEDULE_MINUTES} minutes; a run may take that long, so runs would only queue`, 'use at least "rate(15 minutes)"; the default is "rate(1 hour)"');
    }
    return;
  }
  const cron = CRON_RE.exec(expression);
  if (cron) {
    const problem = cronProblem(cron.slice(1) as [string, string, string, string, string, string]);
    if (problem !== undefined) {
      add('updates.schedule', expression, `is not a cron expression EventBridge Scheduler accepts: ${problem}`, 'write cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>) with ? in day-of-month or day-of-week, e.g. "cron(0 3 * * ? *)"');
      return;
    }
    const gap = minimumCronGapMinutes(cron[1]!, cron[2]!);
    if (gap < MIN_SCHEDULE_MINUTES) {
      add('updates.schedule', expression, `runs the updater ${gap} minute(s) after a previous run; a run may take ${MIN_SCHEDULE_MINUTES} minutes, so runs would only queue`, 'fire at most every 15 minutes, e.g. "cron(0/15 * * * ? *)" or "cron(0 3 * * ? *)"');
    }
    return;
  }
  add('updates.schedule', expression, 'is not an EventBridge Scheduler expression the kit accepts', 'use rate(<n> <minutes|hours|days>) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), e.g. "rate(1 hour)" or "cron(0 3 * * ? *)"');
}

// --- EventBridge cron (docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html) -------

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}
const MINUTES: CronField = { name: 'minutes', min: 0, max: 59 };
const HOURS: CronField = { name: 'hours', min: 0, max: 23 };
const DAY_OF_MONTH: CronField = { name: 'day-of-month', min: 1, max: 31 };
const MONTH: CronField = { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] };
const DAY_OF_WEEK: CronField = { name: 'day-of-week', min: 1, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] };
const YEAR: CronField = { name: 'year', min: 1970, max: 2199 };

/** Why the six fields are not an EventBridge cron expression, or undefined when they are. */
function cronProblem([minutes, hours, dayOfMonth, month, dayOfWeek, year]: [string, string, string, string, string, string]): string | undefined {
  const checks: [CronField, string, ((item: string) => boolean)?][] = [
    [MINUTES, minutes],
    [HOURS, hours],
    [DAY_OF_MONTH, dayOfMonth, (i) => i === '?' || i === 'L' || i === 'LW' || /^([1-9]|[12]\d|3[01])W$/.test(i)],
    [MONTH, month],
    [DAY_OF_WEEK, dayOfWeek, (i) => i === '?' || i === 'L' || /^[1-7]L$/.test(i) || /^([1-7]|SUN|MON|TUE|WED|THU|FRI|SAT)#[1-5]$/.test(i)],
    [YEAR, year],
  ];
  for (const [field, text, special] of checks) {
    const items = text.split(',');
    if (special !== undefined && items.length === 1 && special(text)) continue;
    for (const item of items) {
      if (cronValues(item, field) === undefined) return `${field.name} "${text}" is not a value ${field.min}-${field.max}${field.names ? ` (or ${field.names[0]}-${field.names[field.names.length - 1]})` : ''}, a range, a list, * or a step`;
    }
  }
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'exactly one of day-of-month and day-of-week must be "?"';
  return undefined;
}

/** The values one list item selects (`*`, `v`, `v-w`, `*\/s`, `v/s`, `v-w/s`), or undefined when it is not one. */
function cronValues(item: string, field: CronField): number[] | undefined {
  const m = /^(\*|[A-Z0-9]+(?:-[A-Z0-9]+)?)(?:\/(\d{1,4}))?$/.exec(item);
  if (!m) return undefined;
  const value = (text: string): number | undefined => {
    if (/^\d{1,4}$/.test(text)) return Number(text);
    const index = field.names?.indexOf(text) ?? -1;
    return index >= 0 ? index + field.min : undefined;
  };
  let from = field.min;
  let to = field.max;
  if (m[1] !== '*') {
    const [a, b] = m[1]!.split('-');
    const first = value(a!);
    const last = b === undefined ? (m[2] !== undefined ? field.max : first) : value(b);
    if (first === undefined || last === undefined) return undefined;
    [from, to] = [first, last];
  }
  const step = m[2] === undefined ? 1 : Number(m[2]);
  if (from < field.min || to > field.max || from > to || step < 1) return undefined;
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/**
 * The shortest time between two runs, in minutes, from the minutes and hours fields: the gaps
 * between the day's firing times, and across midnight (counted as if every day fired, which errs
 * towards refusing).
 */
export function minimumCronGapMinutes(minutes: string, hours: string): number {
  const all = (text: string, field: CronField) => [...new Set(text.split(',').flatMap((i) => cronValues(i, field) ?? []))];
  const times = all(hours, HOURS)
    .flatMap((h) => all(minutes, MINUTES).map((m) => h * 60 + m))
    .sort((a, b) => a - b);
  if (times.length === 0) return Infinity;
  let gap = times[0]! + 1440 - times[times.length - 1]!;
  for (let i = 1; i < times.length; i++) gap = Math.min(gap, times[i]! - times[i - 1]!);
  return gap;
}

function fixFor(field: string): string {
  switch (field) {
    case 'schedule':
      return 'use a 5-field cron "minute hour day-of-month month day-of-week", e.g. "0 2 * * 1-5" (numbers, *, lists, ranges and steps; no names)';
    case 'durationMinutes':
      return 'use a whole number of minutes from 1 to 10080, e.g. 120';
    default:
      return 'use an IANA time zone such as "Europe/Berlin" or "UTC"';
  }
}
