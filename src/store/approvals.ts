/**
 * Staff approvals of posts (`settings.approval`, issue 9). An approval names
 * who approved which post revision with which content (content-hash.ts), and
 * when; the claim lets a post needing approval out only while such an approval
 * stands (approval-gate.ts). A new revision or a rendering that shows anything
 * else has no approval, so it is held until approved again. Revoking stamps the
 * approval; nothing is deleted, so the history stays.
 *
 * Each write first touches the post's row under the state it requires: on
 * PostgreSQL that takes the row lock the claim takes too (FOR UPDATE), so an
 * approval or a revocation and a claim of the same post happen one after the
 * other, never interleaved; SQLite runs one writer at a time anyway.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../errors';
import { approvedContent } from './approval-gate';
import { approvalFromRow } from './approval-history';
import type { Store } from './open';
import { rowToPost } from './rows';
import type { ApprovalsTable, Database } from './schema';
import { inWriteTransaction } from './transaction';
import { PENDING_STATES, type LedgerPost, type PostState } from './types';

/** One approval, standing or revoked. */
export interface ApprovalRecord {
  postId: string;
  revision: number;
  /** The content approved (content-hash.ts). */
  contentHash: string;
  approver: string;
  approvedAt: Date;
  revokedBy: string | null;
  revokedAt: Date | null;
}

/** Which post revision (and, when the approver saw it, which content) to approve. */
export interface ApprovalRequest {
  id: string;
  revision: number;
  /** The content hash of what the approver was shown (LedgerPost.contentHash); refused when the post shows something else now. */
  contentHash?: string;
}

export type ApprovalOutcome =
  | { postId: string; revision: number; outcome: 'approved' | 'already-approved'; approval: ApprovalRecord }
  | { postId: string; revision: number; outcome: 'refused'; state: PostState | null; reason: string };

/** States a post can be approved in: rendered (its content is known) and not sent yet. */
const APPROVABLE: readonly PostState[] = ['ready', 'retrying'];

/**
 * Approves posts, each on its own (a week's set at once): the outcome of each,
 * in the order asked. A post is refused, with the reason, when it is not the
 * current revision, not rendered yet, already being sent or out, past its
 * deadline, or shows other content than `contentHash`; the others are approved.
 */
export async function approvePosts(store: Store, input: { posts: readonly ApprovalRequest[]; approver: string; now: Date }): Promise<ApprovalOutcome[]> {
  const approver = requireName(input.approver, 'approver');
  const at = input.now.getTime();
  return inWriteTransaction(store, async (trx) => {
    const outcomes: ApprovalOutcome[] = [];
    for (const request of input.posts) {
      const held = await trx
        .updateTable('posts')
        .set({ updated_at: at })
        .where('id', '=', request.id)
        .where('revision', '=', request.revision)
        .where('state', 'in', APPROVABLE)
        .where('content_hash', 'is not', null)
        .where((eb) => eb.or([eb('deadline', 'is', null), eb('deadline', '>', at)]))
        .returningAll()
        .executeTakeFirst();
      const hash = held?.content_hash ?? null;
      if (!held || hash === null || (request.contentHash !== undefined && request.contentHash !== hash)) {
        outcomes.push(await refusal(trx, request, at));
        continue;
      }
      const standing = await standingApproval(trx, { id: held.id, revision: Number(held.revision), contentHash: hash });
      if (standing) {
        outcomes.push({ postId: held.id, revision: Number(held.revision), outcome: 'already-approved', approval: standing });
        continue;
      }
      const row: ApprovalsTable = { post_id: held.id, revision: Number(held.revision), content_hash: hash, approver, approved_at: at, revoked_by: null, revoked_at: null };
      await trx.insertInto('approvals').values(row).execute();
      outcomes.push({ postId: held.id, revision: Number(held.revision), outcome: 'approved', approval: approvalFromRow(row) });
    }
    return outcomes;
  });
}

/**
 * Withdraws the standing approval of a post's current revision, so it is held
 * again. Returns the approvals revoked.
 * @throws PostActionRefusedError when the post is not pending (being sent, sent,
 *   or will not go out), is not at `revision` any more, or has no standing approval.
 */
