/**
 * Unclear outcomes on Telegram, end to end in-process: the real scheduler and
 * reconciler with the real Telegram driver against the fake Bot API and a real
 * ledger (SQLite and PostgreSQL). A bot cannot read its channel back, so an
 * unclear send is NEVER sent again by the bot, whatever happened on the
 * channel and however long the loop runs: staff are alerted at the send (the
 * driver's `unclear-outcome`), again once the deadline passed
 * (`reconcile-undecided`), and the post stays `unknown` for them to settle.
 */
import { requestFor } from '../../src/schedule/ledger-post';
import { claimDue, markAttemptPhase, releaseAllLeases } from '../../src/store/claims';
import { DIALECTS, useTestStore } from '../support/databases';
import { START, startTelegramRig, type TelegramRig } from '../channels/telegram/telegram-rig';
import { after, createReconcileRig, type ReconcileRig } from './reconcile-rig';

const TEXT = '🟢 KUOTA ANTREAN PASPOR SUDAH DIBUKA\n\nKuota paspor reguler 120 dibuka Jumat 14.00 WIB.';
const HOUR = 3_600_000;
const SENDS = new Set(['sendMessage', 'sendPhoto', 'sendMediaGroup']);

describe.each(DIALECTS)('schedule/reconcile with the Telegram driver on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  let telegram: TelegramRig;
  let rig: ReconcileRig;

  beforeEach(async () => {
    telegram = await startTelegramRig();
    rig = createReconcileRig({ store: ctx.store, clock: telegram.clock, channels: [telegram.channel], mediaRoot: telegram.dir });
  });
  afterEach(async () => telegram.close());

  const sends = (): number => telegram.server.requests.filter((method) => SENDS.has(method)).length;

  /** The loop ticking for two hours (every 10 s at first, then every minute): past the settle time, the backoff's cap and the deadline. */
  async function runForTwoHours(): Promise<void> {
    for (let ms = 10_000; ms <= 2 * HOUR; ms += ms < 120_000 ? 10_000 : 60_000) await rig.tickAt(after(START, ms));
  }

  it.each([
    ['the post went out and the connection dropped before the answer', { kind: 'drop' as const, after: true }, 1],
    ['the post went out and Telegram answered 502', { kind: 'status' as const, status: 502 as const, after: true }, 1],
    ['nothing went out and the connection dropped (the bot cannot tell)', { kind: 'drop' as const }, 0],
  ])('%s: sent once, never again; staff alerted at once and after the deadline', async (_, fault, onChannel) => {
    await rig.seed([{ n: 1, channelId: 'telegram', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    telegram.server.faults.push(fault);

    await rig.tickAt(START);
    expect(await rig.post(1)).toMatchObject({ state: 'unknown' });
    expect(await rig.outcomes(1)).toEqual(['unknown']);
    expect(telegram.alerts).toEqual([{ kind: 'unclear-outcome', message: expect.stringMatching(/^post-1 \(.*\) may or may not be on the Telegram channel -1001234567890.*will NOT send it again/s) }]);

    await runForTwoHours();
    expect(sends()).toBe(1);
    expect(telegram.server.posts()).toHaveLength(onChannel);
    expect(await rig.post(1)).toMatchObject({ state: 'unknown' });
    expect(await rig.outcomes(1)).toEqual(['unknown']);
    // The driver alerted once; the reconciler once its deadline passed, saying it is never re-sent.
    expect(telegram.alerts).toHaveLength(1);
    expect(rig.alerts.map((a) => a.kind)).toEqual(['reconcile-undecided']);
    expect(rig.alerts[0]!.message).toMatch(/cannot read the channel -1001234567890 back.*never re-sent automatically/s);
  }, 120_000);

  it('a clear failure before the send (429) is retried and posted once, with no alert', async () => {
    await rig.seed([{ n: 1, channelId: 'telegram', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    telegram.server.faults.push({ kind: 'rate-limit', retryAfterSeconds: 30 });

    await rig.tickAt(START);
    expect(await rig.post(1)).toMatchObject({ state: 'retrying' });
    await runForTwoHours();
    const [post, ...more] = telegram.server.posts();
    expect(more).toEqual([]);
    expect(post!.at.getTime()).toBeGreaterThanOrEqual(after(START, 30_000).getTime());
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: String(post!.messageIds[0]), remoteUrl: `https://t.me/kanimptk/${post!.messageIds[0]}` });
    expect(sends()).toBe(2);
    expect([...telegram.alerts, ...rig.alerts]).toEqual([]);
  }, 120_000);

  it('a bot killed after "sending" whose post went out: after the restart, staff are alerted at once and it is never sent again', async () => {
    await rig.seed([{ n: 1, channelId: 'telegram', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    // The previous run claimed the post, passed the point of no return and sent it, then died.
    const [claimed] = await claimDue(ctx.store, { now: START, owner: 'killed@1', leaseMs: 120_000, limit: 1 });
    await markAttemptPhase(ctx.store, { id: claimed!.id, revision: claimed!.revision, owner: 'killed@1' }, 'sending');
    await telegram.channelWith().publish(requestFor(claimed!, telegram.dir));
    const restart = after(START, 2_000);
    await releaseAllLeases(ctx.store, restart);

    await rig.tickAt(restart);
    expect(await rig.post(1)).toMatchObject({ state: 'unknown' });
    expect(telegram.alerts).toEqual([{ kind: 'unclear-outcome', message: expect.stringMatching(/^posts sent to the Telegram channel -1001234567890 \(https:\/\/t.me\/kanimptk\) since .* have an unclear outcome .*will NOT send it again/s) }]);

    await runForTwoHours();
    expect(sends()).toBe(1);
    expect(telegram.server.posts()).toHaveLength(1);
    expect(await rig.post(1)).toMatchObject({ state: 'unknown' });
    // Once for the window, however often the reconciler reads; then once more at the deadline.
    expect(telegram.alerts).toHaveLength(1);
    expect(rig.alerts.map((a) => a.kind)).toEqual(['reconcile-undecided']);
  }, 120_000);

  it('what the thrown readBack prevents: a driver answering "nothing there" would have been sent twice', async () => {
    const blind = { ...telegram.channel, readBack: async () => [] };
    rig = createReconcileRig({ store: ctx.store, clock: telegram.clock, channels: [blind], mediaRoot: telegram.dir });
    await rig.seed([{ n: 1, channelId: 'telegram', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    telegram.server.faults.push({ kind: 'drop', after: true });
    await rig.tickAt(START);
    await runForTwoHours();
    expect(telegram.server.posts()).toHaveLength(2);
  }, 120_000);
});
