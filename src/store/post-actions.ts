/**
 * What staff do to one post from the console (issue 9), each an atomic step on
 * the ledger with an audit record (`post_actions`): who, when, the state
 * before and after, and why.
 *
 * - skip: a post not sent yet never goes out (`skipped`; re-planning leaves it).
 *   A post already out is not "skipped": cancel its release in the calendar and
 *   a cancellation post follows.
 * - retry: a failed post (`dead`, or `retrying` on a back-off) is due again now,
 *   if its deadline has not passed.
 * - posted by hand / not posted: staff settle a post of unclear outcome
 *   (`unknown`) themselves, instead of waiting for the read-back: `published`
 *   (with the link, when given), or due again now (`retrying`) — `expired` when
 *   its deadline has passed.
 *
 * Each refuses with PostActionRefusedError, saying why, when the post is in
 * another state — above all while an instance holds it (`claimed`). The state
 * is checked again by the UPDATE itself, so a claim landing in between wins
 * and the action is refused, never applied to a post being sent.
 */
import type { Kysely, Updateable } from 'kysely';
import { AppError } from '../errors';
import { describeState, PostActionRefusedError, requireName } from './approvals';
import type { Store } from './open';
import { rowToPost, type PostRow } from './rows';
import type { Database, PostActionsTable, PostsTable } from './schema';
import { inWriteTransaction } from './transaction';
import type { LedgerPost, PostState } from './types';

export type PostAction = 'skip' | 'retry' | 'posted-by-hand' | 'not-posted';

/** What an action did, for the audit trail and the console's confirmation. */
export interface PostActionRecord {
  action: PostAction;
  postId: string;
  revision: number;
  actor: string;
  at: Date;
  fromState: PostState;
  toState: PostState;
  /** The reason, the link, or how the deadline decided. */
  detail: Record<string, unknown> | null;
}

/** Which post; `revision` (as shown to staff) makes the action refuse when the post changed since. */
export interface PostActionInput {
  postId: string;
  revision?: number;
  actor: string;
  now: Date;
}

/** Never sends a post that is planned, ready or waiting for a retry. */
export async function skipPost(store: Store, input: PostActionInput & { reason?: string }): Promise<PostActionResult> {
  return act(store, input, 'skip', ['planned', 'ready', 'retrying'], () => ({
    set: { state: 'skipped', next_attempt_at: null },
    detail: input.reason?.trim() ? { reason: input.reason.trim() } : null,
  }));
}

/** A failed post is due again now (a `retrying` one stops waiting for its back-off), within its deadline. */
export async function retryPost(store: Store, input: PostActionInput): Promise<PostActionResult> {
  const now = input.now.getTime();
  return act(store, input, 'retry', ['dead', 'retrying'], (row) => {
    if (pastDeadline(row, now)) return { refuse: `its deadline ${new Date(Number(row.deadline)).toISOString()} has passed: post it by hand if it still matters` };
    // A post claimed before has its rendering; one without (never the case for `dead`) is rendered first.
    if (row.rendered_json === null) return { set: { state: 'planned', next_attempt_at: null }, detail: null };
    return { set: { state: 'retrying', next_attempt_at: now }, detail: { previousError: row.last_error } };
  });
}

/** A post of unclear outcome was on the account after all (staff saw or posted it): `published`, with its link when given. */
export async function markPostedByHand(store: Store, input: PostActionInput & { url?: string; publishedAt?: Date }): Promise<PostActionResult> {
  const url = input.url?.trim() ? checkedUrl(input.url.trim()) : null;
  const publishedAt = (input.publishedAt ?? input.now).getTime();
  return act(store, input, 'posted-by-hand', ['unknown'], () => ({
    set: { state: 'published', remote_url: url, published_at: publishedAt, lease_until: null, next_attempt_at: null, last_error: null },
    detail: url ? { url } : null,
  }));
}

