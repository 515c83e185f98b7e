/** Write transactions that behave the same on SQLite and PostgreSQL. */
import { type Kysely, sql } from 'kysely';
import type { Store } from './open';
import type { Database } from './schema';

/**
 * Runs `work` in one write transaction and returns its result.
 *
 * SQLite: `BEGIN IMMEDIATE` takes the write lock up front. A plain (deferred)
 * BEGIN that reads first and writes later can fail with SQLITE_BUSY when it
 * tries to upgrade while another process (e.g. `status`) holds a snapshot,
 * and the busy timeout does not help in that case. Kysely's SQLite driver
 * runs one connection with a mutex, so `db.connection()` also serialises the
 * concurrent callers of this process.
 */
export async function inWriteTransaction<T>(store: Store, work: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  if (store.dialect === 'postgres') return store.db.transaction().execute(work);
  return store.db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw error;
    }
  });
}
