/**
 * The Telegram driver: a bot posts to a channel through the Bot API with plain
 * fetch (docs/channels/telegram.md §7). One card → `sendPhoto`, 2–10 cards →
 * `sendMediaGroup` (one album, the caption on its first photo), no card →
 * `sendMessage`. Cards are uploaded as multipart (no public media server).
 *
 * Captions go WITHOUT parse_mode: plain text, so a `<`, `*` or `_` from the
 * calendar can never break a post or change its length, and what `check`
 * counted is what Telegram counts. Telegram has no alt text for photos; the
 * alt text is still rendered for the other channels.
 *
 * A bot cannot read a channel's history. So a send whose outcome is unclear
 * is never repeated by the bot: staff are alerted at once, and readBack
 * throws (never `[]`, which the reconciler would take for "not sent").
 */
import type { ChannelConfig } from '../../config/types';
import type { Problem } from '../../errors';
import { AppError } from '../../errors';
import { postLogger } from '../../logger';
import type { RenderedMedia } from '../../render/types';
import { DEFAULT_REQUEST_TIMEOUT_MS, type AccountReport, type Channel, type ChannelDeps, type PublishRequest, type PublishResult, type RemotePost } from '../channel';
import { readCardFromDisk } from '../card-bytes';
import { checkRenderedPost } from '../check-post';
import { limitsFor } from '../platform-limits';
import { PublishError } from '../publish-error';
import { createBotApi, type BotApi } from './bot-api';
import { encodeMultipart } from './multipart';
import { classifyTelegramError, UNCLEAR_ADVICE } from './telegram-errors';

export const TELEGRAM_API = 'https://api.telegram.org';

/** Knobs tests turn down; production uses the defaults. */
export interface TelegramChannelOptions {
  /**
   * Timeout of the request that creates the post (it carries the upload).
   * Default: deps.requestTimeoutMs, else 60 s: every send that times out is an
   * unclear outcome for staff to settle, so it gets more time than a read.
   */
  sendTimeoutMs?: number;
}

/** The resolved, secret-free settings of one Telegram channel. */
export interface TelegramSettings {
  origin: string;
  chatId: string;
  tokenVariable: string;
}

interface Chat {
  id: number;
  type?: string;
  title?: string;
  username?: string;
}

interface Message {
  message_id: number;
  date?: number;
  chat?: Chat;
}

interface ChatMember {
  status?: string;
  can_post_messages?: boolean;
}

