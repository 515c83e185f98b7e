/**
 * Which dates an office is closed on, and why: public holidays (minus the ones
 * it opens anyway) and its own closures (single days, ranges, *cuti bersama*).
 */
import type { Closure, HolidaySettings, QuotaCounts } from '../config/types';
import { daysInMonth, makeDate, weekdayOf, yearOf, type PlainDate } from '../time/plain-date';
import { walkDates } from './date-walk';
import { holidaysOfYear } from './holidays';
import type { RemovedDay, ServiceDay } from './types';

/** Answers "is the office closed on this date, and why?"; null when open. */
export type ClosedDayLookup = (date: PlainDate) => RemovedDay | null;

/**
 * A memoised lookup for one office. A date that is both a holiday and inside a
 * closure reports the holiday: its name is the more precise reason ("Hari Raya
 * Idulfitri 1448 Hijriah" rather than "Cuti bersama Lebaran"). `openAnyway` only overrides
 * holidays; a closure the office declared itself always closes.
 */
export function createClosedDayLookup(holidays: HolidaySettings, closures: readonly Closure[]): ClosedDayLookup {
  const openAnyway = new Set(holidays.openAnyway);
  const memo = new Map<PlainDate, RemovedDay | null>();
  return (date) => {
    const known = memo.get(date);
    if (known !== undefined) return known;
    let result: RemovedDay | null = null;
    if (holidays.country !== null && !openAnyway.has(date)) {
      const name = holidaysOfYear(holidays.country, holidays.region, yearOf(date)).get(date);
      if (name !== undefined) result = { date, reason: name, kind: 'holiday' };
    }
    if (result === null) {
      // PlainDates are YYYY-MM-DD, so string comparison is date order.
      const closure = closures.find((c) => c.from <= date && date <= c.to);
      if (closure) result = { date, reason: closure.reason, kind: 'closure' };
    }
    memo.set(date, result);
    return result;
  };
}

/** Saturday and Sunday: the working week of Indonesian (and most) public offices. */
export function isWeekend(date: PlainDate): boolean {
  const weekday = weekdayOf(date);
  return weekday === 0 || weekday === 6;
}

/**
 * The last date of a month that is neither a weekend nor closed; null if the
 * whole month is closed (then a "last working day" rule cannot open that month).
 */
export function lastWorkingDayOf(year: number, month: number, isClosed: ClosedDayLookup): PlainDate | null {
  for (let day = daysInMonth(year, month); day >= 1; day -= 1) {
    const date = makeDate(year, month, day);
    if (!isWeekend(date) && isClosed(date) === null) return date;
  }
  return null;
}

/** `day` of the month, clamped to its last day (31 in February → 28 or 29). */
export function clampedDayOf(year: number, month: number, day: number): PlainDate {
  return makeDate(year, month, Math.min(Math.max(1, day), daysInMonth(year, month)));
}

/** Splits covered dates into service days and closed days, both sorted by date. */
export function splitClosedDays(
  covered: readonly { date: PlainDate; quota: QuotaCounts }[],
  isClosed: ClosedDayLookup,
): { days: ServiceDay[]; removedDays: RemovedDay[] } {
  const days: ServiceDay[] = [];
  const removedDays: RemovedDay[] = [];
  const sorted = [...covered].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  for (const entry of sorted) {
    const closed = isClosed(entry.date);
    if (closed) removedDays.push(closed);
    else days.push({ date: entry.date, quota: { ...entry.quota } });
  }
  return { days, removedDays };
}

/**
 * Every closed date in `window`, sorted. Only holiday dates and closure days
 * are looked at, not each day of the window: a year for 200 offices stays fast.
 */
export function listClosedDays(
  window: { from: PlainDate; to: PlainDate },
  holidays: HolidaySettings,
  closures: readonly Closure[],
  isClosed: ClosedDayLookup,
): RemovedDay[] {
  if (window.from > window.to) return [];
  const candidates = new Set<PlainDate>();
  if (holidays.country !== null) {
    for (let year = yearOf(window.from); year <= yearOf(window.to); year += 1) {
      for (const date of holidaysOfYear(holidays.country, holidays.region, year).keys()) {
        if (date >= window.from && date <= window.to) candidates.add(date);
      }
    }
  }
  for (const c of closures) {
    walkDates(c.from > window.from ? c.from : window.from, c.to < window.to ? c.to : window.to, (date) => candidates.add(date));
  }
  const out: RemovedDay[] = [];
  for (const date of [...candidates].sort()) {
    const closed = isClosed(date);
    if (closed) out.push(closed);
  }
  return out;
}
