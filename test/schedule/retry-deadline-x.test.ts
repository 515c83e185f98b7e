/**
 * Retries use every chance before the deadline (issue 7, item 4), end to end
 * in-process: the scheduler with the real X driver against the fake X server,
 * a real ledger and a virtual clock. The case from the fault run: a 503 on the
 * card upload, then an unclear 503 on the post, then the card upload fails
 * again with a 2-minute deadline. The next backoff (120 s) passes the
 * deadline; the post must still go out, in a last attempt that finishes in time.
 */
import { releaseAllLeases } from '../../src/store/claims';
import { DIALECTS, useTestStore } from '../support/databases';
import { START, startXRig, writePngCard, type XRig } from '../channels/x/x-harness';
import { after, createReconcileRig, type ReconcileRig } from './reconcile-rig';

const TEXT = 'Kuota paspor reguler 120 dibuka Jumat 14.00 WIB. Daftar lewat aplikasi M-Paspor.';
const UPLOAD = 'POST /2/media/upload/initialize';
const CREATE = 'POST /2/tweets';
const DEADLINE_MS = 2 * 60_000;

describe.each(DIALECTS)('schedule: retries before the deadline with the X driver on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  let x: XRig;
  let rig: ReconcileRig;

  beforeEach(async () => {
    x = await startXRig();
    rig = createReconcileRig({ store: ctx.store, clock: x.clock, channels: [x.channel], mediaRoot: x.dir });
    const { media } = await writePngCard(x.dir, 'card.png', 'Jadwal kuota paspor');
    await rig.seed([{ n: 1, channelId: 'x', text: TEXT, media: [media], dueAt: START, deadline: after(START, DEADLINE_MS) }]);
  });
  afterEach(async () => x.close());

  it('503 on upload, unclear 503 on create, 503 on upload again: a last attempt before the deadline publishes it', async () => {
    x.server.faults.push({ route: UPLOAD, status: 503 });
    await rig.tickAt(START);
    expect(await rig.post(1)).toMatchObject({ state: 'retrying', nextAttemptAt: after(START, 15_000) });

    x.server.faults.push({ route: CREATE, status: 503 });
    await rig.tickAt(after(START, 15_000));
    expect((await rig.post(1)).state).toBe('unknown');
    expect(x.server.tweets).toEqual([]);

    // Read back after the settle delay: not there, sent again at once, and the upload fails again.
    x.server.faults.push({ route: UPLOAD, status: 503 });
    await rig.tickAt(after(START, 35_000));
    const retrying = await rig.post(1);
    expect(retrying.state).toBe('retrying');
    expect(retrying.attempts).toBe(4);
    // The fourth attempt's backoff would be 120 s (+155 s, past the deadline at +120 s); the
    // last attempt starts 15 s (the scheduler's attempt estimate) before the deadline.
    expect(retrying.nextAttemptAt).toEqual(after(START, DEADLINE_MS - 15_000));

    for (const seconds of [60, 90, 105, 120, 180]) await rig.tickAt(after(START, seconds * 1000));
    const [tweet, ...more] = x.server.tweets;
    expect(more).toEqual([]);
    expect(tweet!.createdAt).toEqual(after(START, 105_000));
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: tweet!.id });
    expect(await rig.outcomes(1)).toEqual(['retrying', 'unknown', 'not-found', 'retrying', 'published']);
    expect(rig.alerts).toEqual([]);
  });

  it('expires at the failure, with the reason, when no attempt can finish before the deadline', async () => {
    // A 429 whose reset comes after the deadline: nothing can go out in time.
    const reset = Math.ceil(after(START, 10 * 60_000).getTime() / 1000);
    x.server.faults.push({ route: UPLOAD, status: 429, headers: { 'x-rate-limit-limit': '500', 'x-rate-limit-remaining': '0', 'x-rate-limit-reset': String(reset) } });
    await rig.tickAt(START);
    const post = await rig.post(1);
    expect(post.state).toBe('expired');
    expect(post.lastError).toMatch(/rate-limit reset.*too late to finish before the deadline 2026-11-27T06:02:00.000Z/);
    expect(rig.alerts.map((a) => a.kind)).toEqual(['expired']);
    expect(rig.alerts[0]!.message).toMatch(/cannot be tried again in time: the platform accepts no new attempt before 2026-11-27T06:10:00.000Z/);
    expect(x.server.tweets).toEqual([]);
  });

  it('gives a publish call no more time than is left before the deadline', async () => {
    await rig.tickAt(after(START, DEADLINE_MS - 20_000));
    expect(rig.timeoutMs).toEqual([20_000]); // not the 60 s publish timeout
    expect((await rig.post(1)).state).toBe('published');
  });

  it('a crash mid-publish leaves only the post in flight in doubt, not the ones queued behind it', async () => {
    // Replaces the plan: post-1 is cancelled, posts 2 and 3 are due at once on X.
    await rig.seed([2, 3].map((n) => ({ n, channelId: 'x', text: `${TEXT} (${n})`, dueAt: START, deadline: after(START, DEADLINE_MS) })));
    x.server.faults.push({ route: CREATE, hang: true });
    const created = new Promise<void>((resolve) => x.server.events.on('request', (r: { route: string }) => r.route === CREATE && resolve()));
    const tick = rig.tickAt(START).catch((error: unknown) => error);
    await created;
    // The process dies here; its successor finds the claims it left.
    const inDoubt = await releaseAllLeases(ctx.store, START);
    expect(inDoubt.map((p) => p.id)).toEqual(['post-2']);
    // The one queued behind it was claimed but never sent (`preparing`): due again at
    // once at the next start, no read-back needed, and nothing of it reached X.
    const queued = await rig.post(3);
    expect(queued.state).toBe('retrying');
    expect(queued.nextAttemptAt!.getTime()).toBeLessThanOrEqual(START.getTime());
    rig.timeouts.forEach((t) => t.abort());
    await tick;
    // The dead process's lane reached post-3 only after losing it: its checkpoint stopped the driver.
    expect(x.server.tweets.filter((t) => t.text.includes('(3)'))).toEqual([]);
  });
});
