/**
 * Renders a list of planned posts into a directory, as the bot would, and
 * checks each against its channel: shared by `check` and `preview`.
 */
import type { Channel } from '../channels/channel';
import { createOutboxChannels } from '../channels/registry';
import type { Clock } from '../clock';
import type { Problem } from '../errors';
import type { Logger } from '../logger';
import type { PlannedPost } from '../plan/types';
import { renderPost } from '../render/render-post';
import type { RenderedPost } from '../render/types';
import type { Loaded } from './load-all';

export interface RenderedPlannedPost {
  post: PlannedPost;
  rendered: RenderedPost | null;
  /** Render failures and channel limit problems, each naming the post. */
  problems: Problem[];
}

/** Channels used only for their limits: the outbox stands in for every platform. */
export function limitChannels(loaded: Loaded, deps: { clock: Clock; logger: Logger; outboxDir: string }): Map<string, Channel> {
  return createOutboxChannels(loaded.config.offices.flatMap((office) => office.channels), { ...deps, env: {}, fetch });
}

export async function renderPlannedPosts(
  loaded: Loaded,
  posts: readonly PlannedPost[],
  channels: ReadonlyMap<string, Channel>,
  out: { rootDir: string; relDirFor: (post: PlannedPost, index: number) => string },
): Promise<RenderedPlannedPost[]> {
  const results: RenderedPlannedPost[] = [];
  for (const [index, post] of posts.entries()) {
    const subject = describePlanned(post);
    const channel = channels.get(post.channelId);
    if (!channel) {
      results.push({ post, rendered: null, problems: [{ severity: 'error', subject, message: `channel "${post.channelId}" is not configured` }] });
      continue;
    }
    try {
      const rendered = await renderPost(loaded.templates, post, { channelId: post.channelId, mime: channel.limits.preferredMime }, { rootDir: out.rootDir, relDir: out.relDirFor(post, index) });
      const problems = channel.check(rendered).map((problem) => ({ ...problem, subject, message: `${problem.message} (template "${post.template}")` }));
      results.push({ post, rendered, problems });
    } catch (error) {
      const inner = (error as { problems?: Problem[] }).problems;
      const problems: Problem[] =
        inner && inner.length > 0 ? inner.map((p) => ({ ...p, subject: p.location ? undefined : subject })) : [{ severity: 'error', subject, message: (error as Error).message }];
      results.push({ post, rendered: null, problems });
    }
  }
  return results;
}

/** `POST-ID (channel, rule, due time)`: how CONTRACT.md names a post in a problem line. */
export function describePlanned(post: Pick<PlannedPost, 'id' | 'channelId' | 'ruleId' | 'dueAt'>): string {
  return `${post.id} (${post.channelId}, ${post.ruleId}, ${post.dueAt.toISOString()})`;
}
