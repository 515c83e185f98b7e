/**
 * Every instant a cron schedule fires in a time zone, computed by walking local
 * dates: a year of a weekly digest is ~365 cheap date checks and ~52 zone
 * conversions, not half a million minute ticks.
 */
import type { CronSchedule } from './cron';
import { addDays, compareDates, dayOfMonth, monthOf, weekdayOf, type PlainDate } from '../time/plain-date';
import { fromLocal, toLocal } from '../time/zone';

/**
 * Whether the schedule fires on local `date` at all. When both day-of-month and
 * day-of-week are restricted, either one matching is enough (classic cron rule).
 */
export function cronMatchesDate(schedule: CronSchedule, date: PlainDate): boolean {
  if (!schedule.months.includes(monthOf(date))) return false;
  const dayMatches = schedule.daysOfMonth.includes(dayOfMonth(date));
  const weekdayMatches = schedule.daysOfWeek.includes(weekdayOf(date));
  if (schedule.dayOfMonthRestricted && schedule.dayOfWeekRestricted) return dayMatches || weekdayMatches;
  return dayMatches && weekdayMatches;
}

/**
 * Every instant in [from, to) whose wall time in `zone` matches `schedule`,
 * ascending.
 *
 * Daylight saving: a wall time skipped by a spring-forward gap fires once, at the
 * same wall time shifted by the gap (02:30 → 03:30 in Europe/Berlin); if that
 * shifted instant is also a regular match it still fires only once. A wall time
 * that happens twice in an autumn overlap fires once, at its first occurrence.
 */
export function cronOccurrences(schedule: CronSchedule, zone: string, from: Date, to: Date): Date[] {
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (!(toMs > fromMs)) return [];
  const wallTimes = wallTimesOfDay(schedule);
  const out: number[] = [];
  // One day of margin on each side: around a midnight DST change an instant's
  // local date can lie outside [local(from), local(to)].
  const last = addDays(toLocal(to, zone).date, 1);
  for (let date = addDays(toLocal(from, zone).date, -1); compareDates(date, last) <= 0; date = addDays(date, 1)) {
    if (!cronMatchesDate(schedule, date)) continue;
    const dayStart = out.length;
    for (const { time, second } of wallTimes) {
      const ms = fromLocal(date, time, zone).getTime() + second * 1000;
      if (ms >= fromMs && ms < toMs) out.push(ms);
    }
    // Gap-shifted times can land on or before later wall times of the same day.
    if (out.length - dayStart > 1) sortAndDedupeTail(out, dayStart);
  }
  return out.map((ms) => new Date(ms));
}

function wallTimesOfDay(schedule: CronSchedule): { time: string; second: number }[] {
  const out: { time: string; second: number }[] = [];
  for (const hour of schedule.hours) {
    for (const minute of schedule.minutes) {
      const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
      for (const second of schedule.seconds) out.push({ time, second });
    }
  }
  return out;
}

function sortAndDedupeTail(values: number[], start: number): void {
  const tail = values.splice(start).sort((a, b) => a - b);
  for (let i = 0; i < tail.length; i++) {
    if (i === 0 || tail[i] !== tail[i - 1]) values.push(tail[i]!);
  }
}
