/**
 * Semantic checks on an office's calendar: what the schema cannot see because
 * it needs the expanded releases (dates, holidays, other entries).
 *
 * Problems about a recurring rule are reported once per rule, not once per
 * occurrence: a year of Fridays must not bury staff under 52 copies.
 */
import type { ExplicitRelease, OfficeConfig, RecurringRelease } from '../config/types';
import type { Problem, SourceLocation } from '../errors';
import { toLocal } from '../time/zone';
import { expandCalendar, createOfficeClosedDayLookup } from './expand';
import { validateHolidaySettings } from './holidays';
import { listRecurringOpenings } from './recurring';
import type { DateWindow, Release } from './types';

const WEEKDAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function at(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.col}`;
}

/** "2026-11-27 14:00 Asia/Pontianak": what staff wrote, not UTC. */
function localOpening(release: Release, zone: string): string {
  const local = toLocal(release.opensAt, zone);
  return `${local.date} ${local.time} ${zone}`;
}

/** Looks up the YAML/CSV location of each explicit release and its days. */
function indexExplicit(office: OfficeConfig): Map<string, ExplicitRelease> {
  const byId = new Map<string, ExplicitRelease>();
  for (const entry of [...office.calendar.releases, ...office.calendar.imported]) byId.set(entry.id, entry);
  return byId;
}

/**
 * Where a release's day is written: the service's own CSV row, or the day's
 * line for explicit entries, else the rule.
 */
function dayLocation(release: Release, date: string, explicit: Map<string, ExplicitRelease>, service?: string): SourceLocation {
  if (release.origin === 'recurring') return release.location;
  const day = explicit.get(release.id)?.days.find((d) => d.date === date);
  return (service !== undefined ? day?.quotaLocations?.[service] : undefined) ?? day?.location ?? release.location;
}

/** The config entry a release comes from: the rule for recurring releases, else the release. */
function sourceKey(release: Release): string {
  return release.origin === 'recurring' ? `rule:${at(release.location)}` : `release:${release.id}`;
}

function describeSource(release: Release): string {
  return release.origin === 'recurring' ? `recurring rule ${release.id.split('@')[0]}` : `${release.origin} release ${release.id}`;
}

function checkRules(office: OfficeConfig): Problem[] {
  const problems: Problem[] = [];
  const isClosed = createOfficeClosedDayLookup(office);
  for (const rule of office.calendar.recurring) {
    const warn = (message: string): void => void problems.push({ location: rule.location, message, severity: 'warning' });
    if (rule.weekdays.length === 0) {
      warn(`Recurring rule ${rule.id} has no service weekdays, so its releases cover no day: add weekdays, e.g. [1, 2, 3, 4, 5] for Monday–Friday.`);
    }
    if (rule.from !== undefined && rule.until !== undefined && rule.until < rule.from) {
      warn(`Recurring rule ${rule.id} ends (until ${rule.until}) before it starts (from ${rule.from}), so it never opens: fix the dates or remove the rule.`);
    }
    if (rule.pattern.every === 'twice-monthly') {
      const [first, second] = rule.pattern.days;
      if (!(first < second)) {
        problems.push({
          location: rule.location,
          message: `Recurring rule ${rule.id} opens on days ${first} and ${second}: give the two days in increasing order, e.g. [1, 16].`,
          severity: 'error',
        });
      } else if (second > 28) {
        warn(`Recurring rule ${rule.id} opens on days ${first} and ${second}, which some months do not have, so those openings move to the month's last day: use days up to 28 to open on the same dates every month.`);
      }
    }
    problems.push(...checkCancelledOn(rule, isClosed));
  }
  return problems;
}

/** A cancelledOn date the rule never opens on cancels nothing: almost always a typo. */
function checkCancelledOn(rule: RecurringRelease, isClosed: ReturnType<typeof createOfficeClosedDayLookup>): Problem[] {
  const problems: Problem[] = [];
  for (const { date } of rule.cancelledOn) {
    const openings = listRecurringOpenings(rule, { from: date, to: date }, isClosed);
    if (openings.length === 0) {
      const hint =
        rule.pattern.every === 'weekly'
          ? ` (it opens on ${WEEKDAY_NAMES[rule.pattern.weekday]}s)`
          : '';
      problems.push({
        location: rule.location,
        message: `cancelledOn ${date} is not a date recurring rule ${rule.id} opens on${hint}, so nothing is cancelled: use the opening date of the release to cancel.`,
        severity: 'warning',
      });
    }
  }
  return problems;
}

