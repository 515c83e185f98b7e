/**
 * A staff action on one post of one office, from the console: skip, retry,
 * "posted by hand", "not posted" (store/post-actions.ts), behind a check that
 * the post is the office's own, with each refusal sorted into a kind the page
 * words in plain language (read from the post as it is after the refusal, not
 * from the store's English message).
 */
import { AppError } from '../errors';
import { PostActionRefusedError } from '../store/approvals';
import { markNotPosted, markPostedByHand, retryPost, skipPost, type PostAction, type PostActionResult } from '../store/post-actions';
import type { Store } from '../store/open';
import type { LedgerPost, PostState } from '../store/types';
import { currentPost } from './approval-actions';

export const POST_ACTIONS: readonly PostAction[] = ['skip', 'retry', 'posted-by-hand', 'not-posted'];

/** The states each action starts from (as store/post-actions.ts decides). */
export const ACTION_FROM: Readonly<Record<PostAction, readonly PostState[]>> = {
  skip: ['planned', 'ready', 'retrying'],
  retry: ['dead', 'retrying'],
  'posted-by-hand': ['unknown'],
  'not-posted': ['unknown'],
};

export type PostActionRefusal =
  /** No such post in this office. */
  | 'not-found'
  /** A newer revision replaced the one shown. */
  | 'changed-revision'
  /** The post's state does not allow the action. */
  | 'wrong-state'
  /** Retry: its deadline passed. */
  | 'deadline-passed'
  /** Posted by hand: the link is not a web address. */
  | 'bad-link';

export const POST_ACTION_REFUSALS: readonly PostActionRefusal[] = ['not-found', 'changed-revision', 'wrong-state', 'deadline-passed', 'bad-link'];

export interface PostActionRequest {
  officeId: string;
  postId: string;
  /** The revision shown to staff. */
  revision: number;
  action: PostAction;
  actor: string;
  now: Date;
  /** Skip: why (optional). */
  reason?: string;
  /** Posted by hand: the live post's address (optional). */
  url?: string;
}

export type PostActionRun = { outcome: 'done'; result: PostActionResult } | { outcome: 'refused'; refusal: PostActionRefusal; state: PostState | null };

export async function runPostAction(store: Store, request: PostActionRequest): Promise<PostActionRun> {
  const before = await currentPost(store, request.postId);
  if (!before || before.officeId !== request.officeId) return { outcome: 'refused', refusal: 'not-found', state: null };
  const input = { postId: request.postId, revision: request.revision, actor: request.actor, now: request.now };
  try {
    const result = await act(store, request, input);
    return { outcome: 'done', result };
  } catch (error) {
    if (error instanceof PostActionRefusedError) {
      const current = await currentPost(store, request.postId);
      return { outcome: 'refused', refusal: postActionRefusal(request, current), state: current?.state ?? null };
    }
    // The one other refusal: a "posted by hand" link that is not a web address.
    if (error instanceof AppError && error.code === 'usage' && request.action === 'posted-by-hand') return { outcome: 'refused', refusal: 'bad-link', state: before.state };
    throw error;
  }
}

function act(store: Store, request: PostActionRequest, input: { postId: string; revision: number; actor: string; now: Date }): Promise<PostActionResult> {
  switch (request.action) {
    case 'skip':
      return skipPost(store, { ...input, ...(request.reason ? { reason: request.reason } : {}) });
    case 'retry':
      return retryPost(store, input);
    case 'posted-by-hand':
      return markPostedByHand(store, { ...input, ...(request.url ? { url: request.url } : {}) });
    case 'not-posted':
      return markNotPosted(store, input);
  }
}

/** Why `request` was refused, the post being `current` now. */
export function postActionRefusal(request: Pick<PostActionRequest, 'revision' | 'action' | 'now'>, current: LedgerPost | undefined): PostActionRefusal {
  if (!current) return 'not-found';
  if (current.revision !== request.revision) return 'changed-revision';
  if (!ACTION_FROM[request.action].includes(current.state)) return 'wrong-state';
  if (request.action === 'retry' && current.deadline !== null && current.deadline <= request.now) return 'deadline-passed';
  // Refused for a state that has changed back meanwhile: the state is what to look at.
  return 'wrong-state';
}

/** Which actions the post's state allows now (the page offers only these). */
export function actionsFor(post: Pick<LedgerPost, 'state' | 'deadline'>, now: Date): PostAction[] {
  return POST_ACTIONS.filter((action) => ACTION_FROM[action].includes(post.state) && !(action === 'retry' && post.deadline !== null && post.deadline <= now));
}
