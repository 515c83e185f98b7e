import { claimDue, markPublished } from '../../src/store/claims';
import { getPostHistory, listPosts, markRendered } from '../../src/store/ledger';
import { syncPlan } from '../../src/store/sync-plan';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildPost, buildPosts, plusMinutes } from './post-builder';

const NOW = at('2026-11-20T09:00+07:00');
const WINDOW = { from: NOW, to: at('2026-12-25T00:00+07:00') };

describe.each(DIALECTS)('store/sync-plan on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  it('inserts revision 1 of every new future post as planned', async () => {
    const posts = [buildPost({ n: 1 }), buildPost({ n: 2, channelId: 'instagram' })];
    const result = await syncPlan(ctx.store, posts, WINDOW, NOW);
    expect(result).toMatchObject({ inserted: 2, superseded: 0, cancelled: 0, unchanged: 0, skippedPast: 0, changedAfterPublish: [] });
    const rows = await listPosts(ctx.store);
    expect(rows.map((r) => [r.id, r.revision, r.state, r.channelId])).toEqual([
      ['post-1', 1, 'planned', 'x'],
      ['post-2', 1, 'planned', 'instagram'],
    ]);
    expect(rows[0]).toMatchObject({
      dueAt: at('2026-11-27T13:00+07:00'),
      deadline: at('2026-11-27T14:00+07:00'),
      attempts: 0,
      createdAt: NOW,
      updatedAt: NOW,
      renderedJson: null,
    });
    expect(JSON.parse(rows[0]!.factsJson)).toEqual(posts[0]!.facts);
  });

  it('never inserts a post whose due time has passed on first start (no spamming history)', async () => {
    const past = buildPost({ n: 1, dueAt: plusMinutes(NOW, -1), deadline: plusMinutes(NOW, 59) });
    const exactlyNow = buildPost({ n: 2, dueAt: NOW });
    const result = await syncPlan(ctx.store, [past, exactlyNow], WINDOW, NOW);
    expect(result).toMatchObject({ inserted: 1, skippedPast: 1 });
    expect((await listPosts(ctx.store)).map((r) => r.id)).toEqual(['post-2']);
  });

  it('is idempotent: the same plan twice changes nothing the second time', async () => {
    const posts = buildPosts(5, at('2026-11-27T13:00+07:00'));
    await syncPlan(ctx.store, posts, WINDOW, NOW);
    const before = await listPosts(ctx.store, { allRevisions: true });
    const later = plusMinutes(NOW, 5);
    const second = await syncPlan(ctx.store, posts, WINDOW, later);
    expect(second).toMatchObject({ inserted: 0, superseded: 0, cancelled: 0, unchanged: 5, skippedPast: 0, rescheduled: 0 });
    expect(await listPosts(ctx.store, { allRevisions: true })).toEqual(before);
  });

  it('supersedes a pending post whose facts changed and plans revision 2', async () => {
    await syncPlan(ctx.store, [buildPost({ n: 1 })], WINDOW, NOW);
    const changed = buildPost({ n: 1, fingerprint: 'fp-2' });
    const later = plusMinutes(NOW, 10);
    const result = await syncPlan(ctx.store, [changed], WINDOW, later);
    expect(result).toMatchObject({ inserted: 1, superseded: 1 });
    const history = await getPostHistory(ctx.store, 'post-1');
    expect(history.map((r) => [r.revision, r.state, r.fingerprint])).toEqual([
      [1, 'superseded', 'fp-1'],
      [2, 'planned', 'fp-2'],
    ]);
    expect(history[1]!.createdAt).toEqual(later);
    // Idempotent after a change too.
    expect(await syncPlan(ctx.store, [changed], WINDOW, later)).toMatchObject({ inserted: 0, superseded: 0, unchanged: 1 });
  });

  it('supersedes a rendered (ready) post when its template changed', async () => {
    await syncPlan(ctx.store, [buildPost({ n: 1 })], WINDOW, NOW);
    expect(await markRendered(ctx.store, { id: 'post-1', revision: 1 }, '{"text":"old"}')).toBe(true);
    const result = await syncPlan(ctx.store, [buildPost({ n: 1, template: 'h-60-v2' })], WINDOW, NOW);
    expect(result).toMatchObject({ inserted: 1, superseded: 1 });
    const [current] = await listPosts(ctx.store);
    expect(current).toMatchObject({ revision: 2, state: 'planned', template: 'h-60-v2', renderedJson: null });
  });

  it('moves a pending post in place when only its times changed, back to planned if rendered', async () => {
    await syncPlan(ctx.store, [buildPost({ n: 1 }), buildPost({ n: 2 })], WINDOW, NOW);
    await markRendered(ctx.store, { id: 'post-1', revision: 1 }, '{"text":"besok"}');
    const moved = {
      dueAt: at('2026-11-27T15:00+07:00'),
      deadline: at('2026-11-27T16:00+07:00'),
    };
    const result = await syncPlan(ctx.store, [buildPost({ n: 1, ...moved }), buildPost({ n: 2, deadline: null })], WINDOW, NOW);
    expect(result).toMatchObject({ inserted: 0, superseded: 0, rescheduled: 2 });
    const rows = await listPosts(ctx.store, { allRevisions: true });
    expect(rows.map((r) => [r.id, r.revision, r.state, r.dueAt.toISOString(), r.deadline?.toISOString() ?? null, r.renderedJson])).toEqual([
      ['post-2', 1, 'planned', '2026-11-27T06:00:00.000Z', null, null],
      ['post-1', 1, 'planned', '2026-11-27T08:00:00.000Z', '2026-11-27T09:00:00.000Z', null],
    ]);
  });

  it('cancels pending posts in the window that left the plan, and leaves those outside it', async () => {
    const inside = buildPost({ n: 1 });
    const outside = buildPost({ n: 2, dueAt: at('2027-01-05T13:00+07:00'), deadline: null });
    const kept = buildPost({ n: 3 });
    await syncPlan(ctx.store, [inside, outside, kept], WINDOW, NOW);
    const result = await syncPlan(ctx.store, [kept], WINDOW, NOW);
    expect(result).toMatchObject({ cancelled: 1, unchanged: 1 });
    const states = Object.fromEntries((await listPosts(ctx.store)).map((r) => [r.id, r.state]));
    expect(states).toEqual({ 'post-1': 'cancelled', 'post-2': 'planned', 'post-3': 'planned' });
    // Cancelling is idempotent as well.
    expect(await syncPlan(ctx.store, [kept], WINDOW, NOW)).toMatchObject({ cancelled: 0 });
  });

  it('plans a new revision when a cancelled post comes back, unless its time has passed', async () => {
    const back = buildPost({ n: 1 });
    const late = buildPost({ n: 2, dueAt: plusMinutes(NOW, 30), deadline: null });
    await syncPlan(ctx.store, [back, late], WINDOW, NOW);
    await syncPlan(ctx.store, [], WINDOW, NOW);
    const later = plusMinutes(NOW, 60);
    const result = await syncPlan(ctx.store, [back, late], WINDOW, later);
    expect(result).toMatchObject({ inserted: 1, superseded: 1, skippedPast: 1 });
    expect((await getPostHistory(ctx.store, 'post-1')).map((r) => [r.revision, r.state])).toEqual([
      [1, 'superseded'],
      [2, 'planned'],
    ]);
    expect((await getPostHistory(ctx.store, 'post-2')).map((r) => [r.revision, r.state])).toEqual([[1, 'cancelled']]);
  });

  it('leaves a published post alone but reports that its facts changed after publishing', async () => {
    const post = buildPost({ n: 1, dueAt: plusMinutes(NOW, 1) });
    await syncPlan(ctx.store, [post], WINDOW, NOW);
    await markRendered(ctx.store, { id: 'post-1', revision: 1 }, '{}');
    const sendAt = plusMinutes(NOW, 1);
    const [claimed] = await claimDue(ctx.store, { now: sendAt, owner: 'w1', leaseMs: 60_000, limit: 10 });
    await markPublished(ctx.store, { id: 'post-1', revision: 1, owner: 'w1' }, { remoteId: 'tw-1', url: 'https://x.com/i/1', publishedAt: sendAt });
    expect(claimed?.id).toBe('post-1');

    const cut = buildPost({ n: 1, dueAt: plusMinutes(NOW, 1), fingerprint: 'fp-count-cut' });
    const result = await syncPlan(ctx.store, [cut], WINDOW, plusMinutes(NOW, 5));
    expect(result.inserted).toBe(0);
    expect(result.superseded).toBe(0);
    expect(result.changedAfterPublish.map((p) => [p.id, p.revision, p.state, p.fingerprint, p.remoteId])).toEqual([
      ['post-1', 1, 'published', 'fp-1', 'tw-1'],
    ]);
    expect((await getPostHistory(ctx.store, 'post-1')).map((r) => r.state)).toEqual(['published']);
    // Same facts: nothing to report.
    expect((await syncPlan(ctx.store, [post], WINDOW, plusMinutes(NOW, 5))).changedAfterPublish).toEqual([]);
  });

  it('reports a claimed post with changed facts instead of superseding it mid-send', async () => {
    await syncPlan(ctx.store, [buildPost({ n: 1, dueAt: NOW })], WINDOW, NOW);
    await markRendered(ctx.store, { id: 'post-1', revision: 1 }, '{}');
    await claimDue(ctx.store, { now: NOW, owner: 'w1', leaseMs: 60_000, limit: 1 });
    const result = await syncPlan(ctx.store, [buildPost({ n: 1, dueAt: NOW, fingerprint: 'fp-2' })], WINDOW, NOW);
    expect(result.changedAfterPublish.map((p) => p.state)).toEqual(['claimed']);
    expect((await getPostHistory(ctx.store, 'post-1')).map((r) => r.state)).toEqual(['claimed']);
  });

  it('refuses a plan that holds one id twice, and changes nothing', async () => {
    await expect(syncPlan(ctx.store, [buildPost({ n: 1 }), buildPost({ n: 1 })], WINDOW, NOW)).rejects.toMatchObject({
      code: 'store-failed',
      message: expect.stringContaining('post-1'),
    });
    expect(await listPosts(ctx.store)).toEqual([]);
  });

  it('syncs 2,000 posts in one go, and again with a changed half', async () => {
    const posts = buildPosts(2000, at('2026-11-21T08:00+07:00'));
    expect(await syncPlan(ctx.store, posts, WINDOW, NOW)).toMatchObject({ inserted: 2000 });
    const changed = posts.map((p, i) => (i % 2 === 0 ? { ...p, fingerprint: 'fp-2' } : p));
    const result = await syncPlan(ctx.store, changed.slice(0, 1900), WINDOW, NOW);
    expect(result).toMatchObject({ inserted: 950, superseded: 950, unchanged: 950, cancelled: 100 });
    expect(await listPosts(ctx.store, { states: ['planned'] })).toHaveLength(1900);
  });
});

