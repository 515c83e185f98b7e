/**
 * The Graph API publish protocol, step by step: publishing limit → containers
 * (one image, or carousel children + parent) → poll until FINISHED →
 * media_publish → best-effort permalink. Every Graph failure is classified by
 * the phase it happened in (graph-errors.ts).
 */
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { ChannelAlertKind, PublishRequest } from '../channel';
import { PublishError } from '../publish-error';
import type { GraphClient } from './graph-client';
import { GraphRequestError } from './graph-client';
import { classifyGraphError, type ClassifyContext, type GraphPhase } from './graph-errors';

/** How container status is polled; tests pass ~1 ms. */
export interface PollOptions {
  maxPolls: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_POLL: PollOptions = { maxPolls: 30, initialDelayMs: 500, maxDelayMs: 5000 };

export interface FlowContext {
  graph: GraphClient;
  accountId: string;
  clock: Clock;
  /** The post's logger (logger.ts `postLogger`): its lines carry office, post and channel. */
  logger: Logger;
  channelId: string;
  poll: PollOptions;
  tokenVariable: string;
  mediaUrl: (file: string) => string;
  /** The cap used when the platform does not report one. */
  defaultQuota: number;
  signal?: AbortSignal;
  /** Staff alerts (ChannelDeps.alert); the log line is written either way. */
  alert?: (kind: ChannelAlertKind, message: string) => void;
}

export interface PublishingLimit {
  used: number;
  total: number;
}

interface LimitAnswer {
  data?: { quota_usage?: number; config?: { quota_total?: number; quota_duration?: number } }[];
}

/** Runs one Graph call, turning failures into PublishErrors for `phase`. */
async function step<T>(ctx: FlowContext, phase: GraphPhase, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw classifyGraphError(error, phase, classifyContext(ctx));
  }
}

function classifyContext(ctx: FlowContext): ClassifyContext {
  return { now: ctx.clock.now(), tokenVariable: ctx.tokenVariable };
}

/** Reads the account's rolling-24 h publishing limit. */
export async function readPublishingLimit(ctx: FlowContext): Promise<PublishingLimit> {
  const answer = await step(ctx, 'limit', () => ctx.graph.get<LimitAnswer>(`${ctx.accountId}/content_publishing_limit`, { fields: 'quota_usage,config' }, ctx.signal));
  const entry = answer.data?.[0];
  return { used: entry?.quota_usage ?? 0, total: entry?.config?.quota_total ?? ctx.defaultQuota };
}

/**
 * Refuses to publish into an exhausted quota and warns while the last slots go.
 * Other failures of this read are only logged: the publish call itself will tell.
 */
export async function guardPublishingLimit(ctx: FlowContext): Promise<void> {
  let limit: PublishingLimit;
  try {
    limit = await readPublishingLimit(ctx);
  } catch (error) {
    if (error instanceof PublishError && (error.kind === 'auth' || error.kind === 'rate-limited')) throw error;
    ctx.logger.warn({ reason: (error as Error).message }, 'could not read the instagram publishing limit; publishing anyway');
    return;
  }
  const left = limit.total - limit.used;
  if (left <= 0) {
    ctx.alert?.('daily-cap', `instagram channel "${ctx.channelId}": all ${limit.total} posts of the last 24 h are used; posts wait and are tried again every hour, and may expire: post less (fewer rules or channels), or publish the most urgent one by hand`);
    // The window is rolling and the platform does not say when a slot frees up: look again in an hour.
    throw new PublishError('rate-limited', `instagram: the account used all ${limit.total} posts of the last 24 h; will retry in an hour`, {
      retryAt: new Date(ctx.clock.now().getTime() + 3_600_000),
      code: 'quota-exhausted',
    });
  }
  if (left <= 2) {
    const message = `instagram publishing limit almost used up: ${left} of ${limit.total} posts left in the last 24 h`;
    ctx.logger.warn({ used: limit.used, total: limit.total }, message);
    ctx.alert?.('daily-cap', `instagram channel "${ctx.channelId}": ${message}; further posts wait until slots free up and may expire: check that nothing else posts to the account, and lower the number of rules posting to it`);
  }
}

