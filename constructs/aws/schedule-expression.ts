/**
 * The updater's schedule (a 5-field cron, the kit's neutral form, `updates.schedule`) as an
 * EventBridge Scheduler expression: `cron(minutes hours day-of-month month day-of-week year)`,
 * where one of the day fields must be `?` and days of the week count 1-7 from Sunday. Each field
 * is written from the parsed schedule (the same parser the updater uses), so what EventBridge
 * runs is what validation checked.
 */
import { parseCron, type CronSchedule } from '../../updater/core/maintenance-window';

export type EventBridgeCron = { readonly ok: true; readonly expression: string } | { readonly ok: false; readonly error: string };

const field = (values: readonly number[], min: number, max: number, shift = 0) =>
  values.length === max - min + 1 ? '*' : values.map((v) => v + shift).join(',');

/** `cron(...)` for EventBridge Scheduler, or why the schedule has no EventBridge form. */
export function eventBridgeCron(expression: string): EventBridgeCron {
  const parsed = parseCron(expression);
  if (!parsed.ok) return { ok: false, error: parsed.error };
  return fromSchedule(parsed.schedule);
}

function fromSchedule(s: CronSchedule): EventBridgeCron {
  const allDaysOfMonth = s.daysOfMonth.length === 31;
  const allDaysOfWeek = s.daysOfWeek.length === 7;
  if (!allDaysOfMonth && !allDaysOfWeek) {
    return { ok: false, error: 'it restricts both day-of-month and day-of-week, which EventBridge Scheduler cannot combine' };
  }
  const minutes = field(s.minutes, 0, 59);
  const hours = field(s.hours, 0, 23);
  const months = field(s.months, 1, 12);
  const [dom, dow] = allDaysOfWeek ? [field(s.daysOfMonth, 1, 31), '?'] : ['?', field([...s.daysOfWeek].sort((a, b) => a - b), 0, 6, 1)];
  return { ok: true, expression: `cron(${minutes} ${hours} ${dom} ${months} ${dow} *)` };
}
