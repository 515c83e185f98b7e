import { claimDue, markFailed } from '../../src/store/claims';
import { countByState, listPosts, listToRender, markRendered, nextWake, resetRendered } from '../../src/store/ledger';
import { getRuntimeStatus, setRuntimeStatus } from '../../src/store/runtime-status';
import { syncPlan } from '../../src/store/sync-plan';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildPost, plusMinutes } from './post-builder';

const NOW = at('2026-11-27T12:00+07:00');
const WINDOW = { from: NOW, to: at('2026-12-31T00:00+07:00') };

describe.each(DIALECTS)('store/ledger on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  it('lists planned posts to render up to a time, earliest first, with a limit', async () => {
    await syncPlan(
      ctx.store,
      [
        buildPost({ n: 1, dueAt: plusMinutes(NOW, 30) }),
        buildPost({ n: 2, dueAt: plusMinutes(NOW, 10) }),
        buildPost({ n: 3, dueAt: plusMinutes(NOW, 90) }),
        buildPost({ n: 4, dueAt: plusMinutes(NOW, 20) }),
      ],
      WINDOW,
      NOW,
    );
    await markRendered(ctx.store, { id: 'post-4', revision: 1 }, '{}');
    const toRender = await listToRender(ctx.store, plusMinutes(NOW, 60), 10);
    expect(toRender.map((p) => p.id)).toEqual(['post-2', 'post-1']);
    expect((await listToRender(ctx.store, plusMinutes(NOW, 60), 1)).map((p) => p.id)).toEqual(['post-2']);
  });

  it('marks a rendering only on the revision still planned', async () => {
    await syncPlan(ctx.store, [buildPost({ n: 1 })], WINDOW, NOW);
    await syncPlan(ctx.store, [buildPost({ n: 1, fingerprint: 'fp-2' })], WINDOW, NOW);
    expect(await markRendered(ctx.store, { id: 'post-1', revision: 1 }, '{"text":"stale"}')).toBe(false);
    const renderedAt = plusMinutes(NOW, 1);
    expect(await markRendered(ctx.store, { id: 'post-1', revision: 2 }, '{"text":"fresh"}', renderedAt)).toBe(true);
    expect(await markRendered(ctx.store, { id: 'post-1', revision: 2 }, '{"text":"again"}')).toBe(false);
    const [current] = await listPosts(ctx.store);
    expect(current).toMatchObject({ revision: 2, state: 'ready', renderedJson: '{"text":"fresh"}', updatedAt: renderedAt });
  });

  it('resets every rendered post to planned when templates change', async () => {
    await syncPlan(ctx.store, [buildPost({ n: 1 }), buildPost({ n: 2 }), buildPost({ n: 3 })], WINDOW, NOW);
    await markRendered(ctx.store, { id: 'post-1', revision: 1 }, '{}');
    await markRendered(ctx.store, { id: 'post-2', revision: 1 }, '{}');
    expect(await resetRendered(ctx.store)).toBe(2);
    const rows = await listPosts(ctx.store);
    expect(rows.map((r) => [r.state, r.renderedJson])).toEqual([
      ['planned', null],
      ['planned', null],
      ['planned', null],
    ]);
    expect(await resetRendered(ctx.store)).toBe(0);
  });

  it('resets only the listed offices rendered posts (a one-office edit renders only its cards again)', async () => {
    await syncPlan(ctx.store, [buildPost({ n: 1 }), { ...buildPost({ n: 2 }), officeId: 'kanim-medan' }], WINDOW, NOW);
    await markRendered(ctx.store, { id: 'post-1', revision: 1 }, '{}');
    await markRendered(ctx.store, { id: 'post-2', revision: 1 }, '{}');
    expect(await resetRendered(ctx.store, NOW, [])).toBe(0);
    expect(await resetRendered(ctx.store, NOW, ['kanim-medan'])).toBe(1);
    const rows = await listPosts(ctx.store);
    expect(rows.map((r) => [r.officeId, r.state])).toEqual([
      ['kanim-pontianak', 'ready'],
      ['kanim-medan', 'planned'],
    ]);
  });

  it('tells when to wake: the next due or retry, and the next to render', async () => {
    expect(await nextWake(ctx.store)).toEqual({ nextDue: null, nextToRender: null });
    await syncPlan(
      ctx.store,
      [buildPost({ n: 1, dueAt: plusMinutes(NOW, 5), deadline: null }), buildPost({ n: 2, dueAt: plusMinutes(NOW, 50) })],
      WINDOW,
      NOW,
    );
    await markRendered(ctx.store, { id: 'post-1', revision: 1 }, '{}');
    expect(await nextWake(ctx.store)).toEqual({ nextDue: plusMinutes(NOW, 5), nextToRender: plusMinutes(NOW, 50) });
    await claimDue(ctx.store, { now: plusMinutes(NOW, 5), owner: 'w', leaseMs: 60_000, limit: 1 });
    const retryAt = plusMinutes(NOW, 7);
    await markFailed(ctx.store, { id: 'post-1', revision: 1, owner: 'w' }, { state: 'retrying', error: 'HTTP 429', retryAt });
    expect(await nextWake(ctx.store)).toEqual({ nextDue: retryAt, nextToRender: plusMinutes(NOW, 50) });
  });

  it('lists posts by state, time range, channel and order; current revisions unless asked', async () => {
    await syncPlan(
      ctx.store,
      [
        buildPost({ n: 1, dueAt: plusMinutes(NOW, 10) }),
        buildPost({ n: 2, dueAt: plusMinutes(NOW, 20), channelId: 'instagram' }),
        buildPost({ n: 3, dueAt: plusMinutes(NOW, 30) }),
      ],
      WINDOW,
      NOW,
    );
    await syncPlan(
      ctx.store,
      [buildPost({ n: 1, dueAt: plusMinutes(NOW, 10), fingerprint: 'fp-2' }), buildPost({ n: 2, dueAt: plusMinutes(NOW, 20), channelId: 'instagram' })],
      WINDOW,
      NOW,
    );
    const ids = async (filter: Parameters<typeof listPosts>[1]): Promise<string[]> =>
      (await listPosts(ctx.store, filter)).map((p) => `${p.id}@${p.revision}:${p.state}`);
    expect(await ids({})).toEqual(['post-1@2:planned', 'post-2@1:planned', 'post-3@1:cancelled']);
    expect(await ids({ allRevisions: true })).toEqual(['post-1@1:superseded', 'post-1@2:planned', 'post-2@1:planned', 'post-3@1:cancelled']);
    expect(await ids({ states: ['cancelled'] })).toEqual(['post-3@1:cancelled']);
    expect(await ids({ states: [] })).toEqual([]);
    expect(await ids({ channelId: 'instagram' })).toEqual(['post-2@1:planned']);
    expect(await ids({ from: plusMinutes(NOW, 20), to: plusMinutes(NOW, 30) })).toEqual(['post-2@1:planned']);
    expect(await ids({ order: 'desc', limit: 2 })).toEqual(['post-3@1:cancelled', 'post-2@1:planned']);
    expect(await ids({ officeId: 'elsewhere' })).toEqual([]);
  });

  it('counts rows in every state', async () => {
    await syncPlan(ctx.store, [buildPost({ n: 1 }), buildPost({ n: 2 })], WINDOW, NOW);
    await syncPlan(ctx.store, [buildPost({ n: 1, fingerprint: 'fp-2' })], WINDOW, NOW);
    expect(await countByState(ctx.store)).toEqual({
      planned: 1,
      ready: 0,
      claimed: 0,
      published: 0,
      retrying: 0,
      unknown: 0,
      expired: 0,
      superseded: 1,
      cancelled: 1,
      dead: 0,
      skipped: 0,
    });
  });

  it('keeps runtime status values as JSON, replacing on write', async () => {
    expect(await getRuntimeStatus(ctx.store, 'config-load')).toBeNull();
    const load = { ok: false, problems: ['config/calendar.yaml:3:5: unknown key "quotaa"'], loadedAt: NOW };
    await setRuntimeStatus(ctx.store, 'config-load', load);
    expect(await getRuntimeStatus(ctx.store, 'config-load')).toEqual({ ...load, loadedAt: '2026-11-27T05:00:00.000Z' });
    await setRuntimeStatus(ctx.store, 'config-load', { ok: true, problems: [] });
    expect(await getRuntimeStatus<{ ok: boolean }>(ctx.store, 'config-load')).toEqual({ ok: true, problems: [] });
    await setRuntimeStatus(ctx.store, 'heartbeat', null);
    expect(await getRuntimeStatus(ctx.store, 'heartbeat')).toBeNull();
  });
});
