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
    maxTextLength: 63206,
    minImages: 0,
    maxImages: 10,
    maxImageBytes: 10 * 1024 * 1024,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/jpeg',
  },
  telegram: {
    // Counted in UTF-16 code units (never fewer than code points): safe whichever unit Telegram uses.
    maxTextLength: 1024,
    minImages: 0,
    maxImages: 10,
    maxImageBytes: 10 * 1024 * 1024,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/jpeg',
  },
  threads: {
    // UTF-8 bytes: "Emojis are counted as the number of UTF-8 bytes".
    maxTextLength: 500,
    minImages: 0,
    maxImages: 10,
    maxImageBytes: 8 * 1024 * 1024,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/jpeg',
    minWidth: 320,
    maxWidth: 1440,
    dailyCap: 250,
    maxAltTextLength: 1000,
  },
  mastodon: {
    // The instance default; `check --online` reads the instance's own (GET /api/v2/instance).
    maxTextLength: 500,
    minImages: 0,
    maxImages: 4,
    maxImageBytes: 16 * 1024 * 1024,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/png',
    maxAltTextLength: 1500,
  },
  bluesky: {
    // Graphemes; the record also holds at most 3,000 UTF-8 bytes of text.
    maxTextLength: 300,
    maxTextBytes: 3000,
    minImages: 0,
    maxImages: 4,
    maxImageBytes: 1_000_000,
    imageMimes: ['image/png', 'image/jpeg'],
    preferredMime: 'image/jpeg',
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

/** The platform's limits with the channel's own daily cap (X: set it to your access tier). */
export function limitsFor(config: Pick<ChannelConfig, 'platform' | 'dailyCap'>): ChannelLimits {
  const limits = PLATFORM_LIMITS[config.platform];
  return config.dailyCap === undefined ? limits : { ...limits, dailyCap: config.dailyCap };
}

/** What X charges per post (pay-per-use, 2026); override per channel with `pricing`. */
export const X_DEFAULT_PRICING = { perPost: 0.015, perPostWithUrl: 0.2 };
