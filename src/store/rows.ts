/** Mapping between `posts` rows (epoch-ms integers, snake_case) and `LedgerPost` objects. */
import type { Insertable, Selectable } from 'kysely';
import type { PlannedPost } from '../plan/types';
import type { PostsTable } from './schema';
import type { LedgerPost, PostState } from './types';
import { verifyCode } from '../render/verify-code';

export type PostRow = Selectable<PostsTable>;

/** Epoch milliseconds, or null. */
export function toMillis(date: Date | null | undefined): number | null {
  return date ? date.getTime() : null;
}

function toDate(millis: number | string | null): Date | null {
  // Defensive Number(): a driver that returns int8 as text must not yield Invalid Date.
  return millis === null ? null : new Date(Number(millis));
}

/** A row as the rest of the app sees it. */
export function rowToPost(row: PostRow): LedgerPost {
  return {
    id: row.id,
    revision: Number(row.revision),
    officeId: row.office_id,
    ruleId: row.rule_id,
    channelId: row.channel_id,
    kind: row.kind,
    releaseId: row.release_id,
    subject: row.subject,
    template: row.template,
    dueAt: toDate(row.due_at) as Date,
    deadline: toDate(row.deadline),
    fingerprint: row.fingerprint,
    factsJson: row.facts_json,
    state: row.state,
    attempts: Number(row.attempts),
    nextAttemptAt: toDate(row.next_attempt_at),
    renderedJson: row.rendered_json,
    remoteId: row.remote_id,
    remoteUrl: row.remote_url,
    publishedAt: toDate(row.published_at),
    lastError: row.last_error,
    leaseOwner: row.lease_owner,
    leaseUntil: toDate(row.lease_until),
    createdAt: toDate(row.created_at) as Date,
    updatedAt: toDate(row.updated_at) as Date,
    approveBy: toDate(row.approve_by),
    contentHash: row.content_hash,
  };
}

/** A new revision of a planned post, in state `planned`. */
export function plannedToRow(post: PlannedPost, revision: number, now: Date): Insertable<PostsTable> {
  return {
    id: post.id,
    revision,
    office_id: post.officeId,
    rule_id: post.ruleId,
    channel_id: post.channelId,
    kind: post.kind,
    release_id: post.releaseId,
    subject: post.subject,
    template: post.template,
    due_at: post.dueAt.getTime(),
    deadline: toMillis(post.deadline),
    fingerprint: post.fingerprint,
    facts_json: JSON.stringify(post.facts),
    state: 'planned' satisfies PostState,
    attempts: 0,
    next_attempt_at: null,
    rendered_json: null,
    remote_id: null,
    remote_url: null,
    published_at: null,
    last_error: null,
    lease_owner: null,
    lease_until: null,
    created_at: now.getTime(),
    updated_at: now.getTime(),
    approve_by: toMillis(post.approveBy),
    content_hash: null,
    approval_alerted_at: null,
    verify_code: verifyCode(post),
  };
}
