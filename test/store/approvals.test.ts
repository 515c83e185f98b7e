/**
 * Approvals in the ledger, on SQLite and PostgreSQL: the claim skips a post
 * that needs approval until one of its present content stands; a new revision,
 * different rendered content or a revocation holds it again; the cut-off alert
 * is taken once; two stores on one database cannot claim an unapproved post.
 */
import { approvePosts, getApprovalHistory, isApproved, listAwaitingApproval, revokeApproval, takeUnapprovedPastCutoff } from '../../src/store/approvals';
import { claimDue } from '../../src/store/claims';
import { getPostHistory, markRendered, nextWake, resetRendered } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import { syncPlan } from '../../src/store/sync-plan';
import type { LedgerPost } from '../../src/store/types';
import type { PlannedPost } from '../../src/plan/types';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildPost, plusMinutes } from './post-builder';

const DUE = at('2026-11-27T13:00+07:00');
const CUTOFF = at('2026-11-26T13:00+07:00');
const BEFORE = at('2026-11-25T09:00+07:00');
const WINDOW = { from: at('2026-11-20T00:00+07:00'), to: at('2026-12-05T00:00+07:00') };
const LEASE = 120_000;
const RENDERED = JSON.stringify({ text: 'Kuota paspor dibuka pukul 14.00 WIB', media: [{ file: 'media/p/r1/card.png', mime: 'image/png', width: 1080, height: 1350, bytes: 10, alt: 'Kartu', sha256: 'a'.repeat(64) }] });
const OTHER_TEXT = JSON.stringify({ text: 'Kuota paspor dibuka pukul 15.00 WIB', media: [] });

