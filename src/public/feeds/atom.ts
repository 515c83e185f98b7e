/**
 * An office's announcements as an Atom feed (RFC 4287): the public record in
 * a form feed readers and other sites follow.
 *
 * - Entry id `tag:{host},2026:{office}/{CODE}`: the verification code is the
 *   announcement's permanent key, so an id never changes (ISSUE10.md).
 * - `published`: the first channel's publication. `updated`: the later of
 *   the last channel's publication and the latest correction or cancellation
 *   about the same opening, so a reader sees a corrected announcement as updated.
 * - `content type="text"`: the exact text the first channel got; the other
 *   channels' texts are on the archive entry (the alternate link).
 * - Cards as `rel="enclosure"` links (the archive's card images), live posts
 *   as `rel="related"`.
 *
 * Pure: everything comes in as arguments.
 */
import { formatDate, formatDateRange, formatTime } from '../../render/helpers/format';
import type { PostKind } from '../../plan/types';
import type { PublicAnnouncement, PublicOffice } from '../types';
import type { PublicUrls } from './urls';

export interface AtomFeedInput {
  office: PublicOffice;
  /** Newest first. */
  announcements: readonly PublicAnnouncement[];
  urls: PublicUrls;
  /** `tag:` authority (urls.ts tagAuthority). */
  idAuthority: string;
  /** When each correction or cancellation named in `correctedBy` was published (those not in `announcements` too). */
  publishedByCode: ReadonlyMap<string, Date>;
  /** When the opening each announcement (by code) is about opens, as the announcement said it (announced-openings.ts): for titles. */
  openingTimes: ReadonlyMap<string, Date>;
  /** The feed's `updated` when it has no entries (the office's config, say). */
  emptyUpdated: Date;
}

export const ATOM_TYPE = 'application/atom+xml';

const KIND_LABELS: Readonly<Record<PostKind, string>> = {
  announcement: 'Pengumuman',
  digest: 'Jadwal',
  correction: 'Koreksi',
  cancellation: 'Pembatalan',
};

export function kindLabel(kind: PostKind): string {
  return KIND_LABELS[kind];
}

export function atomEntryId(authority: string, officeId: string, code: string): string {
  return `tag:${authority},2026:${officeId}/${code}`;
}

/**
 * `Pengumuman: pembukaan kuota Jumat, 11 Desember 2026 pukul 14.00 WIB` (the
 * time the announcement gave, not the opening's time now: a corrected one
 * keeps its title), `Jadwal kuota 14–20 Des 2026`; the subject as stored when
 * neither is known.
 */
export function announcementTitle(announcement: PublicAnnouncement, office: Pick<PublicOffice, 'timezone'>, openingTimes: ReadonlyMap<string, Date>): string {
  const env = { locale: 'id-ID', zone: office.timezone };
  const digest = /^digest:(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(announcement.subject);
  if (digest) return `${kindLabel(announcement.kind)} kuota ${formatDateRange(digest[1]!, digest[2]!, env)}`;
  const opensAt = openingTimes.get(announcement.code);
  return `${kindLabel(announcement.kind)}: pembukaan kuota ${opensAt ? `${formatDate(opensAt, env)} pukul ${formatTime(opensAt, env)}` : announcement.subject}`;
}

/** The later of the last channel's publication and the latest correction of it. */
export function entryUpdated(announcement: PublicAnnouncement, publishedByCode: ReadonlyMap<string, Date>): Date {
  let updated = announcement.updatedAt;
  for (const code of announcement.correctedBy) {
    const at = publishedByCode.get(code);
    if (at && at > updated) updated = at;
  }
  return updated;
}

export function renderAtom(input: AtomFeedInput): string {
  const { office, urls } = input;
  const entries = input.announcements.map((announcement) => ({ announcement, updated: entryUpdated(announcement, input.publishedByCode) }));
  const updated = entries.reduce((latest, entry) => (entry.updated > latest ? entry.updated : latest), entries.length > 0 ? new Date(0) : input.emptyUpdated);
  const website = websiteUri(office.website);
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="id">',
    `  <id>${text(`tag:${input.idAuthority},2026:${office.id}`)}</id>`,
    `  <title type="text">${text(`Pengumuman kuota antrean — ${office.name}`)}</title>`,
    `  <subtitle type="text">${text(`Semua pengumuman resmi kuota antrean ${office.name}. Pengumuman yang tidak ada di sini bukan dari kantor ini. Pendaftaran GRATIS, waspada calo.`)}</subtitle>`,
    `  <updated>${updated.toISOString()}</updated>`,
    `  <author><name>${text(office.name)}</name>${website ? `<uri>${text(website)}</uri>` : ''}</author>`,
    `  <link rel="self" type="${ATOM_TYPE}" href="${attr(urls.atom(office.id))}"/>`,
    `  <link rel="alternate" type="text/html" href="${attr(urls.archive(office.id))}"/>`,
    '  <generator>quota-herald</generator>',
    ...entries.flatMap(({ announcement, updated: entryTime }) => entryLines(input, announcement, entryTime)),
    '</feed>',
  ];
  return `${lines.join('\n')}\n`;
}

