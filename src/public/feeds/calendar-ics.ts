/**
 * An office's openings as an iCalendar feed (RFC 5545, with RFC 7986's NAME,
 * REFRESH-INTERVAL, SOURCE and URL): one VEVENT per opening, which phone and
 * desktop calendars subscribe to by URL.
 *
 * - Times are UTC (`DTSTART:20261211T070000Z`): exact in every reader, with no
 *   VTIMEZONE to get wrong (a zone with summer time would need its rules
 *   written out). The reader shows them in its own zone; X-WR-TIMEZONE names
 *   the office's zone for readers that offer it.
 * - UID `{releaseId}@{office}.quota-herald`: the calendar's release id never
 *   changes when the opening is edited, so a reader updates the event instead
 *   of adding a second one.
 * - SEQUENCE counts the opening's changes (store/public-versions.ts), and
 *   DTSTAMP = LAST-MODIFIED = when that version was first served: the body
 *   changes only when an opening does, so ETags and 304s work for pollers.
 * - DTEND: the closing time, or one hour after opening when there is none
 *   (a calendar needs an end; the quota usually goes in the first hour).
 * - A cancelled opening stays, with STATUS:CANCELLED and "DIBATALKAN" in its
 *   title (some readers ignore STATUS).
 *
 * Pure: everything comes in as arguments.
 */
import { formatNumber } from '../../render/helpers/format';
import type { PublicOffice, PublicOpening } from '../types';
import { contentLine, escapeText, formatUtcDateTime } from './ics-text';

/** An opening with what the store recorded about its versions. */
export interface VersionedOpening extends PublicOpening {
  /** Raised on every change of the opening (RFC 5545 SEQUENCE); 0 for the first version. */
  sequence: number;
  /** When this version was first served. */
  modifiedAt: Date;
}

export interface CalendarFeedInput {
  office: PublicOffice;
  openings: readonly VersionedOpening[];
  /** Absolute URL of the office's public page (each event links to it). */
  officePageUrl: string;
  /** Absolute URL of this feed (SOURCE). */
  calendarUrl: string;
}

/** How often readers should poll (REFRESH-INTERVAL and X-PUBLISHED-TTL). Google and Apple poll less often whatever it says. */
export const REFRESH_INTERVAL = 'PT1H';
/** Without a closing time the event lasts this long. */
export const DEFAULT_EVENT_MS = 60 * 60 * 1000;
export const PRODID = '-//quota-herald//Kalender pembukaan kuota//ID';

export function icsUid(opening: Pick<PublicOpening, 'releaseId' | 'officeId'>): string {
  return `${opening.releaseId}@${opening.officeId}.quota-herald`;
}

export function renderCalendar(input: CalendarFeedInput): string {
  const { office } = input;
  const name = `Pembukaan kuota antrean — ${office.shortName}`;
  const lines = [
    contentLine('BEGIN', 'VCALENDAR'),
    contentLine('VERSION', '2.0'),
    contentLine('PRODID', escapeText(PRODID)),
    contentLine('CALSCALE', 'GREGORIAN'),
    contentLine('METHOD', 'PUBLISH'),
    contentLine('NAME', escapeText(name)),
    contentLine('X-WR-CALNAME', escapeText(name)),
    contentLine('DESCRIPTION', escapeText(calendarDescription(office))),
    contentLine('X-WR-CALDESC', escapeText(calendarDescription(office))),
    contentLine('X-WR-TIMEZONE', escapeText(office.timezone)),
    contentLine('URL', input.officePageUrl, { VALUE: 'URI' }),
    contentLine('SOURCE', input.calendarUrl, { VALUE: 'URI' }),
    contentLine('REFRESH-INTERVAL', REFRESH_INTERVAL, { VALUE: 'DURATION' }),
    contentLine('X-PUBLISHED-TTL', REFRESH_INTERVAL),
    ...input.openings.flatMap((opening) => eventLines(office, opening, input.officePageUrl)),
    contentLine('END', 'VCALENDAR'),
  ];
  return lines.join('');
}

function calendarDescription(office: PublicOffice): string {
  return `Jadwal pembukaan kuota antrean ${office.name}. Pendaftaran GRATIS, waspada calo.`;
}

