/**
 * Every instant a cron schedule fires in a time zone, computed by walking local
 * dates: a year of a weekly digest is ~365 cheap date checks and ~52 zone
 * conversions, not half a million minute ticks.
 */
import type { CronSchedule } from './cron';
import { addDays, dayOfMonth, monthOf, weekdayOf, type PlainDate } from '../time/plain-date';
import { fromLocal, toLocal } from '../time/zone';

const DAY_MS = 86_400_000;

/**
 * Whether the schedule fires on local `date` at all. When both day-of-month and
 * day-of-week are restricted, either one matching is enough (classic cron rule).
 */
export function cronMatchesDate(schedule: CronSchedule, date: PlainDate): boolean {
  return createDayMatcher(schedule)(monthOf(date), dayOfMonth(date), weekdayOf(date));
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
  const matchesDay = createDayMatcher(schedule);
  const out: number[] = [];
  // One day of margin on each side: around a midnight DST change an instant's
  // local date can lie outside [local(from), local(to)].
  const firstDay = Date.parse(`${addDays(toLocal(from, zone).date, -1)}T00:00:00Z`);
  const lastDay = Date.parse(`${addDays(toLocal(to, zone).date, 1)}T00:00:00Z`);
  // Dates are walked as UTC midnights (never the host zone): a year of a weekly
  // schedule is 365 cheap checks and 52 zone conversions.
  for (let dayMs = firstDay; dayMs <= lastDay; dayMs += DAY_MS) {
    const day = new Date(dayMs);
    if (!matchesDay(day.getUTCMonth() + 1, day.getUTCDate(), day.getUTCDay())) continue;
    const date = day.toISOString().slice(0, 10);
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

function createDayMatcher(schedule: CronSchedule): (month: number, dayOfMonth: number, weekday: number) => boolean {
  const months = lookup(schedule.months, 13);
  const days = lookup(schedule.daysOfMonth, 32);
  const weekdays = lookup(schedule.daysOfWeek, 7);
  const either = schedule.dayOfMonthRestricted && schedule.dayOfWeekRestricted;
  return (month, dayOfMonth, weekday) => {
    if (!months[month]) return false;
    return either ? days[dayOfMonth]! || weekdays[weekday]! : days[dayOfMonth]! && weekdays[weekday]!;
  };
}

function lookup(values: readonly number[], size: number): boolean[] {
  const table = new Array<boolean>(size).fill(false);
  for (const value of values) table[value] = true;
  return table;
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