describe.each(DIALECTS)('store/approvals on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  /** The plan so far: every sync holds all of it (a post left out would be cancelled). */
  let plan = new Map<number, PlannedPost>();
  beforeEach(() => {
    plan = new Map();
  });

  /** Post n in the plan (needing approval by CUTOFF unless `approveBy: null`), synced at `now`. */
  async function replan(n: number, options: { approveBy?: Date | null; fingerprint?: string } = {}, now = BEFORE): Promise<void> {
    const approveBy = options.approveBy === undefined ? CUTOFF : options.approveBy;
    plan.set(n, buildPost({ n, dueAt: DUE, ...(approveBy ? { approveBy } : {}), ...(options.fingerprint ? { fingerprint: options.fingerprint } : {}) }));
    await syncPlan(ctx.store, [...plan.values()], WINDOW, now);
  }

  /** `replan`, then rendered (unless `rendered: null`). */
  async function seed(n: number, options: { approveBy?: Date | null; fingerprint?: string; rendered?: string | null } = {}): Promise<LedgerPost> {
    await replan(n, options);
    const revision = await current(n);
    if (options.rendered !== null) await markRendered(ctx.store, { id: revision.id, revision: revision.revision }, options.rendered ?? RENDERED, BEFORE);
    return current(n);
  }

  async function current(n: number, store: Store = ctx.store): Promise<LedgerPost> {
    const found = (await getPostHistory(store, `post-${n}`)).find((p) => p.state !== 'superseded');
    if (!found) throw new Error(`no post-${n}`);
    return found;
  }

  const claim = (now: Date, store: Store = ctx.store, owner = 'a') => claimDue(store, { now, owner, leaseMs: LEASE, limit: 10 });

  it('never claims a post needing approval without one, and claims it once approved (also after its cut-off)', async () => {
    const held = await seed(1);
    await seed(2, { approveBy: null });
    expect(held).toMatchObject({ approveBy: CUTOFF, state: 'ready' });
    expect(held.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await claim(DUE)).map((p) => p.id)).toEqual(['post-2']);
    expect(await claim(plusMinutes(DUE, 5))).toEqual([]);

    // Approved late: after the cut-off, before the deadline.
    const approvedAt = plusMinutes(DUE, 10);
    const [outcome] = await approvePosts(ctx.store, { posts: [{ id: 'post-1', revision: 1, contentHash: held.contentHash! }], approver: 'rina', now: approvedAt });
    expect(outcome).toMatchObject({ outcome: 'approved', approval: { approver: 'rina', approvedAt, contentHash: held.contentHash, revokedAt: null } });
    expect((await claim(plusMinutes(DUE, 11))).map((p) => p.id)).toEqual(['post-1']);
  });

  it('approves a week of posts at once, refusing each one that cannot be approved and saying why', async () => {
    const ready = await seed(1);
    await seed(2, { rendered: null });
    const stale = await seed(3);
    await replan(3, { fingerprint: 'fp-2' });
    await seed(4);
    const [claimed] = await claimDue(ctx.store, { now: DUE, owner: 'a', leaseMs: LEASE, limit: 1 }).then(async (none) => {
      expect(none).toEqual([]);
      await approvePosts(ctx.store, { posts: [{ id: 'post-4', revision: 1 }], approver: 'rina', now: BEFORE });
      return claim(DUE);
    });
    expect(claimed?.id).toBe('post-4');
    await seed(5);

    const outcomes = await approvePosts(ctx.store, {
      posts: [
        { id: 'post-1', revision: 1, contentHash: ready.contentHash! },
        { id: 'post-2', revision: 1 },
        { id: 'post-3', revision: stale.revision },
        { id: 'post-4', revision: 1 },
        { id: 'post-5', revision: 1, contentHash: 'f'.repeat(64) },
        { id: 'post-9', revision: 1 },
        { id: 'post-1', revision: 1 },
      ],
      approver: 'rina',
      now: BEFORE,
    });
    expect(outcomes.map((o) => [o.postId, o.outcome, o.outcome === 'refused' ? o.reason : o.approval.approver])).toEqual([
      ['post-1', 'approved', 'rina'],
      ['post-2', 'refused', expect.stringMatching(/not rendered yet/)],
      ['post-3', 'refused', expect.stringMatching(/changed since it was shown: revision 2 is current now/)],
      ['post-4', 'refused', expect.stringMatching(/being sent right now by a/)],
      ['post-5', 'refused', expect.stringMatching(/content changed since it was shown/)],
      ['post-9', 'refused', 'no such post'],
      ['post-1', 'already-approved', 'rina'],
    ]);
    await expect(approvePosts(ctx.store, { posts: [{ id: 'post-1', revision: 1 }], approver: '  ', now: BEFORE })).rejects.toThrow(/approver is missing/);
  });

  it('holds a post again when it changes after approval: a new revision, or a rendering that shows something else', async () => {
    await seed(1);
    await seed(2);
    await approvePosts(ctx.store, { posts: [{ id: 'post-1', revision: 1 }, { id: 'post-2', revision: 1 }], approver: 'rina', now: BEFORE });

    // New facts: revision 2, not approved.
    await replan(1, { fingerprint: 'fp-2' });
    const revised = await current(1);
    expect(revised.revision).toBe(2);
    await markRendered(ctx.store, { id: 'post-1', revision: 2 }, RENDERED, BEFORE);
    // Templates changed: post-2 is rendered again into other text.
    await resetRendered(ctx.store, BEFORE);
    await markRendered(ctx.store, { id: 'post-2', revision: 1 }, OTHER_TEXT, BEFORE);
    await markRendered(ctx.store, { id: 'post-1', revision: 2 }, RENDERED, BEFORE);

    expect(await claim(DUE)).toEqual([]);
    const awaiting = await listAwaitingApproval(ctx.store, { officeId: 'kanim-pontianak', from: WINDOW.from, to: WINDOW.to });
    expect(awaiting.map((a) => [a.post.id, a.post.revision, a.rendered, a.lastApproval?.approver, a.lastApproval?.revision])).toEqual([
      ['post-1', 2, true, 'rina', 1],
      ['post-2', 1, true, 'rina', 1],
    ]);

    // Rendered again into the very same content: the approval of that content stands.
    await approvePosts(ctx.store, { posts: [{ id: 'post-1', revision: 2 }], approver: 'budi', now: BEFORE });
    await resetRendered(ctx.store, BEFORE);
    await markRendered(ctx.store, { id: 'post-1', revision: 2 }, RENDERED, BEFORE);
    expect((await claim(DUE)).map((p) => `${p.id}@${p.revision}`)).toEqual(['post-1@2']);
    expect((await getApprovalHistory(ctx.store, 'post-1')).map((a) => `${a.revision} ${a.approver}`)).toEqual(['1 rina', '2 budi']);
  });

  it('a revoked approval holds the post again; revoking is refused while the post is being sent', async () => {
    await seed(1);
    await seed(2);
    await approvePosts(ctx.store, { posts: [{ id: 'post-1', revision: 1 }, { id: 'post-2', revision: 1 }], approver: 'rina', now: BEFORE });
    const revoked = await revokeApproval(ctx.store, { postId: 'post-1', revoker: 'kepala', now: plusMinutes(BEFORE, 1) });
    expect(revoked).toEqual([expect.objectContaining({ approver: 'rina', revokedBy: 'kepala', revokedAt: plusMinutes(BEFORE, 1) })]);
    expect(await isApproved(ctx.store, await current(1))).toBe(false);
    await expect(revokeApproval(ctx.store, { postId: 'post-1', revoker: 'kepala', now: BEFORE })).rejects.toThrow(/has no approval standing/);

    expect((await claim(DUE)).map((p) => p.id)).toEqual(['post-2']);
    await expect(revokeApproval(ctx.store, { postId: 'post-2', revoker: 'kepala', now: DUE })).rejects.toThrow(/Cannot revoke post post-2: it is being sent right now by a/);
    expect((await getApprovalHistory(ctx.store, 'post-1')).map((a) => a.revokedBy)).toEqual(['kepala']);
  });

  it('takes each unapproved post past its cut-off once for the alert, not before the cut-off and not when approved', async () => {
    await seed(1);
    await seed(2);
    await seed(3, { approveBy: null });
    await approvePosts(ctx.store, { posts: [{ id: 'post-2', revision: 1 }], approver: 'rina', now: BEFORE });
    expect(await takeUnapprovedPastCutoff(ctx.store, plusMinutes(CUTOFF, -1))).toEqual([]);
    expect((await takeUnapprovedPastCutoff(ctx.store, CUTOFF)).map((p) => p.id)).toEqual(['post-1']);
    expect(await takeUnapprovedPastCutoff(ctx.store, plusMinutes(CUTOFF, 30))).toEqual([]);
    // A new revision has a cut-off (and an alert) of its own.
    await replan(1, { fingerprint: 'fp-2' }, plusMinutes(CUTOFF, 31));
    expect((await takeUnapprovedPastCutoff(ctx.store, plusMinutes(CUTOFF, 32))).map((p) => `${p.id}@${p.revision}`)).toEqual(['post-1@2']);
  });

  it('next wake leaves held posts out (no busy loop) and names the next cut-off', async () => {
    await seed(1);
    const free = await seed(2, { approveBy: null });
    expect(await nextWake(ctx.store, BEFORE)).toEqual({ nextDue: free.dueAt, nextToRender: null, nextApproval: CUTOFF });
    await claim(DUE);
    expect(await nextWake(ctx.store, BEFORE)).toEqual({ nextDue: null, nextToRender: null, nextApproval: CUTOFF });
    await approvePosts(ctx.store, { posts: [{ id: 'post-1', revision: 1 }], approver: 'rina', now: BEFORE });
    expect(await nextWake(ctx.store, BEFORE)).toEqual({ nextDue: DUE, nextToRender: null, nextApproval: null });
  });

  // Several instances share PostgreSQL; SQLite serves one instance (the data-directory
  // lock), so on SQLite this case does not exist and is not defined (not skipped).
  const onPostgres: jest.It = dialect === 'postgres' ? it : ((() => undefined) as unknown as jest.It);
  onPostgres('two stores on one database: neither claims an unapproved post, and exactly one claims it once approved', async () => {
    const other = await ctx.open();
    await seed(1);
    const round = async (now: Date) => (await Promise.all([claim(now, ctx.store, 'a'), claim(now, other, 'b')])).flat();
    expect(await round(DUE)).toEqual([]);
    await approvePosts(other, { posts: [{ id: 'post-1', revision: 1 }], approver: 'rina', now: plusMinutes(DUE, 1) });
    const claimed = await round(plusMinutes(DUE, 2));
    expect(claimed.map((p) => p.id)).toEqual(['post-1']);
    expect(await round(plusMinutes(DUE, 3))).toEqual([]);
  });
});
