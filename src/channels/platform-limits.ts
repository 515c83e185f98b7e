/**
 * What each platform accepts (../shared/PLATFORMS.md, late 2026). The outbox
 * stands in for a platform and applies the same limits, so `check` and dry runs
 * catch what the real API would refuse.
 */
import type { ChannelConfig, PlatformName } from '../config/types';
import type { ChannelLimits } from './channel';

export const PLATFORM_LIMITS: Record<PlatformName, ChannelLimits> = {
  x: {
    maxTextLength: 280,
    minImages: 0,
    maxImages: 4,
    maxImageBytes: 5 * 1024 * 1024,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/png',
    dailyCap: 100,
    // The media metadata endpoint refuses longer alt text.
    maxAltTextLength: 1000,
  },
  instagram: {
    maxTextLength: 2200,
    minImages: 1,
    maxImages: 10,
    maxImageBytes: 8 * 1024 * 1024,
    imageMimes: ['image/jpeg'],
    preferredMime: 'image/jpeg',
    maxHashtags: 30,
    maxMentions: 20,
    minAspectRatio: 4 / 5,
    maxAspectRatio: 1.91,
    minWidth: 320,
    maxWidth: 1440,
    dailyCap: 50,
  },
  // The entries below are each driver's starting point from docs/channels/<name>.md;
  // the driver's folder owns its entry (issue 11).
  facebook: {
    // Code points (Postiz's limit; no Graph doc states one). No publishing cap: leave dailyCap unset.
    maxTextLength: 63206,
    minImages: 0,
    // Attached photos of one /feed post (Instagram parity; not documented by Meta).
    maxImages: 10,
    // Meta refuses over 10 MB and recommends under 4 MB; subcode 1366046 says "smaller than 4 MB".
    maxImageBytes: 4 * 1024 * 1024,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/jpeg',
  },
  telegram: {
    // A photo caption, "0-1024 characters after entities parsing" (captions go as plain text,
    // so nothing is parsed). Counted in UTF-16 code units, never fewer than code points: safe
    // whichever unit Telegram uses. A text-only post could hold 4,096; the templates aim at 1,024.
    maxTextLength: 1024,
    minImages: 0,
    // sendMediaGroup: 2-10 photos; one goes by sendPhoto. Uploads up to 10 MB; "the photo's width
    // and height must not exceed 10000 in total. Width and height ratio must be at most 20."
    maxImages: 10,
    maxImageBytes: 10 * 1024 * 1024,
    imageMimes: ['image/png', 'image/jpeg'],
    // Telegram recompresses every photo to JPEG: sending JPEG uploads less for the same picture.
    preferredMime: 'image/jpeg',
    minAspectRatio: 1 / 20,
    maxAspectRatio: 20,
    // No alt text on Telegram (no maxAltTextLength): the Bot API has no field for it.
    // No daily cap: about 20 messages a minute per channel, answered with 429 + retry_after.
  },
  threads: {
    // docs/channels/threads.md §3. UTF-8 bytes: "Emojis are counted as the number of UTF-8 bytes"
    // (a text of 498 UTF-16 units with three curly quotes, 504 bytes, was refused).
    maxTextLength: 500,
    // Text-only posts exist (media_type TEXT).
    minImages: 0,
    // Carousels hold 2–20 by some sources, 10 by others: the safe one.
    maxImages: 10,
    maxImageBytes: 8 * 1024 * 1024,
    imageMimes: ['image/jpeg', 'image/png'],
    preferredMime: 'image/jpeg',
    // Restated by third parties from the Media Specifications: at most 10:1; widths outside are scaled (kept strict here).
    minAspectRatio: 1 / 10,
    maxAspectRatio: 10,
    minWidth: 320,
    maxWidth: 1440,
    // 250 API posts per rolling 24 h, a carousel counting once (threads_publishing_limit).
    dailyCap: 250,
    // Not documented; a maintained tool caps 1,000 [assumed].
    maxAltTextLength: 1000,
  },
  mastodon: {
    // The defaults of every standard instance (graphemes, each link 23: countMastodon); `check
    // --online` reads the instance's own (GET /api/v2/instance) and reports any lower one as an
    // error. No daily cap: instances limit 300 statuses per 3 h and 30 uploads per 30 min.
    maxTextLength: 500,
    minImages: 0,
    maxImages: 4,
    maxImageBytes: 16 * 1024 * 1024,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/png',
    maxAltTextLength: 1500,
  },
  bluesky: {
    // app.bsky.feed.post `text`: 300 graphemes and 3,000 UTF-8 bytes (links count in full).
    maxTextLength: 300,
    maxTextBytes: 3000,
    minImages: 0,
    // app.bsky.embed.images: up to 4, `alt` required (no length limit).
    maxImages: 4,
    // Blobs: 2,000,000 bytes since April 2026, 1,000,000 on older PDS versions: the size every PDS takes.
    // Cards are ~0.2 MB as JPEG, so JPEG and a `check` error above this instead of a shrinking loop.
    maxImageBytes: 1_000_000,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/jpeg',
    // No daily cap a quota bot can reach: 5,000 write points an hour, 35,000 a day (a post is 2).
  },
  webhook: {
    // Ours to choose (docs/channels/webhook.md): code points. Without the media
    // server cards travel inline, so 4 cards of 1.5 MB (~8 MB as base64) keep a
    // body under webhook-payload.ts MAX_BODY_BYTES; a card is ~150 KB.
    maxTextLength: 65536,
    minImages: 0,
    maxImages: 4,
    maxImageBytes: 1.5 * 1024 * 1024,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/png',
  },
  generic: {
    maxTextLength: 5000,
    minImages: 0,
    maxImages: 10,
    maxImageBytes: 10 * 1024 * 1024,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/png',
  },
};

/** Threads refuses a post with more distinct links (THREADS_API__LINK_LIMIT_EXCEEDED, since 2025-12-22). */
export const THREADS_MAX_LINKS = 5;

/** The platform's limits with the channel's own daily cap (X: set it to your access tier). */
export function limitsFor(config: Pick<ChannelConfig, 'platform' | 'dailyCap'>): ChannelLimits {
  const limits = PLATFORM_LIMITS[config.platform];
  return config.dailyCap === undefined ? limits : { ...limits, dailyCap: config.dailyCap };
}

/** What X charges per post (pay-per-use, 2026); override per channel with `pricing`. */
export const X_DEFAULT_PRICING = { perPost: 0.015, perPostWithUrl: 0.2 };