function entryLines(input: AtomFeedInput, announcement: PublicAnnouncement, updated: Date): string[] {
  const { office, urls } = input;
  const first = announcement.channels[0];
  const summary = entrySummary(announcement);
  return [
    '  <entry>',
    `    <id>${text(atomEntryId(input.idAuthority, office.id, announcement.code))}</id>`,
    `    <title type="text">${text(announcementTitle(announcement, office, input.openingTimes))}</title>`,
    `    <published>${announcement.publishedAt.toISOString()}</published>`,
    `    <updated>${updated.toISOString()}</updated>`,
    `    <link rel="alternate" type="text/html" href="${attr(urls.archiveEntry(office.id, announcement.code))}"/>`,
    ...announcement.cards.map((card) => `    <link rel="enclosure" type="image/jpeg" href="${attr(urls.card(office.id, announcement.code, card.index))}" title="${attr(card.alt)}"/>`),
    ...announcement.channels.filter((channel) => channel.remoteUrl).map((channel) => `    <link rel="related" type="text/html" href="${attr(channel.remoteUrl!)}" title="${attr(channel.platform)}"/>`),
    `    <category term="${attr(announcement.kind)}" label="${attr(kindLabel(announcement.kind))}"/>`,
    ...(summary ? [`    <summary type="text">${text(summary)}</summary>`] : []),
    `    <content type="text">${text(first?.text ?? '')}</content>`,
    '  </entry>',
  ];
}

/** What changed (for a correction), or that it was corrected later, with the code to check. */
function entrySummary(announcement: PublicAnnouncement): string | null {
  const parts: string[] = [];
  if (announcement.changes.length > 0) parts.push(`Perubahan: ${announcement.changes.map((change) => `${change.label}: ${change.before ?? '-'} → ${change.after ?? '-'}`).join('; ')}.`);
  if (announcement.correctedBy.length > 0) parts.push(`Pengumuman ini telah dikoreksi (kode ${announcement.correctedBy.map((code) => `${code.slice(0, 4)}-${code.slice(4)}`).join(', ')}).`);
  if (parts.length === 0) return null;
  parts.push(`Kode cek: ${announcement.codeLabel}.`);
  return parts.join(' ');
}

/** The office's website as an IRI: `pontianak.imigrasi.go.id` is written without a scheme in configs. */
function websiteUri(website: string | null): string | null {
  if (!website) return null;
  return /^[a-z][a-z0-9+.-]*:/i.test(website) ? website : `https://${website}`;
}

/**
 * Characters XML 1.0 cannot hold at all (most C0 controls, lone surrogates,
 * U+FFFE/U+FFFF) are dropped: a caption pasted from a phone may carry one,
 * and one would make the whole feed unreadable.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what XML forbids
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Character data: `\r` as a reference, or a parser would turn the caption's CRLF into LF. */
export function text(value: string): string {
  return value.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** An attribute value: quotes, and whitespace as references (a parser would fold it into spaces). */
export function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}
