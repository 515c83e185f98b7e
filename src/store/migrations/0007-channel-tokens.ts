/**
 * Access tokens shared by every instance (issue 8: "tokens refreshed by one
 * instance are used by all"). One row per channel: the token it publishes
 * with now, and where that token comes from.
 *
 * - `token_sealed`: the refreshed token, AES-256-GCM sealed
 *   (store/token-cipher.ts); null while the channel uses the token from `.env`
 *   (it lives in the environment, so the database does not keep a copy).
 * - `env_fingerprint`: sha256 of the `.env` token this state descends from; a
 *   different `.env` token on an instance is a NEW one (staff replaced it) and
 *   wins, unless it is listed in `retired_fingerprints` (JSON array): then it
 *   is an OLD one still in an instance's `.env`, and the stored token wins.
 * - `obtained_at`, `expires_at`: when the token was issued or first seen, and
 *   when it stops working (null until the platform says).
 * - `updated_by`: the instance that wrote the row (for operators).
 */
import type { Kysely, Migration } from 'kysely';

export const channelTokensMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('channel_tokens')
      .addColumn('channel_id', 'text', (c) => c.primaryKey())
      .addColumn('token_sealed', 'text')
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('env_fingerprint', 'text', (c) => c.notNull())
      .addColumn('retired_fingerprints', 'text', (c) => c.notNull())
      .addColumn('obtained_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('channel_tokens').execute();
  },
};
