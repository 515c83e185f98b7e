/**
 * Alerts once per cluster (issue 8): several instances raising the same alert
 * (an account check, a reconciliation that cannot decide) must deliver it once,
 * and share one rate limit and one summary per sink. Before this, each
 * instance kept its own memory (a JSON object in `runtime_status`) and window.
 *
 * - `alert_deliveries`: per delivery scope (`global`, `office:<id>`) and problem
 *   (`kind|postId`), the digest of the message last delivered and when. An
 *   instance delivers only if its upsert of (scope, problem) lands
 *   (store/alert-state.ts): one atomic statement, so two instances never both win.
 * - `alert_sends`: when each notice of a sink (`<scope>|<sink>`) was let through,
 *   for the sliding rate-limit window; rows older than the window are pruned.
 * - `alert_held`: per sink, notices held back by the window, for the one summary;
 *   its row is also what concurrent senders lock.
 *
 * The per-instance memories already in `runtime_status` are carried over, so
 * an upgrade does not deliver again what was delivered just before it.
 */
import type { Kysely, Migration } from 'kysely';

interface Tables {
  runtime_status: { key: string; value_json: string };
  alert_deliveries: { scope: string; problem: string; digest: string; delivered_at: number };
}

const OLD_KEY = 'alert-deliveries';

export const alertDeliveriesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('alert_deliveries')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('problem', 'text', (c) => c.notNull())
      .addColumn('digest', 'text', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('alert_deliveries_pk', ['scope', 'problem'])
      .execute();
    await db.schema.createIndex('alert_deliveries_at').on('alert_deliveries').column('delivered_at').execute();
    await db.schema
      .createTable('alert_sends')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alert_sends_scope').on('alert_sends').columns(['scope', 'sent_at']).execute();
    await db.schema
      .createTable('alert_held')
      .addColumn('scope', 'text', (c) => c.primaryKey())
      .addColumn('held', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    const typed = db as unknown as Kysely<Tables>;
    const old = await typed
      .selectFrom('runtime_status')
      .selectAll()
      .where((eb) => eb.or([eb('key', '=', OLD_KEY), eb('key', 'like', `${OLD_KEY}:%`)]))
      .execute();
    for (const row of old) {
      const scope = row.key === OLD_KEY ? 'global' : `office:${row.key.slice(OLD_KEY.length + 1)}`;
      let memory: Record<string, { digest?: unknown; at?: unknown }> = {};
      try {
        memory = JSON.parse(row.value_json) as typeof memory;
      } catch {
        // An unreadable memory is dropped: at worst an alert is delivered once more.
      }
      const values = Object.entries(memory ?? {}).flatMap(([problem, entry]) => {
        const at = typeof entry?.at === 'string' ? Date.parse(entry.at) : NaN;
        return typeof entry?.digest === 'string' && Number.isFinite(at) ? [{ scope, problem, digest: entry.digest, delivered_at: at }] : [];
      });
      for (const value of values) await typed.insertInto('alert_deliveries').values(value).onConflict((oc) => oc.doNothing()).execute();
      await typed.deleteFrom('runtime_status').where('key', '=', row.key).execute();
    }
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('alert_held').execute();
    await db.schema.dropTable('alert_sends').execute();
    await db.schema.dropTable('alert_deliveries').execute();
  },
};
