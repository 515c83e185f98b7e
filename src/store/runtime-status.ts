/**
 * Small facts the `status` command shows and that outlive a process: the last
 * config load (ok, problems, loadedAt, and the content hash and file times the
 * running plan was built from: `ConfigStatus` in app/bot.ts), the running
 * instance's heartbeat, account checks, alerts. Values are stored as JSON
 * (Dates become ISO strings).
 */
import type { Store } from './open';
import { inWriteTransaction } from './transaction';

/** Well-known keys; any other string works too. */
export type RuntimeStatusKey = 'config-load' | 'last-replan' | 'heartbeat' | (string & {});

/** Stores `value` as JSON under `key`, replacing what was there. */
export async function setRuntimeStatus(store: Store, key: RuntimeStatusKey, value: unknown): Promise<void> {
  const valueJson = JSON.stringify(value) ?? 'null';
  await store.db
    .insertInto('runtime_status')
    .values({ key, value_json: valueJson })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value_json: valueJson }))
    .execute();
}

/** The value stored under `key` (parsed JSON), or null when none. */
export async function getRuntimeStatus<T = unknown>(store: Store, key: RuntimeStatusKey): Promise<T | null> {
  const row = await store.db.selectFrom('runtime_status').select('value_json').where('key', '=', key).executeTakeFirst();
  return row ? (JSON.parse(row.value_json) as T) : null;
}

/**
 * Read-modify-write of one key, atomic across instances (several bots on one
 * PostgreSQL append to the same list): `update` gets the current value (null
 * when none) and returns the next one, or undefined to leave it as it is.
 */
export async function updateRuntimeStatus<T>(store: Store, key: RuntimeStatusKey, update: (current: T | null) => T | undefined): Promise<void> {
  await inWriteTransaction(store, async (trx) => {
    // The row must exist to be locked.
    await trx.insertInto('runtime_status').values({ key, value_json: 'null' }).onConflict((oc) => oc.column('key').doNothing()).execute();
    const select = trx.selectFrom('runtime_status').select('value_json').where('key', '=', key);
    const row = await (store.dialect === 'postgres' ? select.forUpdate() : select).executeTakeFirst();
    const next = update(row ? (JSON.parse(row.value_json) as T | null) : null);
    if (next === undefined) return;
    await trx.updateTable('runtime_status').set({ value_json: JSON.stringify(next) ?? 'null' }).where('key', '=', key).execute();
  });
}
