/**
 * Approvals and staff actions on posts (issue 9, the staff console).
 *
 * - `posts.approve_by`: the cut-off of a post that needs a staff approval
 *   (`settings.approval`), null when it needs none. The claim (store/claims.ts)
 *   skips a post with a cut-off unless an approval of its exact content exists,
 *   in the same atomic statement, so no instance can send it unapproved.
 * - `posts.content_hash`: a digest of the rendered post (text, alt texts, card
 *   bytes), set with `rendered_json` and cleared with it; an approval binds to
 *   it, so content that changes after approval needs approval again.
 * - `posts.approval_alerted_at`: when the one `unapproved` alert of the
 *   revision was raised (taken by one instance with one UPDATE).
 * - `approvals`: who approved which (post, revision, content) when; a
 *   revocation stamps the row, never deletes it (the history stays).
 * - `post_actions`: the audit trail of staff actions (skip, retry, posted by
 *   hand, not posted), with the state before and after.
 *
 * Numbered 0010: 0009 is another change made alongside; kysely applies
 * migrations in name order, so a database gets 0009 first, and a gap in the
 * numbers is no problem.
 */
import type { Kysely, Migration } from 'kysely';
import { contentHash } from '../content-hash';

interface Tables {
  posts: { id: string; revision: number; state: string; rendered_json: string | null; content_hash: string | null };
}

export const approvalsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('posts').addColumn('approve_by', 'bigint').execute();
    await db.schema.alterTable('posts').addColumn('content_hash', 'text').execute();
    await db.schema.alterTable('posts').addColumn('approval_alerted_at', 'bigint').execute();
    // Pending posts rendered before this migration get their content digest, so they can be approved.
    const typed = db as unknown as Kysely<Tables>;
    const rendered = await typed.selectFrom('posts').select(['id', 'revision', 'rendered_json']).where('rendered_json', 'is not', null)
      .where('state', 'in', ['ready', 'retrying'])
      .execute();
    for (const row of rendered) {
      let hash: string | null = null;
      try {
        hash = contentHash(row.rendered_json!);
      } catch {
        // An unreadable rendering stays without a digest: it is rendered again before it could be approved.
      }
      if (hash) await typed.updateTable('posts').set({ content_hash: hash }).where('id', '=', row.id).where('revision', '=', row.revision).execute();
    }
    // "Which pending posts passed their cut-off unalerted", looked up every tick.
    await db.schema.createIndex('posts_approve_by').on('posts').columns(['approve_by', 'state']).execute();

    await db.schema
      .createTable('approvals')
      .addColumn('post_id', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('content_hash', 'text', (c) => c.notNull())
      .addColumn('approver', 'text', (c) => c.notNull())
      .addColumn('approved_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_by', 'text')
      .addColumn('revoked_at', 'bigint')
      .addPrimaryKeyConstraint('approvals_pk', ['post_id', 'revision', 'content_hash', 'approved_at'])
      .execute();
    await db.schema.createIndex('approvals_post').on('approvals').columns(['post_id', 'revision']).execute();

    await db.schema
      .createTable('post_actions')
      .addColumn('post_id', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('from_state', 'text', (c) => c.notNull())
      .addColumn('to_state', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('post_actions_post').on('post_actions').columns(['post_id', 'at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('post_actions').execute();
    await db.schema.dropTable('approvals').execute();
    await db.schema.dropIndex('posts_approve_by').execute();
    await db.schema.alterTable('posts').dropColumn('approval_alerted_at').execute();
    await db.schema.alterTable('posts').dropColumn('content_hash').execute();
    await db.schema.alterTable('posts').dropColumn('approve_by').execute();
  },
};
