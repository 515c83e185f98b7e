/**
 * The Threads publish protocol, Instagram's under other names
 * (docs/channels/threads.md §2): publishing limit → container(s) at
 * `/{user-id}/threads` (one IMAGE, or carousel items + a CAROUSEL parent, or
 * TEXT without cards) → poll `status` until FINISHED → `threads_publish` →
 * best-effort permalink. The flow context is Instagram's (same client, clock,
 * polling and alerts); failures are classified by threads-errors.ts.
 */
import type { PublishRequest } from '../channel';
import { GraphRequestError } from '../instagram/graph-client';
import type { GraphPhase } from '../instagram/graph-errors';
import type { FlowContext, PublishingLimit } from '../instagram/publish-flow';
import { PublishError } from '../publish-error';
import { classifyThreadsError, NOT_READY_CODE } from './threads-errors';

/** How often `threads_publish` is tried when Threads says the container is not ready. */
const PUBLISH_ATTEMPTS = 3;

interface LimitAnswer {
  data?: { quota_usage?: number; config?: { quota_total?: number; quota_duration?: number } }[];
}

async function step<T>(ctx: FlowContext, phase: GraphPhase, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw classify(ctx, error, phase);
  }
}

function classify(ctx: FlowContext, error: unknown, phase: GraphPhase): PublishError {
  return classifyThreadsError(error, phase, { now: ctx.clock.now(), tokenVariable: ctx.tokenVariable });
}

/** The account's rolling-24 h post count: `GET /{user-id}/threads_publishing_limit`. */
export async function readPublishingLimit(ctx: FlowContext): Promise<PublishingLimit> {
  const answer = await step(ctx, 'limit', () => ctx.graph.get<LimitAnswer>(`${ctx.accountId}/threads_publishing_limit`, { fields: 'quota_usage,config' }, ctx.signal));
  const entry = answer.data?.[0];
  return { used: entry?.quota_usage ?? 0, total: entry?.config?.quota_total ?? ctx.defaultQuota };
}

/**
 * Refuses to publish into an exhausted quota and alerts while the last slots
 * go (as Instagram's guardPublishingLimit). Other failures of this read are
 * only logged: the publish call itself will tell.
 */
export async function guardPublishingLimit(ctx: FlowContext): Promise<void> {
  let limit: PublishingLimit;
  try {
    limit = await readPublishingLimit(ctx);
  } catch (error) {
    if (error instanceof PublishError && (error.kind === 'auth' || error.kind === 'rate-limited')) throw error;
    ctx.logger.warn({ reason: (error as Error).message }, 'could not read the threads publishing limit; publishing anyway');
    return;
  }
  const left = limit.total - limit.used;
  if (left <= 0) {
    ctx.alert?.('daily-cap', `threads channel "${ctx.channelId}": all ${limit.total} posts of the last 24 h are used; posts wait and are tried again every hour, and may expire: check what else posts to the account, or publish the most urgent one by hand`);
    // The window is rolling and Threads does not say when a slot frees up: look again in an hour.
    throw new PublishError('rate-limited', `threads: the account used all ${limit.total} posts of the last 24 h; will retry in an hour`, {
      retryAt: new Date(ctx.clock.now().getTime() + 3_600_000),
      code: 'quota-exhausted',
    });
  }
  if (left <= 2) {
    const message = `threads publishing limit almost used up: ${left} of ${limit.total} posts left in the last 24 h`;
    ctx.logger.warn({ used: limit.used, total: limit.total }, message);
    ctx.alert?.('daily-cap', `threads channel "${ctx.channelId}": ${message}; further posts wait until slots free up and may expire: check that nothing else posts to the account`);
  }
}

/** Creates the container(s), waits until they are FINISHED, and returns the id to publish. */
export async function createContainers(ctx: FlowContext, request: PublishRequest, maxImages: number): Promise<string> {
  const { text, media } = request.post;
  if (media.length === 0) return finished(ctx, await createContainer(ctx, { media_type: 'TEXT', text }));
  if (media.length === 1) {
    const only = media[0]!;
    return finished(ctx, await createContainer(ctx, { media_type: 'IMAGE', image_url: ctx.mediaUrl(only.file), text, alt_text: only.alt }));
  }
  if (media.length > maxImages) throw new PublishError('permanent', `threads carousels hold at most ${maxImages} images, this post has ${media.length}: split the digest`);
  const children: string[] = [];
  for (const item of media) {
    children.push(await createContainer(ctx, { media_type: 'IMAGE', is_carousel_item: true, image_url: ctx.mediaUrl(item.file), alt_text: item.alt }));
  }
  for (const child of children) await waitUntilFinished(ctx, child);
  return finished(ctx, await createContainer(ctx, { media_type: 'CAROUSEL', children: children.join(','), text }));
}

