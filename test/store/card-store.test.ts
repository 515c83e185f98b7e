/**
 * Card bytes in the ledger (store/card-store.ts): stored in the transaction
 * that makes a post ready, replaced by a re-render, and a post whose card is
 * lost sent back to be rendered only by the instance holding it.
 */
import crypto from 'node:crypto';
import { claimDue, LeaseLostError } from '../../src/store/claims';
import { findCard, returnForRender, type StoredCard } from '../../src/store/card-store';
import { getAttempts, getPostHistory, markRendered } from '../../src/store/ledger';
import { syncPlan } from '../../src/store/sync-plan';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildPost } from './post-builder';

const NOW = at('2026-11-27T12:00+07:00');
const DUE = at('2026-11-27T13:00+07:00');

function card(file: string, fill: number): StoredCard {
  const bytes = Buffer.alloc(2048, fill);
  return { file, mime: 'image/png', width: 1080, height: 1350, bytes, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
}

describe.each(DIALECTS)('store/card-store on %s', (dialect) => {
  const ctx = useTestStore(dialect);
  const key = { id: 'post-1', revision: 1 };

  beforeEach(async () => {
    await syncPlan(ctx.store, [buildPost({ n: 1 })], { from: NOW, to: at('2026-11-28T00:00+07:00') }, NOW);
  });

  it('stores the cards with the rendering; a re-render replaces them; a revision that moved on stores nothing', async () => {
    const first = card('media/post-1/r1/card.png', 1);
    expect(await markRendered(ctx.store, key, '{"text":"a","media":[]}', NOW, [first, card('media/post-1/r1/card-2.png', 2)])).toBe(true);
    const stored = await findCard(ctx.store, first.file);
    expect(stored).toEqual(first);
    expect(stored!.bytes).toBeInstanceOf(Buffer);

    // Templates changed: back to planned, drawn again into the same paths with other bytes.
    await ctx.store.db.updateTable('posts').set({ state: 'planned' }).where('id', '=', key.id).execute();
    const again = card('media/post-1/r1/card.png', 3);
    expect(await markRendered(ctx.store, key, '{"text":"b","media":[]}', NOW, [again])).toBe(true);
    expect(await findCard(ctx.store, again.file)).toEqual(again);
    expect(await findCard(ctx.store, 'media/post-1/r1/card-2.png')).toBeNull();

    // Already ready: the late rendering is dropped, its cards with it.
    expect(await markRendered(ctx.store, key, '{"text":"c","media":[]}', NOW, [card('media/post-1/r1/card.png', 4)])).toBe(false);
    expect(await findCard(ctx.store, again.file)).toEqual(again);
  });

  it('sends a claimed post back to be rendered only for its holder, and records why', async () => {
    await markRendered(ctx.store, key, '{"text":"a","media":[]}', NOW, [card('media/post-1/r1/card.png', 1)]);
    const [claimed] = await claimDue(ctx.store, { now: DUE, owner: 'b', leaseMs: 60_000, limit: 1 });
    expect(claimed?.id).toBe(key.id);

    const stranger = await returnForRender(ctx.store, { ...key, owner: 'c' }, 'lost', DUE).catch((error: unknown) => error);
    expect(stranger).toBeInstanceOf(LeaseLostError);
    expect((await getPostHistory(ctx.store, key.id))[0]!.state).toBe('claimed');

    await returnForRender(ctx.store, { ...key, owner: 'b' }, 'card media/post-1/r1/card.png is missing', DUE);
    const [post] = await getPostHistory(ctx.store, key.id);
    expect(post).toMatchObject({ state: 'planned', renderedJson: null, leaseUntil: null, lastError: 'card media/post-1/r1/card.png is missing' });
    expect(await findCard(ctx.store, 'media/post-1/r1/card.png')).toBeNull();
    expect((await getAttempts(ctx.store, key.id)).map((a) => [a.outcome, a.finishedAt])).toEqual([['card-missing', DUE]]);
  });
});