/** Creates the container(s) and returns the id to publish. */
export async function createContainers(ctx: FlowContext, request: PublishRequest): Promise<string> {
  const media = request.post.media;
  if (media.length === 0) throw new PublishError('permanent', 'instagram needs at least one image: add a card template');
  if (media.length === 1) {
    const only = media[0]!;
    const id = await createContainer(ctx, { image_url: ctx.mediaUrl(only.file), caption: request.post.text, alt_text: only.alt });
    await waitUntilFinished(ctx, id);
    return id;
  }
  if (media.length > 10) throw new PublishError('permanent', `instagram carousels hold at most 10 images, this post has ${media.length}: split the digest`);
  const children: string[] = [];
  for (const item of media) {
    children.push(await createContainer(ctx, { image_url: ctx.mediaUrl(item.file), alt_text: item.alt, is_carousel_item: true }));
  }
  for (const child of children) await waitUntilFinished(ctx, child);
  const parent = await createContainer(ctx, { media_type: 'CAROUSEL', children: children.join(','), caption: request.post.text });
  await waitUntilFinished(ctx, parent);
  return parent;
}

async function createContainer(ctx: FlowContext, params: Record<string, string | boolean>): Promise<string> {
  const answer = await step(ctx, 'create', () => ctx.graph.post<{ id?: unknown }>(`${ctx.accountId}/media`, params, ctx.signal));
  if (typeof answer.id !== 'string' || answer.id === '') throw new PublishError('transient', 'instagram: container creation answered without an id; will retry');
  return answer.id;
}

/** Polls a container until FINISHED, with backoff; bounded by `poll.maxPolls`. */
export async function waitUntilFinished(ctx: FlowContext, containerId: string): Promise<void> {
  let delay = ctx.poll.initialDelayMs;
  for (let poll = 1; poll <= ctx.poll.maxPolls; poll += 1) {
    let status: string | undefined;
    try {
      const answer = await ctx.graph.get<{ status_code?: string; status?: string }>(containerId, { fields: 'status_code,status' }, ctx.signal);
      status = answer.status_code;
      if (status === 'FINISHED') return;
      if (status === 'ERROR' || status === 'EXPIRED') {
        throw new PublishError('permanent', `instagram could not process the image (container ${status}${answer.status ? `: ${answer.status}` : ''}): check the card is a JPEG between 4:5 and 1.91:1, 320–1440 px wide`, { code: `container:${status}` });
      }
      if (status === 'PUBLISHED') throw new PublishError('unclear', `instagram container ${containerId} is already published; reconcile by reading the account back`);
    } catch (error) {
      if (error instanceof PublishError) throw error;
      // The read was cut short by the caller (the post's deadline, or a shutdown): not the platform's fault.
      if (ctx.signal?.aborted) throw stoppedWaiting(containerId, poll - 1);
      const classified = classifyGraphError(error, 'poll', classifyContext(ctx));
      // A status read that fails transiently is just one more poll.
      if (classified.kind !== 'transient') throw classified;
    }
    await ctx.clock.sleep(delay, ctx.signal);
    if (ctx.signal?.aborted) throw stoppedWaiting(containerId, poll);
    delay = Math.min(delay * 2, ctx.poll.maxDelayMs);
  }
  throw new PublishError('transient', `instagram: container ${containerId} was not ready after ${ctx.poll.maxPolls} status checks; will retry`, { code: 'container:timeout' });
}

/**
 * `media_publish`. A 9007/2207027 answer means "not ready yet": poll and try
 * again (bounded). Anything lost after sending is `unclear`.
 */
export async function publishContainer(ctx: FlowContext, creationId: string): Promise<string> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const answer = await ctx.graph.post<{ id?: unknown }>(`${ctx.accountId}/media_publish`, { creation_id: creationId }, ctx.signal);
      if (typeof answer.id !== 'string' || answer.id === '') {
        throw new PublishError('unclear', 'instagram: media_publish answered without a media id; the post may be live, reconcile by reading the account back');
      }
      return answer.id;
    } catch (error) {
      if (error instanceof PublishError) throw error;
      const notReady = error instanceof GraphRequestError && (error.graph?.code === 9007 || error.graph?.error_subcode === 2207027);
      if (!notReady || attempt >= 3) throw classifyGraphError(error, 'publish', classifyContext(ctx));
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
    ctx.logger.warn({ mediaId, reason: (error as Error).message }, 'instagram permalink lookup failed; the post is live');
    return null;
  }
}

/** The caller gave up (deadline or shutdown) while the container was processing: nothing was published. */
function stoppedWaiting(containerId: string, polls: number): PublishError {
  return new PublishError('transient', `instagram: stopped waiting for container ${containerId} after ${polls} status check${polls === 1 ? '' : 's'}: the post's deadline or a shutdown came first; nothing was published`, { code: 'container:stopped' });
}