export async function revokeApproval(
  store: Store,
  input: { postId: string; revision?: number; revoker: string; now: Date },
): Promise<ApprovalRecord[]> {
  const revoker = requireName(input.revoker, 'revoker');
  const at = input.now.getTime();
  return inWriteTransaction(store, async (trx) => {
    const held = await trx
      .updateTable('posts')
      .set({ updated_at: at })
      .where('id', '=', input.postId)
      .where('state', 'in', PENDING_STATES)
      .$if(input.revision !== undefined, (q) => q.where('revision', '=', input.revision!))
      .returningAll()
      .executeTakeFirst();
    if (!held) {
      const current = await currentRow(trx, input.postId);
      throw new PostActionRefusedError(
        'revoke',
        input.postId,
        current?.state ?? null,
        current === undefined
          ? 'no such post'
          : input.revision !== undefined && Number(current.revision) !== input.revision
            ? `it changed since it was shown (revision ${current.revision} is current now; it needs approval anyway)`
            : `it is ${describeState(current.state, rowToPost(current))}`,
      );
    }
    const revoked = await trx
      .updateTable('approvals')
      .set({ revoked_by: revoker, revoked_at: at })
      .where('post_id', '=', held.id)
      .where('revision', '=', held.revision)
      .where('revoked_at', 'is', null)
      .returningAll()
      .execute();
    if (revoked.length === 0) throw new PostActionRefusedError('revoke', held.id, held.state, 'it has no approval standing: it is held until approved anyway');
    return revoked.map(approvalFromRow);
  });
}

/** A post that needs approval and has none for what it shows now. */
export interface AwaitingApproval {
  post: LedgerPost;
  /** False while not rendered: it can be approved once rendered (APPROVAL_RENDER_LEAD_MS before its cut-off). */
  rendered: boolean;
  /** The last approval of this post (any revision, possibly revoked): when present, the post changed or was revoked after it. */
  lastApproval: ApprovalRecord | null;
}

/**
 * Pending posts of `officeId` due in `[from, to)` that need approval and have
 * none for their present content, by due time.
 */
export async function listAwaitingApproval(store: Store, filter: { officeId: string; from: Date; to: Date }): Promise<AwaitingApproval[]> {
  const rows = await store.db
    .selectFrom('posts')
    .selectAll()
    .where('office_id', '=', filter.officeId)
    .where('state', 'in', PENDING_STATES)
    .where('approve_by', 'is not', null)
    .where('due_at', '>=', filter.from.getTime())
    .where('due_at', '<', filter.to.getTime())
    .where((eb) => eb.not(approvedContent(eb)))
    .orderBy('due_at')
    .orderBy('id')
    .execute();
  const last = await lastApprovals(store, rows.map((row) => row.id));
  return rows.map((row) => ({ post: rowToPost(row), rendered: row.content_hash !== null, lastApproval: last.get(row.id) ?? null }));
}

/** Whether an approval of the post revision's present content stands. */
export async function isApproved(store: Store, post: Pick<LedgerPost, 'id' | 'revision' | 'contentHash'>): Promise<boolean> {
  if (post.contentHash === null) return false;
  return (await standingApproval(store.db, { id: post.id, revision: post.revision, contentHash: post.contentHash })) !== null;
}

/** Every approval of a post, all revisions, oldest first (revoked ones included). */
export async function getApprovalHistory(store: Store, postId: string): Promise<ApprovalRecord[]> {
  const rows = await store.db.selectFrom('approvals').selectAll().where('post_id', '=', postId).orderBy('approved_at').orderBy('revision').execute();
  return rows.map(approvalFromRow);
}

/**
 * Pending posts whose approval cut-off has come without an approval of their
 * present content, not yet alerted: marked alerted and returned, by one
 * UPDATE, so each is alerted once however many instances sweep.
 */
