/** Rendering ahead, waking up, and reading the ledger (status pages, history). */
import { approvalCleared, approvedContent } from './approval-gate';
import { replaceCards, type StoredCard } from './card-store';
import { contentHash } from './content-hash';
import type { Store } from './open';
import { rowToPost } from './rows';
import type { AttemptsTable } from './schema';
import { inWriteTransaction } from './transaction';
import type { LedgerPost, PostState } from './types';

/**
 * How long before its approval cut-off a post that needs approval is rendered:
 * staff approve what will go out (its text and cards), a week's set at once.
 */
export const APPROVAL_RENDER_LEAD_MS = 7 * 86_400_000;

/**
 * Posts to render ahead: state `planned`, due at or before `until` — or, with
 * `approvalsUntil`, needing approval by then (rendered early so staff can see
 * and approve them) — earliest due first.
 */
export async function listToRender(store: Store, until: Date, limit: number, options: { approvalsUntil?: Date } = {}): Promise<LedgerPost[]> {
  const approvalsUntil = options.approvalsUntil?.getTime();
  const rows = await store.db
    .selectFrom('posts')
    .selectAll()
    .where('state', '=', 'planned')
    .where((eb) =>
      approvalsUntil === undefined
        ? eb('due_at', '<=', until.getTime())
        : eb.or([eb('due_at', '<=', until.getTime()), eb.and([eb('approve_by', 'is not', null), eb('approve_by', '<=', approvalsUntil)])]),
    )
    .orderBy('due_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(rowToPost);
}

/**
 * Stores a rendering and moves the post `planned` → `ready`, with the bytes
 * of its cards when given (card-store.ts): in one transaction, so a post is
 * never claimable before its cards are stored. Returns false when that
 * revision moved on meanwhile (superseded, cancelled, re-planned): the
 * rendering is then dropped. `now` (optional) stamps the update time.
 */
export async function markRendered(
  store: Store,
  key: { id: string; revision: number },
  renderedJson: string,
  now?: Date,
  cards?: readonly StoredCard[],
): Promise<boolean> {
  if (cards && !now) throw new Error('markRendered: storing cards needs `now` (their creation time)');
  return inWriteTransaction(store, async (trx) => {
    const done = await trx
      .updateTable('posts')
      .set({ state: 'ready', rendered_json: renderedJson, content_hash: contentHash(renderedJson), ...(now ? { updated_at: now.getTime() } : {}) })
      .where('id', '=', key.id)
      .where('revision', '=', key.revision)
      .where('state', '=', 'planned')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) return false;
    if (cards && now) await replaceCards(trx, key, cards, now);
    return true;
  });
}

/** Every `ready` post back to `planned` (templates changed: render again). Returns how many. */
export async function resetRendered(store: Store, now?: Date, offices?: readonly string[]): Promise<number> {
  if (offices && offices.length === 0) return 0;
  let query = store.db
    .updateTable('posts')
    .set({ state: 'planned', rendered_json: null, content_hash: null, ...(now ? { updated_at: now.getTime() } : {}) })
    .where('state', '=', 'ready');
  // Many offices: a one-office edit renders only that office's cards again.
  if (offices) query = query.where('office_id', 'in', [...offices]);
  const done = await query.executeTakeFirst();
  return Number(done.numUpdatedRows);
}

/**
 * When the scheduler must wake next: `nextDue` is the earliest due time of
 * ready/planned posts or retry time of retrying ones (held unapproved posts
 * left out: they wait for staff, not for time); `nextToRender` the earliest due
 * time of planned posts (render ahead of it). With `now`, `nextApproval` is the
 * next instant after it when an approval cut-off passes unapproved (alert) or a
 * post needing approval is to be rendered for review.
 */
export async function nextWake(store: Store, now?: Date): Promise<{ nextDue: Date | null; nextToRender: Date | null; nextApproval?: Date | null }> {
  const [due, retry, render, approval] = await Promise.all([
    minOf(store, 'due_at', ['ready', 'planned'], true),
    minOf(store, 'next_attempt_at', ['retrying'], true),
    minOf(store, 'due_at', ['planned'], false),
    now ? nextApprovalEvent(store, now.getTime()) : Promise.resolve(undefined),
  ]);
  const nextDue = due === null ? retry : retry === null ? due : Math.min(due, retry);
  return {
    nextDue: nextDue === null ? null : new Date(nextDue),
    nextToRender: render === null ? null : new Date(render),
    ...(approval === undefined ? {} : { nextApproval: approval === null ? null : new Date(approval) }),
  };
}

async function minOf(store: Store, column: 'due_at' | 'next_attempt_at', states: PostState[], cleared: boolean): Promise<number | null> {
  const row = await store.db
    .selectFrom('posts')
    .select((eb) => eb.fn.min(column).as('earliest'))
    .where('state', 'in', states)
    .$if(cleared, (query) => query.where((eb) => approvalCleared(eb)))
    .executeTakeFirst();
  const earliest = row?.earliest;
  return earliest === null || earliest === undefined ? null : Number(earliest);
}

