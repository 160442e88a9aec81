/**
 * Checks of the `updates` block that its shape cannot express: the schedule and the maintenance
 * window, both 5-field crons read in `updates.timeZone`, parsed and validated by the same code the
 * updater runs (a window that passes here never fails there); each cloud's scheduler gets the
 * schedule translated (AWS: `constructs/aws/schedule-expression.ts`). Loose input, like every
 * semantic check: each check guards its types.
 */
import { parseCron, validateMaintenanceWindow, type CronSchedule } from '../../../updater/core/maintenance-window';

type Add = (path: string, received: unknown, message: string, fix: string) => void;
type Loose = Record<string, unknown>;

/** A run may take up to 15 minutes (the AWS updater's limit); more frequent runs would only queue. */
export const MIN_SCHEDULE_MINUTES = 15;
/** Longest schedule text accepted (the 5-field cron; each cloud's scheduler takes far more). */
export const MAX_SCHEDULE_LENGTH = 128;

export function checkUpdates(raw: unknown, add: Add): void {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return;
  const u = raw as Loose;
  const timeZone = typeof u.timeZone === 'string' ? u.timeZone : 'UTC';
  if (typeof u.schedule === 'string') checkSchedule(u.schedule, add);
  const w = u.window;
  const windowChecked = w !== null && typeof w === 'object' && !Array.isArray(w) && typeof (w as Loose).schedule === 'string' && typeof (w as Loose).durationMinutes === 'number';
  const problems = validateMaintenanceWindow({
    schedule: windowChecked ? ((w as Loose).schedule as string) : '0 0 * * *',
    durationMinutes: windowChecked ? ((w as Loose).durationMinutes as number) : 60,
    timeZone,
  });
  for (const problem of problems) {
    const field = problem.split(/[ :]/, 1)[0]!;
    if (field === 'timeZone') add('updates.timeZone', timeZone, problem.slice(field.length).replace(/^:?\s*/, ''), fixFor(field));
    else if (windowChecked) add(`updates.window.${field}`, (w as Loose)[field], problem.slice(field.length).replace(/^:?\s*/, ''), fixFor(field));
  }
}

/** The 5-field cron of the updater's schedule: parsed by the same code as the window, at most every 15 minutes. */
function checkSchedule(expression: string, add: Add): void {
  if (expression.length > MAX_SCHEDULE_LENGTH) {
    add('updates.schedule', expression, `is ${expression.length} characters long (at most ${MAX_SCHEDULE_LENGTH})`, 'use a 5-field cron, e.g. "0 * * * *" (hourly)');
    return;
  }
  const parsed = parseCron(expression);
  if (!parsed.ok) {
    add('updates.schedule', expression, `is not a 5-field cron: ${parsed.error}`, 'write "minute hour day-of-month month day-of-week", e.g. "0 * * * *" (hourly) or "30 6 * * 1-5"');
    return;
  }
  const gap = minimumGapMinutes(parsed.schedule);
  if (gap < MIN_SCHEDULE_MINUTES) {
    add('updates.schedule', expression, `runs the updater ${gap} minute(s) after a previous run; a run may take ${MIN_SCHEDULE_MINUTES} minutes, so runs would only queue`, 'fire at most every 15 minutes, e.g. "*/15 * * * *" or "0 * * * *"');
  }
}

/**
 * The shortest time between two runs, in minutes, from the minutes and hours the schedule fires at:
 * the gaps between the day's firing times, and across midnight (counted as if every day fired,
 * which errs towards refusing).
 */
export function minimumGapMinutes(schedule: CronSchedule): number {
  const times = schedule.hours.flatMap((h) => schedule.minutes.map((m) => h * 60 + m)).sort((a, b) => a - b);
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