/** Per-release checks: opening after a covered day, closing before opening, nothing left to announce. */
function checkReleases(office: OfficeConfig, releases: Release[], explicit: Map<string, ExplicitRelease>): Problem[] {
  const problems: Problem[] = [];
  const lateByRule = new Map<string, { release: Release; date: string; count: number }>();
  for (const release of releases) {
    if (release.status === 'cancelled') continue;
    // Opening on the service day itself, even at 00:00, is too late: the day has
    // begun. Comparing local dates avoids converting each day's midnight.
    const late = release.days.filter((d) => d.date <= release.opensOn);
    if (late.length > 0 && release.origin === 'recurring') {
      const key = sourceKey(release);
      const seen = lateByRule.get(key);
      if (seen) seen.count += 1;
      else lateByRule.set(key, { release, date: late[0]!.date, count: 1 });
    } else if (late.length > 0) {
      problems.push({
        location: dayLocation(release, late[0]!.date, explicit),
        message: `Release ${release.id} opens ${localOpening(release, office.timezone)} but covers ${late.map((d) => d.date).join(', ')}, already begun by then: a release must open before 00:00 of every day it covers, so open earlier or remove the day.`,
        severity: 'error',
      });
    }
    if (release.closesAt !== null && release.closesAt <= release.opensAt) {
      problems.push({
        location: release.location,
        message: `Release ${release.id} closes at or before it opens (${localOpening(release, office.timezone)}): fix the closing time or remove it.`,
        severity: 'error',
      });
    }
    if (release.days.length === 0 && (release.removedDays.length > 0 || release.origin !== 'recurring')) {
      const why = release.removedDays.map((r) => `${r.date} ${r.reason}`).join(', ');
      problems.push({
        location: release.location,
        message: `${describeSource(release)} opening ${release.opensOn} covers only closed days (${why || 'none listed'}), so there is nothing to announce: cancel it${release.origin === 'recurring' ? ' with cancelledOn' : ''} or give it open days.`,
        severity: 'warning',
      });
    }
    if (release.origin !== 'recurring' && release.days.length > 0) {
      for (const removed of release.removedDays) {
        const fix =
          removed.kind === 'holiday'
            ? `remove it, or if the office opens anyway add ${removed.date} to holidays.openAnyway`
            : 'remove it, or shorten the closure if the office is open';
        problems.push({
          location: dayLocation(release, removed.date, explicit),
          message: `Release ${release.id} lists ${removed.date}, but the office is closed that day (${removed.reason}), so the day is left out: ${fix}.`,
          severity: 'warning',
        });
      }
    }
  }
  for (const { release, date, count } of lateByRule.values()) {
    const others = count > 1 ? `; ${count - 1} more of its releases do the same` : '';
    problems.push({
      location: release.location,
      message: `${describeSource(release)} opens ${localOpening(release, office.timezone)} but covers ${date}, already begun by then${others}: a release must open before 00:00 of every day it covers, so cover a later week or month (weeksAhead, monthsAhead) or open earlier.`,
      severity: 'error',
    });
  }
  return problems;
}

/**
 * A recurring rule does not know about holidays: its Friday opening still
 * happens on Christmas Day unless staff cancel or move it. Say so before the day.
 */
export function checkOpeningsOnClosedDays(office: OfficeConfig, window: DateWindow): Problem[] {
  const isClosed = createOfficeClosedDayLookup(office);
  return expandCalendar(office, window)
    .releases
    .filter((release) => release.origin === 'recurring' && release.status === 'open')
    .flatMap((release) => {
      const closed = isClosed(release.opensOn);
      if (!closed) return [];
      return [
        {
          location: release.location,
          message: `${describeSource(release)} opens on ${release.opensOn}, a day the office is closed (${closed.reason}); the opening still happens and is announced: if it should not, add ${release.opensOn} to cancelledOn (and add an explicit release on another day if the quota must still open).`,
          severity: 'warning' as const,
        },
      ];
    });
}

