/**
 * One platform post settles at most one ledger post. Reconciliation already
 * checks this inside its transaction, but two PostgreSQL instances reconciling
 * identical texts at the same moment could both pass that check; the index
 * makes the second one fail instead of recording one remote post twice.
 */
import { type Kysely, type Migration, sql } from 'kysely';

export const uniqueRemoteIdMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('posts_one_remote_post')
      .on('posts')
      .columns(['channel_id', 'remote_id'])
      .unique()
      .where(sql.ref('remote_id'), 'is not', null)
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('posts_one_remote_post').execute();
  },
};
