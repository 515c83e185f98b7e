/**
 * Staff actions on posts, on SQLite and PostgreSQL: each moves the post as it
 * says and leaves an audit record; each refuses, saying why, in a wrong state
 * (above all while an instance holds the post) or after the post changed.
 */
import { claimDue, markFailed, releaseExpiredLeases } from '../../src/store/claims';
import { getPostHistory, markRendered } from '../../src/store/ledger';
import { getPostActions, markNotPosted, markPostedByHand, retryPost, skipPost } from '../../src/store/post-actions';
import { syncPlan } from '../../src/store/sync-plan';
import type { LedgerPost } from '../../src/store/types';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildPost, plusMinutes } from './post-builder';

const DUE = at('2026-11-27T13:00+07:00');
const DEADLINE = at('2026-11-27T14:00+07:00');
const BEFORE = at('2026-11-27T09:00+07:00');
const WINDOW = { from: at('2026-11-20T00:00+07:00'), to: at('2026-12-05T00:00+07:00') };
const LEASE = 120_000;
const PLAN = [1, 2, 3].map((n) => buildPost({ n, dueAt: DUE, deadline: DEADLINE }));

describe.each(DIALECTS)('store/post-actions on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  beforeEach(async () => {
    await syncPlan(ctx.store, PLAN, WINDOW, BEFORE);
    for (const post of PLAN.slice(0, 2)) await markRendered(ctx.store, { id: post.id, revision: 1 }, JSON.stringify({ text: `teks ${post.id}`, media: [] }), BEFORE);
  });

  async function current(id: string): Promise<LedgerPost> {
    return (await getPostHistory(ctx.store, id)).find((p) => p.state !== 'superseded')!;
  }

  /** post-1 claimed by `a` at DUE; then `outcome` recorded, or its lease left to run out (`unknown`). */
  async function failPost1(outcome: 'dead' | 'retrying' | 'unknown'): Promise<void> {
    const claimed = await claimDue(ctx.store, { now: DUE, owner: 'a', leaseMs: LEASE, limit: 1 });
    expect(claimed.map((p) => p.id)).toEqual(['post-1']);
    if (outcome === 'unknown') await releaseExpiredLeases(ctx.store, plusMinutes(DUE, 2));
    else await markFailed(ctx.store, { id: 'post-1', revision: 1, owner: 'a' }, { state: outcome, error: 'server said no', retryAt: outcome === 'retrying' ? plusMinutes(DUE, 30) : null }, DUE);
  }

  it('skip: a planned or ready post never goes out, and re-planning does not bring it back', async () => {
    const { record, post } = await skipPost(ctx.store, { postId: 'post-1', actor: 'rina', now: BEFORE, reason: 'salah jam' });
    expect(record).toEqual({ action: 'skip', postId: 'post-1', revision: 1, actor: 'rina', at: BEFORE, fromState: 'ready', toState: 'skipped', detail: { reason: 'salah jam' } });
    expect(post.state).toBe('skipped');
    await skipPost(ctx.store, { postId: 'post-3', actor: 'rina', now: BEFORE });
    expect(await claimDue(ctx.store, { now: DUE, owner: 'a', leaseMs: LEASE, limit: 10 })).toEqual([expect.objectContaining({ id: 'post-2' })]);
    // The next re-plan, even with changed facts, leaves the skipped posts alone.
    await syncPlan(ctx.store, [{ ...PLAN[0]!, fingerprint: 'fp-2' }, PLAN[1]!, PLAN[2]!], WINDOW, BEFORE);
    expect((await getPostHistory(ctx.store, 'post-1')).map((p) => `${p.revision}:${p.state}`)).toEqual(['1:skipped']);
    expect(await getPostActions(ctx.store, 'post-1')).toEqual([record]);
  });

  it('skip is refused while the post is being sent, and nothing is recorded', async () => {
    await claimDue(ctx.store, { now: DUE, owner: 'instance-a', leaseMs: LEASE, limit: 1 });
    await expect(skipPost(ctx.store, { postId: 'post-1', actor: 'rina', now: DUE })).rejects.toThrow(
      /Cannot skip post post-1: it is being sent right now by instance-a \(lease until 2026-11-27T06:02:00.000Z\): wait for the outcome/,
    );
    expect((await current('post-1')).state).toBe('claimed');
    expect(await getPostActions(ctx.store, 'post-1')).toEqual([]);
  });

  it('retry: a dead post is due again now; a post on a back-off stops waiting; refused past the deadline', async () => {
    await failPost1('dead');
    const now = plusMinutes(DUE, 5);
    const { record, post } = await retryPost(ctx.store, { postId: 'post-1', revision: 1, actor: 'rina', now });
    expect(record).toMatchObject({ action: 'retry', fromState: 'dead', toState: 'retrying', detail: { previousError: 'server said no' } });
    expect(post).toMatchObject({ state: 'retrying', nextAttemptAt: now });
    expect((await claimDue(ctx.store, { now, owner: 'a', leaseMs: LEASE, limit: 10 })).map((p) => p.id)).toEqual(['post-1', 'post-2']);

    await markFailed(ctx.store, { id: 'post-1', revision: 1, owner: 'a' }, { state: 'retrying', error: '503', retryAt: plusMinutes(DUE, 40) }, now);
    const sooner = await retryPost(ctx.store, { postId: 'post-1', actor: 'rina', now: plusMinutes(DUE, 6) });
    expect(sooner.post.nextAttemptAt).toEqual(plusMinutes(DUE, 6));

    await expect(retryPost(ctx.store, { postId: 'post-1', actor: 'rina', now: DEADLINE })).rejects.toThrow(/its deadline 2026-11-27T07:00:00.000Z has passed: post it by hand/);
    await expect(retryPost(ctx.store, { postId: 'post-2', actor: 'rina', now })).rejects.toThrow(/Cannot retry post post-2: it is being sent right now/);
    await expect(retryPost(ctx.store, { postId: 'post-3', actor: 'rina', now })).rejects.toThrow(/Cannot retry post post-3: it is not rendered yet/);
  });

  it('posted by hand: an unclear post becomes published with its link, no read-back needed', async () => {
    await failPost1('unknown');
    const now = plusMinutes(DUE, 10);
    const { record, post } = await markPostedByHand(ctx.store, { postId: 'post-1', actor: 'rina', now, url: 'https://x.com/imigrasi/status/123' });
    expect(record).toMatchObject({ action: 'posted-by-hand', fromState: 'unknown', toState: 'published', detail: { url: 'https://x.com/imigrasi/status/123' } });
    expect(post).toMatchObject({ state: 'published', remoteUrl: 'https://x.com/imigrasi/status/123', publishedAt: now, leaseUntil: null });
    await expect(markPostedByHand(ctx.store, { postId: 'post-1', actor: 'rina', now })).rejects.toThrow(/already published \(https:\/\/x.com\/imigrasi\/status\/123\); to take it back, cancel the release in the calendar/);
    await expect(markPostedByHand(ctx.store, { postId: 'post-2', actor: 'rina', now, url: 'javascript:alert(1)' })).rejects.toThrow(/is not a link to the post/);
    await expect(markPostedByHand(ctx.store, { postId: 'post-2', actor: 'rina', now })).rejects.toThrow(/Cannot mark as posted by hand post post-2: it is waiting for its due time/);
  });

  it('not posted: an unclear post is due again now before its deadline, expired after it', async () => {
    await failPost1('unknown');
    const now = plusMinutes(DUE, 10);
    const again = await markNotPosted(ctx.store, { postId: 'post-1', revision: 1, actor: 'rina', now });
    expect(again.record).toMatchObject({ action: 'not-posted', fromState: 'unknown', toState: 'retrying' });
    expect(again.post).toMatchObject({ state: 'retrying', nextAttemptAt: now });
    expect((await claimDue(ctx.store, { now, owner: 'b', leaseMs: LEASE, limit: 1 })).map((p) => p.id)).toEqual(['post-1']);
    await releaseExpiredLeases(ctx.store, plusMinutes(now, 3));
    const late = await markNotPosted(ctx.store, { postId: 'post-1', actor: 'budi', now: DEADLINE });
    expect(late.record).toMatchObject({ toState: 'expired', detail: { deadlinePassed: DEADLINE.toISOString() } });
    expect((await getPostActions(ctx.store, 'post-1')).map((a) => `${a.actor} ${a.fromState}->${a.toState}`)).toEqual(['rina unknown->retrying', 'budi unknown->expired']);
  });

  it('refuses an action on a revision other than the one shown, and an unknown post', async () => {
    await syncPlan(ctx.store, [{ ...PLAN[0]!, fingerprint: 'fp-2' }, PLAN[1]!, PLAN[2]!], WINDOW, BEFORE);
    await expect(skipPost(ctx.store, { postId: 'post-1', revision: 1, actor: 'rina', now: BEFORE })).rejects.toThrow(/changed since it was shown \(revision 2 is current now\)/);
    await expect(skipPost(ctx.store, { postId: 'nope', actor: 'rina', now: BEFORE })).rejects.toThrow(/Cannot skip post nope: no such post/);
    await expect(skipPost(ctx.store, { postId: 'post-1', actor: '', now: BEFORE })).rejects.toThrow(/actor is missing/);
  });
});
