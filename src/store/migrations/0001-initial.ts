/**
 * The first schema: posts (revisions), attempts, runtime_status.
 * Written once and never edited: later changes go in new migration files.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const initialMigration: Migration = {
  // Migrations see the database without our table types: it changes under them.
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('posts')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('office_id', 'text', (c) => c.notNull())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('release_id', 'text')
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('due_at', 'bigint', (c) => c.notNull())
      .addColumn('deadline', 'bigint')
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('facts_json', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('rendered_json', 'text')
      .addColumn('remote_id', 'text')
      .addColumn('remote_url', 'text')
      .addColumn('published_at', 'bigint')
      .addColumn('last_error', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('posts_pk', ['id', 'revision'])
      .execute();

    // At most one current (non-superseded) revision per post id. The literal
    // is written raw: index predicates may not use bound parameters.
    await db.schema
      .createIndex('posts_one_current')
      .on('posts')
      .column('id')
      .unique()
      .where(sql.ref('state'), '<>', sql.lit('superseded'))
      .execute();
    // "What is pending by due time": rendering, claiming, next wake, listings.
    await db.schema.createIndex('posts_state_due').on('posts').columns(['state', 'due_at']).execute();
    // Retries are due by next_attempt_at, not due_at.
    await db.schema.createIndex('posts_state_next_attempt').on('posts').columns(['state', 'next_attempt_at']).execute();
    await db.schema.createIndex('posts_due').on('posts').column('due_at').execute();

    await db.schema
      .createTable('attempts')
      .addColumn('post_id', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('finished_at', 'bigint')
      .addColumn('outcome', 'text')
      .addColumn('error', 'text')
      .addColumn('remote_id', 'text')
      .addPrimaryKeyConstraint('attempts_pk', ['post_id', 'revision', 'attempt'])
      .execute();

    await db.schema
      .createTable('runtime_status')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value_json', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('runtime_status').execute();
    await db.schema.dropTable('attempts').execute();
    await db.schema.dropTable('posts').execute();
  },
};
