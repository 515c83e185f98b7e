/**
 * The ledger side of reconciliation (../shared/DESIGN.md, protocol step 3):
 * list posts of unclear outcome, and settle each one after reading the account
 * back — `published` when found, `retrying` or `expired` when not.
 *
 * Every transition is guarded by the post's `attempts` counter as seen when
 * it was listed: a claim bumps it, so a stale decision (another instance
 * reconciled and re-sent meanwhile) changes nothing. Each decision adds an
 * `attempts` row (outcome `reconciled` or `not-found`) and bumps the counter,
 * which keeps the row numbering unique for the next claim.
 */
import type { Kysely } from 'kysely';
import type { Store } from './open';
import { rowToPost } from './rows';
import type { Database } from './schema';
import { inWriteTransaction } from './transaction';
import type { LedgerPost } from './types';

/** A post in state `unknown` and when its first channel call started. */
export interface UnknownPost {
  post: LedgerPost;
  /** Start of the revision's first attempt; null if it has none (should not happen). */
  firstAttemptAt: Date | null;
}

/** Which post revision, and the `attempts` count the decision was made on. */
export interface ReconcileKey {
  id: string;
  revision: number;
  attempts: number;
}

/** Every post of unclear outcome (current revisions: `unknown` is never superseded), by due time. */
export async function listUnknownPosts(store: Store, options: { limit?: number } = {}): Promise<UnknownPost[]> {
  let query = store.db
    .selectFrom('posts')
    .selectAll('posts')
    .select((eb) =>
      eb
        .selectFrom('attempts')
        .select((a) => a.fn.min('attempts.started_at').as('first'))
        .whereRef('attempts.post_id', '=', 'posts.id')
        .whereRef('attempts.revision', '=', 'posts.revision')
        .as('first_attempt_at'),
    )
    .where('posts.state', '=', 'unknown')
    .orderBy('posts.due_at')
    .orderBy('posts.id');
  if (options.limit !== undefined) query = query.limit(options.limit);
  const rows = await query.execute();
  return rows.map(({ first_attempt_at: first, ...row }) => ({
    post: rowToPost(row),
    // PostgreSQL returns BIGINT aggregates as text.
    firstAttemptAt: first === null || first === undefined ? null : new Date(Number(first)),
  }));
}

/**
 * Which of `remoteIds` some post of `channelId` already records as its
 * publication. Per channel, as the unique index (migration 0002): ids are
 * unique only within a platform, and two fakes — or Instagram and Threads —
 * may hand out the same number.
 */
export async function findHeldRemoteIds(store: Store, channelId: string, remoteIds: readonly string[]): Promise<Set<string>> {
  if (remoteIds.length === 0) return new Set();
  const rows = await store.db.selectFrom('posts').select('remote_id').where('channel_id', '=', channelId).where('remote_id', 'in', [...remoteIds]).execute();
  return new Set(rows.map((r) => r.remote_id).filter((id): id is string => id !== null));
}

/**
 * `unknown` → `published` with the remote post found by read-back. Idempotent:
 * true when the post is now published with this remote id (also when it
 * already was); false when the post moved on (re-claimed, published as
 * something else) or another post already holds `result.remoteId`.
 */
export async function markReconciledPublished(
  store: Store,
  key: ReconcileKey,
  result: { remoteId: string; url: string | null; publishedAt: Date },
  context: { now: Date; owner: string },
): Promise<boolean> {
  const at = context.now.getTime();
  return inWriteTransaction(store, async (trx) => {
    const current = await trx
      .selectFrom('posts')
      .select(['state', 'remote_id', 'channel_id'])
      .where('id', '=', key.id)
      .where('revision', '=', key.revision)
      .executeTakeFirst();
    if (current?.state === 'published') return current.remote_id === result.remoteId;
    if (!current) return false;
    const holder = await trx.selectFrom('posts').select('id').where('channel_id', '=', current.channel_id).where('remote_id', '=', result.remoteId).executeTakeFirst();
    if (holder) return false;
    const row = await trx
      .updateTable('posts')
      .set((eb) => ({
        state: 'published',
        remote_id: result.remoteId,
        remote_url: result.url,
        published_at: result.publishedAt.getTime(),
        attempts: eb('attempts', '+', 1),
        next_attempt_at: null,
        lease_until: null,
        last_error: null,
        updated_at: at,
      }))
      .where('id', '=', key.id)
      .where('revision', '=', key.revision)
      .where('state', '=', 'unknown')
      .where('attempts', '=', key.attempts)
      .returning(['attempts'])
      .executeTakeFirst();
    if (!row) return false;
    await addAttempt(trx, key, Number(row.attempts), { owner: context.owner, at, outcome: 'reconciled', error: null, remoteId: result.remoteId });
    return true;
  });
}

/**
 * After a read-back that did not find the post: `unknown` → `retrying`
 * (due at `retryAt`) while its deadline has not come, or → `expired`.
 * Returns the post as stored, or null when it moved on meanwhile.
 */
export async function markReconciledNotFound(
  store: Store,
  key: ReconcileKey,
  outcome: { state: 'retrying'; retryAt: Date; note: string } | { state: 'expired'; note: string },
  context: { now: Date; owner: string },
): Promise<LedgerPost | null> {
  const at = context.now.getTime();
  return inWriteTransaction(store, async (trx) => {
    const row = await trx
      .updateTable('posts')
      .set((eb) => ({
        state: outcome.state,
        attempts: eb('attempts', '+', 1),
        next_attempt_at: outcome.state === 'retrying' ? outcome.retryAt.getTime() : null,
        lease_until: null,
        last_error: outcome.note,
        updated_at: at,
      }))
      .where('id', '=', key.id)
      .where('revision', '=', key.revision)
      .where('state', '=', 'unknown')
      .where('attempts', '=', key.attempts)
      .returningAll()
      .executeTakeFirst();
    if (!row) return null;
    await addAttempt(trx, key, Number(row.attempts), { owner: context.owner, at, outcome: 'not-found', error: outcome.note, remoteId: null });
    return rowToPost(row);
  });
}

async function addAttempt(
  trx: Kysely<Database>,
  key: ReconcileKey,
  attempt: number,
  row: { owner: string; at: number; outcome: string; error: string | null; remoteId: string | null },
): Promise<void> {
  await trx
    .insertInto('attempts')
    .values({
      post_id: key.id,
      revision: key.revision,
      attempt,
      owner: row.owner,
      started_at: row.at,
      finished_at: row.at,
      outcome: row.outcome,
      error: row.error,
      remote_id: row.remoteId,
    })
    .execute();
}
