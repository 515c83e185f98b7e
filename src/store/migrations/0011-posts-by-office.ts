/**
 * The console's pages read one office's posts (issue 9): its dashboard, post
 * list, approvals and calendar ask "this office's posts in these states, by due
 * time", and the post list counts them by state. The ledger's indexes were made
 * for the scheduler ("every office's posts by state and due time"), so with many
 * offices each page read every office's posts in the range and dropped the rest
 * (bench/console.ts: 200 offices × a year, up to a second per page). This index
 * finds an office's posts directly; the counts by state are read from it alone.
 */
import type { Kysely, Migration } from 'kysely';

export const postsByOfficeMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('posts_office_state_due').on('posts').columns(['office_id', 'state', 'due_at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('posts_office_state_due').execute();
  },
};
