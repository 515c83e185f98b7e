/**
 * An announcement (public/types.ts PublicAnnouncement) as the archive and its
 * entry pages show it: its kind in words, when it went out in the office's
 * zone, each channel's exact text, the cards with their alt text, links to
 * the live posts, and for corrections what changed and what they correct.
 */
import type { PostKind } from '../../plan/types';
import type { PublicAnnouncement } from '../../public/types';
import { formatDate, formatTime } from '../../render/helpers/format';
import { officePaths } from './public-paths';

export const KIND_LABELS: Record<PostKind, string> = {
  announcement: 'Pengumuman',
  digest: 'Jadwal mingguan',
  correction: 'Koreksi',
  cancellation: 'Pembatalan',
};

const PLATFORM_LABELS: Record<string, string> = {
  instagram: 'Instagram',
  x: 'X (Twitter)',
  facebook: 'Facebook',
  telegram: 'Telegram',
  threads: 'Threads',
  mastodon: 'Mastodon',
  bluesky: 'Bluesky',
  webhook: 'Situs web',
  outbox: 'Uji coba (tidak diunggah)',
};

/** The smaller width served for phones (`?w=540`, card-images.ts). */
export const SMALL_CARD_WIDTH = 540;

export interface CardView {
  src: string;
  srcset: string | null;
  href: string;
  width: number;
  height: number;
  alt: string;
  label: string;
}

export interface AnnouncementView {
  code: string;
  codeLabel: string;
  /** The id of its block on a list page (`#K7M2Q9XD`). */
  anchor: string;
  kind: PostKind;
  kindLabel: string;
  href: string;
  publishedLabel: string;
  publishedIso: string;
  channels: { platformLabel: string; text: string; remoteUrl: string | null; publishedLabel: string; publishedIso: string }[];
  cards: CardView[];
  changes: { label: string; before: string | null; after: string | null }[];
  /** Later corrections and cancellations of this one: links. */
  correctedBy: { codeLabel: string; href: string }[];
  /** What this correction corrects: links (announcements listing it in `correctedBy`). */
  corrects: { codeLabel: string; href: string }[];
}

/** `Jumat, 11 Desember 2026 pukul 14.00 WIB`, in the office's zone. */
export function publicInstant(instant: Date, zone: string): string {
  const env = { locale: 'id-ID', zone };
  return `${formatDate(instant, env)} pukul ${formatTime(instant, env)}`;
}

function codeLabelOf(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/**
 * `corrected`: the announcements this one corrects (those naming its code in
 * their `correctedBy`), as far as the caller found them.
 */
export function announcementView(announcement: PublicAnnouncement, zone: string, corrected: readonly PublicAnnouncement[] = []): AnnouncementView {
  const paths = officePaths(announcement.officeId);
  return {
    code: announcement.code,
    codeLabel: announcement.codeLabel,
    anchor: announcement.code,
    kind: announcement.kind,
    kindLabel: KIND_LABELS[announcement.kind],
    href: paths.entry(announcement.code),
    publishedLabel: publicInstant(announcement.publishedAt, zone),
    publishedIso: announcement.publishedAt.toISOString(),
    channels: announcement.channels.map((channel) => ({
      platformLabel: PLATFORM_LABELS[channel.platform] ?? channel.platform,
      text: channel.text,
      remoteUrl: safeLink(channel.remoteUrl),
      publishedLabel: publicInstant(channel.publishedAt, zone),
      publishedIso: channel.publishedAt.toISOString(),
    })),
    cards: announcement.cards.map((card) => ({
      src: paths.card(announcement.code, card.index),
      srcset: card.width > SMALL_CARD_WIDTH ? `${paths.card(announcement.code, card.index, SMALL_CARD_WIDTH)} ${SMALL_CARD_WIDTH}w, ${paths.card(announcement.code, card.index)} ${card.width}w` : null,
      href: paths.card(announcement.code, card.index),
      width: card.width,
      height: card.height,
      alt: card.alt,
      label: announcement.cards.length > 1 ? `Gambar ${card.index} dari ${announcement.cards.length}` : 'Gambar',
    })),
    changes: announcement.changes.map((change) => ({ ...change })),
    correctedBy: announcement.correctedBy.map((code) => ({ codeLabel: codeLabelOf(code), href: paths.entry(code) })),
    corrects: corrected.filter((each) => each.correctedBy.includes(announcement.code)).map((each) => ({ codeLabel: each.codeLabel, href: officePaths(each.officeId).entry(each.code) })),
  };
}

/** A live post's link only when it is a web address: a stored `javascript:` never becomes a link. */
export function safeLink(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}
