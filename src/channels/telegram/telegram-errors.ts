/**
 * Bot API failures → PublishError. By HTTP status (Telegram's `error_code`
 * repeats it), as the alert sender does; a 400 says little by its status, so
 * its `description` tells apart the refusals staff fix differently (rights,
 * chat, caption). Telegram's words are quoted, never our request (its URL
 * holds the token).
 *
 * The rule that matters: a bot cannot read its channel back, so a send whose
 * outcome is unknown (timeout, broken connection, 5xx, unreadable 2xx after the
 * request went out) is `unclear` and is never sent again by the bot.
 */
import { PublishError } from '../publish-error';
import { BotApiError } from './bot-api';

/** `send`: the request that creates the post; `read`: everything else (getMe, getChat, …). */
export type TelegramPhase = 'send' | 'read';

export interface TelegramErrorContext {
  now: Date;
  /** The env variable holding the token, for "what to do". */
  tokenVariable: string;
  chatId: string;
}

export const UNCLEAR_ADVICE =
  'Telegram bots cannot read a channel back, so the bot will NOT send it again: look at the channel; if the post is there, mark it "Posted by hand" in the console; if not, mark it "Not posted" and the bot sends it';

export function classifyTelegramError(error: unknown, phase: TelegramPhase, ctx: TelegramErrorContext): PublishError {
  if (error instanceof PublishError) return error;
  if (!(error instanceof BotApiError)) {
    const message = error instanceof Error ? error.message : String(error);
    return phase === 'send'
      ? new PublishError('unclear', `telegram: unexpected failure while sending the post (${message}). ${UNCLEAR_ADVICE}`)
      : new PublishError('transient', `telegram: unexpected failure (${message}); will retry`);
  }
  const status = error.status ?? undefined;
  const options = { ...(status === undefined ? {} : { status }), code: status === undefined ? error.failure : `http:${status}` };
  const said = error.message;

  if (error.failure === 'refused') {
    return new PublishError('transient', `telegram: cannot reach the Bot API (${said}); nothing was sent, will retry`, options);
  }
  if (error.failure === 'network' || error.failure === 'malformed') {
    return phase === 'send'
      ? new PublishError('unclear', `telegram: the answer to ${error.method} was lost (${said}): the post may be on the channel ${ctx.chatId}. ${UNCLEAR_ADVICE}`, options)
      : new PublishError('transient', `telegram: ${said}; will retry`, options);
  }

  const description = error.description ?? '';
  if (status === 429) {
    const seconds = error.retryAfterSeconds;
    const retryAt = seconds !== null && seconds >= 0 ? new Date(ctx.now.getTime() + seconds * 1000) : undefined;
    return new PublishError(
      'rate-limited',
      `telegram: too many messages (429)${retryAt ? `; Telegram accepts new ones from ${retryAt.toISOString()}` : ''}: nothing was sent, will retry (${said})`,
      { ...options, ...(retryAt ? { retryAt } : {}) },
    );
  }
  if (status === 401 || status === 404) {
    return new PublishError(
      'auth',
      `telegram refused the bot token (${said}): it was revoked or is wrong. In @BotFather open the bot, copy its token (or /revoke for a new one), put it in .env as ${ctx.tokenVariable}, and restart`,
      options,
    );
  }
  if (status === 403 || (status === 400 && /rights|administrator|not a member|kicked/i.test(description))) {
    return new PublishError(
      'auth',
      `telegram: the bot may not post in ${ctx.chatId} (${said}). In the channel's settings → Administrators, add the bot as an administrator with "Post messages", then run \`quota-herald check --online\``,
      options,
    );
  }
  if (status === 400 && /caption is too long|message is too long|text is too long/i.test(description)) {
    return new PublishError('permanent', `telegram: the caption is longer than Telegram accepts (1,024 characters with a photo) (${said}): shorten the telegram caption template; \`quota-herald check\` shows the length`, options);
  }
  if (status === 400 && /chat not found/i.test(description)) {
    return new PublishError('permanent', `telegram does not know the chat ${ctx.chatId} (${said}): check chatId in herald.yaml (@username or -100…) and that the bot is an administrator of that channel`, options);
  }
  if (status !== undefined && status >= 500) {
    return phase === 'send'
      ? new PublishError('unclear', `telegram failed on its side while sending (${said}): the post may be on the channel ${ctx.chatId}. ${UNCLEAR_ADVICE}`, options)
      : new PublishError('transient', `telegram: temporary server error (${said}); will retry`, options);
  }
  return new PublishError('permanent', `telegram refused the post (${said}): check the card and caption with \`quota-herald check\``, options);
}
