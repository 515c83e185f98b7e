import { createAlertDelivery, type AlertDelivery, type DeliveredStore } from '../../src/alerts/alert-delivery';
import type { AlertSender } from '../../src/alerts/alert-sender';
import { DEFAULT_RETRY_DELAYS_MS, type DeliveryPolicy } from '../../src/alerts/delivery-queue';
import { createEmailSender } from '../../src/alerts/email-sender';
import { createTelegramSender } from '../../src/alerts/telegram-sender';
import { DEFAULT_ALERT_RATE_LIMIT } from '../../src/config/normalize-herald';
import { startFakeSmtpServer, type FakeSmtpServer } from '../fakes/fake-smtp-server';
import { startFakeTelegramServer, type FakeTelegramServer } from '../fakes/fake-telegram-server';
import { captureLogs, closedPort, createManualClock, until, type ManualClock } from './support';

const TOKEN = '987654:TG-RECOGNISABLE-delivery-token';
const CHAT = '-1001112223334';
const LOGIN = { user: 'alerts@kanim.example', password: 'smtp-RECOGNISABLE-delivery-pw' };
const OFFICE = 'Kantor Imigrasi Pontianak';
const POLICY: DeliveryPolicy = {
  maxPerWindow: DEFAULT_ALERT_RATE_LIMIT.max,
  windowMs: DEFAULT_ALERT_RATE_LIMIT.windowMinutes * 60_000,
  retryDelaysMs: DEFAULT_RETRY_DELAYS_MS,
  maxQueued: 100,
};
/** random() = 0: every backoff is exactly half its nominal delay. */
const HALF = DEFAULT_RETRY_DELAYS_MS.map((ms) => ms / 2);

const post = (id: string) => ({ id, channelId: 'x-main', dueAt: new Date('2026-11-27T06:00:00Z'), deadline: null });

