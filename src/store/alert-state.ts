/**
 * Alert delivery state shared by every instance on one database
 * (migrations/0008-alert-deliveries.ts): which problems were delivered, so two
 * instances raising the same alert deliver it once; and each sink's sliding
 * rate-limit window and held-back count, so N instances send at most the
 * configured number per window together, and one summary.
 *
 * Writers of one sink's window serialise on its `alert_held` row (PostgreSQL:
 * `FOR UPDATE`; SQLite: the write transaction is the lock).
 */
import type { Kysely } from 'kysely';
import type { Store } from './open';
import type { Database } from './schema';
import { inWriteTransaction } from './transaction';

/**
 * Whether this caller delivers `problem` now: true when no one delivered it
 * with the same `digest` within `remindAfterMs` (and it is now recorded as
 * delivered, at `now`). One upsert: of two instances asking at once, one wins.
 */
export async function claimAlertDelivery(store: Store, claim: { scope: string; problem: string; digest: string }, now: Date, remindAfterMs: number): Promise<boolean> {
  const at = now.getTime();
  const result = await store.db
    .insertInto('alert_deliveries')
    .values({ scope: claim.scope, problem: claim.problem, digest: claim.digest, delivered_at: at })
    .onConflict((oc) =>
      oc
        .columns(['scope', 'problem'])
        .doUpdateSet({ digest: claim.digest, delivered_at: at })
        .where((eb) => eb.or([eb('alert_deliveries.digest', '<>', claim.digest), eb('alert_deliveries.delivered_at', '<=', at - remindAfterMs)])),
    )
    .executeTakeFirst();
  const won = Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  // Rows this old suppress nothing any more.
  if (won) await store.db.deleteFrom('alert_deliveries').where('delivered_at', '<', at - 2 * remindAfterMs).execute();
  return won;
}

export interface WindowPolicy {
  maxPerWindow: number;
  windowMs: number;
}

/**
 * A place in sink `scope`'s window for one notice at `now`: true when fewer
 * than `maxPerWindow` went out in the `windowMs` before it (the send is
 * recorded); else false, and the notice is counted as held back.
 */
export async function takeAlertSend(store: Store, scope: string, now: Date, policy: WindowPolicy): Promise<boolean> {
  const at = now.getTime();
  return inWriteTransaction(store, async (trx) => {
    await lockWindow(store, trx, scope, at);
    if ((await sendsInWindow(trx, scope, at, policy)).length < policy.maxPerWindow) {
      await trx.insertInto('alert_sends').values({ scope, sent_at: at }).execute();
      return true;
    }
    await addHeld(trx, scope, at);
    return false;
  });
}

/** Counts one notice held back without a place asked for (the sink's queue is too long). */
export async function holdAlert(store: Store, scope: string, now: Date): Promise<void> {
  await inWriteTransaction(store, async (trx) => {
    await lockWindow(store, trx, scope, now.getTime());
    await addHeld(trx, scope, now.getTime());
  });
}

/** When the oldest send in the window leaves it; null when the window is empty. */
export async function oldestSendLeavesAt(store: Store, scope: string, now: Date, policy: WindowPolicy): Promise<Date | null> {
  const oldest = await store.db
    .selectFrom('alert_sends')
    .select((eb) => eb.fn.min('sent_at').as('first'))
    .where('scope', '=', scope)
    .where('sent_at', '>', now.getTime() - policy.windowMs)
    .executeTakeFirst();
  const first = oldest?.first;
  return first === null || first === undefined ? null : new Date(Number(first) + policy.windowMs);
}

/**
 * One summary for the notices held back (by any instance): when some were
 * held and there is a place (and `canSend`), records the summary as a send,
 * clears the count and returns it; else `count` 0 and, when some are still
 * held, `retry` true. Of two instances asking at once, one gets the count.
 */
export async function takeAlertSummary(store: Store, scope: string, now: Date, policy: WindowPolicy & { canSend: boolean }): Promise<{ count: number; retry: boolean }> {
  const at = now.getTime();
  return inWriteTransaction(store, async (trx) => {
    const held = await lockWindow(store, trx, scope, at);
    if (held === 0) return { count: 0, retry: false };
    if (!policy.canSend || (await sendsInWindow(trx, scope, at, policy)).length >= policy.maxPerWindow) return { count: 0, retry: true };
    await trx.insertInto('alert_sends').values({ scope, sent_at: at }).execute();
    await trx.updateTable('alert_held').set({ held: 0, updated_at: at }).where('scope', '=', scope).execute();
    return { count: held, retry: false };
  });
}

/** Creates the sink's row if needed and locks it; returns how many notices are held back. */
async function lockWindow(store: Store, trx: Kysely<Database>, scope: string, at: number): Promise<number> {
  await trx.insertInto('alert_held').values({ scope, held: 0, updated_at: at }).onConflict((oc) => oc.column('scope').doNothing()).execute();
  const select = trx.selectFrom('alert_held').select('held').where('scope', '=', scope);
  const row = await (store.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
  return Number(row?.held ?? 0);
}

/** The sends still in the window (older ones are deleted: they count for nothing any more). */
async function sendsInWindow(trx: Kysely<Database>, scope: string, at: number, policy: WindowPolicy): Promise<number[]> {
  await trx.deleteFrom('alert_sends').where('scope', '=', scope).where('sent_at', '<=', at - policy.windowMs).execute();
  const rows = await trx.selectFrom('alert_sends').select('sent_at').where('scope', '=', scope).execute();
  return rows.map((row) => Number(row.sent_at));
}

async function addHeld(trx: Kysely<Database>, scope: string, at: number): Promise<void> {
  await trx
    .updateTable('alert_held')
    .set((eb) => ({ held: eb('held', '+', 1), updated_at: at }))
    .where('scope', '=', scope)
    .execute();
}
