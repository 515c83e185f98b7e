/**
 * The Mastodon driver: one office account on one instance, through the
 * instance's REST API with Node's fetch (docs/channels/mastodon.md). Cards go
 * up first (mastodon-media.ts), then one status carries them. The status
 * request names post and revision in an `Idempotency-Key`, so a resend of
 * the same revision within the hour returns the first status instead of a
 * second one; after the hour only the read-back protects (see publish()).
 */
import type { ChannelConfig } from '../../config/types';
import { AppError } from '../../errors';
import { postLogger } from '../../logger';
import { DEFAULT_REQUEST_TIMEOUT_MS, type AccountReport, type Channel, type ChannelDeps, type PublishRequest, type PublishResult, type RemotePost } from '../channel';
import { readCardFromDisk } from '../card-bytes';
import { checkRenderedPost } from '../check-post';
import { limitsFor } from '../platform-limits';
import { PublishError } from '../publish-error';
import { createMastodonClient, type MastodonClient } from './mastodon-client';
import { classifyMastodonError, type MastodonPhase } from './mastodon-errors';
import { DEFAULT_MEDIA_POLL, uploadMastodonImage, type MediaPollOptions } from './mastodon-media';
import { statusHtmlToText } from './status-html';
import { verifyMastodonAccount, type RateLimitSeen } from './verify-account';

/** Knobs tests turn down; production uses the defaults. */
export interface MastodonChannelOptions {
  poll?: Partial<MediaPollOptions>;
  /** Statuses per read-back page, 1–40 (default 40, Mastodon's maximum). */
  readBackPageSize?: number;
  /** Read-back pages at most (default 5: 200 statuses, far more than a reconciliation window holds). */
  readBackMaxPages?: number;
}

/** The resolved, secret-free settings of one Mastodon channel. */
export interface MastodonSettings {
  /** The instance, `https://mastodon.social`. */
  origin: string;
  tokenVariable: string;
}

interface MastodonAccount {
  id?: string;
  username?: string;
  acct?: string;
  url?: string;
}

interface MastodonStatus {
  id?: string;
  created_at?: string;
  url?: string | null;
  uri?: string;
  content?: string;
}

/** The key that makes a resend of the same revision return the first status (kept ~1 h by the instance). */
export function idempotencyKey(request: Pick<PublishRequest, 'postId' | 'revision'>): string {
  return `quota-herald-${request.postId}-r${request.revision}`;
}

