/**
 * Opening, digest and fixed-time announcement times (`daysBefore` … `at`)
 * that fall into a clock change of the office zone: a wall time skipped by a
 * spring-forward gap (02:30 on 2027-03-28 in Europe/Berlin) or repeated by an
 * autumn overlap. What happens is not what the config says, so `check` and
 * every load warn, at the rule, with the date and what the bot will do. An
 * announcement that the gap pushes to or past its deadline would silently not
 * go out: that is an error.
 */
import type { AnnouncementRule, OfficeConfig } from '../config/types';
import type { Problem, SourceLocation } from '../errors';
import { cronWallTimes, parseCron } from '../plan/cron';
import { announcementDeadline, announcementDueAt, describeDeadline } from '../plan/deadlines';
import { addDays, eachDate, type PlainDate } from '../time/plain-date';
import { classifyLocalTime, clockChanges, toLocal, type ClockChange } from '../time/zone';
import { createOfficeClosedDayLookup, expandCalendar } from './expand';
import { listRecurringOpenings } from './recurring';
import type { DateWindow } from './types';

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Hit {
  date: PlainDate;
  time: string;
  change: ClockChange;
  /** `unplaceable`: skipped, and the shifted time is at or after the post's deadline. */
  kind: 'skipped' | 'repeated' | 'unplaceable';
  /** The release an announcement is for. */
  release?: string;
  /** For `unplaceable`: the deadline and what it is tied to. */
  deadline?: { at: Date; why: string };
}

/** What one source (a rule, a release) hits, reported once with the first date and how many more. */
interface SourceHits {
  location: SourceLocation;
  /** "recurring rule mingguan opens", "digest rule jadwal posts". */
  subject: string;
  /** "the opening is", "the digest goes out". */
  outcome: string;
  hits: Hit[];
}

/** Warnings for opening and digest times on the local dates of `window` that a clock change skips or repeats. */
export function checkClockChanges(office: OfficeConfig, window: DateWindow): Problem[] {
  const zone = office.timezone;
  // A day of margin each side (no zone is a day off UTC); dates outside the window are dropped below.
  const changes = clockChanges(zone, new Date(`${addDays(window.from, -1)}T00:00:00Z`), new Date(`${addDays(window.to, 2)}T00:00:00Z`));
  if (changes.length === 0) return [];
  // The local dates whose wall times a change touches, with that change.
  const changeOn = new Map<PlainDate, ClockChange>();
  for (const change of changes) {
    const [low, high] = [change.offsetBeforeMs, change.offsetAfterMs].sort((a, b) => a - b);
    const first = new Date(change.at.getTime() + low!).toISOString().slice(0, 10);
    const last = new Date(change.at.getTime() + high! - 1).toISOString().slice(0, 10);
    for (const date of eachDate(first, last)) if (date >= window.from && date <= window.to) changeOn.set(date, change);
  }
  const affected = (date: PlainDate, time: string): Hit | null => {
    const change = changeOn.get(date);
    if (!change) return null;
    const { kind } = classifyLocalTime(date, time, zone);
    return kind === 'normal' ? null : { date, time: time.slice(0, 5), change, kind };
  };

  const sources: SourceHits[] = [];
  const isClosed = createOfficeClosedDayLookup(office);
  for (const rule of office.calendar.recurring) {
    const hits: Hit[] = [];
    for (const date of changeOn.keys()) {
      const opens = listRecurringOpenings(rule, { from: date, to: date }, isClosed).some((o) => o.opensOn === date);
      const cancelled = rule.cancelledOn.some((c) => c.date === date);
      const hit = opens && !cancelled ? affected(date, rule.time) : null;
      if (hit) hits.push(hit);
    }
    sources.push({ location: rule.location, subject: `recurring rule ${rule.id} opens`, outcome: 'the opening is', hits });
  }
  for (const entry of [...office.calendar.releases, ...office.calendar.imported]) {
    const hit = entry.cancelled ? null : affected(entry.opensAt.date, entry.opensAt.time);
    sources.push({ location: entry.location, subject: `release ${entry.id} opens`, outcome: 'the opening is', hits: hit ? [hit] : [] });
  }
  for (const rule of office.digests) {
    const parsed = parseCron(rule.cron);
    if (!parsed.ok) continue; // reported as an error elsewhere
    const hits: Hit[] = [];
    for (const date of changeOn.keys()) {
      for (const wall of cronWallTimes(parsed.value, date, date)) {
        const hit = affected(date, wall.slice(11, 19));
        if (hit) hits.push(hit);
      }
    }
    sources.push({ location: rule.location, subject: `digest rule ${rule.id} posts`, outcome: 'the digest goes out', hits });
  }
  for (const rule of office.announcements) {
    const hits = [...changeOn.keys()].flatMap((date) => announcementHits(office, rule, date, affected));
    sources.push({ location: rule.location, subject: `announcement rule ${rule.id} posts`, outcome: 'the announcement goes out', hits });
  }
  // One warning per source and kind: a weekly rule at 02:30 gets one for the spring and one for the autumn.
  return sources.flatMap((source) =>
    (['skipped', 'repeated', 'unplaceable'] as const)
      .map((kind) => ({ ...source, hits: source.hits.filter((h) => h.kind === kind) }))
      .filter((s) => s.hits.length > 0)
      .map((s) => warning(s, zone)),
  );
}

