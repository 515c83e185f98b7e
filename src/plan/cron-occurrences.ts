/**
 * Every instant a cron schedule fires in a time zone, for the planner.
 *
 * croner lists the matching wall-clock times (which days, which times: the same
 * reading as the live timers), and each wall time becomes an instant by the
 * rule every local time of the planner follows (`fromLocal`): a digest at 02:30
 * on a spring-forward day goes out when an opening at 02:30 would. Asking
 * croner to do the zone as well costs about four times as much per run and
 * would move such a digest to 03:00 while the opening stays at 03:30.
 */
import { wallClockCron, type CronSchedule } from './cron';
import { addDays, type PlainDate } from '../time/plain-date';
import { fromLocal, toLocal } from '../time/zone';

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
  // One day of margin on each side: around a midnight DST change an instant's
  // local date can lie outside [local(from), local(to)].
  const firstDay = addDays(toLocal(from, zone).date, -1);
  const lastDay = addDays(toLocal(to, zone).date, 1);
  const out = new Set<number>();
  for (const wall of cronWallTimes(schedule, firstDay, lastDay)) {
    const ms = fromLocal(wall.slice(0, 10), wall.slice(11, 19), zone).getTime();
    // A gap-shifted time can meet a regular one: the Set keeps it once.
    if (ms >= fromMs && ms < toMs) out.add(ms);
  }
  return [...out].sort((a, b) => a - b).map((ms) => new Date(ms));
}

/** Wall-clock walks already made, shared by offices with the same rule and window (a re-plan of many offices). */
const wallTimesMemo = new Map<string, readonly string[]>();
const WALL_TIMES_MEMO_SIZE = 256;

/** Every matching wall time (`YYYY-MM-DDTHH:mm:ss`) on the dates firstDay..lastDay, by croner. */
export function cronWallTimes(schedule: CronSchedule, firstDay: PlainDate, lastDay: PlainDate): readonly string[] {
  const key = `${schedule.expression}|${firstDay}|${lastDay}`;
  const known = wallTimesMemo.get(key);
  if (known) return known;
  const cron = wallClockCron(schedule);
  const end = Date.parse(`${addDays(lastDay, 1)}T00:00:00Z`);
  const found: string[] = [];
  for (let wall = cron.nextRun(new Date(Date.parse(`${firstDay}T00:00:00Z`) - 1)); wall && wall.getTime() < end; wall = cron.nextRun(wall)) {
    found.push(wall.toISOString().slice(0, 19));
  }
  if (wallTimesMemo.size >= WALL_TIMES_MEMO_SIZE) wallTimesMemo.clear();
  wallTimesMemo.set(key, found);
  return found;
}
