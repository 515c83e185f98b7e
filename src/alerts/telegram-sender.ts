/**
 * Alerts to a Telegram chat through the Bot API's `sendMessage`. Plain text
 * (no parse_mode): an alert quoting `<`, `_` or `*` from a config file must
 * never turn into a formatting error that loses the alert.
 */
import type { TelegramAlertSettings } from '../config/types';
import type { AlertNotice } from './alert-notice';
import { AlertDeliveryError, type AlertSender } from './alert-sender';
import { deadlineSignal } from '../time/deadline-signal';

/** Telegram's limit for one message. */
export const TELEGRAM_TEXT_MAX = 4096;

export interface TelegramSenderOptions {
  settings: TelegramAlertSettings;
  /** The bot token itself (read from the environment variable the settings name). */
  botToken: string;
  fetch: typeof fetch;
  /** Give up on one request after this long (default 15 s). */
  timeoutMs?: number;
}

interface BotApiAnswer {
  ok?: boolean;
  description?: string;
  error_code?: number;
  parameters?: { retry_after?: number };
}

/** A sender for one chat. The token lives in the URL, so the URL is never logged or put in an error. */
export function createTelegramSender(options: TelegramSenderOptions): AlertSender {
  const { settings, botToken } = options;
  const endpoint = `${settings.baseUrl}/bot${botToken}/sendMessage`;
  const origin = new URL(settings.baseUrl).origin;
  const tokenVar = settings.credentials.botToken;
  return {
    name: 'telegram',
    secrets: [botToken],
    async send(notice: AlertNotice, signal: AbortSignal): Promise<void> {
      const text = notice.text.length <= TELEGRAM_TEXT_MAX ? notice.text : `${notice.text.slice(0, TELEGRAM_TEXT_MAX - 1)}…`;
      let response: Response;
      try {
        response = await options.fetch(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chat_id: settings.chatId, text, link_preview_options: { is_disabled: true } }),
          signal: deadlineSignal(options.timeoutMs ?? 15_000, signal),
        });
      } catch (error) {
        throw new AlertDeliveryError(`could not reach the Telegram Bot API at ${origin}: ${networkReason(error)}`, { permanent: false });
      }
      const answer = await readAnswer(response);
      if (response.ok && answer?.ok === true) return;
      throw classify(response.status, answer, { origin, tokenVar, chatId: settings.chatId });
    },
    close() {
      // fetch keeps no connection we own.
    },
  };
}

async function readAnswer(response: Response): Promise<BotApiAnswer | null> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null ? (body as BotApiAnswer) : null;
  } catch {
    return null;
  }
}

/** By HTTP status, as the Bot API documents it; `description` is only quoted. */
function classify(status: number, answer: BotApiAnswer | null, where: { origin: string; tokenVar: string; chatId: string }): AlertDeliveryError {
  const said = answer?.description ? `: ${answer.description}` : '';
  if (status === 429) {
    const seconds = answer?.parameters?.retry_after;
    return new AlertDeliveryError(`Telegram asks to slow down (429)${said}`, {
      permanent: false,
      ...(typeof seconds === 'number' && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
    });
  }
  if (status === 401 || status === 404) {
    return new AlertDeliveryError(`Telegram refused the bot token (${status})${said}: put the token from @BotFather in ${where.tokenVar} in .env and restart`, { permanent: true });
  }
  if (status === 400 || status === 403) {
    return new AlertDeliveryError(`Telegram refused the message for chat ${where.chatId} (${status})${said}: check settings.alerts.telegram.chatId and that the bot is a member of the chat`, { permanent: true });
  }
  if (status >= 200 && status < 300) return new AlertDeliveryError(`Telegram answered ${status} without ok:true: treated as not delivered`, { permanent: false });
  return new AlertDeliveryError(`Telegram Bot API at ${where.origin} answered ${status}${said}`, { permanent: status >= 400 && status < 500 && status !== 408 });
}

/** The system error code (ECONNREFUSED, ETIMEDOUT) or the abort reason, never a URL. */
function networkReason(error: unknown): string {
  // Duck-typed: fetch's errors come from another realm than this module's Error under some runners.
  const { name, cause } = (error ?? {}) as { name?: unknown; cause?: { code?: unknown } };
  if (name === 'TimeoutError' || name === 'AbortError') return 'no answer in time';
  return typeof cause?.code === 'string' ? cause.code : 'network error';
}
