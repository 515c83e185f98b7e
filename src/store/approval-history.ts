/**
 * The approvals of many posts at once, for the console's approval page: one
 * query per 500 posts instead of one per post (a page shows a few weeks of an
 * office's posts, and should render in a few milliseconds on PostgreSQL too).
 * The single-post read is `getApprovalHistory` (approvals.ts).
 */
import type { ApprovalRecord } from './approvals';
import type { Store } from './open';
import type { ApprovalsTable } from './schema';

const CHUNK = 500;

/** post id → its approvals, every revision, oldest first (revoked ones included); a post without any is absent. */
export async function getApprovalHistories(store: Store, postIds: readonly string[]): Promise<Map<string, ApprovalRecord[]>> {
  const histories = new Map<string, ApprovalRecord[]>();
  const ids = [...new Set(postIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await store.db
      .selectFrom('approvals')
      .selectAll()
      .where('post_id', 'in', ids.slice(i, i + CHUNK))
      .orderBy('approved_at')
      .orderBy('revision')
      .execute();
    for (const row of rows) {
      const list = histories.get(row.post_id) ?? [];
      list.push(approvalFromRow(row));
      histories.set(row.post_id, list);
    }
  }
  return histories;
}

/** The approval of a post revision's present content that stands (not revoked), if any. */
export function standingApprovalIn(history: readonly ApprovalRecord[], post: { revision: number; contentHash: string | null }): ApprovalRecord | null {
  if (post.contentHash === null) return null;
  return history.find((record) => record.revision === post.revision && record.contentHash === post.contentHash && record.revokedAt === null) ?? null;
}

/** A stored approval row as the rest of the app sees it (shared by approvals.ts). */
export function approvalFromRow(row: ApprovalsTable): ApprovalRecord {
  return {
    postId: row.post_id,
    revision: Number(row.revision),
    contentHash: row.content_hash,
    approver: row.approver,
    approvedAt: new Date(Number(row.approved_at)),
    revokedBy: row.revoked_by,
    revokedAt: row.revoked_at === null ? null : new Date(Number(row.revoked_at)),
  };
}
