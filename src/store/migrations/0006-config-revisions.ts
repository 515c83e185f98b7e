/**
 * Config revisions (issue 8, "one truth that every instance sees"): each
 * accepted change of an office's config is a row with the full content of the
 * office's files, so any instance (and, next, the web console) can rebuild
 * the config from the database alone. `config_current` says which revision
 * each office runs; only a valid revision ever becomes current
 * (store/config-revisions.ts). Invalid ones are kept for the record.
 *
 * `files_json` is `{ "relative/path": "text" }`; `problems_json` the problems
 * found when the revision was checked (file paths relative to the revision).
 * `valid` is 0/1 on both dialects, like the other flags of this schema.
 */
import { type Kysely, type Migration, sql, SqliteAdapter } from 'kysely';

export const configRevisionsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
    await db.schema
      .createTable('config_revisions')
      .addColumn('id', sqlite ? 'integer' : sql`bigserial`, (c) => (sqlite ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('office_id', 'text', (c) => c.notNull())
      .addColumn('parent_id', 'bigint')
      .addColumn('author', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('files_json', 'text', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('problems_json', 'text', (c) => c.notNull())
      .addColumn('valid', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('config_revisions_office').on('config_revisions').columns(['office_id', 'id']).execute();
    // One row per office; revision_id is null only for the instant between the
    // row's creation and its first valid revision (it is the lock writers take).
    await db.schema
      .createTable('config_current')
      .addColumn('office_id', 'text', (c) => c.primaryKey())
      .addColumn('revision_id', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('config_current').execute();
    await db.schema.dropTable('config_revisions').execute();
  },
};