async function nextApprovalEvent(store: Store, now: number): Promise<number | null> {
  const [cutoff, review] = await Promise.all([
    store.db
      .selectFrom('posts')
      .select((eb) => eb.fn.min('approve_by').as('earliest'))
      .where('state', 'in', ['planned', 'ready', 'retrying'])
      .where('approve_by', '>', now)
      .where('approval_alerted_at', 'is', null)
      .where((eb) => eb.not(approvedContent(eb)))
      .executeTakeFirst(),
    store.db
      .selectFrom('posts')
      .select((eb) => eb.fn.min('approve_by').as('earliest'))
      .where('state', '=', 'planned')
      .where('approve_by', '>', now + APPROVAL_RENDER_LEAD_MS)
      .executeTakeFirst(),
  ]);
  const times = [toNumber(cutoff?.earliest), review?.earliest == null ? null : Number(review.earliest) - APPROVAL_RENDER_LEAD_MS].filter((t): t is number => t !== null);
  return times.length > 0 ? Math.min(...times) : null;
}

function toNumber(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export interface PostFilter {
  states?: PostState[];
  /** Due at or after. */
  from?: Date;
  /** Due before. */
  to?: Date;
  channelId?: string;
  officeId?: string;
  /** Posts about these releases only (announcements, corrections, cancellations). */
  releaseIds?: readonly string[];
  limit?: number;
  /** By due time; default ascending. */
  order?: 'asc' | 'desc';
  /** Include superseded revisions (default: current revisions only). */
  allRevisions?: boolean;
}

/** Posts matching `filter`, ordered by due time. */
export async function listPosts(store: Store, filter: PostFilter = {}): Promise<LedgerPost[]> {
  const order = filter.order ?? 'asc';
  let query = store.db.selectFrom('posts').selectAll();
  if (!filter.allRevisions) query = query.where('state', '<>', 'superseded');
  if (filter.states) {
    if (filter.states.length === 0) return [];
    query = query.where('state', 'in', filter.states);
  }
  if (filter.from) query = query.where('due_at', '>=', filter.from.getTime());
  if (filter.to) query = query.where('due_at', '<', filter.to.getTime());
  if (filter.channelId !== undefined) query = query.where('channel_id', '=', filter.channelId);
  if (filter.officeId !== undefined) query = query.where('office_id', '=', filter.officeId);
  if (filter.releaseIds) {
    if (filter.releaseIds.length === 0) return [];
    query = query.where('release_id', 'in', [...filter.releaseIds]);
  }
  query = query.orderBy('due_at', order).orderBy('id', order).orderBy('revision', order);
  if (filter.limit !== undefined) query = query.limit(filter.limit);
  return (await query.execute()).map(rowToPost);
}

/** Every revision of one post, oldest first. */
export async function getPostHistory(store: Store, id: string): Promise<LedgerPost[]> {
  const rows = await store.db.selectFrom('posts').selectAll().where('id', '=', id).orderBy('revision').execute();
  return rows.map(rowToPost);
}

/** One channel call of a post revision. */
export interface AttemptRecord {
  postId: string;
  revision: number;
  attempt: number;
  owner: string;
  startedAt: Date;
  /** Null while in flight (or when the caller gave no time). */
  finishedAt: Date | null;
  /** `published`, `retrying`, `dead`, `unknown`, `reconciled`, `not-found`; null while in flight. */
  outcome: string | null;
  error: string | null;
  remoteId: string | null;
}

/** Every attempt to send a post, all revisions, in order. */
export async function getAttempts(store: Store, id: string): Promise<AttemptRecord[]> {
  const rows = await store.db
    .selectFrom('attempts')
    .selectAll()
    .where('post_id', '=', id)
    .orderBy('revision')
    .orderBy('attempt')
    .execute();
  return rows.map(attemptFromRow);
}

function attemptFromRow(row: AttemptsTable): AttemptRecord {
  return {
    postId: row.post_id,
    revision: Number(row.revision),
    attempt: Number(row.attempt),
    owner: row.owner,
    startedAt: new Date(Number(row.started_at)),
    finishedAt: row.finished_at === null ? null : new Date(Number(row.finished_at)),
    outcome: row.outcome,
    error: row.error,
    remoteId: row.remote_id,
  };
}

export const ALL_STATES: readonly PostState[] = [
  'planned',
  'ready',
  'claimed',
  'published',
  'retrying',
  'unknown',
  'expired',
  'superseded',
  'cancelled',
  'dead',
  'skipped',
];

/** How many rows are in each state (every state present, zero if none; superseded revisions counted too). */
export async function countByState(store: Store, filter: { officeId?: string } = {}): Promise<Record<PostState, number>> {
  let query = store.db.selectFrom('posts').select((eb) => ['state', eb.fn.countAll().as('count')]);
  if (filter.officeId !== undefined) query = query.where('office_id', '=', filter.officeId);
  const rows = await query.groupBy('state').execute();
  const counts = Object.fromEntries(ALL_STATES.map((s) => [s, 0])) as Record<PostState, number>;
  for (const row of rows) counts[row.state] = Number(row.count);
  return counts;
}

// One import site for the app: the ledger's write paths live in their own modules.
export { syncPlan } from './sync-plan';
export { claimDue, markAttemptPhase, markPublished, markFailed, releaseExpiredLeases, releaseAllLeases, expireOverdue, LeaseLostError, type ClaimKey } from './claims';
