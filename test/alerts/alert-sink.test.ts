import { ALERTS_KEY, createConfiguredAlertSink, type AlertSink, type StoredAlert } from '../../src/app/alert-sink';
import type { AlertSettings } from '../../src/config/types';
import { listPosts, syncPlan } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import { getRuntimeStatus } from '../../src/store/runtime-status';
import { startFakeSmtpServer, type FakeSmtpServer } from '../fakes/fake-smtp-server';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildPost } from '../store/post-builder';
import { captureLogs, closeOnManualClock, createManualClock, until, type ManualClock } from './support';

const ENV = {
  ALERT_SMTP_USER: 'alerts@kanim.example',
  ALERT_SMTP_PASSWORD: 'smtp-RECOGNISABLE-sink-password',
  ALERT_TELEGRAM_TOKEN: '555:TG-RECOGNISABLE-sink-token',
};
const SECRETS = [ENV.ALERT_SMTP_PASSWORD, ENV.ALERT_TELEGRAM_TOKEN, Buffer.from(ENV.ALERT_SMTP_PASSWORD).toString('base64')];
const CHAT = '-1009998887776';
const OFFICES: Record<string, string> = { 'kanim-pontianak': 'Kantor Imigrasi Kelas I TPI Pontianak' };

describe.each(DIALECTS)('app/alert-sink with e-mail and Telegram (%s)', (dialect) => {
  const db = useTestStore(dialect);
  let smtp: FakeSmtpServer;
  let telegram: FakeTelegramServer;
  let clock: ManualClock;
  let logs: ReturnType<typeof captureLogs>;

  const settings = (): AlertSettings => ({
    email: { host: smtp.host, port: smtp.port, secure: false, from: 'herald@kanim.example', to: ['pr@kanim.example'], credentials: { user: 'ALERT_SMTP_USER', password: 'ALERT_SMTP_PASSWORD' } },
    telegram: { chatId: CHAT, credentials: { botToken: 'ALERT_TELEGRAM_TOKEN' }, baseUrl: telegram.url },
    rateLimit: { max: 10, windowMinutes: 10 },
    location: { file: 'config/herald.yaml', line: 40, col: 3 },
  });
  const open = (store: Store, env: Record<string, string> = ENV): AlertSink =>
    createConfiguredAlertSink({
      logger: logs.logger,
      store,
      clock,
      settings: settings(),
      env,
      fetch,
      office: (id) => ({ name: (id ? OFFICES[id] : undefined) ?? 'all offices', zone: 'Asia/Pontianak' }),
    });
  /** close() gives deliveries a 5 s grace on the manual clock. */
  const close = (sink: AlertSink): Promise<void> => closeOnManualClock(clock, [sink]);

  beforeEach(async () => {
    smtp = await startFakeSmtpServer({ login: { user: ENV.ALERT_SMTP_USER, password: ENV.ALERT_SMTP_PASSWORD } });
    telegram = await startFakeTelegramServer({ token: ENV.ALERT_TELEGRAM_TOKEN, chats: [CHAT] });
    clock = createManualClock('2026-11-27T06:30:00Z');
    logs = captureLogs();
  });
  afterEach(async () => {
    await smtp.close();
    await telegram.close();
  });

  async function ledgerPost(store: Store) {
    await syncPlan(store, [buildPost({ n: 1 })], { from: at('2026-11-27T00:00+07:00'), to: at('2026-11-28T00:00+07:00') }, at('2026-11-27T10:00+07:00'));
    const [post] = await listPosts(store);
    return post!;
  }

  async function everythingStored(store: Store): Promise<string> {
    const tables = ['runtime_status', 'alert_deliveries', 'alert_sends', 'alert_held'] as const;
    return JSON.stringify(await Promise.all(tables.map((table) => store.db.selectFrom(table).selectAll().execute())));
  }

  it('logs, stores and delivers an alert about a post, with its office; no secret anywhere', async () => {
    const sink = open(db.store);
    const post = await ledgerPost(db.store);
    sink({ kind: 'expired', post, message: `${post.id} on x missed its deadline: nothing was published` });
    await until(() => smtp.mails.length === 1 && telegram.messages.length === 1, 'both deliveries');
    await close(sink);

    const stored = await getRuntimeStatus<StoredAlert[]>(db.store, ALERTS_KEY);
    expect(stored).toEqual([expect.objectContaining({ kind: 'expired', postId: post.id })]);
    expect(smtp.mails[0]!.text).toContain('Kantor Imigrasi Kelas I TPI Pontianak: expired');
    expect(telegram.messages[0]!.text).toContain(`Post: ${post.id} on x`);
    // The manual clock stands at 06:30 UTC: 13.30 in Pontianak.
    expect(smtp.mails[0]!.text).toContain('Raised: Jum 27 Nov 13.30 WIB');
    expect(telegram.messages[0]!.text).toContain('Raised: Jum 27 Nov 13.30 WIB');
    const delivered = await db.store.db.selectFrom('alert_deliveries').selectAll().execute();
    expect(delivered.map((row) => ({ ...row, delivered_at: Number(row.delivered_at) }))).toEqual([
      { scope: 'global', problem: `expired|${post.id}`, digest: expect.stringMatching(/^[0-9a-f]{16}$/), delivered_at: Date.parse('2026-11-27T06:30:00Z') },
    ]);

    const everywhere = logs.text() + (await everythingStored(db.store)) + JSON.stringify(smtp.mails) + JSON.stringify(telegram.messages);
    for (const secret of SECRETS) expect(everywhere).not.toContain(secret);
  });

  it('does not deliver the same problem again after a restart', async () => {
    const first = open(db.store);
    first({ kind: 'auth', message: 'X refused the access token: renew it in the developer portal' });
    await until(() => telegram.messages.length === 1, 'the first delivery');
    await close(first);

    const restarted = open(await db.open());
    restarted({ kind: 'auth', message: 'X refused the access token: renew it in the developer portal' });
    restarted({ kind: 'token-expiry', message: 'the Instagram token expires in 5 days: run `quota-herald check --online`' });
    await until(() => telegram.messages.length === 2 && smtp.mails.length === 2, 'the new problem');
    await close(restarted);
    expect(telegram.messages.map((m) => m.text.split('\n')[0])).toEqual(['all offices: auth', 'all offices: token-expiry']);
  });

  it('a sink that hangs never holds up the alert call or the status', async () => {
    telegram.faults.push({ kind: 'hang' });
    smtp.faults.push({ kind: 'greeting-421' });
    const sink = open(db.store);
    for (let i = 0; i < 20; i++) sink({ kind: 'dead', message: `post ${i} was refused for good: fix the template` });
    await sink.flush();
    // Everything is logged and stored while Telegram still has not answered the first message.
    expect(await getRuntimeStatus<StoredAlert[]>(db.store, ALERTS_KEY)).toHaveLength(20);
    await until(() => telegram.calls.some((c) => c.outcome === 'hang'), 'the hanging call');
    expect(telegram.messages).toHaveLength(0);
    await close(sink);
  });

  it('a missing secret turns that sink off with a config-invalid alert; the other still delivers', async () => {
    const { ALERT_TELEGRAM_TOKEN: _missing, ...env } = ENV;
    const sink = open(db.store, env);
    await until(() => smtp.mails.length === 1, 'the e-mail about the missing token');
    await sink.flush();
    const stored = await getRuntimeStatus<StoredAlert[]>(db.store, ALERTS_KEY);
    expect(stored?.[0]?.kind).toBe('config-invalid');
    expect(stored?.[0]?.message).toBe(
      'config/herald.yaml:40:3: Telegram alerts are off: environment variable ALERT_TELEGRAM_TOKEN is not set: put the bot token from @BotFather in .env and restart',
    );
    expect(smtp.mails[0]!.subject).toBe('[quota-herald] config-invalid: config/herald.yaml:40:3: Telegram alerts are off: environment…');
    await close(sink);
  });
});
