/**
 * store/sync-corrections through the real re-plan (planner + syncPlan), on
 * SQLite and PostgreSQL: announcements are rendered, claimed and published
 * with the real ledger functions, then the calendar is edited.
 */
import { replanInto } from '../../src/app/replan';
import type { Config, ExplicitRelease } from '../../src/config/types';
import type { PostFacts } from '../../src/plan/types';
import { claimDue, markPublished } from '../../src/store/claims';
import { getPostHistory, listPosts, markRendered } from '../../src/store/ledger';
import type { Store } from '../../src/store/open';
import type { LedgerPost } from '../../src/store/types';
import { at, buildConfig, buildOffice } from '../plan/builders';
import { DIALECTS, useTestStore } from '../support/databases';

const here = { file: 'config/calendar.yaml', line: 1, col: 1 };
const PLANNED_AT = at('2026-11-26T12:00+07:00');
const EVENING = at('2026-11-26T19:00+07:00');
const AFTER_EVENING = at('2026-11-26T20:00+07:00');

/** Opens Fri 27 Nov 14:00 WIB; service days Mon 30 Nov and Tue 1 Dec. */
function release(overrides: Partial<ExplicitRelease> & { reguler?: number } = {}): ExplicitRelease {
  const { reguler, ...rest } = overrides;
  return {
    id: 'buka-27nov',
    opensAt: { date: '2026-11-27', time: '14:00' },
    days: ['2026-11-30', '2026-12-01'].map((date) => ({ date, quota: { reguler: reguler ?? 120, percepatan: 20 }, location: here })),
    cancelled: false,
    origin: 'explicit',
    location: here,
    ...rest,
  };
}

/** The sample rules (h-1, h-60m, at opening) on x and instagram, no digest. */
function configWith(releases: ExplicitRelease[]): Config {
  const office = buildOffice({ digests: [] });
  return buildConfig([{ ...office, calendar: { ...office.calendar, releases } }]);
}

/** Renders, claims and publishes everything due at `now`, as the scheduler would. */
async function publishDue(store: Store, now: Date): Promise<LedgerPost[]> {
  for (const post of await listPosts(store, { states: ['planned'], to: new Date(now.getTime() + 1) })) {
    await markRendered(store, { id: post.id, revision: post.revision }, '{"text":"rendered"}', now);
  }
  const claimed = await claimDue(store, { now, owner: 'w1', leaseMs: 60_000, limit: 100 });
  for (const post of claimed) {
    await markPublished(store, { id: post.id, revision: post.revision, owner: 'w1' }, { remoteId: `remote-${post.id}`, url: null, publishedAt: now });
  }
  return claimed;
}

const corrections = async (store: Store): Promise<LedgerPost[]> =>
  (await listPosts(store, { allRevisions: true })).filter((p) => p.kind === 'correction' || p.kind === 'cancellation');
const facts = (post: LedgerPost): PostFacts => JSON.parse(post.factsJson) as PostFacts;
const counts = (release: PostFacts['release']): number[] => (release?.days ?? []).map((d) => d.quota.reguler ?? 0);