function eventLines(office: PublicOffice, opening: VersionedOpening, officePageUrl: string): string[] {
  const cancelled = opening.status === 'cancelled';
  const end = opening.closesAt ?? new Date(opening.opensAt.getTime() + DEFAULT_EVENT_MS);
  const stamp = formatUtcDateTime(opening.modifiedAt);
  return [
    contentLine('BEGIN', 'VEVENT'),
    contentLine('UID', escapeText(icsUid(opening))),
    contentLine('DTSTAMP', stamp),
    contentLine('LAST-MODIFIED', stamp),
    contentLine('SEQUENCE', String(opening.sequence)),
    contentLine('DTSTART', formatUtcDateTime(opening.opensAt)),
    contentLine('DTEND', formatUtcDateTime(end)),
    contentLine('SUMMARY', escapeText(`${cancelled ? 'DIBATALKAN: ' : ''}${eventTitle(office, opening)}`)),
    contentLine('DESCRIPTION', escapeText(eventDescription(office, opening, officePageUrl))),
    ...(office.bookingChannel ? [contentLine('LOCATION', escapeText(office.bookingChannel))] : []),
    contentLine('URL', officePageUrl, { VALUE: 'URI' }),
    contentLine('STATUS', cancelled ? 'CANCELLED' : 'CONFIRMED'),
    // The opening is a moment to be ready for, not time the subscriber is busy.
    contentLine('TRANSP', 'TRANSPARENT'),
    contentLine('END', 'VEVENT'),
  ];
}

/** `Pembukaan kuota antrean paspor — Imigrasi Pontianak`. */
export function eventTitle(office: PublicOffice, opening: PublicOpening): string {
  return `Pembukaan kuota antrean ${servicesPhrase(office, opening)} — ${office.shortName}`;
}

/**
 * What is opened, from the services' names: the words every service with
 * quota in the opening starts with (`Paspor Reguler`, `Paspor Percepatan` →
 * `paspor`), else the one service's name, else their short names.
 */
export function servicesPhrase(office: PublicOffice, opening: PublicOpening): string {
  const offered = opening.serviceTotals.filter((total) => total.count !== null && total.count > 0);
  const names = (offered.length > 0 ? offered.map((total) => total.name) : office.services.map((service) => service.name)).filter((name) => name.trim() !== '');
  if (names.length === 0) return 'layanan';
  if (names.length === 1) return names[0]!;
  const split = names.map((name) => name.trim().split(/\s+/));
  const common: string[] = [];
  for (let i = 0; split.every((words) => words.length > i + 1 && words[i]!.toLowerCase() === split[0]![i]!.toLowerCase()); i++) common.push(split[0]![i]!);
  if (common.length > 0) return common.join(' ').toLowerCase();
  const shortNames = offered.length > 0 ? offered.map((total) => total.shortName) : office.services.map((service) => service.shortName);
  return shortNames.join(', ');
}

function eventDescription(office: PublicOffice, opening: PublicOpening, officePageUrl: string): string {
  const lines: string[] = [];
  if (opening.status === 'cancelled') lines.push(`DIBATALKAN${opening.cancelReason ? `: ${opening.cancelReason}` : ''}.`, '');
  lines.push(`Dibuka ${opening.opensLabel}${opening.closesLabel ? `, ditutup ${opening.closesLabel}` : ''}.`);
  if (opening.days.length > 0) {
    lines.push('', 'Kuota per hari layanan:');
    for (const day of opening.days) lines.push(`- ${day.label}: ${countsText(day.counts)}`);
    const totals = countsText(opening.serviceTotals);
    lines.push(`Jumlah: ${totals}${opening.serviceTotals.filter((total) => total.count !== null).length > 1 ? ` (total ${number(opening.totalQuota)})` : ''}`);
  }
  for (const closed of opening.closedDays) lines.push(`Tidak ada layanan ${closed.label}: ${closed.reason}`);
  if (opening.note) lines.push('', opening.note);
  lines.push('');
  if (office.bookingChannel) lines.push(`Daftar melalui ${office.bookingChannel}.`);
  lines.push('Pendaftaran GRATIS, waspada calo.', officePageUrl);
  return lines.join('\n');
}

/** `Reguler 120, Percepatan 20`; services without quota that day are left out. */
function countsText(counts: PublicOpening['serviceTotals']): string {
  const given = counts.filter((count) => count.count !== null);
  return given.length === 0 ? '-' : given.map((count) => `${count.shortName} ${number(count.count!)}`).join(', ');
}

/** `1.200`: Indonesian digit grouping, as on the cards. */
function number(value: number): string {
  return formatNumber(value, { locale: 'id-ID', zone: 'UTC' });
}
