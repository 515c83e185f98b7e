/**
 * Unclear outcomes on X, end to end in-process: the scheduler with the real X
 * driver against the fake X server and a real ledger (SQLite and PostgreSQL).
 * Whatever the fault, the account ends with the post exactly once, or (past
 * the deadline) not at all and an alert. A post that is on the account is
 * found by the early read at once; one that is not waits for the settle delay
 * (20 s) before it is sent again.
 */
import { claimDue, markAttemptPhase, releaseAllLeases } from '../../src/store/claims';
import { requestFor } from '../../src/schedule/ledger-post';
import { listPosts } from '../../src/store/ledger';
import { DIALECTS, useTestStore } from '../support/databases';
import { START, startXRig, type XRig } from '../channels/x/x-harness';
import type { FakeXRequestRecord } from '../fakes/fake-x-server';
import { after, createReconcileRig, type ReconcileRig } from './reconcile-rig';

const TEXT = 'Kuota paspor reguler 120 dibuka Jumat 14.00 WIB. Daftar lewat aplikasi M-Paspor.';
const HOUR = 3_600_000;
const READ_BACK = 'GET /2/users/:id/tweets';
const CREATE = 'POST /2/tweets';

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
  /** The create and read-back calls, in order. */
  const calls = (): string[] => x.server.requests.map((r) => r.route).filter((r) => r === READ_BACK || r === CREATE);

  it('tweet created but the connection dropped: found by the early read in the same pass, without waiting for the settle delay', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    x.server.faults.push({ route: CREATE, drop: true, afterEffect: true });

    await rig.tickAt(START);
    const [tweet, ...more] = x.server.tweets;
    expect(more).toEqual([]);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: tweet!.id, remoteUrl: `https://x.com/kanimpontianak/status/${tweet!.id}`, publishedAt: START });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'reconciled']);
    expect(calls()).toEqual([CREATE, READ_BACK]);
    // Nothing left to reconcile: the loop has no reason to wake at the settle time.
    expect((await rig.scheduler.nextEvents()).nextDue).toBeNull();

    await rig.tickAt(after(START, 20_000));
    await rig.tickAt(after(START, 60_000));
    expect(x.server.tweets).toHaveLength(1);
    expect(readBacks()).toBe(1);
    expect(rig.alerts).toEqual([]);
  });

  it('503 on create with nothing created: the early read finds nothing and sends nothing; after the settle delay it is sent once', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    x.server.faults.push({ route: CREATE, status: 503 });

    await rig.tickAt(START);
    expect((await rig.post(1)).state).toBe('unknown');
    expect(x.server.tweets).toEqual([]);
    expect(calls()).toEqual([CREATE, READ_BACK]);
    // Not found early proves nothing (eventual consistency): the loop next wakes at the settle time.
    expect((await rig.scheduler.nextEvents()).nextDue).toEqual(after(START, 20_000));

    // However often the loop ticks before then: no second read of this attempt, no retry.
    for (let ms = 1_000; ms < 20_000; ms += 1_000) await rig.tickAt(after(START, ms));
    expect((await rig.post(1)).state).toBe('unknown');
    expect(await rig.outcomes(1)).toEqual(['unknown']);
    expect(calls()).toEqual([CREATE, READ_BACK]);

    await rig.tickAt(after(START, 20_000));
    const [tweet, ...more] = x.server.tweets;
    expect(more).toEqual([]);
    expect(tweet!.createdAt).toEqual(after(START, 20_000));
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: tweet!.id });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'not-found', 'published']);
    // The settled read came before the second POST: never a blind retry.
    expect(calls()).toEqual([CREATE, READ_BACK, READ_BACK, CREATE]);
    expect(rig.alerts).toEqual([]);
  });

  it('one early read per attempt: a retry that is unclear again gets its own early read, then its own settle delay', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    x.server.faults.push({ route: CREATE, status: 503, times: 2 });

    await rig.tickAt(START);
    await rig.tickAt(after(START, 10_000));
    expect(calls()).toEqual([CREATE, READ_BACK]);

    // Settled, not found: sent again, unclear again. The new attempt is read at once.
    await rig.tickAt(after(START, 20_000));
    expect(calls()).toEqual([CREATE, READ_BACK, READ_BACK, CREATE, READ_BACK]);
    expect(await rig.post(1)).toMatchObject({ state: 'unknown', attempts: 3 });
    expect((await rig.scheduler.nextEvents()).nextDue).toEqual(after(START, 40_000));

    for (let ms = 25_000; ms < 40_000; ms += 5_000) await rig.tickAt(after(START, ms));
    expect(readBacks()).toBe(3);
    await rig.tickAt(after(START, 40_000));
    expect(calls()).toEqual([CREATE, READ_BACK, READ_BACK, CREATE, READ_BACK, READ_BACK, CREATE]);
    expect(x.server.tweets).toHaveLength(1);
    expect(await rig.outcomes(1)).toEqual(['unknown', 'not-found', 'unknown', 'not-found', 'published']);
    expect(rig.alerts).toEqual([]);
  });

  it('a bot killed after "sending" whose tweet went out: published at the first pass after the restart, not 20 s later', async () => {
    await rig.seed([
      { n: 1, channelId: 'x', text: `${TEXT} (1)`, dueAt: START, deadline: after(START, 60_000) },
      { n: 2, channelId: 'x', text: `${TEXT} (2)`, dueAt: START, deadline: after(START, 60_000) },
    ]);
    // The previous run claimed both and passed the point of no return for each; only the first tweet went out.
    const claimed = await claimDue(ctx.store, { now: START, owner: 'killed@1', leaseMs: 120_000, limit: 2 });
    for (const post of claimed) await markAttemptPhase(ctx.store, { id: post.id, revision: post.revision, owner: 'killed@1' }, 'sending');
    await x.channel.publish(requestFor(claimed[0]!, x.dir));
    // The restart (bot.ts): every open claim is in doubt.
    const restart = after(START, 2_000);
    expect((await releaseAllLeases(ctx.store, restart)).map((p) => p.id)).toEqual(['post-1', 'post-2']);

    await rig.tickAt(restart);
    expect(readBacks()).toBe(1); // one read for both posts of the channel
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: x.server.tweets[0]!.id, publishedAt: START });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'reconciled']);
    // The second is not there: not believed before the settle delay, not sent.
    expect(await rig.post(2)).toMatchObject({ state: 'unknown' });
    expect(x.server.tweets).toHaveLength(1);
    expect((await rig.scheduler.nextEvents()).nextDue).toEqual(after(restart, 20_000));

    await rig.tickAt(after(restart, 19_999));
    expect(readBacks()).toBe(1);
    await rig.tickAt(after(restart, 20_000));
    expect(readBacks()).toBe(2);
    expect(x.server.tweets.map((t) => t.text)).toEqual([`${TEXT} (1)`, `${TEXT} (2)`]);
    expect(await rig.post(2)).toMatchObject({ state: 'published', remoteId: x.server.tweets[1]!.id });
    expect(await rig.outcomes(2)).toEqual(['unknown', 'not-found', 'published']);
    expect(rig.alerts).toEqual([]);
  });

  it('no answer before the client timeout, though X created the tweet: reconciled at once, not re-sent', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    x.server.faults.push({ route: CREATE, hang: true, afterEffect: true });
    // The publish timeout fires once X has created the tweet and still says nothing.
    x.server.events.once('tweet', () => rig.timeouts.at(-1)!.abort());

    await rig.tickAt(START);
    expect(x.server.tweets).toHaveLength(1);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: x.server.tweets[0]!.id });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'reconciled']);

    await rig.tickAt(after(START, 25_000));
    expect(x.server.tweets).toHaveLength(1);
    expect(readBacks()).toBe(1);
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
    // Lease ran out: both unknown, read back at once (one read for both posts of the
    // channel). The first is there; the second is not, and waits for the settle delay.
    await rig.tickAt(after(START, 120_000));
    expect((await listPosts(ctx.store)).map((p) => p.state)).toEqual(['published', 'unknown']);
    expect(readBacks()).toBe(1);
    expect(x.server.tweets).toHaveLength(1);

    await rig.tickAt(after(START, 130_000));
    expect(readBacks()).toBe(1);
    expect(x.server.tweets).toHaveLength(1);
    await rig.tickAt(after(START, 140_000));
    expect(readBacks()).toBe(2);
    expect(x.server.tweets.map((t) => t.text)).toEqual([`${TEXT} (1)`, `${TEXT} (2)`]);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: x.server.tweets[0]!.id });
    expect(await rig.post(2)).toMatchObject({ state: 'published', remoteId: x.server.tweets[1]!.id });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'reconciled']);
    expect(await rig.outcomes(2)).toEqual(['unknown', 'not-found', 'published']);
  });

  it('read-back keeps failing past the deadline: one reconcile-undecided alert, the post stays unknown; later it expires', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, 120_000) }]);
    x.server.faults.push({ route: CREATE, status: 503 });
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

  it('a read-back that hangs is given up at its timeout; the post stays unknown and is read again after the backoff', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, HOUR) }]);
    x.server.faults.push({ route: CREATE, status: 503, afterEffect: true });
    x.server.faults.push({ route: READ_BACK, hang: true });
    // The read-back's timeout fires while X keeps it waiting (only the first one).
    const abortFirstRead = (request: FakeXRequestRecord): void => {
      if (request.route !== READ_BACK) return;
      x.server.events.off('request', abortFirstRead);
      rig.timeouts.at(-1)!.abort();
    };
    x.server.events.on('request', abortFirstRead);

    // The early read hangs and is given up: a failed read, not an early read that answered.
    await rig.tickAt(START);
    expect((await rig.post(1)).state).toBe('unknown');
    expect(readBacks()).toBe(1);
    // Read again as soon as the backoff (15 s) allows, before the settle time.
    expect((await rig.scheduler.nextEvents()).nextDue).toEqual(after(START, 15_000));
    await rig.tickAt(after(START, 10_000)); // backing off: no read
    expect(readBacks()).toBe(1);
    await rig.tickAt(after(START, 15_000));
    expect(readBacks()).toBe(2);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: x.server.tweets[0]!.id });
    expect(x.server.tweets).toHaveLength(1);
    expect(rig.alerts).toEqual([]);
  });

  it('a post found after its deadline is recorded as published (it did go out in time), never re-sent', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, dueAt: START, deadline: after(START, 10_000) }]);
    x.server.faults.push({ route: CREATE, status: 502, afterEffect: true });
    await rig.tickAt(START);
    await rig.tickAt(after(START, 20_000));
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: x.server.tweets[0]!.id, publishedAt: START });
    expect(x.server.tweets).toHaveLength(1);
    expect(rig.alerts).toEqual([]);
  });
});
