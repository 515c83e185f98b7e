/**
 * The publish protocol's ledger side: claim with a lease before calling a
 * channel, record the outcome only while holding the lease, and turn leases
 * whose holder vanished into `unknown` (never re-sent blindly).
 */
import type { Kysely } from 'kysely';
import { AppError } from '../errors';
import type { Store } from './open';
import { approvalCleared } from './approval-gate';
import { rowToPost, type PostRow } from './rows';
import type { Database } from './schema';
import { inWriteTransaction } from './transaction';
import { PENDING_STATES, type LedgerPost } from './types';

/** Which revision a worker holds, and who the worker is. */
export interface ClaimKey {
  id: string;
  revision: number;
  owner: string;
}

/** Raised by `markPublished`/`markFailed` when the caller no longer holds the post's lease. */
export class LeaseLostError extends AppError {
  constructor(claim: ClaimKey, state: string | null) {
    super(
      'store-failed',
      state === null
        ? `Post ${claim.id} revision ${claim.revision} is not in the ledger; its result was not recorded.`
        : `Post ${claim.id} revision ${claim.revision} is no longer held by ${claim.owner} (state ${state}); its result was not recorded. Check \`status\` before sending it again.`,
    );
    this.name = 'LeaseLostError';
  }
}

/**
 * Atomically moves due posts to `claimed` under a lease and returns them by
 * due time: `ready` posts with dueAt <= now and `retrying` posts with
 * nextAttemptAt <= now, whose deadline is null or after now, and that need no
 * approval or have one of their present content (approval-gate.ts). Each claim
 * counts an attempt and opens an `attempts` row.
 *
 * One UPDATE picks and claims the rows, so two claimers never get the same
 * post: SQLite runs one writer at a time; on PostgreSQL the picking SELECT
 * takes row locks with SKIP LOCKED, so concurrent claimers pass over rows
 * another one is claiming instead of waiting for them (or claiming them twice).
 */
