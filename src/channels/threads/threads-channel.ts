/**
 * The Threads driver: the Threads API at graph.threads.net through Node's
 * fetch (docs/channels/threads.md). Instagram's container protocol under other
 * names, so the Graph client, the token keeper and the flow context are
 * Instagram's; the paths, fields, error codes and advice are Threads'. Threads
 * fetches each card itself from a public URL served by the bot's media server.
 */
import type { ChannelConfig } from '../../config/types';
import { AppError } from '../../errors';
import { postLogger } from '../../logger';
import { DEFAULT_REQUEST_TIMEOUT_MS, type Channel, type ChannelDeps, type PublishRequest, type PublishResult, type RemotePost } from '../channel';
import { readCardFromDisk } from '../card-bytes';
import { checkRenderedPost } from '../check-post';
import { createGraphClient } from '../instagram/graph-client';
import { parseGraphTime } from '../instagram/instagram-channel';
import { DEFAULT_POLL, type FlowContext, type PollOptions } from '../instagram/publish-flow';
import { createTokenKeeper, type TokenKeeper } from '../instagram/token-refresh';
import { createFileTokenVault, DAY_MS } from '../instagram/token-store';
import { limitsFor, PLATFORM_LIMITS } from '../platform-limits';
import { PublishError } from '../publish-error';
import { createContainers, guardPublishingLimit, lookupPermalink, publishContainer } from './publish-flow';
import { classifyThreadsError } from './threads-errors';
import { expiryProblem, verifyThreadsAccount } from './verify-account';

export const THREADS_ORIGIN = 'https://graph.threads.net';
export const THREADS_API_VERSION = 'v1.0';
/** `since` for the threads list must be at or after this Unix time (the API's own floor). */
const SINCE_FLOOR_S = 1_688_540_400;

export interface ThreadsChannelOptions {
  poll?: Partial<PollOptions>;
  requestTimeoutMs?: number;
  /** How many pages of 50 readBack walks at most (default 4) before it says it cannot see everything. */
  readBackPages?: number;
}

/** The resolved, secret-free settings of one Threads channel. */
export interface ThreadsSettings {
  origin: string;
  version: string;
  /** The Threads user id the posts are made as. */
  accountId: string;
  tokenVariable: string;
}

