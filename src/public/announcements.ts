/**
 * The public record of what an office announced: its published posts from
 * the ledger, grouped into announcements (every channel's post of one rule
 * about one subject with the same content: one card, one verification code).
 * Only published posts are public: a planned card's code finds nothing.
 *
 * Posts sent to the outbox (a dry run, remote id `outbox:…`) never went to a
 * platform: they are left out unless asked for (a demo deployment).
 */
import type { Kysely, Selectable } from 'kysely';
import type { PostFacts, PostKind, ReleaseFacts } from '../plan/types';
import { formatDate, formatNumber, formatShortDate, formatTime, type FormatEnv } from '../render/helpers/format';
import type { RenderedPost } from '../render/types';
import { formatVerifyCode, verifyCode } from '../render/verify-code';
import { findCard } from '../store/card-store';
import type { Store } from '../store/open';
import type { Database, PostsTable } from '../store/schema';
import type { PublicAnnouncement, PublicCard, PublicChange, PublicChannelPost } from './types';

export interface AnnouncementQuery {
  /** Published at or after. */
  from?: Date;
  /** Published before. */
  to?: Date;
  /** Paging: announcements first published before this instant (the last one of the previous page). */
  before?: Date;
  /** Announcements, not posts (default 50, at most 500). */
  limit?: number;
  /** The platform of a channel (from the office config); default: read from the live post's address. */
  platformOf?: (channelId: string) => string;
  /** Include posts sent to the outbox (a dry run). Default false: they never reached the public. */
  includeDryRun?: boolean;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const CORRECTING: readonly PostKind[] = ['correction', 'cancellation'];


const COLUMNS = ['id', 'office_id', 'rule_id', 'channel_id', 'kind', 'release_id', 'subject', 'fingerprint', 'facts_json', 'rendered_json', 'remote_url', 'published_at', 'verify_code'] as const;
type Row = Pick<Selectable<PostsTable>, (typeof COLUMNS)[number]>;

/** An office's announcements, newest first. */
export async function listAnnouncements(store: Store, officeId: string, query: AnnouncementQuery = {}): Promise<PublicAnnouncement[]> {
  const limit = Math.min(Math.max(1, query.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
  // First the page of codes (by first publication), then their posts: a limit counts announcements, not channel posts.
  let codes = publishedOf(store.db, query.includeDryRun ?? false)
    .where('office_id', '=', officeId)
    .select((eb) => ['verify_code', eb.fn.min('published_at').as('first')])
    .groupBy('verify_code');
  if (query.from) codes = codes.having((eb) => eb.fn.min('published_at'), '>=', query.from.getTime());
  if (query.to) codes = codes.having((eb) => eb.fn.min('published_at'), '<', query.to.getTime());
  if (query.before) codes = codes.having((eb) => eb.fn.min('published_at'), '<', query.before.getTime());
  const page = await codes.orderBy('first', 'desc').orderBy('verify_code', 'desc').limit(limit).execute();
  const wanted = page.map((row) => row.verify_code).filter((code): code is string => code !== null);
  if (wanted.length === 0) return [];
  const rows = await publishedOf(store.db, query.includeDryRun ?? false).where('office_id', '=', officeId).where('verify_code', 'in', wanted).select(COLUMNS).execute();
  return assemble(store, rows, query);
}

/**
 * The announcements with this code (as stored: `K7M2Q9XD`, see parseVerifyCode),
 * of one office or of any. Usually one; two offices' codes may collide, and each is shown.
 */
export async function findAnnouncementsByCode(store: Store, code: string, officeId?: string, query: Pick<AnnouncementQuery, 'platformOf' | 'includeDryRun'> = {}): Promise<PublicAnnouncement[]> {
  let rows = publishedOf(store.db, query.includeDryRun ?? false).where('verify_code', '=', code);
  if (officeId !== undefined) rows = rows.where('office_id', '=', officeId);
  return assemble(store, await rows.select(COLUMNS).execute(), query);
}

/**
 * The image of a published card (`index` from 1), JPEG where a channel got one
 * (Instagram's cards are JPEG; X's may be PNG): what the archive shows and
 * links to. Null when no published post has this code or the card is gone.
 */
export async function readPublicCard(store: Store, code: string, index: number, options: { officeId?: string; includeDryRun?: boolean } = {}): Promise<{ bytes: Buffer; mime: string; sha256: string } | null> {
  let query = publishedOf(store.db, options.includeDryRun ?? false).where('verify_code', '=', code);
  if (options.officeId !== undefined) query = query.where('office_id', '=', options.officeId);
  const rows = await query.select(['rendered_json']).execute();
  const candidates = rows
    .map((row) => parseRendered(row.rendered_json)?.media[index - 1])
    .filter((media) => media !== undefined)
    .sort((a, b) => Number(b.mime === 'image/jpeg') - Number(a.mime === 'image/jpeg'));
  for (const media of candidates) {
    const card = await findCard(store, media.file);
    if (card) return { bytes: card.bytes, mime: card.mime, sha256: card.sha256 };
  }
  return null;
}

/** How many announcements' posts an office has published, and the latest publication: a cheap version for ETags and caches. */
export async function announcementsVersion(store: Store, officeId: string, options: { includeDryRun?: boolean } = {}): Promise<{ count: number; lastChange: Date | null }> {
  const row = await publishedOf(store.db, options.includeDryRun ?? false)
    .where('office_id', '=', officeId)
    .select((eb) => [eb.fn.countAll().as('count'), eb.fn.max('published_at').as('last')])
    .executeTakeFirst();
  const last = row?.last === null || row?.last === undefined ? null : Number(row.last);
  return { count: Number(row?.count ?? 0), lastChange: last === null ? null : new Date(last) };
}

function publishedOf(db: Kysely<Database>, includeDryRun: boolean) {
  const published = db.selectFrom('posts').where('state', '=', 'published').where('published_at', 'is not', null);
  return includeDryRun ? published : published.where((eb) => eb.or([eb('remote_id', 'is', null), eb('remote_id', 'not like', 'outbox:%')]));
}

async function assemble(store: Store, rows: Row[], query: Pick<AnnouncementQuery, 'platformOf' | 'includeDryRun'>): Promise<PublicAnnouncement[]> {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const code = codeOf(row);
    const key = `${row.office_id}\u0000${code}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const announcements = [...groups.values()].map((group) => toAnnouncement(group, query.platformOf));
  await addCorrectedBy(store, announcements, query.includeDryRun ?? false);
  return announcements.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime() || (a.code < b.code ? 1 : -1));
}

/** Rows written before migration 0012 by hand (tests, old tools) have no stored code: the same derivation. */
function codeOf(row: Row): string {
  return row.verify_code ?? verifyCode({ officeId: row.office_id, ruleId: row.rule_id, subject: row.subject, fingerprint: row.fingerprint });
}

function toAnnouncement(rows: Row[], platformOf?: (channelId: string) => string): PublicAnnouncement {
  rows.sort((a, b) => Number(a.published_at) - Number(b.published_at) || (a.channel_id < b.channel_id ? -1 : 1));
  const first = rows[0]!;
  const code = codeOf(first);
  const facts = JSON.parse(first.facts_json) as PostFacts;
  const channels: PublicChannelPost[] = rows.map((row) => ({
    channelId: row.channel_id,
    platform: platformOf?.(row.channel_id) ?? platformFromUrl(row.remote_url) ?? row.channel_id,
    publishedAt: new Date(Number(row.published_at)),
    remoteUrl: row.remote_url,
    text: parseRendered(row.rendered_json)?.text ?? '',
  }));
  return {
    officeId: first.office_id,
    code,
    codeLabel: formatVerifyCode(code),
    kind: first.kind,
    ruleId: first.rule_id,
    subject: first.subject,
    releaseId: first.release_id,
    publishedAt: channels[0]!.publishedAt,
    updatedAt: channels[channels.length - 1]!.publishedAt,
    channels,
    cards: cardsOf(rows),
    changes: first.kind === 'correction' || first.kind === 'cancellation' ? describeChanges(facts) : [],
    correctedBy: [],
  };
}

/** The cards as one channel published them, the JPEG one first (see readPublicCard). */
function cardsOf(rows: Row[]): PublicCard[] {
  const rendered = rows.map((row) => parseRendered(row.rendered_json)).filter((post): post is RenderedPost => post !== null);
  rendered.sort((a, b) => Number(b.media[0]?.mime === 'image/jpeg') - Number(a.media[0]?.mime === 'image/jpeg'));
  return (rendered[0]?.media ?? []).map((media, i) => ({ index: i + 1, width: media.width, height: media.height, alt: media.alt, sha256: media.sha256 ?? '' }));
}

/** Later corrections and cancellations of each announcement's release, published, oldest first. */
async function addCorrectedBy(store: Store, announcements: PublicAnnouncement[], includeDryRun: boolean): Promise<void> {
  const releases = [...new Set(announcements.map((a) => a.releaseId).filter((id): id is string => id !== null))];
  if (releases.length === 0) return;
  const offices = [...new Set(announcements.map((a) => a.officeId))];
  const rows = await publishedOf(store.db, includeDryRun)
    .where('kind', 'in', CORRECTING)
    .where('office_id', 'in', offices)
    .where('release_id', 'in', releases)
    .select(['office_id', 'release_id', 'rule_id', 'subject', 'fingerprint', 'verify_code', 'published_at'])
    .orderBy('published_at')
    .execute();
  for (const announcement of announcements) {
    const later = rows.filter((row) => row.office_id === announcement.officeId && row.release_id === announcement.releaseId && Number(row.published_at) > announcement.publishedAt.getTime());
    const codes = later.map((row) => row.verify_code ?? verifyCode({ officeId: row.office_id, ruleId: row.rule_id, subject: row.subject, fingerprint: row.fingerprint }));
    announcement.correctedBy = [...new Set(codes)].filter((code) => code !== announcement.code);
  }
}

function parseRendered(json: string | null): RenderedPost | null {
  if (json === null) return null;
  try {
    return JSON.parse(json) as RenderedPost;
  } catch {
    return null;
  }
}

const PLATFORM_HOSTS: readonly [RegExp, string][] = [
  [/(^|\.)instagram\.com$/, 'instagram'],
  [/(^|\.)(x|twitter)\.com$/, 'x'],
  [/(^|\.)facebook\.com$/, 'facebook'],
  [/(^|\.)threads\.(net|com)$/, 'threads'],
  [/(^|\.)t\.me$/, 'telegram'],
  [/(^|\.)bsky\.app$/, 'bluesky'],
];

function platformFromUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const host = new URL(url).hostname;
    return PLATFORM_HOSTS.find(([pattern]) => pattern.test(host))?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * What a correction or cancellation changed, in the words of the public page:
 * the opening's time, its closing time, each service's count on each day,
 * days added or dropped, and the cancellation itself.
 */
export function describeChanges(facts: PostFacts): PublicChange[] {
  const before = facts.previous;
  const after = facts.release;
  if (!before || !after) return [];
  const env: FormatEnv = { locale: 'id-ID', zone: facts.office.timezone };
  const when = (iso: string | null): string | null => (iso === null ? null : `${formatDate(iso, env)} pukul ${formatTime(iso, env)}`);
  const changes: PublicChange[] = [];
  if (after.status === 'cancelled' && before.status !== 'cancelled') {
    changes.push({ label: 'Status', before: 'dibuka', after: after.cancelReason ? `dibatalkan (${after.cancelReason})` : 'dibatalkan' });
  }
  if (before.opensAt !== after.opensAt) changes.push({ label: 'Waktu pembukaan', before: when(before.opensAt), after: when(after.opensAt) });
  if (before.closesAt !== after.closesAt) changes.push({ label: 'Waktu penutupan', before: when(before.closesAt), after: when(after.closesAt) });
  changes.push(...countChanges(facts, before, after, env));
  return changes;
}

function countChanges(facts: PostFacts, before: ReleaseFacts, after: ReleaseFacts, env: FormatEnv): PublicChange[] {
  const quotaOn = (release: ReleaseFacts): Map<string, Readonly<Record<string, number>>> => new Map(release.days.map((day) => [day.date, day.quota]));
  const was = quotaOn(before);
  const is = quotaOn(after);
  const dates = [...new Set([...was.keys(), ...is.keys()])].sort();
  const changes: PublicChange[] = [];
  for (const date of dates) {
    for (const service of facts.services) {
      const old = was.get(date)?.[service.id];
      const now = is.get(date)?.[service.id];
      if (old === now) continue;
      changes.push({
        label: `Kuota ${service.name}, ${formatShortDate(date, env, true)}`,
        before: old === undefined ? null : formatNumber(old, env),
        after: now === undefined ? null : formatNumber(now, env),
      });
    }
  }
  return changes;
}