export function createTelegramChannel(config: ChannelConfig, deps: ChannelDeps, options: TelegramChannelOptions = {}): Channel {
  const settings = resolveSettings(config, deps.env);
  const limits = limitsFor({ platform: 'telegram', dailyCap: config.dailyCap });
  const readTimeoutMs = deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const sendTimeoutMs = options.sendTimeoutMs ?? deps.requestTimeoutMs ?? 60_000;
  const readCard = deps.readCard ?? readCardFromDisk;
  const api: BotApi = createBotApi({ origin: settings.origin, token: deps.env[settings.tokenVariable]!, fetch: deps.fetch });
  const context = () => ({ now: deps.clock.now(), tokenVariable: settings.tokenVariable, chatId: settings.chatId });
  /** The due times of the posts whose unclear send this process alerted about. */
  const alertedSends: number[] = [];
  /** readBack windows (`since`) already alerted about. */
  const alertedWindows = new Set<number>();
  /** The channel's public @username (null: private, or not known yet); `undefined`: not asked yet. */
  let username: string | null | undefined = settings.chatId.startsWith('@') ? settings.chatId.slice(1) : undefined;

  /** A numeric chat's username, asked once (best effort: a failure only costs the post's link). */
  async function learnUsername(signal?: AbortSignal): Promise<void> {
    if (username !== undefined) return;
    try {
      const chat = await api.call<Chat>('getChat', { chat_id: settings.chatId }, readTimeoutMs, signal);
      username = chat.username ?? null;
    } catch {
      // Asked again at the next post.
    }
  }

  const postUrl = (messageId: number): string | null => (username ? `https://t.me/${username}/${messageId}` : null);

  /** The one request that creates the post, ready to go: sendMessage, sendPhoto or sendMediaGroup. */
  async function prepare(request: PublishRequest, signal?: AbortSignal): Promise<() => Promise<Message[]>> {
    const { text, media } = request.post;
    if (media.length > limits.maxImages) {
      throw new PublishError('permanent', `telegram: an album holds at most ${limits.maxImages} photos, this post has ${media.length}: render fewer card pages for this channel`);
    }
    // Bytes first: nothing leaves before every card is here (a missing card throws CardMissingError).
    const cards = await Promise.all(media.map(async (item) => ({ item, bytes: (await readCard(request.mediaRoot, item)).bytes })));
    if (cards.length === 0) {
      return async () => [await api.call<Message>('sendMessage', { chat_id: settings.chatId, text }, sendTimeoutMs, signal)];
    }
    const files = cards.map(({ item, bytes }, i) => ({ name: cards.length === 1 ? 'photo' : `card${i}`, fileName: fileName(item, i), mime: item.mime, bytes }));
    if (cards.length === 1) {
      const form = encodeMultipart({ chat_id: settings.chatId, ...(text === '' ? {} : { caption: text }) }, files);
      return async () => [await api.upload<Message>('sendPhoto', form, sendTimeoutMs, signal)];
    }
    // The caption on the first photo only: clients show it under the album.
    const album = files.map((file, i) => ({ type: 'photo', media: `attach://${file.name}`, ...(i === 0 && text !== '' ? { caption: text } : {}) }));
    const form = encodeMultipart({ chat_id: settings.chatId, media: JSON.stringify(album) }, files);
    return () => api.upload<Message[]>('sendMediaGroup', form, sendTimeoutMs, signal);
  }

  return {
    id: config.id,
    driver: 'telegram',
    limits,
    check: (post) => checkRenderedPost(post, limits, 'telegram'),

    async publish(request: PublishRequest, signal?: AbortSignal): Promise<PublishResult> {
      await learnUsername(signal);
      const send = await prepare(request, signal);
      // A checkpoint that throws (the post went to another sender) propagates as it is: nothing was sent.
      await request.checkpoint?.('sending');
      let messages: Message[];
      try {
        messages = await send();
      } catch (error) {
        const failure = classifyTelegramError(error, 'send', context());
        if (failure.kind === 'unclear') {
          // The reconciler cannot settle it (readBack throws): staff must look now, not at the deadline.
          alertedSends.push(request.scheduledAt.getTime());
          deps.alert?.(
            'unclear-outcome',
            `${request.postId} (${request.ruleId}, due ${request.scheduledAt.toISOString()}) may or may not be on the Telegram channel ${settings.chatId}${username ? ` (https://t.me/${username})` : ''}: ${failure.message}. It begins: "${firstLine(request.post.text)}"`,
          );
        }
        throw failure;
      }
      const ids = messages.map((m) => m.message_id).filter((id) => Number.isInteger(id));
      if (ids.length === 0) {
        // Telegram said ok: the post is there, only its id is missing.
        postLogger(deps.logger, request).warn('telegram answered ok without a message_id');
      }
      const publishedAt = deps.clock.now();
      postLogger(deps.logger, request).info({ remoteId: ids.join(',') }, 'posted to Telegram');
      // Every message of an album: the only handles Telegram gives (to delete or link them).
      return { remoteId: ids.length > 0 ? ids.join(',') : `unknown@${publishedAt.toISOString()}`, url: ids.length > 0 ? postUrl(ids[0]!) : null, publishedAt };
    },

    async readBack(since: Date, signal?: AbortSignal): Promise<RemotePost[]> {
      // Asked to settle posts this process never alerted about: a bot stopped (or an
      // instance lost) after the point of no return. Tell staff now, once per window,
      // rather than only when the deadline has passed (reconcile-undecided).
      const covered = alertedSends.some((scheduledAt) => scheduledAt >= since.getTime());
      if (!covered && !alertedWindows.has(since.getTime())) {
        alertedWindows.add(since.getTime());
        await learnUsername(signal); // the channel's link for staff (a process just started has not asked yet)
        deps.alert?.(
          'unclear-outcome',
          `posts sent to the Telegram channel ${settings.chatId}${username ? ` (https://t.me/${username})` : ''} since ${since.toISOString()} have an unclear outcome (the bot was stopped, or lost its lease, while sending): ${UNCLEAR_ADVICE}. They are the channel's posts in state "unknown" in the console`,
        );
      }
      throw new PublishError(
        'permanent',
        `telegram: a bot cannot read the channel ${settings.chatId} back, so a post with an unclear outcome is never re-sent by the bot: staff must look at the channel and mark the post "posted by hand" or "not posted"`,
        { code: 'cannot-read-back' },
      );
    },

    async verify(now: Date, signal?: AbortSignal): Promise<AccountReport> {
      const problems: Problem[] = [];
      const details = [`API host: ${settings.origin}`, 'bot token from @BotFather (does not expire; /revoke replaces it)', 'photos carry no alt text on Telegram'];
      let account: string | null = null;
      const fail = (what: string, error: unknown): void => {
        problems.push({ severity: 'error', message: `Telegram ${what} failed: ${classifyTelegramError(error, 'read', { now, tokenVariable: settings.tokenVariable, chatId: settings.chatId }).message}` });
      };
      let bot: { id: number; username?: string } | null = null;
      try {
        bot = await api.call<{ id: number; username?: string }>('getMe', {}, readTimeoutMs, signal);
        details.push(`bot: @${bot.username ?? bot.id}`);
      } catch (error) {
        fail('bot check (getMe)', error);
      }
      if (bot) {
        try {
          const chat = await api.call<Chat>('getChat', { chat_id: settings.chatId }, readTimeoutMs, signal);
          username = chat.username ?? null;
          account = chat.username ? `@${chat.username}` : (chat.title ?? String(chat.id));
          details.push(`channel: ${chat.title ?? '?'} (${chat.username ? `@${chat.username}, ` : 'private, '}id ${chat.id})`);
          if (chat.type !== 'channel') problems.push({ severity: 'warning', message: `${settings.chatId} is a ${chat.type ?? 'chat'}, not a channel: check chatId in herald.yaml` });
          if (!chat.username) details.push('post links: none (a private channel has no public link)');
        } catch (error) {
          fail(`channel check (getChat ${settings.chatId})`, error);
        }
      }
      if (bot && account !== null) {
        try {
          const member = await api.call<ChatMember>('getChatMember', { chat_id: settings.chatId, user_id: bot.id }, readTimeoutMs, signal);
          if (member.status === 'creator' || (member.status === 'administrator' && member.can_post_messages === true)) {
            details.push('the bot is an administrator allowed to post messages');
          } else {
            problems.push({
              severity: 'error',
              message: `the bot @${bot.username ?? bot.id} may not post in ${account} (status ${member.status ?? '?'}${member.status === 'administrator' ? ', without "Post messages"' : ''}): in the channel's settings → Administrators, add the bot with "Post messages"`,
            });
          }
        } catch (error) {
          fail('rights check (getChatMember)', error);
        }
      }
      return { channelId: config.id, account, details, tokenExpiresAt: null, problems };
    },
  };
}

function fileName(media: RenderedMedia, index: number): string {
  return `card${index}.${media.mime === 'image/png' ? 'png' : 'jpg'}`;
}

function firstLine(text: string): string {
  const chars = [...(text.split('\n', 1)[0] ?? '')];
  return chars.length > 80 ? `${chars.slice(0, 79).join('')}…` : chars.join('');
}

/** Host, chat and token variable; a missing one is a config error naming it (never a value). */
export function resolveSettings(config: ChannelConfig, env: ChannelDeps['env']): TelegramSettings {
  const where = `${config.location.file}:${config.location.line}:${config.location.col}`;
  const tokenVariable = config.credentials.botToken;
  if (!tokenVariable) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs credentials.botToken: the NAME of the env variable holding the bot token from @BotFather (e.g. TG_CHANNEL_BOT_TOKEN)`);
  }
  if (!env[tokenVariable]) {
    throw new AppError('config-invalid', `channel "${config.id}": the environment variable ${tokenVariable} is not set: put the bot token from @BotFather in .env as ${tokenVariable}=…`);
  }
  if (!config.chatId) {
    throw new AppError('config-invalid', `${where}: channel "${config.id}" needs chatId: the channel as @username or its numeric id (-100…), quoted`);
  }
  return { origin: (config.baseUrl ?? TELEGRAM_API).replace(/\/+$/, ''), chatId: config.chatId, tokenVariable };
}