export async function takeUnapprovedPastCutoff(store: Store, now: Date): Promise<LedgerPost[]> {
  const at = now.getTime();
  const rows = await store.db
    .updateTable('posts')
    .set({ approval_alerted_at: at })
    .where('state', 'in', PENDING_STATES)
    .where('approve_by', 'is not', null)
    .where('approve_by', '<=', at)
    .where('approval_alerted_at', 'is', null)
    .where((eb) => eb.or([eb('deadline', 'is', null), eb('deadline', '>', at)]))
    .where((eb) => eb.not(approvedContent(eb)))
    .returningAll()
    .execute();
  return rows.map(rowToPost).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Raised when staff ask for something the post's state does not allow; `message` says why and what to do. */
export class PostActionRefusedError extends AppError {
  constructor(
    readonly action: string,
    readonly postId: string,
    readonly state: PostState | null,
    readonly reason: string,
  ) {
    super('usage', `Cannot ${action} post ${postId}: ${reason}.`);
    this.name = 'PostActionRefusedError';
  }
}

/** How a state reads in a refusal: "being sent right now by …" etc. */
export function describeState(state: PostState, post?: Pick<LedgerPost, 'leaseOwner' | 'leaseUntil' | 'remoteUrl'>): string {
  switch (state) {
    case 'planned':
      return 'not rendered yet';
    case 'ready':
      return 'waiting for its due time';
    case 'retrying':
      return 'waiting to be tried again';
    case 'claimed':
      return `being sent right now${post?.leaseOwner ? ` by ${post.leaseOwner}` : ''}${post?.leaseUntil ? ` (lease until ${post.leaseUntil.toISOString()})` : ''}: wait for the outcome`;
    case 'published':
      return `already published${post?.remoteUrl ? ` (${post.remoteUrl})` : ''}; to take it back, cancel the release in the calendar (a cancellation post follows)`;
    case 'unknown':
      return 'of unclear outcome (it may be out): mark it posted by hand or not posted first';
    case 'expired':
      return 'expired: its deadline passed';
    case 'superseded':
      return 'superseded by a newer revision';
    case 'cancelled':
      return 'cancelled: its release or rule was removed';
    case 'dead':
      return 'failed for good';
    case 'skipped':
      return 'skipped by staff';
  }
}

async function refusal(trx: Kysely<Database>, request: ApprovalRequest, at: number): Promise<ApprovalOutcome> {
  const current = await currentRow(trx, request.id);
  const base = { postId: request.id, revision: request.revision, outcome: 'refused' as const, state: current?.state ?? null };
  if (!current) return { ...base, reason: 'no such post' };
  if (Number(current.revision) !== request.revision) {
    return { ...base, reason: `it changed since it was shown: revision ${current.revision} is current now; review that one` };
  }
  const post = rowToPost(current);
  if (current.state === 'planned') return { ...base, reason: 'it is not rendered yet: approve it once its text and cards can be seen' };
  if (!APPROVABLE.includes(current.state)) return { ...base, reason: `it is ${describeState(current.state, post)}` };
  if (current.deadline !== null && Number(current.deadline) <= at) return { ...base, reason: `its deadline ${post.deadline!.toISOString()} has passed: it will not go out` };
  return { ...base, reason: 'its content changed since it was shown (rendered again): review it again' };
}

async function currentRow(trx: Kysely<Database>, id: string) {
  return trx.selectFrom('posts').selectAll().where('id', '=', id).where('state', '<>', 'superseded').executeTakeFirst();
}

async function standingApproval(trx: Kysely<Database>, key: { id: string; revision: number; contentHash: string }): Promise<ApprovalRecord | null> {
  const row = await trx
    .selectFrom('approvals')
    .selectAll()
    .where('post_id', '=', key.id)
    .where('revision', '=', key.revision)
    .where('content_hash', '=', key.contentHash)
    .where('revoked_at', 'is', null)
    .orderBy('approved_at')
    .executeTakeFirst();
  return row ? approvalFromRow(row) : null;
}

async function lastApprovals(store: Store, ids: string[]): Promise<Map<string, ApprovalRecord>> {
  const last = new Map<string, ApprovalRecord>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await store.db.selectFrom('approvals').selectAll().where('post_id', 'in', ids.slice(i, i + 500)).orderBy('approved_at').execute();
    for (const row of rows) last.set(row.post_id, approvalFromRow(row));
  }
  return last;
}


/** Who did it, trimmed; an audit trail without a name is refused. */
export function requireName(name: string, what: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0) throw new AppError('usage', `The ${what} is missing: say who did it (a staff name or account).`);
  return trimmed;
}
