/**
 * The staff console's calendar of one office over a date range (default: this
 * month and next, in the office zone): each opening with its time, service
 * days and counts, and each of its announcements on each channel with its
 * state; holidays, cuti bersama and closures. As an agenda (by date) and as
 * month grids (Monday first). Reads the ledger; writes nothing.
 */
import { expandCalendar, createOfficeClosedDayLookup } from '../calendar/expand';
import { isWeekend, listClosedDays } from '../calendar/closed-days';
import type { Release, RemovedDay } from '../calendar/types';
import type { OfficeConfig } from '../config/types';
import { calendarWindow, planPosts } from '../plan/plan-posts';
import type { PlannedPost, PostKind } from '../plan/types';
import { formatTime } from '../render/helpers/format';
import { zoneAbbreviation } from '../render/helpers/zone-name';
import { listPosts } from '../store/ledger';
import type { Store } from '../store/open';
import type { LedgerPost } from '../store/types';
import { addDays, daysInMonth, isPlainDate, makeDate, type PlainDate } from '../time/plain-date';
import { fromLocal, toLocal } from '../time/zone';
import { monthsBetween, monthWeeks } from './month-grid';
import { officeOf, type ConsoleOffice } from './office-input';
import { byChannelOrder, channelRef, dateLabel, ledgerPostView, monthLabel, staffTime, stateLabel, WEEKDAY_LABELS, type ChannelPostView, type ConsoleLang, type ConsolePostState, type StaffTime } from './view-parts';

export interface CalendarOptions {
  now: Date;
  lang?: ConsoleLang;
  /** First local date shown (default: the 1st of this month in the office zone). */
  from?: PlainDate;
  /** Last local date shown, included (default: the last day of next month). */
  to?: PlainDate;
}

export interface ServiceCount {
  serviceId: string;
  name: string;
  shortName: string;
  /** Null: the service has no quota that day (each of the office's services is listed, so tables line up). */
  count: number | null;
}

export interface ServiceDayView {
  date: PlainDate;
  dateLabel: string;
  counts: ServiceCount[];
  total: number;
}

export interface ClosedDayView {
  date: PlainDate;
  dateLabel: string;
  /** `holiday`: national (date-holidays); `cuti-bersama`: a closure whose reason says so; `closure`: any other closure of the office. */
  kind: 'holiday' | 'cuti-bersama' | 'closure';
  reason: string;
  weekend: boolean;
}

/** One rule's post about an opening at one due time, on every channel. */
export interface AnnouncementView {
  ruleId: string;
  kind: PostKind;
  dueAt: StaffTime;
  channels: ChannelPostView[];
}

export interface OpeningView {
  releaseId: string;
  origin: Release['origin'];
  status: 'open' | 'cancelled';
  cancelReason: string | null;
  note: string | null;
  /** Local date of the opening. */
  opensOn: PlainDate;
  opensOnLabel: string;
  opensAt: StaffTime;
  /** `14.00 WIB`. */
  opensAtTime: string;
  closesAt: StaffTime | null;
  serviceDays: ServiceDayView[];
  /** Days it would have covered but the office is closed. */
  removedDays: ClosedDayView[];
  /** Sum over its service days, per service. */
  totals: ServiceCount[];
  /** By due time; superseded revisions never shown. */
  announcements: AnnouncementView[];
}

export type AgendaItem =
  | { date: PlainDate; dateLabel: string; kind: 'opening'; opening: OpeningView }
  | { date: PlainDate; dateLabel: string; kind: 'closed'; closed: ClosedDayView };

export interface CalendarDayView {
  date: PlainDate;
  day: number;
  inMonth: boolean;
  /** Inside the requested range (grids show whole weeks). */
  inRange: boolean;
  today: boolean;
  weekend: boolean;
  /** Openings on this day. */
  openings: { releaseId: string; opensAtTime: string; status: 'open' | 'cancelled' }[];
  /** Releases giving quota for this day. */
  service: { releaseId: string; total: number }[];
  closed: ClosedDayView | null;
}

export interface CalendarMonthView {
  /** `YYYY-MM`. */
  month: string;
  label: string;
  /** Column headers, Monday first. */
  weekdays: readonly string[];
  weeks: CalendarDayView[][];
}

export interface CalendarView {
  officeId: string;
  officeName: string;
  zone: string;
  /** WIB, WITA, WIT (or the zone's usual abbreviation). */
  zoneName: string;
  lang: ConsoleLang;
  today: PlainDate;
  range: { from: PlainDate; to: PlainDate };
  services: { id: string; name: string; shortName: string }[];
  /** Openings and closed days by date (closed days first on a date, then openings by time). */
  agenda: AgendaItem[];
  months: CalendarMonthView[];
}

/** A range the page asked for that is not one. */
export class CalendarRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarRangeError';
  }
}

/** At most this many days in one view (two years): a page is not an export. */
const MAX_RANGE_DAYS = 731;

/** How far back releases are looked for that cover days of the range (calendar-window.ts: a monthly release a month ahead). */
const COVERAGE_LOOKBACK_DAYS = 62;

