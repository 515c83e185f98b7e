/**
 * The Instagram driver: the official Graph API through Node's fetch
 * (../../../../shared/PLATFORMS.md). Instagram fetches each card itself from a
 * public URL served by the bot's media server (src/media-server/).
 */
import type { ChannelConfig } from '../../config/types';
import { AppError } from '../../errors';
import { postLogger } from '../../logger';
import { DEFAULT_REQUEST_TIMEOUT_MS, type Channel, type ChannelDeps, type PublishRequest, type PublishResult, type RemotePost } from '../channel';
import { readCardFromDisk } from '../card-bytes';
import { checkRenderedPost } from '../check-post';
import { limitsFor, PLATFORM_LIMITS } from '../platform-limits';
import { PublishError } from '../publish-error';
import { createGraphClient } from './graph-client';
import { classifyGraphError } from './graph-errors';
import { createContainers, DEFAULT_POLL, guardPublishingLimit, lookupPermalink, publishContainer, type FlowContext, type PollOptions } from './publish-flow';
import { createTokenKeeper, type TokenKeeper } from './token-refresh';
import { createFileTokenVault } from './token-store';
import { verifyInstagramAccount } from './verify-account';

export const INSTAGRAM_HOSTS = {
  instagram: 'https://graph.instagram.com',
  facebook: 'https://graph.facebook.com',
} as const;
export const DEFAULT_API_VERSION = 'v23.0';

/** Knobs tests turn down; production uses the defaults. */
export interface InstagramChannelOptions {
  poll?: Partial<PollOptions>;
  /** Per-request timeout (default: deps.requestTimeoutMs, else 30 s). */
  requestTimeoutMs?: number;
  /** How many pages of recent media readBack walks at most (default 4 × 50). */
  readBackPages?: number;
}

/** The resolved, secret-free settings of one Instagram channel. */
export interface InstagramSettings {
  login: 'instagram' | 'facebook';
  origin: string;
  version: string;
  accountId: string;
  tokenVariable: string;
}