describe('store/sync-plan on postgres, several instances at once', () => {
  const ctx = useTestStore('postgres');

  it('two instances syncing the same new plan at the same moment insert each post once, and neither fails', async () => {
    const other = await ctx.open();
    const posts = buildPosts(300, at('2026-11-27T13:00+07:00'));
    for (let round = 0; round < 3; round += 1) {
      const results = await Promise.all([syncPlan(ctx.store, posts, WINDOW, NOW), syncPlan(other, posts, WINDOW, NOW)]);
      expect(results.reduce((sum, r) => sum + r.inserted, 0)).toBe(round === 0 ? 300 : 0);
    }
    const rows = await listPosts(ctx.store);
    expect(rows).toHaveLength(300);
    expect(new Set(rows.map((r) => r.id)).size).toBe(300);
  });

  it('two instances superseding the same changed post at once leave one current revision', async () => {
    const other = await ctx.open();
    await syncPlan(ctx.store, buildPosts(50, at('2026-11-27T13:00+07:00')), WINDOW, NOW);
    // Ten changes in a row, each synced by both at once: the interleavings differ run to run
    // (one reads, the other commits the next revision, then the first supersedes).
    for (let change = 2; change <= 11; change++) {
      const changed = buildPosts(50, at('2026-11-27T13:00+07:00')).map((post) => ({ ...post, fingerprint: `${post.fingerprint}-v${change}` }));
      await Promise.all([syncPlan(ctx.store, changed, WINDOW, NOW), syncPlan(other, changed, WINDOW, NOW)]);
      const current = await listPosts(ctx.store);
      expect(current.map((post) => `${post.revision} ${post.state}`)).toEqual(Array.from({ length: 50 }, () => `${change} planned`));
    }
  });
});
