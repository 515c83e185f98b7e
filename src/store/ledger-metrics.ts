/**
 * What /metrics reads from the ledger at each scrape (metrics/ledger-gauges.ts).
 * A scrape comes every 15–60 s from every Prometheus, on every instance: each
 * read here is one statement over an index, whatever the number of offices
 * (125 offices × 11 states is one grouped query, not 1,375 counts).
 */
import { sql } from 'kysely';
import { approvalCleared } from './approval-gate';
import type { Store } from './open';
import type { PostState } from './types';

export interface PostCountRow {
  officeId: string;
  state: PostState;
  /** Every row of the office in this state (superseded revisions included). */
  count: number;
  /** Of those, the ones due at or after `recentFrom`: what staff still look at (the console's attention window). */
  recent: number;
}

/**
 * Rows per office and state, in one statement. The (office_id, state, due_at)
 * index (migration 0011) covers it: the count is read from the index alone.
 */
export async function countPostsByOfficeAndState(store: Store, recentFrom: Date): Promise<PostCountRow[]> {
  const rows = await store.db
    .selectFrom('posts')
    .select((eb) => [
      'office_id',
      'state',
      eb.fn.countAll().as('count'),
      eb.fn.sum<number | string | null>(sql`case when due_at >= ${recentFrom.getTime()} then 1 else 0 end`).as('recent'),
    ])
    .groupBy(['office_id', 'state'])
    .execute();
  return rows.map((row) => ({ officeId: row.office_id, state: row.state, count: Number(row.count), recent: Number(row.recent ?? 0) }));
}

/**
 * Posts a claim would take right now (the same conditions as store/claims.ts
 * `claimDue`) whose due time (or retry time) is more than `graceMs` ago: with
 * a bot running, a post is claimed within milliseconds of falling due, so any
 * such post means nothing is publishing.
 */
export async function countDueUnsent(store: Store, now: Date, graceMs: number): Promise<number> {
  const before = now.getTime() - graceMs;
  const row = await store.db
    .selectFrom('posts')
    .select((eb) => eb.fn.countAll().as('count'))
    .where((w) =>
      w.and([
        w.or([w.and([w('state', '=', 'ready'), w('due_at', '<=', before)]), w.and([w('state', '=', 'retrying'), w('next_attempt_at', '<=', before)])]),
        w.or([w('deadline', 'is', null), w('deadline', '>', now.getTime())]),
        approvalCleared(w),
      ]),
    )
    .executeTakeFirst();
  return Number(row?.count ?? 0);
}

/**
 * Published posts per channel in the rolling 24 hours before `now` (what a
 * daily cap counts). Bounded by due time too, so the (state, due_at) index
 * finds them: a post goes out before its deadline, never a week after it is due.
 */
export async function countPublishedLastDay(store: Store, now: Date): Promise<Map<string, number>> {
  const dayAgo = now.getTime() - 86_400_000;
  const rows = await store.db
    .selectFrom('posts')
    .select((eb) => ['channel_id', eb.fn.countAll().as('count')])
    .where('state', '=', 'published')
    .where('due_at', '>=', dayAgo - 7 * 86_400_000)
    .where('published_at', '>', dayAgo)
    .where('published_at', '<=', now.getTime())
    .groupBy('channel_id')
    .execute();
  return new Map(rows.map((row) => [row.channel_id, Number(row.count)]));
}

/** When each channel's shared token expires (store/channel-tokens.ts rows that know it). */
export async function listTokenExpiries(store: Store): Promise<Map<string, Date>> {
  const rows = await store.db.selectFrom('channel_tokens').select(['channel_id', 'expires_at']).where('expires_at', 'is not', null).execute();
  return new Map(rows.map((row) => [row.channel_id, new Date(Number(row.expires_at))]));
}