/**
 * A `daysBefore` rule posts at its fixed wall time on `date` for every release
 * opening `days` later; the due time and deadline are the planner's own
 * (plan/deadlines), so this check cannot drift from what is planned.
 */
function announcementHits(office: OfficeConfig, rule: AnnouncementRule, date: PlainDate, affected: (date: PlainDate, time: string) => Hit | null): Hit[] {
  if (rule.timing.kind !== 'days-before') return [];
  const timing = rule.timing;
  const hit = affected(date, timing.time);
  if (!hit) return [];
  const opensOn = addDays(date, timing.days);
  // Releases without a service day are not announced (and warned about elsewhere).
  const releases = expandCalendar(office, { from: opensOn, to: opensOn }).releases.filter((r) => r.status === 'open' && r.days.length > 0);
  return releases.map((release) => {
    const deadline = announcementDeadline(rule, release);
    if (hit.kind === 'skipped' && announcementDueAt(timing, release, office.timezone).getTime() >= deadline.getTime()) {
      return { ...hit, kind: 'unplaceable', release: release.id, deadline: { at: deadline, why: describeDeadline(rule, release, deadline) } };
    }
    return { ...hit, release: release.id };
  });
}

function warning(source: SourceHits, zone: string): Problem {
  const [hit, ...more] = source.hits.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const { date, time, change, release, deadline } = hit!;
  const day = `${WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]} ${date}`;
  const before = wallTime(change.at.getTime() + change.offsetBeforeMs);
  const after = wallTime(change.at.getTime() + change.offsetAfterMs);
  const also = more.length > 0 ? ` (also ${more.length} more date(s), the next ${more[0]!.date})` : '';
  const about = release ? ` (for release ${release})` : '';
  const when = `${source.subject} at ${time} on ${day}${about}${also}`;
  const local = classifyLocalTime(date, time, zone);
  let message: string;
  if (local.kind === 'skipped' && deadline) {
    const at = toLocal(local.at, zone);
    const due = toLocal(deadline.at, zone);
    message =
      `${when}, a time that does not exist in ${zone}: the clocks jump from ${before} to ${after}. ` +
      `Moved to ${at.time}, the post would come at or after its deadline ${due.time}${due.date === at.date ? '' : ` on ${due.date}`} (${deadline.why}), so this announcement is left out: ` +
      `pick a time outside ${before}–${after}, earlier than the opening.`;
    // A warning, not an error: an error would stop the whole config from loading (the bot
    // keeps the last good plan, or refuses to start) over one announcement, months ahead
    // perhaps, that the planner already leaves out; every other post must still go.
    return { location: source.location, message, severity: 'warning' };
  }
  if (local.kind === 'skipped') {
    const at = toLocal(local.at, zone);
    message =
      `${when}, a time that does not exist in ${zone}: the clocks jump from ${before} to ${after}. ` +
      `${capitalize(source.outcome)} at ${at.time}${at.date === date ? '' : ` on ${at.date}`} instead; pick a time outside ${before}–${after} if that is not what you want.`;
  } else {
    message =
      `${when}, a time that happens twice in ${zone}: the clocks go back from ${before} to ${after}. ` +
      `${capitalize(source.outcome)} at the first ${time} (UTC${offsetText(change.offsetBeforeMs)}), once; pick a time outside ${after}–${before} to leave no doubt.`;
  }
  return { location: source.location, message, severity: 'warning' };
}

/** `HH:mm` of a wall-clock instant given as UTC milliseconds; 24:00 reads as 00:00 of the next day. */
function wallTime(wallMs: number): string {
  return new Date(wallMs).toISOString().slice(11, 16);
}

function offsetText(offsetMs: number): string {
  const minutes = Math.abs(offsetMs) / 60_000;
  return `${offsetMs < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function capitalize(text: string): string {
  return text[0]!.toUpperCase() + text.slice(1);
}
