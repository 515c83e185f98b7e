/**
 * `instances`: every running bot (several on one PostgreSQL) writes a
 * heartbeat here every few seconds. A live instance that sees another's
 * heartbeat go stale releases the dead one's claims at once, instead of
 * waiting for their leases to run out (store/instances.ts). `job_runs`
 * coordinates periodic work across instances (store/job-runs.ts).
 */
import type { Kysely, Migration } from 'kysely';

export const instancesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('instances')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('pid', 'integer', (c) => c.notNull())
      .addColumn('host', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('instances_heartbeat').on('instances').column('heartbeat_at').execute();
    // Periodic work (re-plan, account checks) runs once per period across the
    // cluster: the instance whose insert of (job, period) lands runs it.
    await db.schema
      .createTable('job_runs')
      .addColumn('job', 'text', (c) => c.notNull())
      .addColumn('period_key', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addPrimaryKeyConstraint('job_runs_pk', ['job', 'period_key'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('job_runs').execute();
    await db.schema.dropTable('instances').execute();
  },
};
