/**
 * The Facebook Page driver: the Graph API through Node's fetch, on the
 * Instagram driver's Graph client (Bearer token, timeouts, error envelope).
 * Cards are uploaded as bytes (multipart `source`): no media server needed.
 * The flow and why it is one flow for 1–10 cards: publish-flow.ts.
 */
import type { ChannelConfig } from '../../config/types';
import { AppError } from '../../errors';
import { postLogger } from '../../logger';
import { DEFAULT_REQUEST_TIMEOUT_MS, type Channel, type ChannelDeps, type PublishRequest, type PublishResult, type RemotePost } from '../channel';
import { readCardFromDisk } from '../card-bytes';
import { checkRenderedPost } from '../check-post';
import { limitsFor } from '../platform-limits';
import { PublishError } from '../publish-error';
import { createGraphClient } from '../instagram/graph-client';
import { parseGraphTime } from '../instagram/instagram-channel';
import { classifyFacebookError } from './facebook-errors';
import { createPagePost, lookupPermalink, uploadCards, type FacebookFlow } from './publish-flow';
import { verifyFacebookPage, type FacebookSettings } from './verify-page';

export const FACEBOOK_ORIGIN = 'https://graph.facebook.com';
export const FACEBOOK_API_VERSION = 'v25.0';

/** Knobs tests turn down; production uses the defaults. */
export interface FacebookChannelOptions {
  /** Per-request timeout (default: deps.requestTimeoutMs, else 30 s). */
  requestTimeoutMs?: number;
  /** Pages of `published_posts` readBack walks at most before it says it cannot see everything (default 10 × 100). */
  readBackPages?: number;
  /** Posts per page of read-back (default 100, the Graph maximum). */
  readBackPageSize?: number;
}

export function createFacebookChannel(config: ChannelConfig, deps: ChannelDeps, options: FacebookChannelOptions = {}): Channel {
  const settings = resolveSettings(config, deps.env);
  // No publishing cap on Facebook Pages: config.dailyCap / settings.dailyCaps is the office's own brake.
  const limits = limitsFor({ platform: 'facebook', dailyCap: config.dailyCap });
  const timeoutMs = options.requestTimeoutMs ?? deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const token = deps.env[settings.tokenVariable]!;
  const graph = createGraphClient({ origin: settings.origin, version: settings.version, fetch: deps.fetch, timeoutMs, token: () => Promise.resolve(token) });
  const readCard = deps.readCard ?? readCardFromDisk;
  const pageSize = options.readBackPageSize ?? 100;
  const maxPages = options.readBackPages ?? 10;

  const flow = (request: PublishRequest, signal?: AbortSignal): FacebookFlow => ({
    graph,
    pageId: settings.pageId,
    clock: deps.clock,
    logger: postLogger(deps.logger, request),
    tokenVariable: settings.tokenVariable,
    readCard,
    ...(signal ? { signal } : {}),
  });

  return {
    id: config.id,
    driver: 'facebook',
    limits,
    check: (post) => checkRenderedPost(post, limits, 'facebook'),

    async publish(request: PublishRequest, signal?: AbortSignal): Promise<PublishResult> {
      const ctx = flow(request, signal);
      const photoIds = await uploadCards(ctx, request);
      await request.checkpoint?.('sending');
      const remoteId = await createPagePost(ctx, request.post.text, photoIds);
      // The post id is known: nothing below may fail the publish.
      const publishedAt = deps.clock.now();
      const url = await lookupPermalink(ctx, remoteId);
      return { remoteId, url, publishedAt };
    },

    async readBack(since: Date, signal?: AbortSignal): Promise<RemotePost[]> {
      const posts: RemotePost[] = [];
      let after: string | undefined;
      for (let page = 1; ; page += 1) {
        let answer: PostsPage;
        try {
          answer = await graph.get<PostsPage>(
            `${settings.pageId}/published_posts`,
            { fields: 'id,message,created_time,permalink_url', since: Math.floor(since.getTime() / 1000), limit: pageSize, after },
            signal,
          );
        } catch (error) {
          throw classifyFacebookError(error, 'read', { now: deps.clock.now(), tokenVariable: settings.tokenVariable });
        }
        let older = false;
        for (const item of answer.data ?? []) {
          const publishedAt = parseGraphTime(item.created_time);
          if (!item.id || !publishedAt) continue;
          // `since` is filtered here too: the edge's honouring of it is assumed, not verified.
          if (publishedAt < since) {
            older = true;
            continue;
          }
          posts.push({ remoteId: item.id, text: item.message ?? '', publishedAt, url: item.permalink_url ?? null });
        }
        after = answer.paging?.cursors?.after;
        if (older || !after || !answer.paging?.next) break;
        if (page >= maxPages) {
          // "Not found" would make the reconciler send again: say we could not see it all.
          throw new PublishError('transient', `facebook: more than ${maxPages * pageSize} posts since ${since.toISOString()} on the Page; read-back cannot see them all, try again later`, { code: 'readback:incomplete' });
        }
      }
      return posts.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
    },

    verify: (now: Date, signal?: AbortSignal) => verifyFacebookPage({ channelId: config.id, settings, graph, now, ...(signal ? { signal } : {}) }),
  };
}

interface PostsPage {
  data?: { id?: string; message?: string; created_time?: string; permalink_url?: string }[];
  paging?: { cursors?: { after?: string }; next?: string };
}

/** Host, version, Page and token variable; a missing one is a config error naming it (never a value). */
export function resolveSettings(config: ChannelConfig, env: ChannelDeps['env']): FacebookSettings {
  const where = `${config.location.file}:${config.location.line}:${config.location.col}`;
  const tokenVariable = config.credentials.accessToken;
  if (!tokenVariable) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs credentials.accessToken: the NAME of the env variable holding the Facebook Page access token (e.g. FB_PAGE_TOKEN)`);
  }
  if (!env[tokenVariable]) {
    throw new AppError('config-invalid', `channel "${config.id}": the environment variable ${tokenVariable} is not set: put the Facebook Page access token in .env as ${tokenVariable}=… (README, "Connect a Facebook Page")`);
  }
  const pageId = config.pageId;
  if (!pageId || !/^\d+$/.test(pageId)) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs pageId: the numeric id of the Facebook Page (Page → About → Page transparency, or Meta Business Suite → Settings)`);
  }
  const origin = (config.baseUrl ?? FACEBOOK_ORIGIN).replace(/\/+$/, '');
  return { origin, version: config.apiVersion ?? FACEBOOK_API_VERSION, pageId, tokenVariable };
}
