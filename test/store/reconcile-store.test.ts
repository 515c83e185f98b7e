import { claimDue, markFailed, markPublished, releaseExpiredLeases } from '../../src/store/claims';
import { getAttempts, getPostHistory, markRendered } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import { findHeldRemoteIds, listUnknownPosts, markReconciledNotFound, markReconciledPublished } from '../../src/store/reconcile-store';
import { syncPlan } from '../../src/store/sync-plan';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildPost, plusMinutes } from './post-builder';

const DUE = at('2026-11-27T13:00+07:00');
const PLAN_AT = at('2026-11-27T08:00+07:00');
const WINDOW = { from: PLAN_AT, to: at('2026-12-31T00:00+07:00') };
const LEASE = 120_000;

/** Posts n = 1..count, ready, claimed by `owner` at `claimAt`, then failed as unclear at claimAt + 30 s. */
async function unknownPosts(store: Store, count: number, claimAt = DUE): Promise<void> {
  const posts = Array.from({ length: count }, (_, i) => buildPost({ n: i + 1, dueAt: DUE }));
  await syncPlan(store, posts, WINDOW, PLAN_AT);
  for (const post of posts) await markRendered(store, { id: post.id, revision: 1 }, JSON.stringify({ text: `Kuota ${post.id}`, media: [] }));
  const claimed = await claimDue(store, { now: claimAt, owner: 'w', leaseMs: LEASE, limit: count });
  for (const post of claimed) {
    await markFailed(store, { id: post.id, revision: 1, owner: 'w' }, { state: 'unknown', error: 'unclear: timeout', retryAt: null }, new Date(claimAt.getTime() + 30_000));
  }
}

