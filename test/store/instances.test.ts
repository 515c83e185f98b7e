import { claimDue, markAttemptPhase } from '../../src/store/claims';
import { beat, registerInstance, releaseDeadInstances } from '../../src/store/instances';
import { getPostHistory, markRendered } from '../../src/store/ledger';
import { syncPlan } from '../../src/store/sync-plan';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildPosts, plusMinutes } from './post-builder';

const NOW = at('2026-11-27T13:00+07:00');
const PLAN_AT = at('2026-11-27T08:00+07:00');
const LEASE = 120_000;
const STALE = 16_000;
const A = { id: 'a', pid: 1, host: 'one' };
const B = { id: 'b', pid: 2, host: 'two' };
const later = (ms: number): Date => new Date(NOW.getTime() + ms);

describe.each(DIALECTS)('store/instances on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  /** Three ready posts due at NOW; instance A claims two of them, and sends the first. */
  async function aHoldsTwo(): Promise<void> {
    const posts = buildPosts(3, plusMinutes(NOW, -2));
    await syncPlan(ctx.store, posts, { from: PLAN_AT, to: plusMinutes(NOW, 600) }, PLAN_AT);
    for (const post of posts) await markRendered(ctx.store, { id: post.id, revision: 1 }, '{"text":"Kuota dibuka"}');
    await registerInstance(ctx.store, A, NOW);
    await registerInstance(ctx.store, B, NOW);
    await claimDue(ctx.store, { now: NOW, owner: 'a', leaseMs: LEASE, limit: 2 });
    await markAttemptPhase(ctx.store, { id: 'post-1', revision: 1, owner: 'a' }, 'sending');
  }

  const current = async (id: string) => (await getPostHistory(ctx.store, id)).at(-1)!;

  it('a heartbeat renews the leases of the claims its instance holds, and only those', async () => {
    await aHoldsTwo();
    await claimDue(ctx.store, { now: NOW, owner: 'b', leaseMs: LEASE, limit: 1 });
    expect(await beat(ctx.store, A, later(60_000), LEASE)).toBe(2);
    expect((await current('post-1')).leaseUntil).toEqual(later(60_000 + LEASE));
    expect((await current('post-3')).leaseUntil).toEqual(later(LEASE));
  });

  it('releases the claims of an instance whose heartbeat went stale, long before their lease runs out: preparing → due again now, sending → unknown', async () => {
    await aHoldsTwo();
    await beat(ctx.store, B, later(10_000), LEASE);
    expect(await releaseDeadInstances(ctx.store, 'b', later(10_000), STALE)).toEqual([]);

    await beat(ctx.store, B, later(20_000), LEASE);
    const dead = await releaseDeadInstances(ctx.store, 'b', later(20_000), STALE);
    expect(dead.map((each) => ({ id: each.id, silentMs: each.silentMs, retried: each.retried, unknown: each.unknown.map((post) => post.id) }))).toEqual([
      { id: 'a', silentMs: 20_000, retried: 1, unknown: ['post-1'] },
    ]);
    expect(await current('post-1')).toMatchObject({ state: 'unknown', leaseUntil: null });
    expect(await current('post-2')).toMatchObject({ state: 'retrying', nextAttemptAt: later(20_000) });
    // B can take the interrupted one at once; the dead instance is gone and released nothing twice.
    expect((await claimDue(ctx.store, { now: later(20_000), owner: 'b', leaseMs: LEASE, limit: 5 })).map((post) => post.id)).toEqual(['post-2', 'post-3']);
    expect(await releaseDeadInstances(ctx.store, 'b', later(40_000), STALE)).toEqual([]);
  });

  it('never judges itself dead, and a released instance that wakes up beats again', async () => {
    await aHoldsTwo();
    // A looks after a minute of silence from everyone: it sees B dead, never itself.
    expect((await releaseDeadInstances(ctx.store, 'a', later(60_000), STALE)).map((each) => each.id)).toEqual(['b']);
    expect((await current('post-1')).state).toBe('claimed');
    await beat(ctx.store, B, later(60_000), LEASE);
    expect((await releaseDeadInstances(ctx.store, 'b', later(60_000), STALE)).map((each) => each.id)).toEqual(['a']);
    expect(await beat(ctx.store, A, later(61_000), LEASE)).toBe(0);
    expect(await releaseDeadInstances(ctx.store, 'b', later(62_000), STALE)).toEqual([]);
  });
});

describe('store/instances on postgres, two live instances at once', () => {
  const ctx = useTestStore('postgres');

  it('releases a dead instance once when two live ones look at the same moment', async () => {
    const other = await ctx.open();
    const posts = buildPosts(10, plusMinutes(NOW, -20));
    await syncPlan(ctx.store, posts, { from: PLAN_AT, to: plusMinutes(NOW, 600) }, PLAN_AT);
    for (const post of posts) await markRendered(ctx.store, { id: post.id, revision: 1 }, '{"text":"Kuota dibuka"}');
    await registerInstance(ctx.store, A, NOW);
    await claimDue(ctx.store, { now: NOW, owner: 'a', leaseMs: LEASE, limit: 10 });
    const [one, two] = await Promise.all([releaseDeadInstances(ctx.store, 'b', later(30_000), STALE), releaseDeadInstances(other, 'c', later(30_000), STALE)]);
    expect([...one, ...two].map((each) => each.retried)).toEqual([10]);
  });
});
