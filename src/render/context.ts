/**
 * The render context: the plain object every template sees. Built from the
 * post's facts only, with friendly derived fields so templates stay simple
 * (per-day totals, service names next to counts, local dates and times).
 *
 * Every key is always present (null when there is nothing to say): handlebars
 * strict mode throws on a missing key, and the load-time checker
 * (context-shape.ts) knows exactly these keys. docs/templates.md lists them.
 */
import type { PlannedPost, PostFacts, PostKind, ReleaseFacts } from '../plan/types';
import { addDays, daysBetween, weekdayOf } from '../time/plain-date';
import { toLocal } from '../time/zone';
import { groupDayRows, type DayRowView, type RowDay } from './day-rows';
import { verifyView, type VerifyView } from './verify-view';

export type { DayRowView } from './day-rows';

export interface QuotaView {
  serviceId: string;
  serviceName: string;
  shortName: string;
  count: number;
}

/** One table cell: the count of a service on a day, null when that service has no quota that day. */
export interface CellView {
  serviceId: string;
  shortName: string;
  count: number | null;
}

export interface ReleaseDayView {
  date: string;
  quotas: QuotaView[];
  /** Aligned with the `totals` columns, for card tables. */
  cells: CellView[];
  total: number;
}

export interface ReleaseView {
  id: string;
  /** ISO instant; format with `{{time release.opensAt}}` / `{{date release.opensAt}}`. */
  opensAt: string;
  /** Local date of the opening, `YYYY-MM-DD`. */
  opensDate: string;
  /** Local time of the opening, `HH:mm`. */
  opensTime: string;
  closesAt: string | null;
  note: string | null;
  status: 'open' | 'cancelled';
  cancelled: boolean;
  cancelReason: string | null;
  /** The opening time had passed when this post goes out (a cancellation after opening reads differently). */
  opened: boolean;
  days: ReleaseDayView[];
  /** Per service over all days, in the office's service order. */
  totals: QuotaView[];
  grandTotal: number;
  firstDay: string | null;
  lastDay: string | null;
  removedDays: { date: string; reason: string; kind: 'holiday' | 'closure' }[];
  /**
   * Service days and closed days in date order, consecutive days with equal
   * counts (or the same closing reason) folded into one row: what cards,
   * captions and alt text list (day-rows.ts).
   */
  rows: DayRowView[];
}

export interface DigestDayView {
  date: string;
  weekend: boolean;
  closed: boolean;
  /** Why the office is closed (holiday, closure); null otherwise. */
  closedReason: string | null;
  /** Empty when no quota is known for the day. */
  quotas: QuotaView[];
  /** Aligned with the digest's `totals` columns, for card tables. */
  cells: CellView[];
  total: number;
}

export interface DigestView {
  from: string;
  to: string;
  days: DigestDayView[];
  /** Only the days with quota or a closing reason (skips plain weekends). */
  serviceDays: DigestDayView[];
  openings: ReleaseView[];
  totals: QuotaView[];
  grandTotal: number;
  /** Every date of the period in date order, runs that say the same folded into one row (day-rows.ts). */
  rows: DayRowView[];
  /**
   * The period seen from the day the post goes out (weeks start on Monday):
   * `this-week` (the Monday–Sunday week of the post), `next-week` (the one
   * after), else `period` (say the dates).
   */
  when: 'this-week' | 'next-week' | 'period';
  /** The first open release opening after the period (for a week without quota), or null. */
  nextOpening: ReleaseView | null;
}

export interface TimingView {
  kind: 'before-opening' | 'days-before';
  /** Minutes before opening (0 = at opening); null for days-before rules. */
  minutesBefore: number | null;
  daysBefore: number | null;
  atOpening: boolean;
}

/** One count that a correction changes (or a whole opening time). */
export interface ChangeView {
  date: string;
  serviceId: string;
  serviceName: string;
  shortName: string;
  before: number;
  after: number;
}

