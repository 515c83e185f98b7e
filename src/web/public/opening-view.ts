/**
 * An opening (public/types.ts PublicOpening) as the office page, the index
 * and the widget show it: its state in words (never colour alone), the days it
 * covers, and its counts as a table with a caption and header cells (a screen
 * reader reads "Paspor Reguler, Senin 7 Desember: 120").
 */
import type { OpeningState, PublicOpening } from '../../public/types';
import { formatShortDate } from '../../render/helpers/format';

export const STATE_LABELS: Record<OpeningState, string> = {
  'akan-dibuka': 'Akan dibuka',
  dibuka: 'Dibuka',
  ditutup: 'Ditutup',
  dibatalkan: 'Dibatalkan',
};

/**
 * Short words so that two or three services fit a phone's width (`Sen, 7 Des`,
 * `Reguler`): the heading above the table gives the dates in full.
 */
export interface CountTable {
  caption: string;
  services: string[];
  rows: { label: string; date: string; counts: string[]; total: string }[];
  /** The per-service totals row; null with one day (it would repeat the day). */
  totals: { counts: string[]; total: string } | null;
}

export interface OpeningView {
  id: string;
  state: OpeningState;
  stateLabel: string;
  cancelled: boolean;
  opensLabel: string;
  opensIso: string;
  closesLabel: string | null;
  closesIso: string | null;
  /** `Senin, 7 Desember 2026 – Jumat, 11 Desember 2026 (5 hari layanan)`. */
  daysSummary: string;
  totalLabel: string;
  table: CountTable;
  closedDays: string[];
  cancelReason: string | null;
  note: string | null;
}

const NUMBER = new Intl.NumberFormat('id-ID');

/** `1.250`; a service without quota that day is a dash with words for screen readers in the caption. */
function count(value: number | null): string {
  return value === null ? '–' : NUMBER.format(value);
}

export function openingView(opening: PublicOpening): OpeningView {
  const first = opening.days[0];
  const last = opening.days[opening.days.length - 1];
  const dayCount = opening.days.length;
  const span = !first || !last ? 'tidak ada hari layanan' : first === last ? first.label : `${first.label} – ${last.label}`;
  const services = opening.serviceTotals.map((service) => service.shortName);
  const env = { locale: 'id-ID', zone: opening.timezone };
  const someMissing = opening.days.some((day) => day.counts.some((each) => each.count === null));
  return {
    id: `pembukaan-${opening.releaseId}`,
    state: opening.state,
    stateLabel: STATE_LABELS[opening.state],
    cancelled: opening.status === 'cancelled',
    opensLabel: opening.opensLabel,
    opensIso: opening.opensAt.toISOString(),
    closesLabel: opening.closesLabel,
    closesIso: opening.closesAt ? opening.closesAt.toISOString() : null,
    daysSummary: dayCount > 1 ? `${span} (${dayCount} hari layanan)` : span,
    totalLabel: `${NUMBER.format(opening.totalQuota)} kuota`,
    table: {
      caption: `Kuota per hari layanan${someMissing ? ' (–: tidak ada kuota layanan itu pada hari itu)' : ''}`,
      services,
      rows: opening.days.map((day) => ({ label: formatShortDate(day.date, env), date: day.date, counts: day.counts.map((each) => count(each.count)), total: NUMBER.format(day.total) })),
      totals: dayCount > 1 ? { counts: opening.serviceTotals.map((each) => count(each.count)), total: NUMBER.format(opening.totalQuota) } : null,
    },
    closedDays: opening.closedDays.map((day) => `${day.label} (${day.reason})`),
    cancelReason: opening.cancelReason,
    note: opening.note,
  };
}

/** Openings open now (until their closing time, or their last service day), in time order. */
export function openNow(openings: readonly PublicOpening[]): PublicOpening[] {
  return openings.filter((opening) => opening.state === 'dibuka');
}

/**
 * Openings still to come, in time order. A cancelled one is listed while
 * its time is ahead: the public must learn of a cancellation before they
 * wait for it.
 */
export function upcomingOpenings(openings: readonly PublicOpening[], now: Date): PublicOpening[] {
  return openings.filter((opening) => opening.state === 'akan-dibuka' || (opening.state === 'dibatalkan' && opening.opensAt > now));
}

/** Closed ones, and cancelled ones whose time has passed: newest first. */
export function pastOpenings(openings: readonly PublicOpening[], now: Date): PublicOpening[] {
  const shown = new Set([...openNow(openings), ...upcomingOpenings(openings, now)]);
  return openings.filter((opening) => !shown.has(opening)).reverse();
}

/** The next opening still to open; cancelled ones skipped. */
export function nextOpening(openings: readonly PublicOpening[]): PublicOpening | null {
  return openings.find((opening) => opening.state === 'akan-dibuka') ?? null;
}

/**
 * What the index and the widget show first, in time order: the opening open
 * now (the latest, if several: an opening without a closing time stays open
 * until its last service day) and the next to open. Both, because at the
 * opening minute people want "dibuka", and the rest of the week "when next".
 */
export function headlineOpenings(openings: readonly PublicOpening[]): PublicOpening[] {
  const open = openings.filter((opening) => opening.state === 'dibuka').at(-1);
  const next = nextOpening(openings);
  return [open, next].filter((opening): opening is PublicOpening => opening !== undefined && opening !== null);
}

/** Cancellations of openings that would have come before the next one: shown beside it. */
export function cancelledBefore(openings: readonly PublicOpening[], next: PublicOpening | null, now: Date): PublicOpening[] {
  return upcomingOpenings(openings, now).filter((opening) => opening.state === 'dibatalkan' && (!next || opening.opensAt < next.opensAt));
}
