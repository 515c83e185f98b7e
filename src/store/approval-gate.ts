/**
 * The approval gate in SQL: the one condition every statement that picks posts
 * to send (the claim) or to wake for (next wake) shares. A post passes when it
 * needs no approval, or when an approval of its current revision and content
 * stands. Evaluated inside the claiming statement, so the check and the claim
 * are one atomic step on every instance.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Database } from './schema';

export function approvalCleared(eb: ExpressionBuilder<Database, 'posts'>): Expression<SqlBool> {
  return eb.or([eb('posts.approve_by', 'is', null), approvedContent(eb)]);
}

/** An unrevoked approval of the post's revision and present content exists (false while unrendered: no content yet). */
export function approvedContent(eb: ExpressionBuilder<Database, 'posts'>): Expression<SqlBool> {
  return eb.exists(
    eb
      .selectFrom('approvals')
      .select('approvals.post_id')
      .whereRef('approvals.post_id', '=', 'posts.id')
      .whereRef('approvals.revision', '=', 'posts.revision')
      .whereRef('approvals.content_hash', '=', 'posts.content_hash')
      .where('approvals.revoked_at', 'is', null),
  );
}