/** Two releases giving a count for the same service on the same day: the public would see two numbers. */
function checkOverlaps(office: OfficeConfig, releases: Release[], explicit: Map<string, ExplicitRelease>): Problem[] {
  const owner = new Map<string, Release>();
  const pairs = new Map<string, { first: Release; second: Release; dates: Set<string>; services: Set<string>; firstClash: { date: string; service: string } }>();
  for (const release of releases) {
    if (release.status === 'cancelled') continue;
    for (const day of release.days) {
      for (const service of Object.keys(day.quota)) {
        const key = `${day.date}|${service}`;
        const first = owner.get(key);
        if (!first) {
          owner.set(key, release);
          continue;
        }
        const pairKey = `${sourceKey(first)}|${sourceKey(release)}`;
        // Days come in date order within a release: the first clash seen is the earliest.
        const pair = pairs.get(pairKey) ?? { first, second: release, dates: new Set<string>(), services: new Set<string>(), firstClash: { date: day.date, service } };
        pair.dates.add(day.date);
        pair.services.add(service);
        pairs.set(pairKey, pair);
      }
    }
  }
  const serviceName = (id: string): string => office.services.find((s) => s.id === id)?.name ?? id;
  return [...pairs.values()].map(({ first, second, dates, services, firstClash }) => {
    // Report at the more specific entry (CSV over explicit over a rule): that is
    // usually the one added later, and the one staff meant.
    const rank = (r: Release): number => (r.origin === 'csv' ? 2 : r.origin === 'explicit' ? 1 : 0);
    const [here, other] = rank(second) >= rank(first) ? [second, first] : [first, second];
    const date = firstClash.date;
    const what = `${[...services].map(serviceName).join(' and ')} on ${date}${dates.size > 1 ? ` and ${dates.size - 1} more day(s)` : ''}`;
    const location = dayLocation(here, date, explicit, firstClash.service);
    if (sourceKey(first) === sourceKey(second)) {
      return { location, message: `${describeSource(here)} gives two counts for ${what}: list each service day once.`, severity: 'error' as const };
    }
    let hint = 'keep the day in one of them only';
    if (here.origin === 'recurring' && other.origin === 'recurring') {
      hint = "change one rule's weekdays, from or until so the two do not cover the same days";
    } else if (other.origin === 'recurring') {
      hint = `remove the day here, or stop the rule for that week by adding ${other.opensOn} to its cancelledOn`;
    }
    return {
      location,
      message: `${describeSource(here)} and ${describeSource(other)} (${at(dayLocation(other, date, explicit, firstClash.service))}) both give counts for ${what}: ${hint}.`,
      severity: 'error' as const,
    };
  });
}

/**
 * Semantic problems of `office`'s calendar for releases opening in `window`,
 * each at the YAML/CSV location of the offending entry, saying what to do:
 * releases opening after a day they cover, two counts for one service day
 * (cancelled releases do not count), rules with no weekdays, releases with
 * nothing left to announce, cancelledOn dates that match no opening, and an
 * unknown holiday country or region.
 */
export function checkCalendar(office: OfficeConfig, window: DateWindow): Problem[] {
  const problems: Problem[] = validateHolidaySettings(office.holidays.country, office.holidays.region).map((message) => ({
    location: office.location,
    message,
    severity: 'error' as const,
  }));
  problems.push(...checkRules(office));
  const { releases } = expandCalendar(office, window);
  const explicit = indexExplicit(office);
  problems.push(...checkReleases(office, releases, explicit));
  problems.push(...checkOverlaps(office, releases, explicit));
  return problems.sort((a, b) => {
    const fileA = a.location?.file ?? '';
    const fileB = b.location?.file ?? '';
    if (fileA !== fileB) return fileA < fileB ? -1 : 1;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.col ?? 0) - (b.location?.col ?? 0);
  });
}
