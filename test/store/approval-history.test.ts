/**
 * store/approval-history on SQLite and PostgreSQL: the approvals of many posts
 * in one read, each post's oldest first with revoked ones, and which one stands
 * for a post's present revision and content.
 */
import { getApprovalHistories, standingApprovalIn } from '../../src/store/approval-history';
import { approvePosts, getApprovalHistory, revokeApproval } from '../../src/store/approvals';
import { getPostHistory, markRendered } from '../../src/store/ledger';
import { syncPlan } from '../../src/store/sync-plan';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildPost, plusMinutes } from './post-builder';

const DUE = at('2026-11-27T13:00+07:00');
const BEFORE = at('2026-11-25T09:00+07:00');
const WINDOW = { from: at('2026-11-20T00:00+07:00'), to: at('2026-12-05T00:00+07:00') };
const rendered = (text: string): string => JSON.stringify({ text, media: [] });

describe.each(DIALECTS)('store/approval-history on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  it('reads the approvals of many posts at once, as each post\'s own history says, and finds the standing one', async () => {
    const plan = [1, 2, 3].map((n) => buildPost({ n, dueAt: DUE, approveBy: at('2026-11-26T13:00+07:00') }));
    await syncPlan(ctx.store, plan, WINDOW, BEFORE);
    for (const post of plan) await markRendered(ctx.store, { id: post.id, revision: 1 }, rendered(`Kuota ${post.id}`), BEFORE);
    const current = async (id: string) => (await getPostHistory(ctx.store, id))[0]!;
    const [one, two] = [await current('post-1'), await current('post-2')];
    await approvePosts(ctx.store, { posts: [{ id: one.id, revision: 1 }, { id: two.id, revision: 1 }], approver: 'rina', now: BEFORE });
    await revokeApproval(ctx.store, { postId: one.id, revoker: 'budi', now: plusMinutes(BEFORE, 5) });
    await approvePosts(ctx.store, { posts: [{ id: one.id, revision: 1 }], approver: 'sari', now: plusMinutes(BEFORE, 10) });

    const histories = await getApprovalHistories(ctx.store, ['post-1', 'post-2', 'post-3', 'post-1']);
    expect([...histories.keys()].sort()).toEqual(['post-1', 'post-2']);
    expect(histories.get('post-1')).toEqual(await getApprovalHistory(ctx.store, 'post-1'));
    expect(histories.get('post-1')!.map((record) => [record.approver, record.revokedBy])).toEqual([
      ['rina', 'budi'],
      ['sari', null],
    ]);
    expect(standingApprovalIn(histories.get('post-1')!, one)?.approver).toBe('sari');
    expect(standingApprovalIn(histories.get('post-2')!, two)?.approver).toBe('rina');
    // Other content, another revision, or nothing rendered: nothing stands.
    expect(standingApprovalIn(histories.get('post-2')!, { revision: 1, contentHash: 'f'.repeat(64) })).toBeNull();
    expect(standingApprovalIn(histories.get('post-2')!, { revision: 2, contentHash: two.contentHash })).toBeNull();
    expect(standingApprovalIn(histories.get('post-2')!, { revision: 1, contentHash: null })).toBeNull();
    expect(await getApprovalHistories(ctx.store, [])).toEqual(new Map());
  });
});