export async function buildCalendar(store: Store, input: ConsoleOffice, options: CalendarOptions): Promise<CalendarView> {
  const office = officeOf(input);
  const lang = options.lang ?? 'id';
  const zone = office.timezone;
  const { now } = options;
  const today = toLocal(now, zone).date;
  const range = rangeOf(today, options);

  // Releases that opened before the range still give quota for its first days (a monthly release a month ahead).
  const expanded = expandCalendar(office, { from: addDays(range.from, -COVERAGE_LOOKBACK_DAYS), to: range.to });
  const releases = expanded.releases.filter((release) => release.opensOn >= range.from);
  const earlier = expanded.releases.filter((release) => release.opensOn < range.from);
  const ledger = await listPosts(store, { officeId: office.id, releaseIds: releases.map((release) => release.id) });
  const planned = plannedAnnouncements(input, office, range, new Set(releases.map((release) => release.id)));
  const announcements = announcementsByRelease(office, ledger, planned, { zone, now, lang });

  const closedDays = listClosedDays(range, office.holidays, office.calendar.closures, createOfficeClosedDayLookup(office)).map((day) => closedView(day, lang));
  const openings = releases.map((release) => openingView(office, release, announcements.get(release.id) ?? [], { zone, now, lang }));
  const agenda: AgendaItem[] = [
    ...closedDays.map((closed): AgendaItem => ({ date: closed.date, dateLabel: closed.dateLabel, kind: 'closed', closed })),
    ...openings.map((opening): AgendaItem => ({ date: opening.opensOn, dateLabel: opening.opensOnLabel, kind: 'opening', opening })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.kind === b.kind ? 0 : a.kind === 'closed' ? -1 : 1));

  return {
    officeId: office.id,
    officeName: office.name,
    zone,
    zoneName: zoneAbbreviation(zone, now, office.locale),
    lang,
    today,
    range,
    services: office.services.map((service) => ({ id: service.id, name: service.name, shortName: service.shortName })),
    agenda,
    months: monthsBetween(range.from, range.to).map((month) =>
      monthView(month, { range, today, openings, covering: [...earlier.map((release) => openingView(office, release, [], { zone, now, lang })), ...openings], closedDays, lang }),
    ),
  };
}

function rangeOf(today: PlainDate, options: CalendarOptions): { from: PlainDate; to: PlainDate } {
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const nextMonth = makeDate(year, month + 1, 1);
  const from = options.from ?? makeDate(year, month, 1);
  const to = options.to ?? makeDate(Number(nextMonth.slice(0, 4)), Number(nextMonth.slice(5, 7)), daysInMonth(Number(nextMonth.slice(0, 4)), Number(nextMonth.slice(5, 7))));
  for (const [name, date] of [['from', from], ['to', to]] as const) {
    if (!isPlainDate(date)) throw new CalendarRangeError(`${name} "${date}" is not a date (YYYY-MM-DD)`);
  }
  if (from > to) throw new CalendarRangeError(`from ${from} is after to ${to}`);
  if (addDays(from, MAX_RANGE_DAYS) <= to) throw new CalendarRangeError(`${from} to ${to} is more than ${MAX_RANGE_DAYS} days: ask for a shorter range`);
  return { from, to };
}

/**
 * The announcements the config plans for these releases, due whenever (also
 * before the range, also beyond the bot's horizon): the ledger holds only
 * what the bot planned so far. Digests are not about one release: left out.
 */
function plannedAnnouncements(input: ConsoleOffice, office: OfficeConfig, range: { from: PlainDate; to: PlainDate }, releaseIds: ReadonlySet<string>): PlannedPost[] {
  const announcingOnly: OfficeConfig = { ...office, digests: [] };
  const lead = Math.max(0, ...office.announcements.map((rule) => (rule.timing.kind === 'days-before' ? rule.timing.days : Math.ceil(rule.timing.minutes / 1440))));
  const planRange = { from: fromLocal(addDays(range.from, -lead - 2), '00:00', office.timezone), to: fromLocal(addDays(range.to, 2), '00:00', office.timezone) };
  const calendars = new Map([[office.id, expandCalendar(announcingOnly, calendarWindow(announcingOnly, planRange))]]);
  const { posts } = planPosts({ config: { ...input.config, offices: [announcingOnly] }, calendars, range: planRange });
  return posts.filter((post) => post.kind === 'announcement' && post.releaseId !== null && releaseIds.has(post.releaseId));
}

