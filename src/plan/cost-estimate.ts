/**
 * Pure: what the coming posts will cost on pay-per-use platforms (X since 2026:
 * a flat price per post, much more when the text contains a URL).
 */
import { X_DEFAULT_PRICING } from '../channels/platform-limits';
import type { ChannelConfig } from '../config/types';

export interface CostLine {
  channelId: string;
  posts: number;
  postsWithUrl: number;
  usd: number;
}

export function estimateCost(
  posts: readonly { channelId: string; hasUrl: boolean }[],
  pricing: ReadonlyMap<string, { perPost: number; perPostWithUrl: number }>,
): CostLine[] {
  const lines = new Map<string, CostLine>();
  for (const post of posts) {
    const price = pricing.get(post.channelId);
    if (!price) continue;
    const line = lines.get(post.channelId) ?? { channelId: post.channelId, posts: 0, postsWithUrl: 0, usd: 0 };
    line.posts += 1;
    if (post.hasUrl) line.postsWithUrl += 1;
    // A post with a URL is charged the URL price instead of, not on top of, the base price.
    line.usd += post.hasUrl ? price.perPostWithUrl : price.perPost;
    lines.set(post.channelId, line);
  }
  return [...lines.values()].sort((a, b) => a.channelId.localeCompare(b.channelId));
}

/** The price list of the channels that post to X (their own `pricing`, else X's published prices); other platforms cost nothing per post. */
export function pricingOf(channels: readonly Pick<ChannelConfig, 'id' | 'platform' | 'pricing'>[]): Map<string, { perPost: number; perPostWithUrl: number }> {
  return new Map(channels.filter((c) => c.platform === 'x').map((c) => [c.id, c.pricing ?? X_DEFAULT_PRICING] as const));
}
