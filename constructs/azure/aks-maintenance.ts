/**
 * When AKS patches the nodes' OS and the cluster's Kubernetes patch version: AKS's planned
 * maintenance schedule (`maintenance_window_node_os`, `maintenance_window_auto_upgrade`), derived
 * from the target's `updates.window` so that the nodes are patched when the runners may be
 * replaced anyway. Pure: validation and the cluster construct use it.
 *
 * AKS's schedule is coarser than the kit's cron window, so the mapping is:
 * - start: the window's first hour and minute (`HH:MM`), at the standard-time UTC offset of
 *   `updates.timeZone` (AKS takes a fixed offset; in daylight-saving time the patching starts one
 *   hour later, local time);
 * - days: every day when the window's day fields are `*`; else weekly on the window's first
 *   weekday; else monthly on its first day of the month;
 * - duration: the window's length in whole hours, at least 4 (AKS's minimum; patching can therefore
 *   outlast a shorter window: AKS drains nodes, and a run Job's pod is evicted only after its
 *   termination grace period, see README: AKS).
 * Without a window, AKS patches weekly on Sunday at 00:00 UTC.
 */
import { parseCron } from '../../updater/core/maintenance-window';

export interface AksMaintenanceSchedule {
  readonly frequency: 'Daily' | 'Weekly' | 'AbsoluteMonthly';
  readonly interval: 1;
  /** Hours, 4 to 24. */
  readonly duration: number;
  readonly dayOfWeek?: string;
  readonly dayOfMonth?: number;
  /** `HH:MM`. */
  readonly startTime: string;
  /** `+HH:MM` / `-HH:MM`. */
  readonly utcOffset: string;
}

/** AKS's shortest maintenance window, in hours. */
export const AKS_MIN_MAINTENANCE_HOURS = 4;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
const pad = (n: number) => String(n).padStart(2, '0');

/** The standard-time (January) UTC offset of an IANA time zone, e.g. `+01:00` for Europe/Berlin. */
export function standardUtcOffset(timeZone: string): string {
  const at = Date.UTC(2026, 0, 15, 12, 0, 0);
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  const minutes = Math.round((local - at) / 60000);
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
}

/** The AKS schedule for `window` (the kit's `updates.window` with `updates.timeZone`), see the file comment. */
export function aksMaintenanceSchedule(window: { readonly schedule: string; readonly durationMinutes: number; readonly timeZone: string } | undefined): AksMaintenanceSchedule {
  if (window === undefined) return { frequency: 'Weekly', interval: 1, duration: AKS_MIN_MAINTENANCE_HOURS, dayOfWeek: 'Sunday', startTime: '00:00', utcOffset: '+00:00' };
  const parsed = parseCron(window.schedule);
  if (!parsed.ok) throw new Error(`updates.window.schedule: ${parsed.error} (config validation checks this first)`);
  const s = parsed.schedule;
  const base = {
    interval: 1 as const,
    duration: Math.min(24, Math.max(AKS_MIN_MAINTENANCE_HOURS, Math.ceil(window.durationMinutes / 60))),
    startTime: `${pad(s.hours[0]!)}:${pad(s.minutes[0]!)}`,
    utcOffset: standardUtcOffset(window.timeZone),
  };
  if (s.dayOfWeekStar && s.dayOfMonthStar) return { ...base, frequency: 'Daily' };
  if (!s.dayOfWeekStar) return { ...base, frequency: 'Weekly', dayOfWeek: WEEKDAYS[s.daysOfWeek[0]! % 7]! };
  return { ...base, frequency: 'AbsoluteMonthly', dayOfMonth: s.daysOfMonth[0]! };
}
