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