describe.each(DIALECTS)('store/reconcile-store on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  const NOW = plusMinutes(DUE, 1);
  const context = { now: NOW, owner: 'reconciler' };

  it('lists unknown posts with the start of their first attempt, also after a lease ran out', async () => {
    await unknownPosts(ctx.store, 1, plusMinutes(DUE, 2));
    await syncPlan(ctx.store, [buildPost({ n: 9, dueAt: DUE })], WINDOW, PLAN_AT);
    await markRendered(ctx.store, { id: 'post-9', revision: 1 }, '{"text":"x","media":[]}');
    await claimDue(ctx.store, { now: DUE, owner: 'crashed', leaseMs: LEASE, limit: 1 });
    await releaseExpiredLeases(ctx.store, plusMinutes(DUE, 3));

    const unknown = await listUnknownPosts(ctx.store);
    expect(unknown.map((u) => [u.post.id, u.post.state, u.post.attempts, u.firstAttemptAt?.toISOString()])).toEqual([
      ['post-1', 'unknown', 1, plusMinutes(DUE, 2).toISOString()],
      ['post-9', 'unknown', 1, DUE.toISOString()],
    ]);
    expect(await listUnknownPosts(ctx.store, { limit: 1 })).toHaveLength(1);
  });

  it('moves unknown → published with the remote post, adds a "reconciled" attempt, and is idempotent', async () => {
    await unknownPosts(ctx.store, 1);
    const [listed] = await listUnknownPosts(ctx.store);
    const key = { id: 'post-1', revision: 1, attempts: listed!.post.attempts };
    const remote = { remoteId: '1861000000000004096', url: 'https://x.com/k/status/1861000000000004096', publishedAt: plusMinutes(DUE, 0.5) };

    expect(await markReconciledPublished(ctx.store, key, remote, context)).toBe(true);
    const [stored] = await getPostHistory(ctx.store, 'post-1');
    expect(stored).toMatchObject({ state: 'published', remoteId: remote.remoteId, remoteUrl: remote.url, publishedAt: remote.publishedAt, attempts: 2, lastError: null });
    expect((await getAttempts(ctx.store, 'post-1')).map((a) => [a.attempt, a.outcome, a.remoteId, a.owner])).toEqual([
      [1, 'unknown', null, 'w'],
      [2, 'reconciled', remote.remoteId, 'reconciler'],
    ]);

    // The same decision again (another instance, or a retried tick): true, nothing added.
    expect(await markReconciledPublished(ctx.store, key, remote, context)).toBe(true);
    expect(await getAttempts(ctx.store, 'post-1')).toHaveLength(2);
    // A different remote post for a post already published: refused.
    expect(await markReconciledPublished(ctx.store, key, { ...remote, remoteId: 'other' }, context)).toBe(false);
    expect(await listUnknownPosts(ctx.store)).toEqual([]);
  });

  it('refuses a remote id another post already holds, and a decision made on a stale attempts count', async () => {
    await unknownPosts(ctx.store, 2);
    await syncPlan(ctx.store, [buildPost({ n: 3, dueAt: DUE })], WINDOW, PLAN_AT);
    await markRendered(ctx.store, { id: 'post-3', revision: 1 }, '{"text":"x","media":[]}');
    await claimDue(ctx.store, { now: DUE, owner: 'w3', leaseMs: LEASE, limit: 1 });
    await markPublished(ctx.store, { id: 'post-3', revision: 1, owner: 'w3' }, { remoteId: 'held', url: null, publishedAt: DUE });

    expect([...(await findHeldRemoteIds(ctx.store, 'x', ['held', 'free']))]).toEqual(['held']);
    expect(await findHeldRemoteIds(ctx.store, 'x', [])).toEqual(new Set());
    expect(await markReconciledPublished(ctx.store, { id: 'post-1', revision: 1, attempts: 1 }, { remoteId: 'held', url: null, publishedAt: DUE }, context)).toBe(false);
    expect(await markReconciledPublished(ctx.store, { id: 'post-2', revision: 1, attempts: 7 }, { remoteId: 'free', url: null, publishedAt: DUE }, context)).toBe(false);
    expect(await markReconciledNotFound(ctx.store, { id: 'post-2', revision: 1, attempts: 7 }, { state: 'expired', note: 'n' }, context)).toBeNull();
    expect((await listUnknownPosts(ctx.store)).map((u) => u.post.id)).toEqual(['post-1', 'post-2']);
  });

  it('a remote id held on another channel does not hold this one (ids are unique per platform only)', async () => {
    // Found by the six-channel kill test: the fake Instagram and fake Threads both number from 1800000001, and an
    // Instagram post of unclear outcome was "not found" (its id held by a Threads post) and sent twice.
    await unknownPosts(ctx.store, 1);
    const threadsPost = buildPost({ n: 3, dueAt: DUE, channelId: 'threads' });
    await syncPlan(ctx.store, [threadsPost], WINDOW, PLAN_AT);
    await markRendered(ctx.store, { id: threadsPost.id, revision: 1 }, '{"text":"x","media":[]}');
    await claimDue(ctx.store, { now: DUE, owner: 'w3', leaseMs: LEASE, limit: 1 });
    await markPublished(ctx.store, { id: threadsPost.id, revision: 1, owner: 'w3' }, { remoteId: '1800000005', url: null, publishedAt: DUE });

    expect(await findHeldRemoteIds(ctx.store, 'x', ['1800000005'])).toEqual(new Set());
    expect(await findHeldRemoteIds(ctx.store, 'threads', ['1800000005'])).toEqual(new Set(['1800000005']));
    expect(await markReconciledPublished(ctx.store, { id: 'post-1', revision: 1, attempts: 1 }, { remoteId: '1800000005', url: null, publishedAt: DUE }, context)).toBe(true);
  });

  it('not found: → retrying due at retryAt (claimable again), or → expired; never from another state', async () => {
    await unknownPosts(ctx.store, 2);
    const retrying = await markReconciledNotFound(ctx.store, { id: 'post-1', revision: 1, attempts: 1 }, { state: 'retrying', retryAt: NOW, note: 'not found: sending again' }, context);
    expect(retrying).toMatchObject({ state: 'retrying', nextAttemptAt: NOW, attempts: 2, lastError: 'not found: sending again' });
    const expired = await markReconciledNotFound(ctx.store, { id: 'post-2', revision: 1, attempts: 1 }, { state: 'expired', note: 'not found, deadline passed' }, context);
    expect(expired).toMatchObject({ state: 'expired', nextAttemptAt: null, attempts: 2 });
    expect((await getAttempts(ctx.store, 'post-2')).map((a) => [a.attempt, a.outcome, a.error])).toEqual([
      [1, 'unknown', 'unclear: timeout'],
      [2, 'not-found', 'not found, deadline passed'],
    ]);
    // Twice is a no-op: the post is no longer unknown.
    expect(await markReconciledNotFound(ctx.store, { id: 'post-1', revision: 1, attempts: 1 }, { state: 'retrying', retryAt: NOW, note: 'again' }, context)).toBeNull();

    // The retry is claimed as attempt 3: the attempt rows stay numbered without gaps or clashes.
    const [claimed] = await claimDue(ctx.store, { now: NOW, owner: 'w2', leaseMs: LEASE, limit: 5 });
    expect(claimed).toMatchObject({ id: 'post-1', attempts: 3 });
    expect((await getAttempts(ctx.store, 'post-1')).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'unknown'],
      [2, 'not-found'],
      [3, null],
    ]);
  });
});
