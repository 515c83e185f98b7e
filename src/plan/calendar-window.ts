/**
 * Which local dates of the calendar a plan over an instant range needs. The
 * planner is pure and only sees the releases it is given, so the caller must
 * expand the calendar wide enough: announcements are due days before their
 * release opens, and a digest lists days covered by releases that opened long
 * before the digest itself.
 */
import type { OfficeConfig } from '../config/types';
import { NEXT_OPENING_LOOKAHEAD_DAYS } from './digest';
import { addDays, compareDates, daysBetween, type PlainDate } from '../time/plain-date';
import { toLocal } from '../time/zone';

const DAY_MINUTES = 1440;
/** A monthly release covering next month opened up to ~2 months before the last day it covers. */
const MIN_LOOKBACK_DAYS = 62;

/**
 * The local-date window (both ends included) to pass to `expandCalendar` so that
 * every release and closed day that posts due in [range.from, range.to) depend
 * on is present.
 */
export function calendarWindow(office: OfficeConfig, range: { from: Date; to: Date }): { from: PlainDate; to: PlainDate } {
  const zone = office.timezone;
  const localFrom = toLocal(range.from, zone).date;
  const localTo = toLocal(range.to, zone).date;
  // A day of margin before: an announcement may be due on its opening day after the opening time.
  let from = addDays(localFrom, -1 - announcementLagDays(office));
  let to = addDays(localTo, announcementLeadDays(office));
  if (office.digests.length > 0) {
    const lookback = releaseLookbackDays(office);
    for (const rule of office.digests) {
      const periodStart = addDays(localFrom, Math.min(0, rule.startOffsetDays));
      // ...and past the period, to name the next opening when the period has none.
      const periodEnd = addDays(localTo, rule.startOffsetDays + rule.rangeDays + NEXT_OPENING_LOOKAHEAD_DAYS);
      from = earlier(from, addDays(periodStart, -lookback));
      to = later(to, periodEnd);
    }
  }
  return { from, to };
}

/** Days between an opening and the earliest announcement of it, plus one for the due time's own day. */
function announcementLeadDays(office: OfficeConfig): number {
  let lead = 1;
  for (const rule of office.announcements) {
    const days =
      rule.timing.kind === 'days-before' ? rule.timing.days + 1 : Math.ceil(rule.timing.minutes / DAY_MINUTES) + 1;
    lead = Math.max(lead, days);
  }
  return lead;
}

/** Days an announcement can be due after its opening (a negative offset, or a long grace). */
function announcementLagDays(office: OfficeConfig): number {
  let lag = 0;
  for (const rule of office.announcements) {
    lag = Math.max(lag, Math.ceil(rule.deadlineMinutesAfterOpening / DAY_MINUTES));
    if (rule.timing.kind === 'before-opening' && rule.timing.minutes < 0) {
      lag = Math.max(lag, Math.ceil(-rule.timing.minutes / DAY_MINUTES));
    }
  }
  return lag;
}

/** The longest distance from a release's opening to the last day it covers, for this office's calendar. */
function releaseLookbackDays(office: OfficeConfig): number {
  let lookback = MIN_LOOKBACK_DAYS;
  for (const rule of office.calendar.recurring) {
    const pattern = rule.pattern;
    const days =
      pattern.every === 'weekly'
        ? (pattern.weeksAhead + 1) * 7
        : pattern.every === 'monthly'
          ? (pattern.monthsAhead + 1) * 31
          : MIN_LOOKBACK_DAYS;
    lookback = Math.max(lookback, days);
  }
  for (const release of [...office.calendar.releases, ...office.calendar.imported]) {
    for (const day of release.days) lookback = Math.max(lookback, daysBetween(release.opensAt.date, day.date) + 1);
  }
  return lookback;
}

function earlier(a: PlainDate, b: PlainDate): PlainDate {
  return compareDates(a, b) <= 0 ? a : b;
}

function later(a: PlainDate, b: PlainDate): PlainDate {
  return compareDates(a, b) >= 0 ? a : b;
}