export interface RenderContext {
  office: {
    id: string;
    name: string;
    shortName: string;
    timezone: string;
    locale: string;
    info: { bookingChannel: string | null; website: string | null; address: string | null; phone: string | null };
    /** Always with a leading `#`. */
    hashtags: string[];
  };
  services: { id: string; name: string; shortName: string }[];
  post: { kind: PostKind; dueAt: string; channelId: string; template: string };
  release: ReleaseView | null;
  digest: DigestView | null;
  timing: TimingView | null;
  previous: ReleaseView | null;
  /** Corrections: what changed between `previous` and `release`. */
  changes: { counts: ChangeView[]; opensAtChanged: boolean } | null;
  /** The verification code and where it is checked (verify-view.ts); card templates also get `verify.qr`. */
  verify: VerifyView;
}

export interface RenderContextOptions {
  /** settings.web.publicBaseUrl: the address the verification code is checked at. */
  publicBaseUrl?: string | null;
}

type Services = PostFacts['services'];

function quotasOf(quota: Record<string, number> | null, services: Services): QuotaView[] {
  if (!quota) return [];
  const known = services.filter((s) => Object.hasOwn(quota, s.id));
  // Services the office no longer lists still show, after the known ones.
  const unknown = Object.keys(quota)
    .filter((id) => !services.some((s) => s.id === id))
    .sort()
    .map((id) => ({ id, name: id, shortName: id }));
  return [...known, ...unknown].map((s) => ({
    serviceId: s.id,
    serviceName: s.name,
    shortName: s.shortName,
    count: quota[s.id] ?? 0,
  }));
}

function totalsOf(days: { quotas: QuotaView[] }[], services: Services): QuotaView[] {
  const sums: Record<string, number> = {};
  for (const day of days) for (const q of day.quotas) sums[q.serviceId] = (sums[q.serviceId] ?? 0) + q.count;
  return quotasOf(sums, services);
}

/** Fills `cells` so every row of a card table has one cell per column, in column order. */
function withCells<T extends { quotas: QuotaView[] }>(days: Omit<T, 'cells'>[], columns: QuotaView[]): (T & { cells: CellView[] })[] {
  return days.map((day) => ({
    ...(day as T),
    cells: columns.map((c) => ({
      serviceId: c.serviceId,
      shortName: c.shortName,
      count: day.quotas.find((q) => q.serviceId === c.serviceId)?.count ?? null,
    })),
  }));
}

const sumCounts = (quotas: QuotaView[]): number => quotas.reduce((t, q) => t + q.count, 0);

function releaseView(release: ReleaseFacts, facts: PostFacts, dueAt: Date): ReleaseView {
  const opens = toLocal(new Date(release.opensAt), facts.office.timezone);
  const days = release.days.map((day) => {
    const quotas = quotasOf(day.quota, facts.services);
    return { date: day.date, quotas, total: sumCounts(quotas) };
  });
  const totals = totalsOf(days, facts.services);
  const cellDays = withCells<ReleaseDayView>(days, totals);
  const rowDays: RowDay[] = [
    ...cellDays.map((day) => ({ date: day.date, kind: 'service' as const, quotas: day.quotas, cells: day.cells, reason: null, closedKind: null })),
    ...release.removedDays.map((day) => ({ date: day.date, kind: 'closed' as const, quotas: [], cells: [], reason: day.reason, closedKind: day.kind })),
  ];
  return {
    id: release.id,
    opensAt: release.opensAt,
    opensDate: opens.date,
    opensTime: opens.time,
    closesAt: release.closesAt,
    note: release.note ?? null,
    status: release.status,
    cancelled: release.status === 'cancelled',
    cancelReason: release.cancelReason ?? null,
    opened: new Date(release.opensAt).getTime() <= dueAt.getTime(),
    days: cellDays,
    totals,
    grandTotal: sumCounts(totals),
    firstDay: days[0]?.date ?? null,
    lastDay: days[days.length - 1]?.date ?? null,
    removedDays: release.removedDays.map((d) => ({ date: d.date, reason: d.reason, kind: d.kind })),
    rows: groupDayRows(rowDays),
  };
}

