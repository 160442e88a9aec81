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
const CRON_RE = /^cron\((\S+ ){5}\S+\)$/;
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
  if (CRON_RE.test(expression)) return;
  add('updates.schedule', expression, 'is not an EventBridge Scheduler expression the kit accepts', 'use rate(<n> <minutes|hours|days>) or cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>), e.g. "rate(1 hour)" or "cron(0 3 * * ? *)"');
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