export function createInstagramChannel(config: ChannelConfig, deps: ChannelDeps, options: InstagramChannelOptions = {}): Channel {
  const settings = resolveSettings(config, deps.env);
  const limits = limitsFor({ platform: 'instagram', dailyCap: config.dailyCap });
  const timeoutMs = options.requestTimeoutMs ?? deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const poll: PollOptions = { ...DEFAULT_POLL, ...options.poll };
  const readCard = deps.readCard ?? readCardFromDisk;
  // Built lazily: a channel may be created only to `check`, which needs no token store.
  let keeper: TokenKeeper | null = null;
  const tokens = (): TokenKeeper =>
    (keeper ??= createTokenKeeper({
      channelId: config.id,
      envToken: deps.env[settings.tokenVariable]!,
      tokenVariable: settings.tokenVariable,
      login: settings.login,
      vault: deps.tokenVault ?? (deps.stateDir ? createFileTokenVault(deps.stateDir) : null),
      origin: settings.origin,
      fetch: deps.fetch,
      logger: deps.logger,
      timeoutMs,
    }));
  const graph = createGraphClient({
    origin: settings.origin,
    version: settings.version,
    fetch: deps.fetch,
    timeoutMs,
    token: async () => (await tokens().current(deps.clock.now())).token,
    refused: (used) => tokens().refused(used, deps.clock.now()),
  });

  const flow = (request: PublishRequest, signal?: AbortSignal): FlowContext => {
    const publicMediaUrl = deps.publicMediaUrl;
    if (!publicMediaUrl) {
      throw new PublishError('permanent', 'the instagram driver needs settings.mediaServer in herald.yaml: Instagram fetches each image from a public HTTPS address served by the bot');
    }
    return {
      graph,
      accountId: settings.accountId,
      clock: deps.clock,
      logger: postLogger(deps.logger, request),
      channelId: config.id,
      poll,
      tokenVariable: settings.tokenVariable,
      mediaUrl: publicMediaUrl,
      defaultQuota: PLATFORM_LIMITS.instagram.dailyCap ?? 50,
      ...(signal ? { signal } : {}),
      ...(deps.alert ? { alert: deps.alert } : {}),
    };
  };

  return {
    id: config.id,
    driver: 'instagram',
    limits,
    check: (post) => checkRenderedPost(post, limits, 'instagram'),

    async publish(request: PublishRequest, signal?: AbortSignal): Promise<PublishResult> {
      const ctx = flow(request, signal);
      // Instagram fetches the cards from our media server, which serves them from
      // the database on any instance: make sure they are there before asking it to
      // (a card found nowhere throws CardMissingError, and the post is rendered again).
      for (const media of request.post.media) await readCard(request.mediaRoot, media);
      await tokens().refreshIfDue(deps.clock.now());
      await guardPublishingLimit(ctx);
      // Containers are not posts: an unpublished one expires on its own after 24 h.
      const creationId = await createContainers(ctx, request);
      await request.checkpoint?.('sending');
      const remoteId = await publishContainer(ctx, creationId);
      // The remote id is known: nothing below may fail the publish.
      const publishedAt = deps.clock.now();
      const url = await lookupPermalink(ctx, remoteId);
      return { remoteId, url, publishedAt };
    },

    async readBack(since: Date, signal?: AbortSignal): Promise<RemotePost[]> {
      const posts: RemotePost[] = [];
      let after: string | undefined;
      for (let page = 0; page < (options.readBackPages ?? 4); page += 1) {
        let answer: MediaPage;
        try {
          answer = await graph.get<MediaPage>(`${settings.accountId}/media`, { fields: 'id,caption,timestamp,permalink', limit: 50, after }, signal);
        } catch (error) {
          throw classifyGraphError(error, 'read', { now: deps.clock.now(), tokenVariable: settings.tokenVariable });
        }
        let older = false;
        for (const item of answer.data ?? []) {
          const publishedAt = parseGraphTime(item.timestamp);
          if (!item.id || !publishedAt) continue;
          if (publishedAt < since) {
            older = true;
            continue;
          }
          posts.push({ remoteId: item.id, text: item.caption ?? '', publishedAt, url: item.permalink ?? null });
        }
        after = answer.paging?.cursors?.after;
        if (older || !after || !answer.paging?.next) break;
      }
      return posts.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
    },

    verify: (now: Date, signal?: AbortSignal) =>
      verifyInstagramAccount({ channelId: config.id, settings, graph, tokens: tokens(), now, hasMediaServer: Boolean(deps.publicMediaUrl), canStoreTokens: Boolean(deps.tokenVault ?? deps.stateDir), ...(signal ? { signal } : {}) }),
  };
}

interface MediaPage {
  data?: { id?: string; caption?: string; timestamp?: string; permalink?: string }[];
  paging?: { cursors?: { after?: string }; next?: string };
}

/** Graph timestamps look like `2026-11-27T06:00:00+0000`. */
export function parseGraphTime(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Host, version, account and token variable; a missing variable is a config error naming it (never a value). */
export function resolveSettings(config: ChannelConfig, env: ChannelDeps['env']): InstagramSettings {
  const where = `${config.location.file}:${config.location.line}:${config.location.col}`;
  const login = config.login ?? 'instagram';
  const tokenVariable = config.credentials.accessToken;
  if (!tokenVariable) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs credentials.accessToken: the NAME of the env variable holding the Instagram token (e.g. IG_ACCESS_TOKEN)`);
  }
  if (!env[tokenVariable]) {
    throw new AppError('config-invalid', `channel "${config.id}": the environment variable ${tokenVariable} is not set: put the Instagram access token in .env as ${tokenVariable}=…`);
  }
  let accountId = config.accountId;
  if (!accountId) {
    const userVariable = config.credentials.userId;
    if (!userVariable) {
      throw new AppError('config-invalid', `${where}: channel "${config.id}" needs accountId (the Instagram professional account id) or credentials.userId naming an env variable that holds it`);
    }
    accountId = env[userVariable];
    if (!accountId) {
      throw new AppError('config-invalid', `channel "${config.id}": the environment variable ${userVariable} is not set: put the Instagram account id in .env as ${userVariable}=…`);
    }
  }
  if (!/^[0-9A-Za-z_]+$/.test(accountId)) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}": the Instagram account id must be the numeric id of the professional account`);
  }
  const origin = (config.baseUrl ?? INSTAGRAM_HOSTS[login]).replace(/\/+$/, '');
  return { login, origin, version: config.apiVersion ?? DEFAULT_API_VERSION, accountId, tokenVariable };
}
