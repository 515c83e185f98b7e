/**
 * What the announcement and digest planners share for one office: facts built
 * once, the channel lookup, and the instant bounds posts must fall in.
 */
import type { ChannelConfig, OfficeConfig } from '../config/types';
import type { PlannedPost, PostFacts, SkippedPost } from './types';
import { buildOfficeFacts, buildServiceFacts } from './facts';

export interface OfficePlanContext {
  office: OfficeConfig;
  officeFacts: PostFacts['office'];
  serviceFacts: PostFacts['services'];
  channels: ReadonlyMap<string, ChannelConfig>;
  /** Posts are planned only when fromMs <= dueAt < toMs (fromMs already raised to `now`). */
  fromMs: number;
  toMs: number;
  posts: PlannedPost[];
  skipped: SkippedPost[];
}

export function createOfficePlanContext(
  office: OfficeConfig,
  bounds: { fromMs: number; toMs: number },
  sinks: { posts: PlannedPost[]; skipped: SkippedPost[] },
): OfficePlanContext {
  return {
    office,
    officeFacts: buildOfficeFacts(office),
    serviceFacts: buildServiceFacts(office),
    channels: new Map(office.channels.map((channel) => [channel.id, channel])),
    fromMs: bounds.fromMs,
    toMs: bounds.toMs,
    posts: sinks.posts,
    skipped: sinks.skipped,
  };
}

/**
 * The channel a rule names, or why there is none. Disabled channels get no
 * posts and no complaint: turning a channel off is a choice, not a mistake.
 */
export function resolveChannel(
  context: OfficePlanContext,
  channelId: string,
): { channel: ChannelConfig } | { skip: true; reason: string | null } {
  const channel = context.channels.get(channelId);
  if (!channel) {
    return {
      skip: true,
      reason: `channel ${channelId} is not defined for office ${context.office.id}; add it under channels or remove it from the rule`,
    };
  }
  if (!channel.enabled) return { skip: true, reason: null };
  return { channel };
}
