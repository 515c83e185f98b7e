/**
 * How far an attempt got: `preparing` (from the claim until the driver's
 * checkpoint: nothing that can create the post was sent, at most Instagram
 * containers or X media uploads) or `sending` (the creating request may have
 * reached the platform); null for attempts from before this migration. After a crash, an attempt still `preparing` is
 * certainly not on the platform and is tried again at once instead of waiting
 * for a read-back: with one-minute deadlines that wait is the difference.
 */
import type { Kysely, Migration } from 'kysely';

export const attemptPhaseMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('attempts').addColumn('phase', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('attempts').dropColumn('phase').execute();
  },
};
