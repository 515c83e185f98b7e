/**
 * `settings.alerts` + the environment → the senders to use. A secret that is
 * not set turns its sink off with a problem staff can act on; it never stops
 * the bot (publishing matters more than the alert about it).
 */
import type { AlertSettings } from '../config/types';
import type { AlertSender } from './alert-sender';
import { createEmailSender } from './email-sender';
import { createTelegramSender } from './telegram-sender';

export interface SenderSetup {
  senders: AlertSender[];
  /** What keeps a configured sink off, and what to do about it. */
  problems: string[];
}

export interface SenderEnv {
  env: Readonly<Record<string, string | undefined>>;
  fetch: typeof fetch;
  /** Per-request timeout of every sender (default 15 s). */
  timeoutMs?: number;
}

/** Builds one sender per configured sink whose secrets are all set. */
export function createAlertSenders(settings: AlertSettings | undefined, deps: SenderEnv): SenderSetup {
  const senders: AlertSender[] = [];
  const problems: string[] = [];
  if (!settings) return { senders, problems };
  const where = `${settings.location.file}:${settings.location.line}:${settings.location.col}`;
  const read = (name: string): string | undefined => {
    const value = deps.env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const timeout = deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs };

  const { email, telegram } = settings;
  if (email) {
    const names = email.credentials ? [email.credentials.user, email.credentials.password] : [];
    const missing = names.filter((name) => read(name) === undefined);
    if (missing.length > 0) {
      problems.push(`${where}: e-mail alerts are off: environment variable${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not set: put the SMTP login in .env and restart`);
    } else {
      const auth = email.credentials ? { user: read(email.credentials.user)!, password: read(email.credentials.password)! } : undefined;
      senders.push(createEmailSender({ settings: email, ...(auth ? { auth } : {}), ...timeout }));
    }
  }
  if (telegram) {
    const token = read(telegram.credentials.botToken);
    if (token === undefined) {
      problems.push(`${where}: Telegram alerts are off: environment variable ${telegram.credentials.botToken} is not set: put the bot token from @BotFather in .env and restart`);
    } else {
      senders.push(createTelegramSender({ settings: telegram, botToken: token, fetch: deps.fetch, ...timeout }));
    }
  }
  return { senders, problems };
}