export function createMastodonChannel(config: ChannelConfig, deps: ChannelDeps, options: MastodonChannelOptions = {}): Channel {
  const settings = resolveSettings(config, deps.env);
  const limits = limitsFor({ platform: 'mastodon', dailyCap: config.dailyCap });
  const poll: MediaPollOptions = { ...DEFAULT_MEDIA_POLL, ...options.poll };
  const readCard = deps.readCard ?? readCardFromDisk;
  const pageSize = Math.min(40, Math.max(1, options.readBackPageSize ?? 40));
  const maxPages = options.readBackMaxPages ?? 5;
  const rateLimit: RateLimitSeen = { latest: null };
  const client: MastodonClient = createMastodonClient({
    origin: settings.origin,
    token: deps.env[settings.tokenVariable]!.trim(),
    fetch: deps.fetch,
    timeoutMs: deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    onHeaders: (headers) => {
      const remaining = headers.get('x-ratelimit-remaining');
      if (remaining !== null) rateLimit.latest = { limit: headers.get('x-ratelimit-limit'), remaining, reset: headers.get('x-ratelimit-reset') };
    },
  });
  let accountId: string | null = null;

  /** Runs one call; any failure becomes a PublishError for `phase`. */
  async function step<T>(phase: MastodonPhase, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw classifyMastodonError(error, phase, deps.clock.now(), settings.tokenVariable);
    }
  }

  async function ownAccountId(signal?: AbortSignal): Promise<string> {
    if (accountId) return accountId;
    const answer = await client.call<MastodonAccount>({ method: 'GET', path: '/api/v1/accounts/verify_credentials', ...(signal ? { signal } : {}) });
    if (!answer.body.id) throw new PublishError('transient', 'the Mastodon instance answered verify_credentials without an account id: will retry.');
    accountId = answer.body.id;
    return accountId;
  }

  return {
    id: config.id,
    driver: 'mastodon',
    limits,
    check: (post) => checkRenderedPost(post, limits, 'mastodon'),

    async publish(request: PublishRequest, signal?: AbortSignal): Promise<PublishResult> {
      const mediaIds: string[] = [];
      for (const media of request.post.media) {
        // Another instance may have rendered it: the disk, else the database. A card
        // found nowhere throws CardMissingError, and the post is rendered again.
        const { bytes } = await readCard(request.mediaRoot, media);
        if (signal?.aborted) throw new PublishError('transient', 'stopped before uploading the cards to Mastodon (deadline or shutdown); nothing was posted.', { code: 'timeout' });
        mediaIds.push(
          await step('media', () =>
            uploadMastodonImage({ client, clock: deps.clock, poll, bytes, mime: media.mime, file: media.file, alt: media.alt, ...(signal ? { signal } : {}) }),
          ),
        );
      }
      // Uploaded media is not a post (unattached media is deleted after a day); the status is.
      await request.checkpoint?.('sending');
      if (signal?.aborted) throw new PublishError('transient', 'stopped before sending the post to Mastodon (deadline or shutdown); nothing was posted.', { code: 'timeout' });
      // An unclear outcome here is read back first (the reconciler); when it is not found
      // the post is sent again with this same key. A resend less than an hour after the
      // first status was created gets that status back, so even a read-back that missed
      // it cannot double the post; after the hour the key is gone and the read-back alone decides.
      const created = await step('status', () =>
        client.call<MastodonStatus>({
          method: 'POST',
          path: '/api/v1/statuses',
          json: { status: request.post.text, media_ids: mediaIds, visibility: 'public', language: 'id' },
          headers: { 'idempotency-key': idempotencyKey(request) },
          ...(signal ? { signal } : {}),
        }),
      );
      const remoteId = created.body.id;
      if (!remoteId) {
        throw new PublishError('unclear', 'the Mastodon instance accepted the post without a status id: it was probably created; it will be looked up on the account before any retry.');
      }
      const publishedAt = deps.clock.now();
      postLogger(deps.logger, request).info({ remoteId }, 'posted to Mastodon');
      return { remoteId, url: created.body.url ?? created.body.uri ?? null, publishedAt };
    },

    async readBack(since: Date, signal?: AbortSignal): Promise<RemotePost[]> {
      const id = await step('read', () => ownAccountId(signal));
      const posts: RemotePost[] = [];
      let maxId: string | undefined;
      for (let page = 0; page < maxPages; page++) {
        const answer = await step('read', () =>
          client.call<MastodonStatus[]>({
            method: 'GET',
            path: `/api/v1/accounts/${encodeURIComponent(id)}/statuses`,
            query: { exclude_replies: true, exclude_reblogs: true, limit: pageSize, max_id: maxId },
            ...(signal ? { signal } : {}),
          }),
        );
        const statuses = Array.isArray(answer.body) ? answer.body : [];
        let reachedSince = false;
        for (const status of statuses) {
          const publishedAt = new Date(status.created_at ?? '');
          if (!status.id || Number.isNaN(publishedAt.getTime())) continue;
          if (publishedAt < since) {
            reachedSince = true;
            continue;
          }
          posts.push({ remoteId: status.id, text: statusHtmlToText(status.content ?? ''), publishedAt, url: status.url ?? status.uri ?? null });
        }
        const last = statuses.at(-1)?.id;
        // Newest first: a status older than `since`, or a short page, means everything since was seen.
        if (reachedSince || statuses.length < pageSize || !last) return posts.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
        maxId = last;
      }
      // "Not found" would be taken for "not sent": say we could not see it all instead.
      throw new PublishError('transient', `more than ${maxPages * pageSize} Mastodon statuses since ${since.toISOString()}: the read-back cannot see them all, so it cannot tell whether a post went out; check the account by hand if this persists.`, {
        code: 'read-back-incomplete',
      });
    },

    async verify(now: Date, signal?: AbortSignal): Promise<AccountReport> {
      accountId = null; // ask again: the token may have been replaced since
      return verifyMastodonAccount({ channelId: config.id, settings, client, now, rateLimit, ...(signal ? { signal } : {}) });
    },
  };
}

/** The instance and the token variable; what is missing is a config error naming the variable (never a value). */
export function resolveSettings(config: ChannelConfig, env: ChannelDeps['env']): MastodonSettings {
  const where = `${config.location.file}:${config.location.line}:${config.location.col}`;
  if (!config.baseUrl) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs baseUrl: the address of the office's Mastodon instance, e.g. https://mastodon.social (every instance is its own API)`);
  }
  let origin: URL;
  try {
    origin = new URL(config.baseUrl);
  } catch {
    throw new AppError('config-invalid', `${where}: channel "${config.id}": baseUrl "${config.baseUrl}" is not an address; write the instance as https://mastodon.social`);
  }
  if (origin.protocol !== 'https:' && origin.protocol !== 'http:') {
    throw new AppError('config-invalid', `${where}: channel "${config.id}": baseUrl must start with https:// (the Mastodon instance)`);
  }
  const tokenVariable = config.credentials.accessToken;
  if (!tokenVariable) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs credentials.accessToken: the NAME of the env variable holding the Mastodon access token (e.g. MASTODON_TOKEN)`);
  }
  if (!env[tokenVariable]?.trim()) {
    throw new AppError('config-invalid', `channel "${config.id}": the environment variable ${tokenVariable} is not set: put the Mastodon access token in .env as ${tokenVariable}=…`);
  }
  return { origin: config.baseUrl.replace(/\/+$/, ''), tokenVariable };
}
