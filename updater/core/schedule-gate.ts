/**
 * The schedule gate: for a scheduler that cannot read a cron in a time zone, the updater is woken
 * every `tickMinutes` and asks here whether `updates.schedule` (in `updates.timeZone`) fell due since
 * the last tick. Cloud-neutral; used where the platform's timer runs in UTC only (Azure Functions on
 * Linux ignore WEBSITE_TIME_ZONE), so the cron keeps exactly the meaning validation gave it
 * (Vixie-cron day matching, daylight-saving changes) on every cloud.
 *
 * With ticks every `tickMinutes` at whole minutes, each scheduled minute falls into exactly one
 * tick's interval (the tick's own minute included, the previous tick's excluded), so every scheduled
 * run happens once, at most `tickMinutes` - 1 minutes late.
 */
import { isInsideWindow } from './maintenance-window';

/** Minutes between two wake-ups of a gated scheduler (a timer in UTC). */
export const DEFAULT_TICK_MINUTES = 5;

export interface GatedSchedule {
  /** 5-field cron, as validated (`updates.schedule`). */
  readonly schedule: string;
  /** IANA time zone the cron is read in. */
  readonly timeZone: string;
}

/** Whether a scheduled run fell due in the `tickMinutes` up to and including `now`. */
export function scheduledRunDue(s: GatedSchedule, now: Date, tickMinutes: number = DEFAULT_TICK_MINUTES): boolean {
  if (!Number.isInteger(tickMinutes) || tickMinutes < 1 || tickMinutes > 60) throw new Error(`tickMinutes must be a whole number from 1 to 60, got ${tickMinutes}`);
  return isInsideWindow({ schedule: s.schedule, durationMinutes: tickMinutes, timeZone: s.timeZone }, now);
}

/** The timer that wakes a gated scheduler: every `tickMinutes`, at second 0 (an NCRONTAB, six fields with seconds). */
export function tickTimerSchedule(tickMinutes: number = DEFAULT_TICK_MINUTES): string {
  return `0 */${tickMinutes} * * * *`;
}
