/**
 * The openings the public sees, from the office's current config: the same
 * expansion of the calendar the bot plans from (calendar/expand.ts), so the
 * page, the feeds and the posts never disagree. Pure: `now` decides each
 * opening's state and the window; nothing is read from the ledger.
 */
import { createHash } from 'node:crypto';
import { expandCalendar } from '../calendar/expand';
import type { Release } from '../calendar/types';
import type { OfficeConfig } from '../config/types';
import { canonicalJson } from '../plan/fingerprint';
import { formatDate, formatTime, type FormatEnv } from '../render/helpers/format';
import { addDays } from '../time/plain-date';
import { toLocal } from '../time/zone';
import type { OpeningState, PublicOpening, PublicServiceCount } from './types';

export interface PublicOpeningsOptions {
  /** Openings that opened up to this many days ago are still listed (default 30): people check what they missed. */
  pastDays?: number;
  /** How far ahead (default: the office's planning horizon, else 35 days): what the bot will announce. */
  aheadDays?: number;
}

const DEFAULT_PAST_DAYS = 30;
const DEFAULT_AHEAD_DAYS = 35;

/** Sorted by opening time, then release id; cancelled openings included. */
export function publicOpenings(office: OfficeConfig, now: Date, options: PublicOpeningsOptions = {}): PublicOpening[] {
  const today = toLocal(now, office.timezone).date;
  const window = { from: addDays(today, -(options.pastDays ?? DEFAULT_PAST_DAYS)), to: addDays(today, options.aheadDays ?? office.horizonDays ?? DEFAULT_AHEAD_DAYS) };
  const env: FormatEnv = { locale: 'id-ID', zone: office.timezone };
  return expandCalendar(office, window).releases.map((release) => toPublicOpening(office, release, now, env));
}

function toPublicOpening(office: OfficeConfig, release: Release, now: Date, env: FormatEnv): PublicOpening {
  const counts = (quota: Readonly<Record<string, number>>): PublicServiceCount[] =>
    office.services.map((service) => ({ serviceId: service.id, name: service.name, shortName: service.shortName, count: quota[service.id] ?? null }));
  const totals: Record<string, number> = {};
  const days = release.days.map((day) => {
    for (const [service, count] of Object.entries(day.quota)) totals[service] = (totals[service] ?? 0) + count;
    return { date: day.date, label: formatDate(day.date, env), counts: counts(day.quota), total: Object.values(day.quota).reduce((sum, n) => sum + n, 0) };
  });
  const opening: Omit<PublicOpening, 'state' | 'fingerprint'> = {
    officeId: office.id,
    releaseId: release.id,
    status: release.status,
    opensAt: release.opensAt,
    closesAt: release.closesAt,
    timezone: office.timezone,
    opensLabel: `${formatDate(release.opensAt, env)} pukul ${formatTime(release.opensAt, env)}`,
    closesLabel: release.closesAt ? `${formatDate(release.closesAt, env)} pukul ${formatTime(release.closesAt, env)}` : null,
    days,
    serviceTotals: counts(totals),
    totalQuota: days.reduce((sum, day) => sum + day.total, 0),
    closedDays: release.removedDays.map((day) => ({ date: day.date, label: formatDate(day.date, env), reason: day.reason })),
    cancelReason: release.cancelReason ?? null,
    note: release.note ?? null,
  };
  return { ...opening, state: openingState(release, now, env.zone), fingerprint: createHash('sha256').update(canonicalJson(jsonOf(opening))).digest('hex') };
}

/**
 * Open from its opening time until its closing time; without one, until its
 * last service day has ended in the office zone (the quota is used by then).
 */
export function openingState(release: Pick<Release, 'status' | 'opensAt' | 'closesAt' | 'days'>, now: Date, zone: string): OpeningState {
  if (release.status === 'cancelled') return 'dibatalkan';
  if (now < release.opensAt) return 'akan-dibuka';
  if (release.closesAt) return now < release.closesAt ? 'dibuka' : 'ditutup';
  const lastDay = release.days[release.days.length - 1]?.date;
  return lastDay !== undefined && toLocal(now, zone).date <= lastDay ? 'dibuka' : 'ditutup';
}

/** Instants as ISO text: canonicalJson refuses Date objects (facts never hold them). */
function jsonOf(opening: Omit<PublicOpening, 'state' | 'fingerprint'>): unknown {
  return { ...opening, opensAt: opening.opensAt.toISOString(), closesAt: opening.closesAt?.toISOString() ?? null };
}
