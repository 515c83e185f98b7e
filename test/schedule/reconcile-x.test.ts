/**
 * Unclear outcomes on X, end to end in-process: the scheduler with the real X
 * driver against the fake X server and a real ledger (SQLite and PostgreSQL).
 * Whatever the fault, the account ends with the post exactly once, or (past
 * the deadline) not at all and an alert.
 */
import { claimDue } from '../../src/store/claims';
import { requestFor } from '../../src/schedule/ledger-post';
import { listPosts } from '../../src/store/ledger';
import { DIALECTS, useTestStore } from '../support/databases';
import { START, startXRig, type XRig } from '../channels/x/x-harness';
import type { FakeXRequestRecord } from '../fakes/fake-x-server';
import { after, createReconcileRig, type ReconcileRig } from './reconcile-rig';

const TEXT = 'Kuota paspor reguler 120 dibuka Jumat 14.00 WIB. Daftar lewat aplikasi M-Paspor.';
const HOUR = 3_600_000;
const READ_BACK = 'GET /2/users/:id/tweets';

describe.each(DIALECTS)('schedule/reconcile with the X driver on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  let x: XRig;
  let rig: ReconcileRig;

  beforeEach(async () => {
    x = await startXRig();
    rig = createReconcileRig({ store: ctx.store, clock: x.clock, channels: [x.channel], mediaRoot: x.dir });
  });
  afterEach(async () => x.close());

  const readBacks = (): number => x.server.requests.filter((r) => r.route === READ_BACK).length;

  it('tweet created but the connection dropped: unknown, then found by read-back after the settle delay', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    x.server.faults.push({ route: 'POST /2/tweets', drop: true, afterEffect: true });

    await rig.tickAt(START);
    expect(await rig.post(1)).toMatchObject({ state: 'unknown', remoteId: null });
    expect(x.server.tweets).toHaveLength(1);
    // The loop wakes when the post has settled, not before.
    expect((await rig.scheduler.nextEvents()).nextDue).toEqual(after(START, 20_000));

    await rig.tickAt(after(START, 10_000));
    expect(readBacks()).toBe(0); // too early: platforms are eventually consistent
    expect((await rig.post(1)).state).toBe('unknown');

    await rig.tickAt(after(START, 20_000));
    const [tweet, ...more] = x.server.tweets;
    expect(more).toEqual([]);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: tweet!.id, remoteUrl: `https://x.com/kanimpontianak/status/${tweet!.id}`, publishedAt: START });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'reconciled']);
    expect(readBacks()).toBe(1);

    await rig.tickAt(after(START, 60_000));
    expect(x.server.tweets).toHaveLength(1);
    expect(readBacks()).toBe(1);
    expect(rig.alerts).toEqual([]);
  });

  it('503 on create with nothing created: read-back finds nothing, the post goes out once', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    x.server.faults.push({ route: 'POST /2/tweets', status: 503 });

    await rig.tickAt(START);
    expect((await rig.post(1)).state).toBe('unknown');
    expect(x.server.tweets).toEqual([]);

    await rig.tickAt(after(START, 20_000));
    const [tweet, ...more] = x.server.tweets;
    expect(more).toEqual([]);
    expect(tweet!.createdAt).toEqual(after(START, 20_000));
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: tweet!.id });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'not-found', 'published']);
    // The read-back came before the second POST: never a blind retry.
    const routes = x.server.requests.map((r) => r.route).filter((r) => r === READ_BACK || r === 'POST /2/tweets');
    expect(routes).toEqual(['POST /2/tweets', READ_BACK, 'POST /2/tweets']);
    expect(rig.alerts).toEqual([]);
  });

  it('no answer before the client timeout, though X created the tweet: reconciled, not re-sent', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    x.server.faults.push({ route: 'POST /2/tweets', hang: true, afterEffect: true });
    // The publish timeout fires once X has created the tweet and still says nothing.
    x.server.events.once('tweet', () => rig.timeouts.at(-1)!.abort());

    await rig.tickAt(START);
    expect(await rig.post(1)).toMatchObject({ state: 'unknown', lastError: expect.stringContaining('unclear') });

    await rig.tickAt(after(START, 25_000));
    expect(x.server.tweets).toHaveLength(1);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: x.server.tweets[0]!.id });
  });

  it('a crashed holder (its lease ran out) is reconciled: found when it had posted, sent once when not', async () => {
    await rig.seed([
      { n: 1, channelId: 'x', text: `${TEXT} (1)`, dueAt: START, deadline: after(START, HOUR) },
      { n: 2, channelId: 'x', text: `${TEXT} (2)`, dueAt: START, deadline: after(START, HOUR) },
    ]);
    // Another process claims both, posts the first, and dies before recording anything.
    const claimed = await claimDue(ctx.store, { now: START, owner: 'crashed@1', leaseMs: 120_000, limit: 5 });
    expect(claimed.map((p) => p.id)).toEqual(['post-1', 'post-2']);
    await x.channel.publish(requestFor(claimed[0]!, x.dir));

    await rig.tickAt(after(START, 60_000)); // lease still held: hands off
    expect((await listPosts(ctx.store)).map((p) => p.state)).toEqual(['claimed', 'claimed']);
    await rig.tickAt(after(START, 120_000)); // lease ran out: unknown, settling
    expect((await listPosts(ctx.store)).map((p) => p.state)).toEqual(['unknown', 'unknown']);
    expect(x.server.tweets).toHaveLength(1);

    await rig.tickAt(after(START, 140_000));
    expect(readBacks()).toBe(1); // one read-back for both posts of the channel
    expect(x.server.tweets.map((t) => t.text)).toEqual([`${TEXT} (1)`, `${TEXT} (2)`]);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: x.server.tweets[0]!.id });
    expect(await rig.post(2)).toMatchObject({ state: 'published', remoteId: x.server.tweets[1]!.id });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'reconciled']);
    expect(await rig.outcomes(2)).toEqual(['unknown', 'not-found', 'published']);
  });

  it('read-back keeps failing past the deadline: one reconcile-undecided alert, the post stays unknown; later it expires', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, 120_000) }]);
    x.server.faults.push({ route: 'POST /2/tweets', status: 503 });
    await rig.tickAt(START);
    x.server.faults.push({ route: READ_BACK, status: 503, times: 1000 });

    for (let ms = 10_000; ms <= 10 * 60_000; ms += 10_000) await rig.tickAt(after(START, ms));
    expect((await rig.post(1)).state).toBe('unknown');
    expect(x.server.tweets).toEqual([]);
    const undecided = rig.alerts.filter((a) => a.kind === 'reconcile-undecided');
    expect(undecided).toHaveLength(1);
    expect(undecided[0]!.message).toMatch(/could not tell whether post-1 .* went out.*Check the account by hand/s);
    // Backoff: 15 s, 30 s, 60 s, … between reads, not one read per tick (60 ticks).
    expect(readBacks()).toBeGreaterThanOrEqual(4);
    expect(readBacks()).toBeLessThanOrEqual(7);

    // X answers again: the post is not there, and it is too late to send it.
    x.server.faults.length = 0;
    await rig.tickAt(after(START, 30 * 60_000));
    expect(await rig.post(1)).toMatchObject({ state: 'expired' });
    expect(x.server.tweets).toEqual([]);
    expect(rig.alerts.map((a) => a.kind)).toEqual(['reconcile-undecided', 'expired']);
    expect(rig.alerts[1]!.message).toMatch(/is not on the x account .* expired and was not re-sent/);
  });

  it('a read-back that hangs is given up at its timeout; the post stays unknown and is read again later', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    x.server.faults.push({ route: 'POST /2/tweets', status: 503, afterEffect: true });
    await rig.tickAt(START);
    x.server.faults.push({ route: READ_BACK, hang: true });
    // The read-back's timeout fires while X keeps it waiting (only the first one).
    const abortFirstRead = (request: FakeXRequestRecord): void => {
      if (request.route !== READ_BACK) return;
      x.server.events.off('request', abortFirstRead);
      rig.timeouts.at(-1)!.abort();
    };
    x.server.events.on('request', abortFirstRead);

    await rig.tickAt(after(START, 20_000));
    expect((await rig.post(1)).state).toBe('unknown');
    await rig.tickAt(after(START, 30_000)); // backing off: no read
    expect(readBacks()).toBe(1);
    await rig.tickAt(after(START, 40_000));
    expect(readBacks()).toBe(2);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: x.server.tweets[0]!.id });
    expect(x.server.tweets).toHaveLength(1);
    expect(rig.alerts).toEqual([]);
  });

  it('a post found after its deadline is recorded as published (it did go out in time), never re-sent', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, 10_000) }]);
    x.server.faults.push({ route: 'POST /2/tweets', status: 502, afterEffect: true });
    await rig.tickAt(START);
    await rig.tickAt(after(START, 20_000));
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: x.server.tweets[0]!.id, publishedAt: START });
    expect(x.server.tweets).toHaveLength(1);
    expect(rig.alerts).toEqual([]);
  });
});
