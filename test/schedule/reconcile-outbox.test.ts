/**
 * Reconciliation with the outbox driver, whose read-back reads outbox.jsonl:
 * a holder that crashed after (or before) writing its line, and posts with
 * identical text — where a remote post may settle at most one ledger post.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createOutboxChannel, readOutbox } from '../../src/channels/outbox/outbox-channel';
import { createVirtualClock, type VirtualClock } from '../../src/clock';
import { createSilentLogger } from '../../src/logger';
import { requestFor } from '../../src/schedule/ledger-post';
import { claimDue, releaseExpiredLeases } from '../../src/store/claims';
import { DIALECTS, useTestStore } from '../support/databases';
import { after, createReconcileRig, type ReconcileRig } from './reconcile-rig';
import type { Channel } from '../../src/channels/channel';

const START = new Date('2026-11-27T11:00:00Z');
const SAME = 'Kuota paspor dibuka pukul 18.00 WIB';
const LEASE = 120_000;

describe.each(DIALECTS)('schedule/reconcile with the outbox driver on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  let dir: string;
  let clock: VirtualClock;
  let channel: Channel;
  let rig: ReconcileRig;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-reconcile-outbox-'));
    clock = createVirtualClock(START);
    channel = createOutboxChannel(
      { id: 'x', driver: 'outbox', platform: 'x', credentials: {}, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock, logger: createSilentLogger(), outboxDir: dir, env: {}, fetch },
    );
    rig = createReconcileRig({ store: ctx.store, clock, channels: [channel], mediaRoot: dir });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const outbox = (): ReturnType<typeof readOutbox> => readOutbox(path.join(dir, 'outbox.jsonl'));
  const deadline = after(START, 3_600_000);

  it('a holder that wrote its line and crashed: the line is found as soon as the lease runs out, nothing is written twice', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: SAME, dueAt: START, deadline }]);
    const [claimed] = await claimDue(ctx.store, { now: START, owner: 'crashed@1', leaseMs: LEASE, limit: 1 });
    clock.set(after(START, 1_000));
    await channel.publish(requestFor(claimed!, dir));

    // Unknown and read back in the same pass: the line is there, so no settle delay.
    await rig.tickAt(after(START, LEASE));
    expect(await rig.outcomes(1)).toEqual(['unknown', 'reconciled']);
    await rig.tickAt(after(START, LEASE + 20_000));
    const [line, ...more] = outbox();
    expect(more).toEqual([]);
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: `outbox:post-1:${after(START, 1_000).getTime()}`, publishedAt: after(START, 1_000) });
    expect(line!.postId).toBe('post-1');
  });

  it('after a restart sweep that stamps rows far in the future (bot.ts), a post not on the account still settles 20 s after it is first seen', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: SAME, dueAt: START, deadline }]);
    // The holder crashed before writing its line.
    await claimDue(ctx.store, { now: START, owner: 'crashed@1', leaseMs: LEASE, limit: 1 });
    // What runBot does at start with the data-dir lock held: every open claim is released at once.
    await releaseExpiredLeases(ctx.store, new Date(8.64e15));

    // The early read at first sight finds nothing, which proves nothing yet: still unknown, nothing written.
    await rig.tickAt(after(START, 5_000));
    expect((await rig.post(1)).state).toBe('unknown');
    expect(outbox()).toEqual([]);
    expect((await rig.scheduler.nextEvents()).nextDue).toEqual(after(START, 25_000));
    await rig.tickAt(after(START, 24_999));
    expect(outbox()).toEqual([]);
    await rig.tickAt(after(START, 25_000));
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: `outbox:post-1:${after(START, 25_000).getTime()}` });
    expect(await rig.outcomes(1)).toEqual(['unknown', 'not-found', 'published']);
    expect(outbox()).toHaveLength(1);
  });

  it('after the same sweep, a post whose line was written is published at the first pass, not 20 s later', async () => {
    await rig.seed([{ n: 1, channelId: 'x', text: SAME, dueAt: START, deadline }]);
    const [claimed] = await claimDue(ctx.store, { now: START, owner: 'crashed@1', leaseMs: LEASE, limit: 1 });
    await channel.publish(requestFor(claimed!, dir));
    await releaseExpiredLeases(ctx.store, new Date(8.64e15));

    await rig.tickAt(after(START, 5_000));
    expect(await rig.post(1)).toMatchObject({ state: 'published', remoteId: `outbox:post-1:${START.getTime()}` });
    expect((await rig.scheduler.nextEvents()).nextDue).toBeNull();
    await rig.tickAt(after(START, 25_000));
    expect(outbox()).toHaveLength(1);
  });

  it('identical texts, one line written before the crash: one post takes the line, the other is sent once', async () => {
    await rig.seed([
      { n: 1, channelId: 'x', text: SAME, dueAt: START, deadline },
      { n: 2, channelId: 'x', text: SAME, dueAt: START, deadline },
    ]);
    const claimed = await claimDue(ctx.store, { now: START, owner: 'crashed@1', leaseMs: LEASE, limit: 2 });
    await channel.publish(requestFor(claimed[0]!, dir));

    // The early read: one post takes the line at once; the other waits for the settle delay.
    await rig.tickAt(after(START, LEASE));
    expect([(await rig.post(1)).state, (await rig.post(2)).state].sort()).toEqual(['published', 'unknown']);
    expect(outbox()).toHaveLength(1);
    await rig.tickAt(after(START, LEASE + 20_000));
    const lines = outbox();
    expect(lines.map((l) => l.text)).toEqual([SAME, SAME]);
    const [one, two] = [await rig.post(1), await rig.post(2)];
    expect([one.state, two.state]).toEqual(['published', 'published']);
    expect(one.remoteId).not.toBe(two.remoteId);
    const lineIds = lines.map((l) => `outbox:${l.postId}:${new Date(l.publishedAt).getTime()}`);
    expect([one.remoteId, two.remoteId].sort()).toEqual([...lineIds].sort());
    expect([...(await rig.outcomes(1)), ...(await rig.outcomes(2))].sort()).toEqual(['not-found', 'published', 'reconciled', 'unknown', 'unknown']);
  });

  it('a line the ledger already holds for another post is not taken again', async () => {
    await rig.seed([
      { n: 1, channelId: 'x', text: SAME, dueAt: START, deadline },
      { n: 2, channelId: 'x', text: SAME, dueAt: after(START, 60_000), deadline },
    ]);
    await rig.tickAt(START); // post-1 goes out normally
    expect((await rig.post(1)).state).toBe('published');
    // Post 2's holder crashes before writing anything.
    await claimDue(ctx.store, { now: after(START, 60_000), owner: 'crashed@2', leaseMs: LEASE, limit: 1 });

    await rig.tickAt(after(START, 60_000 + LEASE));
    expect((await rig.post(2)).state).toBe('unknown'); // the early read does not take post-1's line
    await rig.tickAt(after(START, 60_000 + LEASE + 20_000));
    expect(outbox().map((l) => l.postId)).toEqual(['post-1', 'post-2']);
    expect(await rig.outcomes(2)).toEqual(['unknown', 'not-found', 'published']);
    expect((await rig.post(2)).remoteId).toBe(`outbox:post-2:${after(START, 60_000 + LEASE + 20_000).getTime()}`);
  });
});