function announcementsByRelease(
  office: OfficeConfig,
  ledger: readonly LedgerPost[],
  planned: readonly PlannedPost[],
  env: { zone: string; now: Date; lang: ConsoleLang },
): Map<string, AnnouncementView[]> {
  const inLedger = new Set(ledger.map((post) => post.id));
  const rows: { releaseId: string; ruleId: string; kind: PostKind; dueAt: Date; view: ChannelPostView }[] = [];
  for (const post of ledger) {
    rows.push({ releaseId: post.releaseId!, ruleId: post.ruleId, kind: post.kind, dueAt: post.dueAt, view: ledgerPostView(office, post, env) });
  }
  for (const post of planned) {
    if (inLedger.has(post.id)) continue;
    const state: ConsolePostState = post.dueAt < env.now ? 'not-planned' : 'not-planned-yet';
    rows.push({
      releaseId: post.releaseId!,
      ruleId: post.ruleId,
      kind: post.kind,
      dueAt: post.dueAt,
      view: {
        ...channelRef(office, post.channelId),
        postId: null,
        ruleId: post.ruleId,
        kind: post.kind,
        releaseId: post.releaseId,
        subject: post.subject,
        state,
        stateLabel: stateLabel(state, env.lang),
        dueAt: staffTime(post.dueAt, env.zone, env.now),
        publishedAt: null,
        link: null,
        remoteId: null,
        lastError: null,
        attempts: 0,
      },
    });
  }
  rows.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) || (a.view.channelId < b.view.channelId ? -1 : 1));
  const byRelease = new Map<string, Map<string, AnnouncementView>>();
  for (const row of rows) {
    const groups = byRelease.get(row.releaseId) ?? new Map<string, AnnouncementView>();
    byRelease.set(row.releaseId, groups);
    const key = `${row.ruleId}|${row.kind}|${row.dueAt.getTime()}`;
    const group = groups.get(key) ?? { ruleId: row.ruleId, kind: row.kind, dueAt: row.view.dueAt, channels: [] };
    groups.set(key, group);
    group.channels.push(row.view);
  }
  const order = byChannelOrder(office);
  return new Map([...byRelease].map(([releaseId, groups]) => [releaseId, [...groups.values()].map((group) => ({ ...group, channels: group.channels.sort(order) }))]));
}

function countsOf(office: OfficeConfig, quota: Readonly<Record<string, number>>): ServiceCount[] {
  return office.services.map((service) => ({ serviceId: service.id, name: service.name, shortName: service.shortName, count: quota[service.id] ?? null }));
}

function openingView(office: OfficeConfig, release: Release, announcements: AnnouncementView[], env: { zone: string; now: Date; lang: ConsoleLang }): OpeningView {
  const totals: Record<string, number> = {};
  const serviceDays = release.days.map((day): ServiceDayView => {
    for (const [service, count] of Object.entries(day.quota)) totals[service] = (totals[service] ?? 0) + count;
    return { date: day.date, dateLabel: dateLabel(day.date, env.lang), counts: countsOf(office, day.quota), total: Object.values(day.quota).reduce((sum, count) => sum + count, 0) };
  });
  return {
    releaseId: release.id,
    origin: release.origin,
    status: release.status,
    cancelReason: release.cancelReason ?? null,
    note: release.note ?? null,
    opensOn: release.opensOn,
    opensOnLabel: dateLabel(release.opensOn, env.lang),
    opensAt: staffTime(release.opensAt, env.zone, env.now),
    opensAtTime: formatTime(release.opensAt, { locale: env.lang === 'id' ? 'id-ID' : 'en-GB', zone: env.zone }),
    closesAt: release.closesAt ? staffTime(release.closesAt, env.zone, env.now) : null,
    serviceDays,
    removedDays: release.removedDays.map((day) => closedView(day, env.lang)),
    totals: countsOf(office, totals),
    announcements,
  };
}

/** Cuti bersama are closures the office declares (date-holidays has none): told apart by their reason. */
const CUTI_BERSAMA = /cuti\s+bersama/i;

function closedView(day: RemovedDay, lang: ConsoleLang): ClosedDayView {
  const kind = day.kind === 'holiday' ? 'holiday' : CUTI_BERSAMA.test(day.reason) ? 'cuti-bersama' : 'closure';
  return { date: day.date, dateLabel: dateLabel(day.date, lang), kind, reason: day.reason, weekend: isWeekend(day.date) };
}

function monthView(
  month: string,
  env: { range: { from: PlainDate; to: PlainDate }; today: PlainDate; openings: readonly OpeningView[]; covering: readonly OpeningView[]; closedDays: readonly ClosedDayView[]; lang: ConsoleLang },
): CalendarMonthView {
  const closedOn = new Map(env.closedDays.map((closed) => [closed.date, closed]));
  return {
    month,
    label: monthLabel(month, env.lang),
    weekdays: WEEKDAY_LABELS[env.lang],
    weeks: monthWeeks(month).map((week) =>
      week.map((cell): CalendarDayView => ({
        ...cell,
        inRange: cell.date >= env.range.from && cell.date <= env.range.to,
        today: cell.date === env.today,
        weekend: isWeekend(cell.date),
        openings: env.openings.filter((opening) => opening.opensOn === cell.date).map((opening) => ({ releaseId: opening.releaseId, opensAtTime: opening.opensAtTime, status: opening.status })),
        service: env.covering.filter((opening) => opening.status === 'open').flatMap((opening) => opening.serviceDays.filter((day) => day.date === cell.date).map((day) => ({ releaseId: opening.releaseId, total: day.total }))),
        // A closed day of the grid outside the range is not looked up: shown plain.
        closed: closedOn.get(cell.date) ?? null,
      })),
    ),
  };
}
