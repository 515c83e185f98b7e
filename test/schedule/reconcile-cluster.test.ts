/**
 * Reconciliation with several instances on one database (issue 8 §3): every
 * instance lists the same posts of unclear outcome. Each post is settled once
 * (the attempts counter guards every decision), and each channel is read back
 * by one instance per slot, not by every instance.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Channel, RemotePost } from '../../src/channels/channel';
import { createOutboxChannel } from '../../src/channels/outbox/outbox-channel';
import { createVirtualClock, type VirtualClock } from '../../src/clock';
import { createSilentLogger } from '../../src/logger';
import { requestFor } from '../../src/schedule/ledger-post';
import { createReconciler, READ_SLOT_MS, type Reconciler } from '../../src/schedule/reconcile';
import type { Alert } from '../../src/schedule/alerts';
import { claimDue, markFailed } from '../../src/store/claims';
import { registerInstance } from '../../src/store/instances';
import { getAttempts, getPostHistory, markRendered } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import { syncPlan } from '../../src/store/sync-plan';
import { buildPost } from '../store/post-builder';
import { DIALECTS, useTestStore } from '../support/databases';

const START = new Date('2026-11-27T11:00:00Z');
const TEXT = 'Kuota paspor dibuka pukul 18.00 WIB';
const SETTLE_MS = 20_000;
const after = (ms: number): Date => new Date(START.getTime() + ms);

describe.each(DIALECTS)('schedule/reconcile across instances on %s', (dialect) => {
  const db = useTestStore(dialect);
  let dir: string;
  let clock: VirtualClock;
  let outbox: Channel;
  /** Read-backs each instance made. */
  let reads: Record<string, number>;
  let alerts: Alert[];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'herald-reconcile-cluster-'));
    clock = createVirtualClock(START);
    outbox = createOutboxChannel(
      { id: 'x', driver: 'outbox', platform: 'x', credentials: {}, enabled: true, location: { file: 'herald.yaml', line: 1, col: 1 } },
      { clock, logger: createSilentLogger(), outboxDir: dir, env: {}, fetch },
    );
    reads = {};
    alerts = [];
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** One instance's reconciler, on its own store (PostgreSQL), reading the outbox back through a counter. */
  const instance = async (owner: string): Promise<Reconciler> => {
    const store: Store = dialect === 'sqlite' ? db.store : await db.open();
    // Alive, as a running bot is (its heartbeat row): its read slot is not taken over.
    await registerInstance(store, { id: owner, pid: 1, host: owner }, clock.now());
    const counted: Channel = {
      ...outbox,
      readBack: (since: Date, signal?: AbortSignal): Promise<RemotePost[]> => {
        reads[owner] = (reads[owner] ?? 0) + 1;
        return outbox.readBack(since, signal);
      },
    };
    return createReconciler({ store, logger: createSilentLogger(), alert: (alert) => alerts.push(alert), channels: () => new Map([['x', counted]]), owner, settings: { settleMs: SETTLE_MS } });
  };

  /** Post 1 went `unknown`: its holder sent it (`published`) or died before (`not sent`). */
  async function unknownPost(sent: boolean): Promise<void> {
    await syncPlan(db.store, [buildPost({ n: 1, channelId: 'x', dueAt: START, deadline: after(3_600_000) })], { from: after(-86_400_000), to: after(86_400_000) }, after(-3_600_000));
    await markRendered(db.store, { id: 'post-1', revision: 1 }, JSON.stringify({ text: TEXT, media: [] }));
    const [claimed] = await claimDue(db.store, { now: START, owner: 'died@1', leaseMs: 120_000, limit: 1 });
    if (sent) await outbox.publish(requestFor(claimed!, dir));
    await markFailed(db.store, { id: claimed!.id, revision: claimed!.revision, owner: 'died@1' }, { state: 'unknown', error: 'connection lost after sending', retryAt: null }, START);
  }

  it('a post on the account: both instances pass at once, one reads back, the post is settled once', async () => {
    await unknownPost(true);
    const [a, b] = [await instance('a'), await instance('b')];
    clock.set(after(1_000));
    const moved = await Promise.all([a.run(clock.now()), b.run(clock.now())]);
    expect(moved.sort()).toEqual([0, 1]);
    expect(Object.values(reads)).toEqual([1]);
    expect((await getAttempts(db.store, 'post-1')).map((x) => x.outcome)).toEqual(['unknown', 'reconciled']);
    const [post] = await getPostHistory(db.store, 'post-1');
    expect(post!.state).toBe('published');
  });

  it('a post not on the account: one read per slot across both, one decision to send it again', async () => {
    await unknownPost(false);
    const [a, b] = [await instance('a'), await instance('b')];
    // The early read (found nothing, proves nothing), then the settled read: each by one instance.
    for (const ms of [1_000, 1_500, SETTLE_MS + 2_000, SETTLE_MS + 2_500]) {
      clock.set(after(ms));
      await Promise.all([a.run(clock.now()), b.run(clock.now())]);
    }
    const total = Object.values(reads).reduce((sum, n) => sum + n, 0);
    expect(total).toBe(2);
    expect((await getAttempts(db.store, 'post-1')).map((x) => x.outcome)).toEqual(['unknown', 'not-found']);
    const [post] = await getPostHistory(db.store, 'post-1');
    expect(post!.state).toBe('retrying');
    expect(alerts).toEqual([]);
  });

  it('the instance that did not read waits for the next slot, then reads if the post is still in doubt', async () => {
    await unknownPost(false);
    const [a, b] = [await instance('a'), await instance('b')];
    clock.set(after(1_000));
    await a.run(clock.now());
    await b.run(clock.now());
    expect(reads).toEqual({ a: 1 });
    // b is told when to come back: the next slot.
    const next = await b.nextAt(clock.now());
    expect(next!.getTime() % READ_SLOT_MS).toBe(0);
    expect(next!.getTime()).toBeGreaterThan(clock.now().getTime());
    // a does not come back (stopped, or died mid-slot): b reads in the next slot.
    clock.set(after(SETTLE_MS + 2_000));
    await b.run(clock.now());
    expect(reads).toEqual({ a: 1, b: 1 });
    expect((await getPostHistory(db.store, 'post-1'))[0]!.state).toBe('retrying');
  });
});