export function createThreadsChannel(config: ChannelConfig, deps: ChannelDeps, options: ThreadsChannelOptions = {}): Channel {
  const settings = resolveThreadsSettings(config, deps.env);
  const limits = limitsFor({ platform: 'threads', dailyCap: config.dailyCap });
  const timeoutMs = options.requestTimeoutMs ?? deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const poll: PollOptions = { ...DEFAULT_POLL, ...options.poll };
  const readCard = deps.readCard ?? readCardFromDisk;
  const classifyRead = (error: unknown): PublishError => classifyThreadsError(error, 'read', { now: deps.clock.now(), tokenVariable: settings.tokenVariable });
  // Built lazily: a channel may be created only to `check`, which needs no token store.
  let keeper: TokenKeeper | null = null;
  const tokens = (): TokenKeeper =>
    (keeper ??= createTokenKeeper({
      channelId: config.id,
      envToken: deps.env[settings.tokenVariable]!,
      tokenVariable: settings.tokenVariable,
      login: 'threads',
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

  const flowContext = (logger: FlowContext['logger'], mediaUrl: FlowContext['mediaUrl'], signal?: AbortSignal): FlowContext => ({
    graph,
    accountId: settings.accountId,
    clock: deps.clock,
    logger,
    channelId: config.id,
    poll,
    tokenVariable: settings.tokenVariable,
    mediaUrl,
    defaultQuota: PLATFORM_LIMITS.threads.dailyCap ?? 250,
    ...(signal ? { signal } : {}),
    ...(deps.alert ? { alert: deps.alert } : {}),
  });
  const noMediaServer = (): never => {
    throw new PublishError('permanent', 'the threads driver needs settings.mediaServer in herald.yaml: Threads fetches each image from a public HTTPS address served by the bot');
  };

  // The token-expiry alert goes out at most once a day per channel (each publish looks).
  let expiryAlertedAt = Number.NEGATIVE_INFINITY;
  async function warnIfExpiring(now: Date): Promise<void> {
    if (!deps.alert) return;
    const problem = expiryProblem((await tokens().current(now)).expiresAt, now, settings.tokenVariable);
    if (!problem || now.getTime() - expiryAlertedAt < DAY_MS) return;
    expiryAlertedAt = now.getTime();
    deps.alert('token-expiry', `threads channel "${config.id}": ${problem.message}`);
  }

  return {
    id: config.id,
    driver: 'threads',
    limits,
    // The link limit is checked there too (check-post.ts), so `check` with the outbox catches it.
    check: (post) => checkRenderedPost(post, limits, 'threads'),

    async publish(request: PublishRequest, signal?: AbortSignal): Promise<PublishResult> {
      const ctx = flowContext(postLogger(deps.logger, request), deps.publicMediaUrl ?? noMediaServer, signal);
      if (request.post.media.length > 0 && !deps.publicMediaUrl) noMediaServer();
      // Threads fetches the cards from our media server, which serves them from the
      // database on any instance: make sure they are there before asking it to.
      for (const media of request.post.media) await readCard(request.mediaRoot, media);
      const now = deps.clock.now();
      await tokens().refreshIfDue(now);
      await warnIfExpiring(now);
      await guardPublishingLimit(ctx);
      // Containers are not posts: an unpublished one expires on its own after 24 h.
      const creationId = await createContainers(ctx, request, limits.maxImages);
      await request.checkpoint?.('sending');
      const remoteId = await publishContainer(ctx, creationId);
      // The remote id is known: nothing below may fail the publish.
      const publishedAt = deps.clock.now();
      const url = await lookupPermalink(ctx, remoteId);
      return { remoteId, url, publishedAt };
    },

    async readBack(since: Date, signal?: AbortSignal): Promise<RemotePost[]> {
      const posts: RemotePost[] = [];
      const sinceSeconds = Math.max(SINCE_FLOOR_S, Math.floor(since.getTime() / 1000));
      const pages = options.readBackPages ?? 4;
      let after: string | undefined;
      for (let page = 0; ; page += 1) {
        let answer: ThreadsPage;
        try {
          answer = await graph.get<ThreadsPage>(`${settings.accountId}/threads`, { fields: 'id,text,timestamp,permalink', since: sinceSeconds, limit: 50, after }, signal);
        } catch (error) {
          throw classifyRead(error);
        }
        if (!Array.isArray(answer.data)) throw new PublishError('transient', 'threads: the list of the account\'s posts came without data; cannot tell what was published, will read again');
        for (const item of answer.data) {
          const publishedAt = parseGraphTime(item.timestamp);
          if (!item.id || !publishedAt || publishedAt < since) continue;
          posts.push({ remoteId: item.id, text: item.text ?? '', publishedAt, url: item.permalink ?? null });
        }
        after = answer.paging?.cursors?.after;
        if (!after || !answer.paging?.next) break;
        // "Not found" must mean "not sent" for the reconciler: a list cut short is no answer.
        if (page + 1 >= pages) throw new PublishError('transient', `threads: more than ${pages * 50} posts since ${since.toISOString()}; cannot read them all back, will try again`);
      }
      return posts.sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime());
    },

    verify: (now: Date, signal?: AbortSignal) =>
      verifyThreadsAccount({
        channelId: config.id,
        settings,
        graph,
        tokens: tokens(),
        now,
        flow: flowContext(deps.logger, deps.publicMediaUrl ?? noMediaServer),
        hasMediaServer: Boolean(deps.publicMediaUrl),
        canStoreTokens: Boolean(deps.tokenVault ?? deps.stateDir),
        ...(signal ? { signal } : {}),
      }),
  };
}

interface ThreadsPage {
  data?: { id?: string; text?: string; timestamp?: string; permalink?: string }[];
  paging?: { cursors?: { after?: string }; next?: string };
}

/** Host, version, user id and token variable; a missing variable is a config error naming it (never a value). */
export function resolveThreadsSettings(config: ChannelConfig, env: ChannelDeps['env']): ThreadsSettings {
  const where = `${config.location.file}:${config.location.line}:${config.location.col}`;
  const tokenVariable = config.credentials.accessToken;
  if (!tokenVariable) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs credentials.accessToken: the NAME of the env variable holding the Threads token (e.g. THREADS_ACCESS_TOKEN)`);
  }
  if (!env[tokenVariable]) {
    throw new AppError('config-invalid', `channel "${config.id}": the environment variable ${tokenVariable} is not set: put the long-lived Threads access token in .env as ${tokenVariable}=…`);
  }
  let accountId = config.accountId;
  if (!accountId) {
    const userVariable = config.credentials.userId;
    if (!userVariable) {
      throw new AppError('config-invalid', `${where}: channel "${config.id}" needs accountId (the Threads user id, a number) or credentials.userId naming an env variable that holds it`);
    }
    accountId = env[userVariable];
    if (!accountId) {
      throw new AppError('config-invalid', `channel "${config.id}": the environment variable ${userVariable} is not set: put the Threads user id in .env as ${userVariable}=…`);
    }
  }
  if (!/^[0-9]+$/.test(accountId)) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}": the Threads user id must be a number (\`check --online\` shows the token's own id)`);
  }
  const origin = (config.baseUrl ?? THREADS_ORIGIN).replace(/\/+$/, '');
  return { origin, version: config.apiVersion ?? THREADS_API_VERSION, accountId, tokenVariable };
}
