/**
 * Migration 0011: an office's posts are found through their own index
 * (office, state, due time), not by reading every office's posts in the range
 * — what the console's pages ask (dashboard, post list, approvals, calendar).
 */
import { CompiledQuery, sql } from 'kysely';
import { listPosts } from '../../src/store/ledger';
import { syncPlan } from '../../src/store/sync-plan';
import { DIALECTS, useTestStore } from '../support/databases';
import { at, buildPost, plusMinutes } from './post-builder';

const NOW = at('2026-11-27T12:00+07:00');

describe.each(DIALECTS)('posts by office (migration 0011) on %s', (dialect) => {
  const ctx = useTestStore(dialect);

  it('indexes posts by office, state and due time', async () => {
    const columns =
      ctx.store.dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from pragma_index_info('posts_office_state_due') order by seqno`.execute(ctx.store.db)).rows.map((r) => r.name)
        : /\(([^)]+)\)$/.exec((await sql<{ indexdef: string }>`select indexdef from pg_indexes where indexname = 'posts_office_state_due'`.execute(ctx.store.db)).rows[0]?.indexdef ?? '')?.[1]?.split(', ');
    expect(columns).toEqual(['office_id', 'state', 'due_at']);
  });

  it("an office's posts in some states from a time are read through it, and only that office's come back", async () => {
    const offices = ['kanim-medan', 'kanim-pontianak', 'kanim-jayapura'];
    const posts = offices.flatMap((officeId, o) => Array.from({ length: 40 }, (_, i) => buildPost({ n: o * 100 + i, officeId, dueAt: plusMinutes(NOW, 60 * i) })));
    await syncPlan(ctx.store, posts, { from: NOW, to: plusMinutes(NOW, 60 * 40) }, NOW);
    const from = plusMinutes(NOW, 60 * 30);
    const found = await listPosts(ctx.store, { officeId: 'kanim-medan', states: ['planned', 'ready'], from });
    expect(found.map((p) => p.officeId)).toEqual(Array(10).fill('kanim-medan'));

    // The same query as listPosts builds, explained.
    const query = ctx.store.db
      .selectFrom('posts')
      .selectAll()
      .where('state', '<>', 'superseded')
      .where('state', 'in', ['planned', 'ready'])
      .where('due_at', '>=', from.getTime())
      .where('office_id', '=', 'kanim-medan')
      .orderBy('due_at')
      .compile();
    if (ctx.store.dialect === 'sqlite') {
      const plan = await ctx.store.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
      expect(plan.rows.map((r) => r.detail).join('\n')).toContain('USING INDEX posts_office_state_due');
    } else {
      // A few rows would be read by a scan anyway; asked to avoid scans, the planner shows which index serves the query.
      const plan = await ctx.store.db.transaction().execute(async (trx) => {
        await sql`set local enable_seqscan = off`.execute(trx);
        return trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${query.sql}`, [...query.parameters]));
      });
      expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toContain('posts_office_state_due');
    }
  });
});