/** A post of unclear outcome is not on the account: due again now, or `expired` when its deadline has passed. */
export async function markNotPosted(store: Store, input: PostActionInput): Promise<PostActionResult> {
  const now = input.now.getTime();
  return act(store, input, 'not-posted', ['unknown'], (row) =>
    pastDeadline(row, now)
      ? { set: { state: 'expired', lease_until: null, next_attempt_at: null }, detail: { deadlinePassed: new Date(Number(row.deadline)).toISOString() } }
      : { set: { state: 'retrying', lease_until: null, next_attempt_at: now, last_error: 'not on the account, said staff: sent again' }, detail: null },
  );
}

/** Every staff action on a post, oldest first. */
export async function getPostActions(store: Store, postId: string): Promise<PostActionRecord[]> {
  const rows = await store.db.selectFrom('post_actions').selectAll().where('post_id', '=', postId).orderBy('at').execute();
  return rows.map(recordFromRow);
}

/** The record of what was done, and the post as it is now. */
export interface PostActionResult {
  record: PostActionRecord;
  post: LedgerPost;
}

type Decision = { set: Updateable<PostsTable> & { state: PostState }; detail: Record<string, unknown> | null } | { refuse: string };

async function act(store: Store, input: PostActionInput, action: PostAction, from: readonly PostState[], decide: (row: PostRow) => Decision): Promise<PostActionResult> {
  const actor = requireName(input.actor, 'actor');
  const at = input.now.getTime();
  return inWriteTransaction(store, async (trx) => {
    const row = await currentRow(trx, input.postId);
    const refuse = (reason: string, state: PostState | null = row?.state ?? null): never => {
      throw new PostActionRefusedError(describeAction(action), input.postId, state, reason);
    };
    if (!row) return refuse('no such post');
    if (input.revision !== undefined && Number(row.revision) !== input.revision) {
      refuse(`it changed since it was shown (revision ${row.revision} is current now): look at it again`);
    }
    if (!from.includes(row.state)) refuse(`it is ${describeState(row.state, rowToPost(row))}`);
    const decision = decide(row);
    if ('refuse' in decision) return refuse(decision.refuse);
    // The state read above must still hold: a claim landing in between wins.
    const updated = await trx
      .updateTable('posts')
      .set({ ...decision.set, updated_at: at })
      .where('id', '=', row.id)
      .where('revision', '=', row.revision)
      .where('state', '=', row.state)
      .where('attempts', '=', row.attempts)
      .returningAll()
      .executeTakeFirst();
    if (!updated) {
      const now = await currentRow(trx, input.postId);
      return refuse(now ? `it changed meanwhile: it is ${describeState(now.state, rowToPost(now))}` : 'no such post', now?.state ?? null);
    }
    const record: PostActionsTable = {
      post_id: row.id,
      revision: Number(row.revision),
      action,
      actor,
      at,
      from_state: row.state,
      to_state: updated.state,
      detail: decision.detail ? JSON.stringify(decision.detail) : null,
    };
    await trx.insertInto('post_actions').values(record).execute();
    return { record: recordFromRow(record), post: rowToPost(updated) };
  });
}

function describeAction(action: PostAction): string {
  return action === 'posted-by-hand' ? 'mark as posted by hand' : action === 'not-posted' ? 'mark as not posted' : action;
}

function pastDeadline(row: PostRow, now: number): boolean {
  return row.deadline !== null && Number(row.deadline) <= now;
}

function checkedUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.toString();
  } catch {
    // Reported below.
  }
  throw new AppError('usage', `"${text}" is not a link to the post: paste its address, e.g. https://x.com/…/status/…, or leave it out.`);
}

async function currentRow(trx: Kysely<Database>, id: string): Promise<PostRow | undefined> {
  return trx.selectFrom('posts').selectAll().where('id', '=', id).where('state', '<>', 'superseded').executeTakeFirst();
}

function recordFromRow(row: PostActionsTable): PostActionRecord {
  return {
    action: row.action as PostAction,
    postId: row.post_id,
    revision: Number(row.revision),
    actor: row.actor,
    at: new Date(Number(row.at)),
    fromState: row.from_state as PostState,
    toState: row.to_state as PostState,
    detail: row.detail === null ? null : (JSON.parse(row.detail) as Record<string, unknown>),
  };
}