describe.each(DIALECTS)('store/sync-corrections on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  /** Plans the release and publishes the evening-before post on both channels. */
  async function announceEveningBefore(): Promise<void> {
    await replanInto(ctx.store, configWith([release()]), PLANNED_AT);
    const sent = await publishDue(ctx.store, EVENING);
    expect(sent.map((p) => `${p.ruleId} ${p.channelId}`).sort()).toEqual(['h-1 instagram', 'h-1 x']);
  }

  it('plans one correction per channel for a count cut after publishing, and nothing more on re-plans', async () => {
    await announceEveningBefore();
    const result = await replanInto(ctx.store, configWith([release({ reguler: 80 })]), AFTER_EVENING);
    // The pending h-60m and opening posts just follow the new count; the published h-1 posts get a correction.
    expect(result).toMatchObject({ superseded: 4, inserted: 4, correctionsPlanned: 2 });
    const planned = await corrections(ctx.store);
    expect(planned.map((p) => [p.channelId, p.kind, p.template, p.state, p.revision]).sort()).toEqual([
      ['instagram', 'correction', 'correction', 'planned', 1],
      ['x', 'correction', 'correction', 'planned', 1],
    ]);
    for (const post of planned) {
      expect(post).toMatchObject({ dueAt: AFTER_EVENING, deadline: at('2026-11-27T08:00+07:00'), releaseId: 'buka-27nov', ruleId: 'correction' });
      expect(counts(facts(post).previous)).toEqual([120, 120]);
      expect(counts(facts(post).release)).toEqual([80, 80]);
    }

    const before = await listPosts(ctx.store, { allRevisions: true });
    const again = await replanInto(ctx.store, configWith([release({ reguler: 80 })]), new Date(AFTER_EVENING.getTime() + 600_000));
    expect(again).toMatchObject({ inserted: 0, superseded: 0, cancelled: 0, correctionsPlanned: 0 });
    expect(await listPosts(ctx.store, { allRevisions: true })).toEqual(before);
  });

  it('sends the correction, then plans a second one quoting it when the count changes again', async () => {
    await announceEveningBefore();
    await replanInto(ctx.store, configWith([release({ reguler: 80 })]), AFTER_EVENING);
    const sent = await publishDue(ctx.store, AFTER_EVENING);
    expect(sent.map((p) => p.kind)).toEqual(['correction', 'correction']);
    expect((await replanInto(ctx.store, configWith([release({ reguler: 80 })]), at('2026-11-26T21:00+07:00'))).correctionsPlanned).toBe(0);

    const second = await replanInto(ctx.store, configWith([release({ reguler: 60 })]), at('2026-11-26T21:00+07:00'));
    expect(second.correctionsPlanned).toBe(2);
    const pending = (await corrections(ctx.store)).filter((p) => p.state === 'planned');
    expect(pending).toHaveLength(2);
    for (const post of pending) {
      expect(counts(facts(post).previous)).toEqual([80, 80]);
      expect(counts(facts(post).release)).toEqual([60, 60]);
    }
  });

  it('cancels a pending correction the next edit makes wrong, and revives it when the edit is undone', async () => {
    await announceEveningBefore();
    await replanInto(ctx.store, configWith([release({ reguler: 80 })]), AFTER_EVENING);
    const first = await corrections(ctx.store);
    const to60 = await replanInto(ctx.store, configWith([release({ reguler: 60 })]), at('2026-11-26T20:05+07:00'));
    expect(to60).toMatchObject({ correctionsPlanned: 2, cancelled: 2 });
    expect((await corrections(ctx.store)).filter((p) => p.state === 'planned').map((p) => counts(facts(p).release))).toEqual([
      [60, 60],
      [60, 60],
    ]);

    await replanInto(ctx.store, configWith([release({ reguler: 80 })]), at('2026-11-26T20:10+07:00'));
    const history = await getPostHistory(ctx.store, first[0]!.id);
    expect(history.map((p) => [p.revision, p.state])).toEqual([
      [1, 'superseded'],
      [2, 'planned'],
    ]);
    expect(history[1]!.dueAt).toEqual(at('2026-11-26T20:10+07:00'));

    // Back to what was published: no correction is owed any more.
    const undone = await replanInto(ctx.store, configWith([release()]), at('2026-11-26T20:15+07:00'));
    expect(undone.correctionsPlanned).toBe(0);
    expect((await corrections(ctx.store)).filter((p) => p.state === 'planned')).toEqual([]);
  });

  it('plans a cancellation on each channel when the release is cancelled', async () => {
    await announceEveningBefore();
    const cancelled = configWith([release({ cancelled: true, cancelReason: 'gangguan sistem' })]);
    const result = await replanInto(ctx.store, cancelled, AFTER_EVENING);
    expect(result).toMatchObject({ cancelled: 4, correctionsPlanned: 2 });
    const planned = await corrections(ctx.store);
    expect(planned.map((p) => [p.channelId, p.kind, p.template]).sort()).toEqual([
      ['instagram', 'cancellation', 'cancellation'],
      ['x', 'cancellation', 'cancellation'],
    ]);
    expect(facts(planned[0]!).release).toMatchObject({ status: 'cancelled', cancelReason: 'gangguan sistem' });
    expect((await replanInto(ctx.store, cancelled, at('2026-11-26T20:30+07:00'))).correctionsPlanned).toBe(0);
    // A new reason before it went out replaces the pending cancellation: one per channel, still.
    const reworded = await replanInto(ctx.store, configWith([release({ cancelled: true, cancelReason: 'pemeliharaan server' })]), at('2026-11-26T20:40+07:00'));
    expect(reworded).toMatchObject({ correctionsPlanned: 2, cancelled: 2 });
    const current = (await corrections(ctx.store)).filter((p) => p.state === 'planned');
    expect(current.map((p) => facts(p).release?.cancelReason)).toEqual(['pemeliharaan server', 'pemeliharaan server']);
  });

  it('plans a cancellation with the published facts when the release is removed', async () => {
    await announceEveningBefore();
    const result = await replanInto(ctx.store, configWith([]), AFTER_EVENING);
    expect(result).toMatchObject({ cancelled: 4, correctionsPlanned: 2 });
    const planned = await corrections(ctx.store);
    expect(planned.map((p) => p.kind)).toEqual(['cancellation', 'cancellation']);
    expect(facts(planned[0]!).release).toMatchObject({ id: 'buka-27nov', status: 'cancelled' });
    expect(counts(facts(planned[0]!).release)).toEqual([120, 120]);
  });

  it('only supersedes when the change comes before anything was published', async () => {
    await replanInto(ctx.store, configWith([release()]), PLANNED_AT);
    const result = await replanInto(ctx.store, configWith([release({ reguler: 80 })]), at('2026-11-26T13:00+07:00'));
    expect(result).toMatchObject({ superseded: 6, inserted: 6, correctionsPlanned: 0 });
    expect(await corrections(ctx.store)).toEqual([]);
  });

  it('waits while a post about the release is being sent, then corrects what it said', async () => {
    await announceEveningBefore();
    await replanInto(ctx.store, configWith([release({ reguler: 80 })]), AFTER_EVENING);
    for (const post of await corrections(ctx.store)) await markRendered(ctx.store, { id: post.id, revision: post.revision }, '{"text":"ralat"}');
    const claimed = await claimDue(ctx.store, { now: AFTER_EVENING, owner: 'w1', leaseMs: 60_000, limit: 1 });
    expect(claimed.map((p) => p.kind)).toEqual(['correction']);

    // A further edit while that correction is in flight: its channel waits, the other moves on.
    const meanwhile = await replanInto(ctx.store, configWith([release({ reguler: 60 })]), at('2026-11-26T20:01+07:00'));
    expect(meanwhile).toMatchObject({ correctionsPlanned: 1, cancelled: 1 });
    await markPublished(ctx.store, { id: claimed[0]!.id, revision: 1, owner: 'w1' }, { remoteId: 'r-1', url: null, publishedAt: at('2026-11-26T20:01+07:00') });
    const after = await replanInto(ctx.store, configWith([release({ reguler: 60 })]), at('2026-11-26T20:02+07:00'));
    expect(after.correctionsPlanned).toBe(1);
    const owed = (await corrections(ctx.store)).filter((p) => p.channelId === claimed[0]!.channelId && p.state === 'planned');
    expect(owed.map((p) => [counts(facts(p).previous), counts(facts(p).release)])).toEqual([[[80, 80], [60, 60]]]);
  });
});