async function finished(ctx: FlowContext, containerId: string): Promise<string> {
  await waitUntilFinished(ctx, containerId);
  return containerId;
}

async function createContainer(ctx: FlowContext, params: Record<string, string | boolean>): Promise<string> {
  const answer = await step(ctx, 'create', () => ctx.graph.post<{ id?: unknown }>(`${ctx.accountId}/threads`, params, ctx.signal));
  if (typeof answer.id !== 'string' || answer.id === '') throw new PublishError('transient', 'threads: container creation answered without an id; will retry');
  return answer.id;
}

/** Polls a container's `status` until FINISHED, with backoff; bounded by `poll.maxPolls`. */
export async function waitUntilFinished(ctx: FlowContext, containerId: string): Promise<void> {
  let delay = ctx.poll.initialDelayMs;
  for (let poll = 1; poll <= ctx.poll.maxPolls; poll += 1) {
    try {
      const answer = await ctx.graph.get<{ status?: string; error_message?: string }>(containerId, { fields: 'status,error_message' }, ctx.signal);
      const status = answer.status;
      if (status === 'FINISHED') return;
      if (status === 'ERROR' || status === 'EXPIRED') {
        const why = answer.error_message ? `: ${answer.error_message}` : '';
        throw new PublishError(
          'permanent',
          `threads could not process the post (container ${status}${why}): check that the card is a JPEG or PNG under 8 MB and that settings.mediaServer.publicBaseUrl is reachable from the internet`,
          { code: `container:${status}` },
        );
      }
      if (status === 'PUBLISHED') throw new PublishError('unclear', `threads container ${containerId} is already published; reconcile by reading the account back`);
    } catch (error) {
      if (error instanceof PublishError) throw error;
      if (ctx.signal?.aborted) throw stoppedWaiting(containerId, poll - 1);
      const classified = classify(ctx, error, 'poll');
      // A status read that fails transiently is just one more poll.
      if (classified.kind !== 'transient') throw classified;
    }
    await ctx.clock.sleep(delay, ctx.signal);
    if (ctx.signal?.aborted) throw stoppedWaiting(containerId, poll);
    delay = Math.min(delay * 2, ctx.poll.maxDelayMs);
  }
  throw new PublishError('transient', `threads: container ${containerId} was not ready after ${ctx.poll.maxPolls} status checks; will retry`, { code: 'container:timeout' });
}

/**
 * `threads_publish`: the point of no return. A 4279009 answer means the
 * container was not found ready (nothing published): poll and try again,
 * bounded. Anything lost after sending is `unclear`.
 */
export async function publishContainer(ctx: FlowContext, creationId: string): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await ctx.graph.post<{ id?: unknown }>(`${ctx.accountId}/threads_publish`, { creation_id: creationId }, ctx.signal);
      if (typeof answer.id !== 'string' || answer.id === '') {
        throw new PublishError('unclear', 'threads: threads_publish answered without a media id; the post may be live, reconcile by reading the account back');
      }
      return answer.id;
    } catch (error) {
      if (error instanceof PublishError) throw error;
      const notReady = error instanceof GraphRequestError && (error.graph?.code === NOT_READY_CODE || error.graph?.error_subcode === NOT_READY_CODE);
      if (!notReady || attempt >= PUBLISH_ATTEMPTS) throw classify(ctx, error, 'publish');
      await waitUntilFinished(ctx, creationId);
    }
  }
}

/** Best effort: the remote id is known; a failed lookup only loses the URL. */
export async function lookupPermalink(ctx: FlowContext, mediaId: string): Promise<string | null> {
  try {
    const answer = await ctx.graph.get<{ permalink?: unknown }>(mediaId, { fields: 'permalink' }, ctx.signal);
    return typeof answer.permalink === 'string' ? answer.permalink : null;
  } catch (error) {
    ctx.logger.warn({ mediaId, reason: (error as Error).message }, 'threads permalink lookup failed; the post is live');
    return null;
  }
}

function stoppedWaiting(containerId: string, polls: number): PublishError {
  return new PublishError('transient', `threads: stopped waiting for container ${containerId} after ${polls} status check${polls === 1 ? '' : 's'}: the post's deadline or a shutdown came first; nothing was published`, { code: 'container:stopped' });
}
