/**
 * Approving and revoking from the console, for one office: the store's
 * approvePosts/revokeApproval behind a check that each post is the office's
 * own (a post id of another office is "not found", never touched), with each
 * refusal sorted into a kind the page words in plain language.
 *
 * The kind is read from the post as it is right after the refusal, not from
 * the store's English message: the same facts the store decided on.
 */
import { approvePosts, PostActionRefusedError, revokeApproval, type ApprovalRecord } from '../store/approvals';
import { getPostHistory } from '../store/ledger';
import type { Store } from '../store/open';
import { PENDING_STATES, type LedgerPost, type PostState } from '../store/types';

/** Exactly what the approver was shown: this revision with this content. */
export interface ShownPost {
  id: string;
  revision: number;
  contentHash: string;
}

export type ApprovalRefusal =
  /** No such post in this office. */
  | 'not-found'
  /** The post needs no approval. */
  | 'not-needed'
  /** A newer revision replaced the one shown (new facts). */
  | 'changed-revision'
  /** Rendered again with other content since it was shown. */
  | 'changed-content'
  /** Not rendered yet: nothing to look at. */
  | 'not-rendered'
  /** Being sent, sent, or not going out. */
  | 'not-pending'
  /** Its deadline passed: it will not go out. */
  | 'deadline-passed'
  /** Revoke: no approval stands. */
  | 'not-approved';

export const APPROVAL_REFUSALS: readonly ApprovalRefusal[] = ['not-found', 'not-needed', 'changed-revision', 'changed-content', 'not-rendered', 'not-pending', 'deadline-passed', 'not-approved'];

export type ApproveResult =
  | { postId: string; outcome: 'approved' | 'already-approved' }
  | { postId: string; outcome: 'refused'; refusal: ApprovalRefusal; state: PostState | null };

const APPROVABLE: readonly PostState[] = ['ready', 'retrying'];

/** Approves each shown post of `officeId` that can be, in one transaction; the outcome of each, in order. */
export async function approveShownPosts(store: Store, input: { officeId: string; posts: readonly ShownPost[]; approver: string; now: Date }): Promise<ApproveResult[]> {
  const results = new Map<ShownPost, ApproveResult>();
  const asked: ShownPost[] = [];
  for (const shown of input.posts) {
    const current = await currentPost(store, shown.id);
    if (!current || current.officeId !== input.officeId) results.set(shown, { postId: shown.id, outcome: 'refused', refusal: 'not-found', state: null });
    else if (current.approveBy === null && current.revision === shown.revision) results.set(shown, { postId: shown.id, outcome: 'refused', refusal: 'not-needed', state: current.state });
    else asked.push(shown);
  }
  const outcomes = asked.length === 0 ? [] : await approvePosts(store, { posts: asked, approver: input.approver, now: input.now });
  for (const [index, outcome] of outcomes.entries()) {
    const shown = asked[index]!;
    if (outcome.outcome !== 'refused') {
      results.set(shown, { postId: shown.id, outcome: outcome.outcome });
      continue;
    }
    const current = await currentPost(store, shown.id);
    results.set(shown, { postId: shown.id, outcome: 'refused', refusal: approvalRefusal(shown, current, input.now), state: current?.state ?? null });
  }
  return input.posts.map((shown) => results.get(shown)!);
}

/** Why an approval of `shown` was refused, the post being `current` now. */
export function approvalRefusal(shown: ShownPost, current: LedgerPost | undefined, now: Date): ApprovalRefusal {
  if (!current) return 'not-found';
  if (current.revision !== shown.revision) return 'changed-revision';
  if (current.state === 'planned') return 'not-rendered';
  if (!APPROVABLE.includes(current.state)) return 'not-pending';
  if (current.deadline !== null && current.deadline <= now) return 'deadline-passed';
  return 'changed-content';
}

export type RevokeResult = { outcome: 'revoked'; revoked: ApprovalRecord[] } | { outcome: 'refused'; refusal: ApprovalRefusal; state: PostState | null };

/** Withdraws the standing approval of the shown revision of an office's post. */
export async function revokeShownApproval(store: Store, input: { officeId: string; postId: string; revision: number; revoker: string; now: Date }): Promise<RevokeResult> {
  const before = await currentPost(store, input.postId);
  if (!before || before.officeId !== input.officeId) return { outcome: 'refused', refusal: 'not-found', state: null };
  try {
    const revoked = await revokeApproval(store, { postId: input.postId, revision: input.revision, revoker: input.revoker, now: input.now });
    return { outcome: 'revoked', revoked };
  } catch (error) {
    if (!(error instanceof PostActionRefusedError)) throw error;
    const current = await currentPost(store, input.postId);
    const refusal: ApprovalRefusal = !current
      ? 'not-found'
      : current.revision !== input.revision
        ? 'changed-revision'
        : !PENDING_STATES.includes(current.state)
          ? 'not-pending'
          : 'not-approved';
    return { outcome: 'refused', refusal, state: current?.state ?? null };
  }
}

/** The post's current revision (not superseded), or undefined. */
export async function currentPost(store: Store, postId: string): Promise<LedgerPost | undefined> {
  return (await getPostHistory(store, postId)).find((post) => post.state !== 'superseded');
}
