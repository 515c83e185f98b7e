/**
 * The quota calendar of one office → the concrete releases of a date window.
 * Pure: no clock, no I/O beyond date-holidays' bundled data.
 */
import type { OfficeConfig } from '../config/types';
import type { PlainDate } from '../time/plain-date';
import { createClosedDayLookup, isWeekend, listClosedDays, type ClosedDayLookup } from './closed-days';
import { expandExplicitRelease } from './explicit';
import { expandRecurringRule } from './recurring';
import type { DateWindow, ExpandedCalendar, Release } from './types';

/** Releases by opening instant, then id: a total order, so output is stable. */
export function compareReleases(a: Release, b: Release): number {
  const diff = a.opensAt.getTime() - b.opensAt.getTime();
  if (diff !== 0) return diff;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The closed-day lookup for an office (holidays minus openAnyway, plus closures). */
export function createOfficeClosedDayLookup(office: OfficeConfig): ClosedDayLookup {
  return createClosedDayLookup(office.holidays, office.calendar.closures);
}

/**
 * Every release of `office` whose opening date (local, office zone) lies in
 * `window` (inclusive), from explicit entries, CSV rows and recurring rules,
 * sorted by opening time then id; cancelled releases included.
 *
 * `closedDays` lists the closed dates of the window on Monday–Friday, plus any
 * weekend date a release of this expansion actually lost; a holiday on an
 * ordinary Sunday is not news.
 */
export function expandCalendar(office: OfficeConfig, window: DateWindow): ExpandedCalendar {
  const isClosed = createOfficeClosedDayLookup(office);
  const releases: Release[] = [];
  const inWindow = (date: PlainDate): boolean => date >= window.from && date <= window.to;
  for (const entry of [...office.calendar.releases, ...office.calendar.imported]) {
    if (inWindow(entry.opensAt.date)) releases.push(expandExplicitRelease(entry, office, isClosed));
  }
  for (const rule of office.calendar.recurring) {
    releases.push(...expandRecurringRule(rule, office, window, isClosed));
  }
  releases.sort(compareReleases);

  const lostWeekendDays = new Set<PlainDate>();
  for (const release of releases) {
    for (const removed of release.removedDays) if (isWeekend(removed.date)) lostWeekendDays.add(removed.date);
  }
  const closedDays = listClosedDays(window, office.holidays, office.calendar.closures, isClosed).filter(
    (closed) => !isWeekend(closed.date) || lostWeekendDays.has(closed.date),
  );
  return { officeId: office.id, releases, closedDays };
}
