/**
 * The X driver: posts a rendered announcement (text, cards, alt text) through
 * X API v2 with twitter-api-v2, signing as the office account (OAuth 1.0a
 * user context). `baseUrl` sends every call elsewhere (x-client.ts).
 */
import http from 'node:http';
import type { TwitterApiv2 } from 'twitter-api-v2';
import type { ChannelConfig } from '../../config/types';
import type { Problem } from '../../errors';
import { postLogger } from '../../logger';
import { DEFAULT_REQUEST_TIMEOUT_MS, type AccountReport, type Channel, type ChannelDeps, type PublishRequest, type PublishResult, type RemotePost } from '../channel';
import { readCardFromDisk } from '../card-bytes';
import { checkRenderedPost } from '../check-post';
import { limitsFor } from '../platform-limits';
import { PublishError } from '../publish-error';
import { createXClient } from './x-client';
import { readXCredentials } from './x-credentials';
import { classifyXError, type XPhase } from './x-errors';
import { uploadXImage } from './x-media';
import { parseRateLimitHeaders, XRateLimitBook, type XRateLimitState } from './x-rate-limits';

/** Tuning that tests and benchmarks change; production uses the defaults. */
export interface XChannelOptions {
  /** Bytes per media append request (default 1 MB). */
  chunkBytes?: number;
  /** Wait between media STATUS polls, overriding X's `check_after_secs`. */
  mediaPollDelayMs?: number;
  /** Media STATUS polls before giving up (default 20). */
  mediaMaxPolls?: number;
  /** Tweets per read-back page, 5–100 (default 100). */
  readBackPageSize?: number;
  /** Read-back pages at most (default 5: 500 posts, far more than a reconciliation window holds). */
  readBackMaxPages?: number;
}

/** The X channel, with the rate limits it has seen. */
export interface XChannel extends Channel {
  /** The latest rate-limit headers per endpoint (`POST /2/tweets`, …), as last seen. */
  rateLimits(): XRateLimitState[];
}

interface XUser {
  id: string;
  username: string;
}

