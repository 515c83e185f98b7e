/**
 * What the public side shows (public pages, widget, ICS, Atom, JSON API): the
 * read models, built from the office's current config (openings) and from
 * the ledger's published posts (announcements). Plain data, no HTML: every
 * output format renders the same facts, so the page, the feeds and the API
 * never disagree.
 */
import type { PostKind } from '../plan/types';
import type { PlainDate } from '../time/plain-date';

/** An office as the public index lists it. */
export interface PublicOffice {
  id: string;
  name: string;
  shortName: string;
  /** `info.city` when written, else empty: the index searches name and city. */
  city: string;
  /** IANA zone, and its Indonesian abbreviation (`WIB`, `WITA`, `WIT`) or offset. */
  timezone: string;
  zoneLabel: string;
  bookingChannel: string | null;
  website: string | null;
  address: string | null;
  phone: string | null;
  hashtags: string[];
  services: { id: string; name: string; shortName: string }[];
}

/**
 * An opening as the public sees it at `now`: `akan-dibuka` before it opens,
 * `dibuka` from then until it closes (or its last service day has passed when it
 * has no closing time), `ditutup` after, `dibatalkan` when cancelled.
 */
export type OpeningState = 'akan-dibuka' | 'dibuka' | 'ditutup' | 'dibatalkan';

export interface PublicServiceCount {
  serviceId: string;
  name: string;
  shortName: string;
  /** Null: no quota of this service that day. */
  count: number | null;
}

export interface PublicServiceDay {
  date: PlainDate;
  /** `Senin, 14 Desember 2026`. */
  label: string;
  counts: PublicServiceCount[];
  total: number;
}

export interface PublicOpening {
  officeId: string;
  /** The calendar's release id: stable across edits (the ICS UID and the API id are built from it). */
  releaseId: string;
  status: 'open' | 'cancelled';
  state: OpeningState;
  opensAt: Date;
  closesAt: Date | null;
  timezone: string;
  /** `Jumat, 11 Desember 2026 pukul 14.00 WIB`. */
  opensLabel: string;
  /** Same, for closesAt; null when it has none. */
  closesLabel: string | null;
  days: PublicServiceDay[];
  /** Per service over all days (same order as the office's services). */
  serviceTotals: PublicServiceCount[];
  totalQuota: number;
  /** Days it would have covered but the office is closed: `Libur: Natal`. */
  closedDays: { date: PlainDate; label: string; reason: string }[];
  cancelReason: string | null;
  note: string | null;
  /** sha256 (hex) of everything above except `state`: changes exactly when the opening changes. */
  fingerprint: string;
}

/** One channel's post of an announcement. */
export interface PublicChannelPost {
  channelId: string;
  /** `instagram`, `x`, … (the channel driver). */
  platform: string;
  publishedAt: Date;
  /** The live post; null when the platform gave none (or the post was published by hand without a link). */
  remoteUrl: string | null;
  /** The exact text as sent to this channel. */
  text: string;
}

export interface PublicCard {
  /** 1-based position in the post (carousel order). */
  index: number;
  width: number;
  height: number;
  alt: string;
  /** sha256 (hex) of the published image bytes; empty for posts rendered before cards were hashed. */
  sha256: string;
}

/** What a correction or cancellation changed, in words: `Kuota Reguler 15 Des: 200 → 150`. */
export interface PublicChange {
  label: string;
  before: string | null;
  after: string | null;
}

/**
 * One announcement: every channel's post of one rule about one subject with
 * the same content (one card, one verification code). Only published posts
 * are public.
 */
export interface PublicAnnouncement {
  officeId: string;
  /** Verification code as stored and in URLs (`K7M2Q9XD`, render/verify-code.ts): the archive entry's permanent key. */
  code: string;
  /** `K7M2-Q9XD`. */
  codeLabel: string;
  kind: PostKind;
  ruleId: string;
  /** `RELEASE-ID` or `digest:FROM..TO`. */
  subject: string;
  releaseId: string | null;
  /** The first channel's publication. */
  publishedAt: Date;
  /** The latest channel's publication (Atom `updated`). */
  updatedAt: Date;
  channels: PublicChannelPost[];
  /** The cards as published (the same image on every channel). */
  cards: PublicCard[];
  /** For corrections and cancellations: what changed against the post they correct. */
  changes: PublicChange[];
  /** Codes of the corrections and cancellations published later about the same release, oldest first. */
  correctedBy: string[];
}
