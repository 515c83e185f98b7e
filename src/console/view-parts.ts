/**
 * Pieces both console pages show: an instant as staff read it, a channel, a
 * post's state in words and the link to the live post. Plain data, so a page
 * (or a JSON API) renders it without knowing the ledger.
 */
import type { ChannelConfig, OfficeConfig, PlatformName } from '../config/types';
import { formatDate } from '../render/helpers/format';
import { formatStaffTime, localizeInstants } from '../render/helpers/staff-time';
import type { PostKind } from '../plan/types';
import type { LedgerPost, PostState } from '../store/types';
import type { PlainDate } from '../time/plain-date';

/** Staff read Indonesian; English is there for whoever needs it. */
export type ConsoleLang = 'id' | 'en';

/** An instant: ISO 8601 (UTC) for machines, the office's wall clock for staff (`Jum 4 Des 14.00 WIB`). */
export interface StaffTime {
  iso: string;
  text: string;
}

/** Stamps are in Indonesian style for every office (`status` and alerts read the same). */
export function staffTime(instant: Date, zone: string, now: Date): StaffTime {
  return { iso: instant.toISOString(), text: formatStaffTime(instant, zone, now) };
}

/** A local date in words: `Jumat, 27 November 2026` (English: `Friday, November 27, 2026`). */
export function dateLabel(date: PlainDate, lang: ConsoleLang): string {
  return formatDate(date, { locale: lang === 'id' ? 'id-ID' : 'en-GB', zone: 'UTC' });
}

const MONTHS: Record<ConsoleLang, readonly string[]> = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** `Desember 2026` for `2026-12`. */
export function monthLabel(month: string, lang: ConsoleLang): string {
  return `${MONTHS[lang][Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** Monday first, as Indonesian wall calendars are. */
export const WEEKDAY_LABELS: Record<ConsoleLang, readonly string[]> = {
  id: ['Sen', 'Sel', 'Rab', 'Kam', 'Jum', 'Sab', 'Min'],
  en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
};

export interface ChannelRef {
  /** As the ledger knows it (`<office>/x` in the many-office layout). */
  channelId: string;
  /** What staff call it: the id as written in the office's herald.yaml (`x`, `instagram`). */
  label: string;
  platform: PlatformName;
  /** The outbox driver: nothing is really published (a dry run). */
  dryRun: boolean;
}

export function channelRef(office: OfficeConfig, channelId: string): ChannelRef {
  const config: ChannelConfig | undefined = office.channels.find((channel) => channel.id === channelId);
  const prefix = `${office.id}/`;
  const label = channelId.startsWith(prefix) ? channelId.slice(prefix.length) : channelId;
  // A channel no longer configured still has posts in the ledger: its platform is unknown.
  return { channelId, label, platform: config?.platform ?? 'generic', dryRun: config ? config.driver === 'outbox' : false };
}

/**
 * The live post's address. The driver records it when it publishes (X builds
 * it from the account name, Instagram's is its permalink, looked up after
 * publishing, best effort); an X post recorded without one still has an
 * address by its id. The outbox publishes nothing: no link.
 */
export function livePostLink(post: Pick<LedgerPost, 'remoteId' | 'remoteUrl'>, channel: ChannelRef): string | null {
  if (post.remoteUrl) return post.remoteUrl;
  if (channel.dryRun || post.remoteId === null || post.remoteId.startsWith('outbox:')) return null;
  if (channel.platform === 'x' && /^\d+$/.test(post.remoteId)) return `https://x.com/i/status/${post.remoteId}`;
  return null;
}

/**
 * A post's state as staff see it. `not-planned-yet`: the config plans it, but
 * beyond the bot's planning horizon (it enters the ledger in time);
 * `not-planned`: its time passed before the bot ever planned it (a release
 * added late), so it never went out and never will.
 */
export type ConsolePostState = PostState | 'not-planned-yet' | 'not-planned';

const STATE_LABELS: Record<ConsoleLang, Record<ConsolePostState, string>> = {
  id: {
    planned: 'Terjadwal',
    ready: 'Siap dikirim',
    claimed: 'Sedang dikirim',
    published: 'Terkirim',
    retrying: 'Akan dicoba lagi',
    unknown: 'Belum pasti terkirim',
    expired: 'Kedaluwarsa',
    superseded: 'Diganti',
    cancelled: 'Dibatalkan',
    dead: 'Gagal',
    skipped: 'Dilewati staf',
    'not-planned-yet': 'Akan dijadwalkan',
    'not-planned': 'Tidak dijadwalkan',
  },
  en: {
    planned: 'Planned',
    ready: 'Ready',
    claimed: 'Sending',
    published: 'Published',
    retrying: 'Will retry',
    unknown: 'Outcome unclear',
    expired: 'Expired',
    superseded: 'Superseded',
    cancelled: 'Cancelled',
    dead: 'Failed',
    skipped: 'Skipped by staff',
    'not-planned-yet': 'To be planned',
    'not-planned': 'Not planned',
  },
};

export function stateLabel(state: ConsolePostState, lang: ConsoleLang): string {
  return STATE_LABELS[lang][state];
}

/** One post (one channel) as a console row. */
export interface ChannelPostView extends ChannelRef {
  /** Null for a post the config plans but the ledger does not hold yet. */
  postId: string | null;
  ruleId: string;
  kind: PostKind;
  releaseId: string | null;
  /** The release id or `digest:FROM..TO`. */
  subject: string;
  state: ConsolePostState;
  stateLabel: string;
  dueAt: StaffTime;
  publishedAt: StaffTime | null;
  /** The live post, when published and the platform gives one. */
  link: string | null;
  remoteId: string | null;
  /** The last error, its ISO times shown in office time. */
  lastError: string | null;
  attempts: number;
}

/** Channels in the order the office's herald.yaml lists them (a page's columns stay put). */
export function byChannelOrder(office: OfficeConfig): (a: { channelId: string }, b: { channelId: string }) => number {
  const rank = (channelId: string): number => {
    const index = office.channels.findIndex((channel) => channel.id === channelId);
    return index === -1 ? office.channels.length : index;
  };
  return (a, b) => rank(a.channelId) - rank(b.channelId) || (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0);
}

/** A ledger post as a console row, its error's ISO times in office time. */
export function ledgerPostView(office: OfficeConfig, post: LedgerPost, env: { zone: string; now: Date; lang: ConsoleLang }): ChannelPostView {
  const channel = channelRef(office, post.channelId);
  return {
    ...channel,
    postId: post.id,
    ruleId: post.ruleId,
    kind: post.kind,
    releaseId: post.releaseId,
    subject: post.subject,
    state: post.state,
    stateLabel: stateLabel(post.state, env.lang),
    dueAt: staffTime(post.dueAt, env.zone, env.now),
    publishedAt: post.publishedAt ? staffTime(post.publishedAt, env.zone, env.now) : null,
    link: post.state === 'published' ? livePostLink(post, channel) : null,
    remoteId: post.remoteId,
    lastError: post.lastError === null ? null : localizeInstants(post.lastError, env.zone, env.now),
    attempts: post.attempts,
  };
}