export function createXChannel(config: ChannelConfig, deps: ChannelDeps, options: XChannelOptions = {}): XChannel {
  const credentials = readXCredentials(config, deps.env);
  const baseUrl = config.baseUrl ? new URL(config.baseUrl) : undefined;
  const limits = limitsFor({ platform: 'x', dailyCap: config.dailyCap });
  const book = new XRateLimitBook();
  // One keep-alive agent for plain-http targets (fakes, local proxies): the due
  // moment should not pay for a new TCP handshake.
  const httpAgent = baseUrl?.protocol === 'http:' ? new http.Agent({ keepAlive: true }) : undefined;
  let user: XUser | null = null;
  const timeoutMs = deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const readCard = deps.readCard ?? readCardFromDisk;

  const client = (signal?: AbortSignal): TwitterApiv2 =>
    createXClient(credentials, {
      ...(baseUrl ? { baseUrl } : {}),
      ...(httpAgent ? { httpAgent } : {}),
      ...(signal ? { signal } : {}),
      timeoutMs,
      onHeaders: (endpoint, headers) => {
        const state = parseRateLimitHeaders(endpoint, headers, deps.clock.now());
        if (state) book.record(state);
      },
    });

  /** Runs one call; any failure becomes a PublishError for `phase`. */
  async function step<T>(phase: XPhase, endpoint: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) {
      throw new PublishError('transient', `timed out before ${endpoint} was sent; nothing was posted${phase === 'tweet' ? '' : ' yet'}: will retry.`, { code: 'timeout' });
    }
    try {
      return await call();
    } catch (error) {
      throw classifyXError(error, phase, deps.clock.now(), endpoint);
    }
  }

  async function me(api: TwitterApiv2): Promise<XUser> {
    if (user) return user;
    const answer = await api.me();
    user = { id: answer.data.id, username: answer.data.username };
    return user;
  }

  const postUrl = (id: string): string => `https://x.com/${user?.username ?? 'i'}/status/${id}`;

  return {
    id: config.id,
    driver: 'x',
    limits,
    check: (post) => checkRenderedPost(post, limits, 'x'),
    rateLimits: () => book.all(),

    async publish(request: PublishRequest, signal?: AbortSignal): Promise<PublishResult> {
      const api = client(signal);
      const mediaIds: string[] = [];
      for (const media of request.post.media) {
        // Another instance may have rendered it: the disk, else the database. A card
        // found nowhere throws CardMissingError, and the post is rendered again.
        const { bytes } = await readCard(request.mediaRoot, media);
        const id = await step(
          'media',
          'POST /2/media/upload',
          () =>
            uploadXImage(api, bytes, media.mime, media.alt, {
              clock: deps.clock,
              chunkBytes: options.chunkBytes ?? 1024 * 1024,
              maxPolls: options.mediaMaxPolls ?? 20,
              ...(options.mediaPollDelayMs === undefined ? {} : { pollDelayMs: options.mediaPollDelayMs }),
              ...(signal ? { signal } : {}),
            }),
          signal,
        );
        mediaIds.push(id);
      }
      const payload = {
        text: request.post.text,
        ...(mediaIds.length > 0 ? { media: { media_ids: mediaIds as [string] } } : {}),
      };
      // Uploaded media is not a post (unused media expires); the tweet is.
      await request.checkpoint?.('sending');
      const created = await step('tweet', 'POST /2/tweets', () => api.tweet(payload), signal);
      const publishedAt = deps.clock.now();
      postLogger(deps.logger, request).info({ remoteId: created.data.id }, 'posted to X');
      return { remoteId: created.data.id, url: postUrl(created.data.id), publishedAt };
    },

    async readBack(since: Date, signal?: AbortSignal): Promise<RemotePost[]> {
      const api = client(signal);
      const account = await step('read', 'GET /2/users/me', () => me(api));
      const pageSize = Math.min(100, Math.max(5, options.readBackPageSize ?? 100));
      const posts: RemotePost[] = [];
      await step('read', 'GET /2/users/:id/tweets', async () => {
        // X wants whole seconds; flooring widens the window, the filter below narrows it again.
        const startTime = new Date(Math.floor(since.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
        const page = await api.userTimeline(account.id, { start_time: startTime, 'tweet.fields': ['created_at'], max_results: pageSize });
        for (let pages = 1; !page.done && pages < (options.readBackMaxPages ?? 5); pages++) await page.fetchNext();
        for (const tweet of page.tweets) {
          const publishedAt = new Date(tweet.created_at ?? 0);
          if (publishedAt >= since) posts.push({ remoteId: tweet.id, text: tweet.text, publishedAt, url: postUrl(tweet.id) });
        }
      });
      // X answers newest first; sort anyway so the contract holds for any page order.
      return posts.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
    },

    async verify(now: Date, signal?: AbortSignal): Promise<AccountReport> {
      const problems: Problem[] = [];
      let account: string | null = null;
      try {
        user = null; // ask again: the token may have been replaced since
        account = `@${(await step('read', 'GET /2/users/me', () => me(client(signal)))).username}`;
      } catch (error) {
        const failure = error instanceof PublishError ? error : classifyXError(error, 'read', now, 'GET /2/users/me');
        const message = failure.code === 'timeout' && !signal?.aborted ? `X did not answer GET /2/users/me within ${timeoutMs / 1000} s (timeout); publishing retries on its own` : failure.message;
        problems.push({ severity: 'error', message: `X account check failed: ${message}` });
      }
      const tweets = book.get('POST /2/tweets');
      const daily = tweets?.userDay;
      if (daily && daily.remaining <= 0 && daily.resetAt > now) {
        problems.push({ severity: 'warning', message: `the account's ${daily.limit} posts per 24 h are used up until ${daily.resetAt.toISOString()}: posts due before then will wait; raise dailyCap only with a higher X access tier` });
      }
      return {
        channelId: config.id,
        account,
        details: [`API host: ${baseUrl ? baseUrl.origin : 'https://api.x.com'}`, 'OAuth 1.0a user context (the access token does not expire)', ...book.describe()],
        tokenExpiresAt: null,
        problems,
      };
    },

    async close(): Promise<void> {
      httpAgent?.destroy();
    },
  };
}