export async function claimDue(
  store: Store,
  options: { now: Date; owner: string; leaseMs: number; limit: number },
): Promise<LedgerPost[]> {
  const { owner, leaseMs, limit } = options;
  const now = options.now.getTime();
  if (limit <= 0) return [];
  return inWriteTransaction(store, async (trx) => {
    const rows = await trx
      .updateTable('posts')
      .set((eb) => ({
        state: 'claimed',
        lease_owner: owner,
        lease_until: now + leaseMs,
        attempts: eb('attempts', '+', 1),
        updated_at: now,
      }))
      .where(({ eb, refTuple, selectFrom }) =>
        eb(
          refTuple('id', 'revision'),
          'in',
          selectFrom('posts')
            .select(['id', 'revision'])
            .where((w) =>
              w.and([
                w.or([
                  w.and([w('state', '=', 'ready'), w('due_at', '<=', now)]),
                  w.and([w('state', '=', 'retrying'), w('next_attempt_at', '<=', now)]),
                ]),
                w.or([w('deadline', 'is', null), w('deadline', '>', now)]),
                // Never an unapproved post: checked in this statement, so no instance can send one.
                approvalCleared(w),
              ]),
            )
            .orderBy('due_at')
            .orderBy('id')
            .limit(limit)
            .$if(store.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
            .$asTuple('id', 'revision'),
        ),
      )
      .returningAll()
      .execute();
    if (rows.length > 0) {
      await trx
        .insertInto('attempts')
        // `preparing`: nothing sent yet; the driver's checkpoint moves it to `sending` (channel.ts).
        .values(rows.map((r) => ({ post_id: r.id, revision: r.revision, attempt: r.attempts, owner, started_at: now, phase: 'preparing' })))
        .execute();
    }
    return rows.map(rowToPost).sort(byDueThenId);
  });
}

/**
 * Records a successful publication. Succeeds while `claim.owner` holds the
 * post, also after its lease ran out and it went `unknown`: the holder now
 * knows the outcome, which settles the doubt.
 * @throws LeaseLostError when another worker holds the post or it moved on.
 */
export async function markPublished(
  store: Store,
  claim: ClaimKey,
  result: { remoteId: string; url: string | null; publishedAt: Date },
): Promise<void> {
  const at = result.publishedAt.getTime();
  await inWriteTransaction(store, async (trx) => {
    const row = await trx
      .updateTable('posts')
      .set({
        state: 'published',
        remote_id: result.remoteId,
        remote_url: result.url,
        published_at: at,
        lease_until: null,
        next_attempt_at: null,
        last_error: null,
        updated_at: at,
      })
      .where('id', '=', claim.id)
      .where('revision', '=', claim.revision)
      .where('lease_owner', '=', claim.owner)
      .where('state', 'in', ['claimed', 'unknown'])
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new LeaseLostError(claim, await stateOf(trx, claim));
    await finishAttempt(trx, row, { finished_at: at, outcome: 'published', error: null, remote_id: result.remoteId });
  });
}

/**
 * Records a failed channel call: `retrying` (clear transient failure, tried
 * again at `retryAt`), `dead` (permanent), `unknown` (outcome unclear:
 * reconcile first) or `expired` (no retry could finish before the deadline). Only while `claim.owner` holds the claimed post.
 * `now` (optional) stamps the attempt's end and the row's update time.
 * @throws LeaseLostError when the caller lost the lease.
 * @throws AppError('store-failed') for `retrying` without `retryAt`.
 */
export async function markFailed(
  store: Store,
  claim: ClaimKey,
  outcome: { state: 'retrying' | 'dead' | 'unknown' | 'expired'; error: string; retryAt: Date | null },
  now?: Date,
): Promise<void> {
  if (outcome.state === 'retrying' && outcome.retryAt === null) {
    throw new AppError('store-failed', `Post ${claim.id}: a retry needs a retry time; pass retryAt or mark the post dead.`);
  }
  const at = now ? now.getTime() : null;
  await inWriteTransaction(store, async (trx) => {
    const row = await trx
      .updateTable('posts')
      .set({
        state: outcome.state,
        last_error: outcome.error,
        next_attempt_at: outcome.state === 'retrying' && outcome.retryAt ? outcome.retryAt.getTime() : null,
        lease_until: null,
        ...(at === null ? {} : { updated_at: at }),
      })
      .where('id', '=', claim.id)
      .where('revision', '=', claim.revision)
      .where('lease_owner', '=', claim.owner)
      .where('state', '=', 'claimed')
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new LeaseLostError(claim, await stateOf(trx, claim));
    await finishAttempt(trx, row, { finished_at: at, outcome: outcome.state, error: outcome.error, remote_id: null });
  });
}

/**
 * Records how far the holder's current attempt got (channel.ts
 * `PublishRequest.checkpoint`), only while it still holds the claimed post:
 * a holder that lost its lease learns it here, before it sends anything more.
 * @throws LeaseLostError when the caller no longer holds the post.
 */
export async function markAttemptPhase(store: Store, claim: ClaimKey, phase: 'sending'): Promise<void> {
  await inWriteTransaction(store, async (trx) => {
    // Touching the post row takes its lock (PostgreSQL): a concurrent release waits for this.
    const held = await trx
      .updateTable('posts')
      .set((eb) => ({ attempts: eb.ref('attempts') }))
      .where('id', '=', claim.id)
      .where('revision', '=', claim.revision)
      .where('lease_owner', '=', claim.owner)
      .where('state', '=', 'claimed')
      .returning('attempts')
      .executeTakeFirst();
    if (!held) throw new LeaseLostError(claim, await stateOf(trx, claim));
    await trx
      .updateTable('attempts')
      .set({ phase })
      .where('post_id', '=', claim.id)
      .where('revision', '=', claim.revision)
      .where('attempt', '=', held.attempts)
      .execute();
  });
}

/**
 * Claimed posts whose lease ran out (the holder crashed or hung mid-call)
 * become `unknown`: the post may or may not be out, so it waits for
 * reconciliation instead of being sent again. Returns them.
 */
export async function releaseExpiredLeases(store: Store, now: Date): Promise<LedgerPost[]> {
  return releaseLeases(store, now, { all: false });
}

/**
 * Every claim still open becomes `unknown`, whatever its lease: for a process
 * that holds the data-directory lock at start-up, any open claim belongs to a
 * predecessor that died mid-call. Times are stamped with the real `now`.
 */
export async function releaseAllLeases(store: Store, now: Date): Promise<LedgerPost[]> {
  return releaseLeases(store, now, { all: true });
}

/**
 * Every claim held by `owners` (instances known dead: their heartbeat went
 * stale) is released at once, by the same rules as `releaseAllLeases`: an
 * attempt still `preparing` is due again now, one `sending` goes `unknown`.
 * Runs inside the caller's transaction.
 */
export async function releaseLeasesOfOwners(trx: Kysely<Database>, owners: string[], now: Date): Promise<LedgerPost[]> {
  if (owners.length === 0) return [];
  return releaseLeasesIn(trx, now, { all: true, owners });
}

async function releaseLeases(store: Store, now: Date, options: { all: boolean }): Promise<LedgerPost[]> {
  return inWriteTransaction(store, (trx) => releaseLeasesIn(trx, now, options));
}

async function releaseLeasesIn(trx: Kysely<Database>, now: Date, options: { all: boolean; owners?: string[] }): Promise<LedgerPost[]> {
  const at = now.getTime();
  const owners = options.owners;
  {
    if (options.all) {
      // The holder is dead (we hold the data-dir lock): an attempt it left at
      // `preparing` sent nothing that creates the post, so it is due again now.
      // (A lease that merely ran out may belong to a hung holder that wakes up;
      // that one learns at its next checkpoint that it lost the post.)
      const interrupted = await trx
        .updateTable('posts')
        .set({
          state: 'retrying',
          next_attempt_at: at,
          lease_until: null,
          last_error: 'The sender stopped before it sent the post to the platform: tried again at once.',
          updated_at: at,
        })
        .where('state', '=', 'claimed')
        .$if(owners !== undefined, (query) => query.where('lease_owner', 'in', owners!))
        .where(({ exists, selectFrom }) =>
          exists(
            selectFrom('attempts')
              .select('attempts.post_id')
              .whereRef('attempts.post_id', '=', 'posts.id')
              .whereRef('attempts.revision', '=', 'posts.revision')
              .whereRef('attempts.attempt', '=', 'posts.attempts')
              .where('attempts.phase', '=', 'preparing'),
          ),
        )
        .returningAll()
        .execute();
      for (const row of interrupted) {
        await finishAttempt(trx, row, { finished_at: at, outcome: 'interrupted', error: 'stopped before sending', remote_id: null });
      }
    }
    const rows = await trx
      .updateTable('posts')
      .set({
        state: 'unknown',
        lease_until: null,
        last_error: 'The lease ran out while the post was being sent (the sender stopped or hung): the outcome is unclear; reconcile before any retry.',
        updated_at: at,
      })
      .where('state', '=', 'claimed')
      .$if(!options.all, (query) => query.where('lease_until', '<=', at))
      .$if(owners !== undefined, (query) => query.where('lease_owner', 'in', owners!))
      .returningAll()
      .execute();
    for (const row of rows) {
      await finishAttempt(trx, row, { finished_at: at, outcome: 'unknown', error: owners ? 'holder stopped heart-beating' : 'lease expired', remote_id: null });
    }
    return rows.map(rowToPost).sort(byDueThenId);
  }
}

/**
 * Pending posts (planned, ready, retrying) whose deadline has come become
 * `expired` and are returned, for alerts: a post is never published late.
 */
export async function expireOverdue(store: Store, now: Date): Promise<LedgerPost[]> {
  const at = now.getTime();
  const rows = await store.db
    .updateTable('posts')
    .set({ state: 'expired', next_attempt_at: null, updated_at: at })
    .where('state', 'in', PENDING_STATES)
    .where('deadline', 'is not', null)
    .where('deadline', '<=', at)
    .returningAll()
    .execute();
  return rows.map(rowToPost).sort(byDueThenId);
}

async function finishAttempt(
  trx: Kysely<Database>,
  row: PostRow,
  result: { finished_at: number | null; outcome: string; error: string | null; remote_id: string | null },
): Promise<void> {
  await trx
    .updateTable('attempts')
    .set(result)
    .where('post_id', '=', row.id)
    .where('revision', '=', row.revision)
    .where('attempt', '=', row.attempts)
    .execute();
}

async function stateOf(trx: Kysely<Database>, key: { id: string; revision: number }): Promise<string | null> {
  const row = await trx
    .selectFrom('posts')
    .select('state')
    .where('id', '=', key.id)
    .where('revision', '=', key.revision)
    .executeTakeFirst();
  return row?.state ?? null;
}

function byDueThenId(a: LedgerPost, b: LedgerPost): number {
  return a.dueAt.getTime() - b.dueAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
