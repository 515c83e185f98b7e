/**
 * Explicit releases (YAML) and CSV-imported ones: local wall times in the
 * office zone become instants; closed days move to `removedDays`.
 */
import type { ExplicitRelease } from '../config/types';
import { fromLocal } from '../time/zone';
import { splitClosedDays, type ClosedDayLookup } from './closed-days';
import type { Release } from './types';

/** One explicit or CSV release as a concrete Release; the caller filters by window. */
export function expandExplicitRelease(
  entry: ExplicitRelease,
  office: { id: string; timezone: string },
  isClosed: ClosedDayLookup,
): Release {
  const { days, removedDays } = splitClosedDays(entry.days, isClosed);
  const release: Release = {
    id: entry.id,
    officeId: office.id,
    origin: entry.origin,
    opensAt: fromLocal(entry.opensAt.date, entry.opensAt.time, office.timezone),
    closesAt: entry.closesAt ? fromLocal(entry.closesAt.date, entry.closesAt.time, office.timezone) : null,
    opensOn: entry.opensAt.date,
    status: entry.cancelled ? 'cancelled' : 'open',
    days,
    removedDays,
    location: entry.location,
  };
  if (entry.cancelled && entry.cancelReason !== undefined) release.cancelReason = entry.cancelReason;
  if (entry.note !== undefined) release.note = entry.note;
  return release;
}
