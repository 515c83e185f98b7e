import { composeNotice } from '../../src/alerts/alert-notice';
import { AlertDeliveryError } from '../../src/alerts/alert-sender';
import { createTelegramSender, TELEGRAM_TEXT_MAX } from '../../src/alerts/telegram-sender';
import type { TelegramAlertSettings } from '../../src/config/types';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server';
import { closedPort } from './support';

const TOKEN = '123456:TG-RECOGNISABLE-bot-token';
const CHAT = '-1001234567890';

function settings(baseUrl: string, chatId = CHAT): TelegramAlertSettings {
  return { chatId, credentials: { botToken: 'ALERT_TELEGRAM_TOKEN' }, baseUrl };
}

const notice = composeNotice(
  { kind: 'expired', message: 'h-1 on x-main missed its deadline: nothing was published; post by hand if still useful' },
  { name: 'Kantor Imigrasi Pontianak', zone: 'Asia/Pontianak' },
  new Date('2026-11-27T07:00:00Z'),
);

async function failureOf(promise: Promise<void>): Promise<AlertDeliveryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AlertDeliveryError);
  return error as AlertDeliveryError;
}

describe('alerts/telegram-sender', () => {
  let server: FakeTelegramServer;
  const live = new AbortController();

  beforeEach(async () => {
    server = await startFakeTelegramServer({ token: TOKEN, chats: [CHAT] });
  });
  afterEach(() => server.close());

  it('sends the notice as plain text to the chat', async () => {
    const sender = createTelegramSender({ settings: settings(server.url), botToken: TOKEN, fetch });
    await sender.send(notice, live.signal);
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]!.chatId).toBe(CHAT);
    expect(server.messages[0]!.text).toContain('Kantor Imigrasi Pontianak: expired');
    expect(server.messages[0]!.text).toContain('post by hand if still useful');
    expect(sender.secrets).toEqual([TOKEN]);
  });

  it('cuts a text longer than Telegram allows instead of losing the alert', async () => {
    const sender = createTelegramSender({ settings: settings(server.url), botToken: TOKEN, fetch });
    const long = composeNotice({ kind: 'config-invalid', message: 'x'.repeat(6000) }, { name: 'Office', zone: 'Asia/Jakarta' }, new Date());
    await sender.send(long, live.signal);
    expect(server.messages[0]!.text).toHaveLength(TELEGRAM_TEXT_MAX);
    expect(server.messages[0]!.text.endsWith('…')).toBe(true);
  });

  it('a revoked token is permanent and the error names the variable, never the token', async () => {
    server.revokeToken();
    const sender = createTelegramSender({ settings: settings(server.url), botToken: TOKEN, fetch });
    const error = await failureOf(sender.send(notice, live.signal));
    expect(error.options.permanent).toBe(true);
    expect(error.message).toContain('ALERT_TELEGRAM_TOKEN');
    expect(error.message).not.toContain(TOKEN);
  });

  it('an unknown chat is permanent and says to check chatId', async () => {
    const sender = createTelegramSender({ settings: settings(server.url, '-100999'), botToken: TOKEN, fetch });
    const error = await failureOf(sender.send(notice, live.signal));
    expect(error.options.permanent).toBe(true);
    expect(error.message).toMatch(/chat not found.*chatId/);
  });

  it.each([500, 502, 503] as const)('%i is transient', async (status) => {
    server.faults.push({ kind: 'status', status });
    const sender = createTelegramSender({ settings: settings(server.url), botToken: TOKEN, fetch });
    const error = await failureOf(sender.send(notice, live.signal));
    expect(error.options.permanent).toBe(false);
    expect(error.message).toContain(String(status));
  });

  it('429 carries retry_after', async () => {
    server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 7 });
    const sender = createTelegramSender({ settings: settings(server.url), botToken: TOKEN, fetch });
    const error = await failureOf(sender.send(notice, live.signal));
    expect(error.options).toEqual({ permanent: false, retryAfterMs: 7000 });
  });

  it.each(['drop', 'malformed'] as const)('a %s answer is transient and names no URL', async (kind) => {
    server.faults.push({ kind });
    const sender = createTelegramSender({ settings: settings(server.url), botToken: TOKEN, fetch });
    const error = await failureOf(sender.send(notice, live.signal));
    expect(error.options.permanent).toBe(false);
    expect(error.message).not.toContain(TOKEN);
    expect(error.message).not.toContain('/bot');
  });

  it('a server that never answers times out', async () => {
    server.faults.push({ kind: 'hang' });
    const sender = createTelegramSender({ settings: settings(server.url), botToken: TOKEN, fetch, timeoutMs: 200 });
    const error = await failureOf(sender.send(notice, live.signal));
    expect(error.options.permanent).toBe(false);
    expect(error.message).toContain('no answer in time');
  });

  it('a server that is down is transient, with the system error code', async () => {
    const sender = createTelegramSender({ settings: settings(`http://127.0.0.1:${await closedPort()}`), botToken: TOKEN, fetch });
    const error = await failureOf(sender.send(notice, live.signal));
    expect(error.options.permanent).toBe(false);
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain(TOKEN);
  });
});
