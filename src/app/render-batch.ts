/**
 * Renders a list of planned posts into a directory, as the bot would, and
 * checks each against its channel: shared by `check`, `preview` and `simulate`.
 *
 * Speed (issue 7, bench/preview.ts): posts render a few at a time, so the
 * JavaScript of one (template, layout check) runs while sharp draws another on
 * its threads, and each distinct card is laid out, checked (DrawnCardCache) and
 * rasterised once even when the X post wants a PNG and the Instagram post a JPEG
 * of it (RasterCache).
 */
import os from 'node:os';
import type { Channel } from '../channels/channel';
import { createOutboxChannels } from '../channels/registry';
import type { Clock } from '../clock';
import { formatProblem, type Problem } from '../errors';
import type { Logger } from '../logger';
import type { PlannedPost } from '../plan/types';
import { RasterCache, type DrawnCardCache } from '../render/card';
import { renderPost } from '../render/render-post';
import type { RenderedPost } from '../render/types';
import { templatesFor, type Loaded } from './load-all';

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

/** Posts in flight at once: enough to keep every core and sharp's threads busy, few enough to bound memory. */
const CONCURRENCY = Math.max(2, Math.min(8, os.availableParallelism() * 2));

export async function renderPlannedPosts(
  loaded: Loaded,
  posts: readonly PlannedPost[],
  channels: ReadonlyMap<string, Channel>,
  out: { rootDir: string; relDirFor: (post: PlannedPost, index: number) => string },
): Promise<RenderedPlannedPost[]> {
  const raster = new RasterCache(CONCURRENCY * 4);
  const drawn: DrawnCardCache = new Map();
  const results: RenderedPlannedPost[] = new Array(posts.length);
  const renderOne = async (post: PlannedPost, index: number): Promise<RenderedPlannedPost> => {
    const subject = describePlanned(post);
    const channel = channels.get(post.channelId);
    if (!channel) {
      return { post, rendered: null, problems: [{ severity: 'error', subject, message: `channel "${post.channelId}" is not configured` }] };
    }
    try {
      const rendered = await renderPost(
        templatesFor(loaded, post.officeId),
        post,
        { channelId: post.channelId, mime: channel.limits.preferredMime },
        { rootDir: out.rootDir, relDir: out.relDirFor(post, index) },
        raster.rasterize,
        drawn,
      );
      const problems = channel.check(rendered).map((problem) => ({ ...problem, subject, message: `${problem.message} (template "${post.template}")` }));
      return { post, rendered, problems };
    } catch (error) {
      const inner = (error as { problems?: Problem[] }).problems;
      const problems: Problem[] =
        inner && inner.length > 0 ? inner.map((p) => ({ ...p, subject: p.location ? undefined : subject })) : [{ severity: 'error', subject, message: (error as Error).message }];
      return { post, rendered: null, problems };
    }
  };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < posts.length) {
      const index = next++;
      results[index] = await renderOne(posts[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, posts.length) }, worker));
  return withoutRepeats(results);
}

/**
 * A problem in a template file (it has a location, no post) is the same for
 * every post using the file: report it once, on the first post, not 40 times.
 * Takes and returns one list of problems per post.
 */
export function reportOnce(perPost: readonly (readonly Problem[])[]): Problem[][] {
  const seen = new Set<string>();
  return perPost.map((problems) =>
    problems.filter((problem) => {
      if (!problem.location) return true;
      const key = formatProblem(problem);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    }),
  );
}

function withoutRepeats(results: RenderedPlannedPost[]): RenderedPlannedPost[] {
  const problems = reportOnce(results.map((r) => r.problems));
  return results.map((result, i) => ({ ...result, problems: problems[i]! }));
}

/** `POST-ID (channel, rule, due time)`: how CONTRACT.md names a post in a problem line. */
export function describePlanned(post: Pick<PlannedPost, 'id' | 'channelId' | 'ruleId' | 'dueAt'>): string {
  return `${post.id} (${post.channelId}, ${post.ruleId}, ${post.dueAt.toISOString()})`;
}
