/**
 * Card bytes in the database (issue 8, "cards from any instance"). A card
 * rendered by one instance used to live only on that instance's disk: another
 * instance claiming the post could not upload it to X (ENOENT), and its media
 * server answered Instagram's fetch with 404. Now the bytes are stored with the
 * rendering, in the same transaction that makes the post `ready`, so any
 * instance can publish and serve any card; the file on disk stays as a cache.
 *
 * Why the database and not an S3-compatible store: the single-machine office
 * (the default) must keep needing nothing but its SQLite file, and a cluster
 * already has PostgreSQL, which is backed up with `pg_dump`; a second service
 * would be one more thing to run, secure, back up and keep consistent with the
 * ledger (a post `ready` whose card upload failed). The volume is small:
 * measured on the sample office, one card is 128 KB (PNG, X) to 159 KB (JPEG,
 * Instagram), 143 KB on average; a year of one office is 530 cards ≈ 76 MB,
 * of 200 offices ≈ 15 GB — ordinary for PostgreSQL (TOAST keeps the bytes out
 * of the row; JPEG/PNG do not compress further).
 *
 * `file` is the path the ledger records (`media/<post>/r<revision>/card.jpg`,
 * relative to the data directory): the media server and the drivers look cards
 * up by it. `bytes` is BLOB on SQLite, BYTEA on PostgreSQL.
 */
import { type Kysely, type Migration, sql, SqliteAdapter } from 'kysely';

export const cardMediaMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    const binary = db.getExecutor().adapter instanceof SqliteAdapter ? sql`blob` : sql`bytea`;
    await db.schema
      .createTable('media')
      .addColumn('file', 'text', (c) => c.primaryKey())
      .addColumn('post_id', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('mime', 'text', (c) => c.notNull())
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('height', 'integer', (c) => c.notNull())
      .addColumn('bytes', binary, (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    // A re-render replaces the cards of one post revision; pruning goes by post.
    await db.schema.createIndex('media_post').on('media').columns(['post_id', 'revision']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('media').execute();
  },
};
