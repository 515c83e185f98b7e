/**
 * Alerts once per cluster (issue 8 §3): two instances are two alert sinks on
 * one database (on SQLite one store, as one machine runs one bot per data
 * directory; better-sqlite3 is synchronous, so a second connection in this
 * process would block the first), each delivering to the same fake Telegram chat
 * and SMTP server.
 */
import { ALERTS_KEY, createConfiguredAlertSink, type AlertSink, type StoredAlert } from '../../src/app/alert-sink';
import type { AlertSettings } from '../../src/config/types';
import type { Store } from '../../src/store/open';
import { getRuntimeStatus } from '../../src/store/runtime-status';
import { startFakeSmtpServer, type FakeSmtpServer } from '../fakes/fake-smtp-server';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server';
import { DIALECTS, useTestStore } from '../support/databases';
import { captureLogs, closeOnManualClock, createManualClock, until, type ManualClock } from './support';

const ENV = {
  ALERT_SMTP_USER: 'alerts@kanim.example',
  ALERT_SMTP_PASSWORD: 'smtp-RECOGNISABLE-cluster-password',
  ALERT_TELEGRAM_TOKEN: '777:TG-RECOGNISABLE-cluster-token',
};
const CHAT = '-1004445556667';

describe.each(DIALECTS)('alerts across instances (%s)', (dialect) => {
  const db = useTestStore(dialect);
  let smtp: FakeSmtpServer;
  let telegram: FakeTelegramServer;
  let clock: ManualClock;
  let logs: ReturnType<typeof captureLogs>;
  const sinks: AlertSink[] = [];

  const settings = (): AlertSettings => ({
    email: { host: smtp.host, port: smtp.port, secure: false, from: 'herald@kanim.example', to: ['pr@kanim.example'], credentials: { user: 'ALERT_SMTP_USER', password: 'ALERT_SMTP_PASSWORD' } },
    telegram: { chatId: CHAT, credentials: { botToken: 'ALERT_TELEGRAM_TOKEN' }, baseUrl: telegram.url },
    rateLimit: { max: 10, windowMinutes: 10 },
    location: { file: 'config/herald.yaml', line: 40, col: 3 },
  });
  /** One instance's alert sink, on its own store (PostgreSQL). */
  const instance = async (): Promise<AlertSink> => {
    const store: Store = dialect === 'sqlite' ? db.store : await db.open();
    const sink = createConfiguredAlertSink({ logger: logs.logger, store, clock, settings: settings(), env: ENV, fetch, office: () => ({ name: 'Kantor Imigrasi Pontianak', zone: 'Asia/Pontianak' }) });
    sinks.push(sink);
    return sink;
  };

  beforeEach(async () => {
    smtp = await startFakeSmtpServer({ login: { user: ENV.ALERT_SMTP_USER, password: ENV.ALERT_SMTP_PASSWORD } });
    telegram = await startFakeTelegramServer({ token: ENV.ALERT_TELEGRAM_TOKEN, chats: [CHAT] });
    clock = createManualClock('2026-11-27T06:30:00Z');
    logs = captureLogs();
  });
  /** Stops sinks: what is queued is delivered first (close gives it a grace period on the manual clock). */
  const close = async (...which: AlertSink[]): Promise<void> => {
    await closeOnManualClock(clock, which);
    for (const sink of which) sinks.splice(sinks.indexOf(sink), 1);
  };
  afterEach(async () => {
    await close(...sinks);
    await smtp.close();
    await telegram.close();
  });

  it('an alert raised by two instances at once is delivered once, and listed once', async () => {
    const [a, b] = [await instance(), await instance()];
    const alert = { kind: 'auth' as const, message: 'channel instagram: the Instagram token expired: put a new one in .env as IG_ACCESS_TOKEN, restart' };
    a(alert);
    b(alert);
    await Promise.all([a.flush(), b.flush()]);
    // Closing delivers everything queued: whatever more there would be has arrived by then.
    await close(a, b);
    expect(telegram.messages).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
    expect(await getRuntimeStatus<StoredAlert[]>(db.store, ALERTS_KEY)).toEqual([expect.objectContaining({ kind: 'auth', message: alert.message })]);

    // A changed message is a new problem: delivered once more, by whichever instance raises it.
    const c = await instance();
    c({ ...alert, message: `${alert.message} (still)` });
    await until(() => telegram.messages.length === 2, 'the changed problem');
  });

  it('share one rate limit and send one summary between them', async () => {
    const [a, b] = [await instance(), await instance()];
    // 16 different problems, half raised on each instance: 10 go out, 6 are held back.
    for (let i = 1; i <= 16; i++) (i % 2 === 0 ? a : b)({ kind: 'dead', message: `post ${i} was refused for good: fix the template` });
    await Promise.all([a.flush(), b.flush()]);
    await until(() => telegram.messages.length === 10 && smtp.mails.length === 10, 'ten per sink');
    // Both instances wait for the window to move (one timer per sink each).
    await until(() => clock.pending().filter((ms) => ms === 600_000).length === 4, 'the summary timers');

    // Every alert decided (sent or held back) before the clock moves on.
    for (let held = ''; held !== '6,6'; ) {
      held = (await db.store.db.selectFrom('alert_held').select('held').orderBy('scope').execute()).map((row) => row.held).join(',');
    }
    clock.advance(600_000);
    await until(() => telegram.messages.length === 11 && smtp.mails.length === 11, 'one summary per sink');
    expect(telegram.messages[10]!.text).toContain('6 more alerts, see `quota-herald status`');
    expect(smtp.mails[10]!.subject).toBe('[quota-herald] summary: 6 more alerts, see `quota-herald status`');
    // The other instance's timer found nothing left to summarise.
    await close(a, b);
    expect(telegram.messages).toHaveLength(11);
    expect(smtp.mails).toHaveLength(11);
  });
});