describe('alerts/alert-delivery', () => {
  let telegram: FakeTelegramServer;
  let smtp: FakeSmtpServer;
  let clock: ManualClock;
  let logs: ReturnType<typeof captureLogs>;
  let delivery: AlertDelivery | null;

  const telegramSender = (baseUrl = telegram.url): AlertSender =>
    createTelegramSender({ settings: { chatId: CHAT, credentials: { botToken: 'ALERT_TELEGRAM_TOKEN' }, baseUrl }, botToken: TOKEN, fetch, timeoutMs: 2_000 });
  const emailSender = (port = smtp.port): AlertSender =>
    createEmailSender({
      settings: { host: '127.0.0.1', port, secure: false, from: 'herald@kanim.example', to: ['pr@kanim.example'], credentials: { user: 'ALERT_SMTP_USER', password: 'ALERT_SMTP_PASSWORD' } },
      auth: LOGIN,
      timeoutMs: 2_000,
    });
  /** A hand-written DeliveredStore: the same rule as the database's (store/alert-state.ts), in a Map. */
  const memoryStore = (): DeliveredStore & { data: Map<string, { digest: string; at: number }> } => {
    const data = new Map<string, { digest: string; at: number }>();
    return {
      data,
      claim(problem, digest, now, remindAfterMs) {
        const last = data.get(problem);
        if (last && last.digest === digest && now.getTime() - last.at < remindAfterMs) return Promise.resolve(false);
        data.set(problem, { digest, at: now.getTime() });
        return Promise.resolve(true);
      },
    };
  };
  const start = (senders: AlertSender[], extra: { policy?: Partial<DeliveryPolicy>; store?: DeliveredStore } = {}): AlertDelivery => {
    delivery = createAlertDelivery({
      senders,
      policy: { ...POLICY, ...extra.policy },
      clock,
      logger: logs.logger,
      office: () => ({ name: OFFICE, zone: 'Asia/Pontianak' }),
      random: () => 0,
      ...(extra.store ? { store: extra.store } : {}),
    });
    return delivery;
  };

  beforeEach(async () => {
    telegram = await startFakeTelegramServer({ token: TOKEN, chats: [CHAT] });
    smtp = await startFakeSmtpServer({ login: LOGIN });
    clock = createManualClock('2026-11-27T05:00:00Z');
    logs = captureLogs();
    delivery = null;
  });

  afterEach(async () => {
    const closing = delivery?.close(1_000);
    // Deliveries may sleep on the manual clock: let the grace period pass.
    await until(() => clock.pending().length === 0 || clock.pending().includes(1_000), 'close to wait');
    clock.advance(1_000);
    await closing;
    await telegram.close();
    await smtp.close();
    // Whatever happened in the test, no secret reached a log line.
    for (const secret of [TOKEN, LOGIN.password, Buffer.from(LOGIN.password).toString('base64')]) expect(logs.text()).not.toContain(secret);
  });

  it('delivers one alert to e-mail and Telegram with the office, what happened and what to do', async () => {
    const sink = start([emailSender(), telegramSender()]);
    sink.notify({ kind: 'dead', message: 'Instagram rejected the image (400): fix the card template and re-run `quota-herald preview`', post: post('p-1') });
    await sink.idle();

    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0]!.subject).toBe('[quota-herald] dead: Instagram rejected the image (400): fix the card template and re-run…');
    expect(smtp.mails[0]!.text).toContain(`${OFFICE}: dead`);
    expect(smtp.mails[0]!.text).toContain('fix the card template and re-run `quota-herald preview`');
    expect(telegram.messages).toHaveLength(1);
    expect(telegram.messages[0]!.text).toBe(smtp.mails[0]!.text.trimEnd());
  });

  it('delivers the same problem once until its message changes, and again after a day', async () => {
    const sink = start([telegramSender()]);
    const a = { kind: 'unclear-outcome', message: 'the post may be out: check the account', post: post('p-1') };
    sink.notify(a);
    sink.notify(a);
    sink.notify({ ...a });
    await sink.idle();
    expect(telegram.messages).toHaveLength(1);

    sink.notify({ ...a, message: 'reconciliation could not decide: check the account by hand' }); // changed
    sink.notify({ ...a, post: post('p-2') }); // another post
    sink.notify({ ...a, kind: 'dead' }); // another kind
    sink.notify({ ...a, message: 'reconciliation could not decide: check the account by hand' }); // unchanged again
    await sink.idle();
    expect(telegram.messages).toHaveLength(4);

    clock.advance(24 * 3_600_000);
    sink.notify({ ...a, message: 'reconciliation could not decide: check the account by hand' });
    await sink.idle();
    expect(telegram.messages).toHaveLength(5);
  });

  it('remembers delivered problems across a restart', async () => {
    const memory = memoryStore();
    const first = start([telegramSender()], { store: memory });
    first.notify({ kind: 'auth', message: 'X refused the token: renew it' });
    await first.idle();
    await first.close(0);

    const second = start([telegramSender()], { store: memory });
    second.notify({ kind: 'auth', message: 'X refused the token: renew it' });
    second.notify({ kind: 'auth', message: 'Instagram refused the token: renew it' });
    await second.idle();
    expect(telegram.messages.map((m) => m.text.split('\n')[2])).toEqual(['X refused the token: renew it', 'Instagram refused the token: renew it']);
    expect(JSON.stringify([...memory.data])).not.toContain('renew it'); // digests only
  });

  it('sends at most 10 per 10 minutes per sink, then one summary', async () => {
    const sink = start([telegramSender(), emailSender()]);
    for (let i = 1; i <= 15; i++) sink.notify({ kind: 'expired', message: `post ${i} missed its deadline`, post: post(`p-${i}`) });
    await sink.idle();
    expect(telegram.messages).toHaveLength(10);
    expect(smtp.mails).toHaveLength(10);
    expect(clock.pending()).toEqual([600_000, 600_000]); // one summary timer per sink

    clock.advance(600_000);
    await until(() => telegram.messages.length === 11 && smtp.mails.length === 11, 'the summaries');
    expect(telegram.messages[10]!.text).toContain('5 more alerts, see `quota-herald status`');
    expect(smtp.mails[10]!.subject).toBe('[quota-herald] summary: 5 more alerts, see `quota-herald status`');

    // The window moved on: new problems go out again.
    sink.notify({ kind: 'dead', message: 'a new problem', post: post('p-99') });
    await sink.idle();
    expect(telegram.messages).toHaveLength(12);
  });

  it('retries a failed delivery with backoff and gives up after the last retry, logging without secrets', async () => {
    for (let i = 0; i < 4; i++) telegram.faults.push({ kind: 'status', status: 502 });
    const sink = start([telegramSender(), emailSender()]);
    sink.notify({ kind: 'auth', message: 'first' });
    for (const wait of HALF) {
      await until(() => clock.pending().includes(wait), `a retry in ${wait} ms`);
      clock.advance(wait);
    }
    await sink.idle();
    expect(telegram.calls.map((c) => c.outcome)).toEqual(['502', '502', '502', '502']);
    expect(telegram.messages).toHaveLength(0);
    expect(smtp.mails).toHaveLength(1); // the other sink was not held up
    expect(logs.text()).toContain('alert not delivered by telegram');
    expect(logs.lines.filter((line) => line.includes('trying again'))).toHaveLength(3);
  });

  it('honours retry_after and succeeds on the next try', async () => {
    telegram.faults.push({ kind: 'rate-limit', retryAfterSeconds: 42 });
    const sink = start([telegramSender()]);
    sink.notify({ kind: 'dead', message: 'once' });
    await until(() => clock.pending().includes(42_000), 'the retry_after wait');
    clock.advance(42_000);
    await sink.idle();
    expect(telegram.calls.map((c) => c.outcome)).toEqual(['429', 'ok']);
  });

  it('does not retry a permanent failure (revoked bot token)', async () => {
    telegram.revokeToken();
    const sink = start([telegramSender()]);
    sink.notify({ kind: 'dead', message: 'once' });
    await sink.idle();
    expect(telegram.calls).toHaveLength(1);
    expect(logs.text()).toContain('ALERT_TELEGRAM_TOKEN');
  });

  it('with both sinks down nothing blocks: notify returns at once, deliveries retry in the background', async () => {
    const sink = start([telegramSender(`http://127.0.0.1:${await closedPort()}`), emailSender(await closedPort())]);
    for (let i = 0; i < 50; i++) sink.notify({ kind: 'expired', message: `post ${i}`, post: post(`p-${i}`) });
    // notify only queued: no delivery has even been tried when it returns.
    expect(logs.text()).not.toContain('alert delivery');

    // Both sinks retry their first alert; the rest wait their turn behind it.
    await until(() => clock.pending().filter((ms) => ms === HALF[0]).length === 2, 'both sinks to back off');
    const failures = logs.lines.filter((line) => line.includes('trying again'));
    expect(failures.join('')).toContain('ECONNREFUSED');
    expect(failures.join('')).toContain('127.0.0.1');
  });

  it('a sink that hangs is cut off by its timeout and the next alert still goes out', async () => {
    telegram.faults.push({ kind: 'hang' });
    const sink = start([createTelegramSender({ settings: { chatId: CHAT, credentials: { botToken: 'T' }, baseUrl: telegram.url }, botToken: TOKEN, fetch, timeoutMs: 100 })]);
    sink.notify({ kind: 'dead', message: 'first' });
    await until(() => clock.pending().includes(HALF[0]!), 'the retry after the timeout');
    clock.advance(HALF[0]!);
    await sink.idle();
    expect(telegram.calls.map((c) => c.outcome)).toEqual(['hang', 'ok']);
    expect(logs.text()).toContain('no answer in time');
  });

  it('close stops retries after the grace period and says what was dropped', async () => {
    telegram.faults.push({ kind: 'status', status: 503 });
    const sink = start([telegramSender()]);
    sink.notify({ kind: 'dead', message: 'first' });
    sink.notify({ kind: 'dead', message: 'second' });
    await until(() => clock.pending().includes(HALF[0]!), 'the first retry');
    const closing = sink.close(3_000);
    await until(() => clock.pending().includes(3_000), 'the grace period');
    clock.advance(3_000);
    await closing;
    delivery = null;
    expect(telegram.messages).toHaveLength(0);
    expect(logs.text()).toContain('alerts not delivered by telegram: the bot is stopping');
  });
});
