/**
 * Recurring releases: the dates a rule opens on, and the service days each
 * opening covers.
 *
 * - weekly: opens every `weekday` at `time`; covers the rule's `weekdays` of the
 *   ISO week (Monday–Sunday) `weeksAhead` weeks after the opening's own week.
 *   Friday 2026-11-27 14:00 with weeksAhead 1 covers Mon 2026-11-30 … Fri 2026-12-04.
 * - monthly: opens on `day` (clamped to the month's last day: 31 → 28/29 in
 *   February) or on the last working day (not a weekend, holiday or closure);
 *   covers the `weekdays` of the whole month `monthsAhead` later.
 * - twice-monthly on [a, b]: the opening on day a covers day b … the end of the
 *   same month; the opening on day b covers day 1 … b-1 of the next month.
 *   Together they cover every day exactly once.
 *
 * All arithmetic is on PlainDates; the only zone conversion is the opening
 * instant (fromLocal), so the host zone never matters.
 */
import type { RecurringRelease } from '../config/types';
import { addDays, daysInMonth, makeDate, monthOf, weekdayOf, yearOf, type PlainDate } from '../time/plain-date';
import { fromLocal } from '../time/zone';
import { datesOnWeekdays } from './date-walk';
import { clampedDayOf, lastWorkingDayOf, splitClosedDays, type ClosedDayLookup } from './closed-days';
import type { DateWindow, Release } from './types';

/** One opening of a rule: its local date and the period it covers (before the weekday filter). */
export interface RecurringOpening {
  opensOn: PlainDate;
  covers: { from: PlainDate; to: PlainDate };
}

/** Month as a running index (year * 12 + month - 1), so months add without carries. */
function monthIndex(date: PlainDate): number {
  return yearOf(date) * 12 + monthOf(date) - 1;
}

function monthStart(index: number): PlainDate {
  return makeDate(Math.floor(index / 12), (index % 12) + 1, 1);
}

function monthEnd(index: number): PlainDate {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return makeDate(year, month, daysInMonth(year, month));
}

function clampedInMonth(index: number, day: number): PlainDate {
  return clampedDayOf(Math.floor(index / 12), (index % 12) + 1, day);
}

/** The window narrowed by the rule's from/until; null when they do not meet. */
function boundsOf(rule: RecurringRelease, window: DateWindow): DateWindow | null {
  const from = rule.from !== undefined && rule.from > window.from ? rule.from : window.from;
  const to = rule.until !== undefined && rule.until < window.to ? rule.until : window.to;
  return from <= to ? { from, to } : null;
}

function weeklyOpenings(weekday: number, weeksAhead: number, bounds: DateWindow): RecurringOpening[] {
  const out: RecurringOpening[] = [];
  const first = addDays(bounds.from, (weekday - weekdayOf(bounds.from) + 7) % 7);
  for (let date = first; date <= bounds.to; date = addDays(date, 7)) {
    // ISO weeks start on Monday; Weekday counts from Sunday = 0.
    const monday = addDays(date, -((weekdayOf(date) + 6) % 7));
    const target = addDays(monday, 7 * weeksAhead);
    out.push({ opensOn: date, covers: { from: target, to: addDays(target, 6) } });
  }
  return out;
}

function monthlyOpenings(
  day: number | 'last-working-day',
  monthsAhead: number,
  bounds: DateWindow,
  isClosed: ClosedDayLookup,
): RecurringOpening[] {
  const out: RecurringOpening[] = [];
  for (let index = monthIndex(bounds.from); index <= monthIndex(bounds.to); index += 1) {
    const opensOn =
      day === 'last-working-day'
        ? lastWorkingDayOf(Math.floor(index / 12), (index % 12) + 1, isClosed)
        : clampedInMonth(index, day);
    if (opensOn === null || opensOn < bounds.from || opensOn > bounds.to) continue;
    out.push({ opensOn, covers: { from: monthStart(index + monthsAhead), to: monthEnd(index + monthsAhead) } });
  }
  return out;
}

function twiceMonthlyOpenings(days: [number, number], bounds: DateWindow): RecurringOpening[] {
  const out: RecurringOpening[] = [];
  const [firstDay, secondDay] = days;
  for (let index = monthIndex(bounds.from); index <= monthIndex(bounds.to); index += 1) {
    const first = clampedInMonth(index, firstDay);
    const second = clampedInMonth(index, secondDay);
    // Clamping can put both on one date (29 and 30 in February); one opening
    // per date keeps release ids unique. checkCalendar flags such days.
    if (first !== second) out.push({ opensOn: first, covers: { from: second, to: monthEnd(index) } });
    const nextEnd = secondDay > 1 ? clampedInMonth(index + 1, secondDay - 1) : null;
    if (nextEnd !== null) out.push({ opensOn: second, covers: { from: monthStart(index + 1), to: nextEnd } });
  }
  return out.filter((o) => o.opensOn >= bounds.from && o.opensOn <= bounds.to);
}

/** Openings of `rule` whose local date lies in `window` and within the rule's from/until. */
export function listRecurringOpenings(
  rule: RecurringRelease,
  window: DateWindow,
  isClosed: ClosedDayLookup,
): RecurringOpening[] {
  const bounds = boundsOf(rule, window);
  if (bounds === null) return [];
  const pattern = rule.pattern;
  switch (pattern.every) {
    case 'weekly':
      return weeklyOpenings(pattern.weekday, pattern.weeksAhead, bounds);
    case 'monthly':
      return monthlyOpenings(pattern.day, pattern.monthsAhead, bounds, isClosed);
    case 'twice-monthly':
      return twiceMonthlyOpenings(pattern.days, bounds);
  }
}

/**
 * Concrete releases of one rule in `window`, unsorted. Covered dates that are
 * closed move to `removedDays`; `cancelledOn` dates give cancelled releases
 * (kept, so the public sees the cancellation).
 */
export function expandRecurringRule(
  rule: RecurringRelease,
  office: { id: string; timezone: string },
  window: DateWindow,
  isClosed: ClosedDayLookup,
): Release[] {
  const weekdays = new Set<number>(rule.weekdays);
  return listRecurringOpenings(rule, window, isClosed).map(({ opensOn, covers }) => {
    const covered = datesOnWeekdays(covers.from, covers.to, weekdays).map((date) => ({ date, quota: rule.quota }));
    const { days, removedDays } = splitClosedDays(covered, isClosed);
    const opensAt = fromLocal(opensOn, rule.time, office.timezone);
    const cancellation = rule.cancelledOn.find((c) => c.date === opensOn);
    const release: Release = {
      id: `${rule.id}@${opensOn}`,
      officeId: office.id,
      origin: 'recurring',
      opensAt,
      closesAt: rule.closesAfterMinutes === undefined ? null : new Date(opensAt.getTime() + rule.closesAfterMinutes * 60_000),
      opensOn,
      status: cancellation ? 'cancelled' : 'open',
      days,
      removedDays,
      location: rule.location,
    };
    if (cancellation?.reason !== undefined) release.cancelReason = cancellation.reason;
    if (rule.note !== undefined) release.note = rule.note;
    return release;
  });
}