function digestView(facts: PostFacts, dueAt: Date): DigestView | null {
  const digest = facts.digest;
  if (!digest) return null;
  const days = digest.days.map((day) => {
    const quotas = quotasOf(day.quota, facts.services);
    return {
      date: day.date,
      weekend: day.weekend,
      closed: day.closedReason !== undefined,
      closedReason: day.closedReason ?? null,
      quotas,
      total: sumCounts(quotas),
    };
  });
  const totals = totalsOf(days, facts.services);
  const cellDays = withCells<DigestDayView>(days, totals);
  const rowDays: RowDay[] = cellDays.map((day) => ({
    date: day.date,
    kind: day.closed ? 'closed' : day.quotas.length > 0 ? 'service' : day.weekend ? 'weekend' : 'none',
    quotas: day.closed ? [] : day.quotas,
    cells: day.closed ? [] : day.cells,
    reason: day.closedReason,
    closedKind: null,
  }));
  return {
    from: digest.from,
    to: digest.to,
    days: cellDays,
    serviceDays: withCells<DigestDayView>(
      days.filter((d) => d.quotas.length > 0 || d.closed),
      totals,
    ),
    openings: digest.openings.map((r) => releaseView(r, facts, dueAt)),
    totals,
    grandTotal: sumCounts(totals),
    rows: groupDayRows(rowDays),
    when: periodRelation(digest.from, digest.to, toLocal(dueAt, facts.office.timezone).date),
    nextOpening: digest.nextOpening ? releaseView(digest.nextOpening, facts, dueAt) : null,
  };
}

/** Whether [from, to] is exactly the Monday–Sunday week of `postDate`, the week after, or neither. */
function periodRelation(from: string, to: string, postDate: string): DigestView['when'] {
  if (weekdayOf(from) !== 1 || daysBetween(from, to) !== 6) return 'period';
  const monday = addDays(postDate, -((weekdayOf(postDate) + 6) % 7));
  if (from === monday) return 'this-week';
  if (from === addDays(monday, 7)) return 'next-week';
  return 'period';
}

function timingView(facts: PostFacts): TimingView | null {
  const timing = facts.timing;
  if (!timing) return null;
  if (timing.kind === 'before-opening') {
    return { kind: timing.kind, minutesBefore: timing.minutes, daysBefore: null, atOpening: timing.minutes === 0 };
  }
  return { kind: timing.kind, minutesBefore: null, daysBefore: timing.days, atOpening: false };
}

function changesOf(before: ReleaseView, after: ReleaseView): { counts: ChangeView[]; opensAtChanged: boolean } {
  const count = (view: ReleaseView, date: string, serviceId: string): number =>
    view.days.find((d) => d.date === date)?.quotas.find((q) => q.serviceId === serviceId)?.count ?? 0;
  const dates = [...new Set([...before.days, ...after.days].map((d) => d.date))].sort();
  const services = [...before.totals, ...after.totals].filter(
    (q, i, all) => all.findIndex((o) => o.serviceId === q.serviceId) === i,
  );
  const counts: ChangeView[] = [];
  for (const date of dates) {
    for (const s of services) {
      const [was, now] = [count(before, date, s.serviceId), count(after, date, s.serviceId)];
      if (was !== now) {
        counts.push({ date, serviceId: s.serviceId, serviceName: s.serviceName, shortName: s.shortName, before: was, after: now });
      }
    }
  }
  return { counts, opensAtChanged: before.opensAt !== after.opensAt };
}

/** The context templates render against. Pure: the same post (and options) give the same object. */
export function buildRenderContext(post: PlannedPost, options: RenderContextOptions = {}): RenderContext {
  const { facts } = post;
  const info = facts.office.info;
  const release = facts.release ? releaseView(facts.release, facts, post.dueAt) : null;
  const previous = facts.previous ? releaseView(facts.previous, facts, post.dueAt) : null;
  return {
    office: {
      id: facts.office.id,
      name: facts.office.name,
      shortName: facts.office.shortName,
      timezone: facts.office.timezone,
      locale: facts.office.locale,
      info: {
        bookingChannel: info.bookingChannel ?? null,
        website: info.website ?? null,
        address: info.address ?? null,
        phone: info.phone ?? null,
      },
      hashtags: info.hashtags.map((tag) => (tag.startsWith('#') ? tag : `#${tag}`)),
    },
    services: facts.services.map((s) => ({ id: s.id, name: s.name, shortName: s.shortName })),
    post: { kind: post.kind, dueAt: post.dueAt.toISOString(), channelId: post.channelId, template: post.template },
    release,
    digest: digestView(facts, post.dueAt),
    timing: timingView(facts),
    previous,
    changes: previous && release ? changesOf(previous, release) : null,
    verify: verifyView(post, options.publicBaseUrl ?? null),
  };
}
