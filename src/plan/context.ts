/**
 * What the announcement and digest planners share for one office: facts built
 * once, the channel lookup, and the instant bounds posts must fall in.
 */
import type { ChannelConfig, OfficeConfig } from '../config/types';
import type { Release } from '../calendar/types';
import type { PlannedPost, PostFacts, ReleaseFacts, SkippedPost } from './types';
import { buildOfficeFacts, buildReleaseFacts, buildServiceFacts } from './facts';

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
  /** Fingerprints facts; shared by every office of one planning run. */
  fingerprint: (template: string, facts: PostFacts) => string;
  /** The facts of a release, built once and shared by its announcements and digests. */
  releaseFacts: (release: Release) => ReleaseFacts;
}

export function createOfficePlanContext(
  office: OfficeConfig,
  bounds: { fromMs: number; toMs: number },
  run: { posts: PlannedPost[]; skipped: SkippedPost[]; fingerprint: (template: string, facts: PostFacts) => string },
): OfficePlanContext {
  const releaseFacts = new Map<string, ReleaseFacts>();
  return {
    office,
    officeFacts: buildOfficeFacts(office),
    serviceFacts: buildServiceFacts(office),
    channels: new Map(office.channels.map((channel) => [channel.id, channel])),
    fromMs: bounds.fromMs,
    toMs: bounds.toMs,
    posts: run.posts,
    skipped: run.skipped,
    fingerprint: run.fingerprint,
    releaseFacts: (release) => {
      let facts = releaseFacts.get(release.id);
      if (!facts) {
        facts = buildReleaseFacts(release);
        releaseFacts.set(release.id, facts);
      }
      return facts;
    },
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
