/**
 * Sync: makes the ledger follow a fresh plan, in one transaction.
 *
 * Pending posts follow the plan (new facts supersede them, new times move
 * them, removal cancels them); posts already sent are never touched, only
 * reported when their facts changed, so a correction can be planned.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../errors';
import type { CorrectionPlanner } from '../plan/corrections';
import type { PlannedPost } from '../plan/types';
import type { Store } from './open';
import { plannedToRow, rowToPost, toMillis, type PostRow } from './rows';
import type { Database } from './schema';
import { cancelPending, previewCorrections, syncCorrections, type CorrectionPreview } from './sync-corrections';
import { inWriteTransaction } from './transaction';
import { PENDING_STATES, type LedgerPost, type PostState, type SyncResult } from './types';

/** Rows per multi-row INSERT: 26 columns × 200 stays far below both engines' parameter limits. */
const INSERT_CHUNK = 200;
/** Ids per `IN (…)` list. */
const ID_CHUNK = 500;

const SENT_OR_SENDING: readonly PostState[] = ['published', 'claimed', 'unknown'];

type Decision =
  | { action: 'insert'; post: PlannedPost; revision: number; supersede: boolean }
  | { action: 'reschedule'; post: PlannedPost; row: PostRow }
  | { action: 'approval-changed'; post: PlannedPost; row: PostRow }
  | { action: 'changed-after-publish'; row: PostRow }
  | { action: 'skip-past' }
  | { action: 'unchanged' };

/**
 * Brings the ledger in line with `planned`. Idempotent: a second run with the
 * same plan changes nothing. Pending posts due in `[window.from, window.to)`
 * that the plan no longer holds are cancelled; outside the window the plan
 * says nothing, so nothing is cancelled there.
 *
 * `changedAfterPublish` lists posts already published (or being sent, or of
 * unclear outcome) whose facts changed; it is reported on every sync while the
 * plan holds the post, for logs and status. Corrections are not planned from it
 * but from the whole published history of each release (see below), which also
 * covers releases cancelled or removed and posts already out of the plan's window.
 *
 * With `options.corrections`, the same transaction also plans the corrections
 * and cancellations owed for releases whose facts changed, or which were
 * cancelled or removed, after a post about them went out
 * (store/sync-corrections.ts); `correctionsPlanned` counts the new ones, and
 * pending corrections no longer owed are counted in `cancelled`.
 */
export async function syncPlan(
  store: Store,
  planned: PlannedPost[],
  window: { from: Date; to: Date },
  now: Date,
  options: SyncOptions = {},
): Promise<SyncResult> {
  const plan = indexPlan(planned);
  return inWriteTransaction(store, async (trx) => {
    const diff = await diffPlan(trx, plan, window, now, options.offices);
    const result: SyncResult = {
      inserted: 0,
      superseded: 0,
      cancelled: 0,
      unchanged: diff.unchanged + diff.changedAfterPublish.length,
      skippedPast: diff.skippedPast,
      rescheduled: 0,
      changedAfterPublish: diff.changedAfterPublish.map(rowToPost),
    };
    /** The revision each superseded post had when read: only that one is superseded. */
    const supersedeKeys = diff.inserts.filter((insert) => insert.supersede).map(({ post, revision }) => ({ id: post.id, revision: revision - 1 }));
    const nowMs = now.getTime();
    // Supersede before inserting: the partial unique index allows one current revision per id.
    for (const keys of chunk(supersedeKeys, ID_CHUNK)) {
      // By (id, revision), not id: on PostgreSQL this statement sees rows committed since
      // the read above, and an instance syncing the same change at once may have inserted
      // the next revision already; superseding that too would leave no current revision.
      const done = await trx
        .updateTable('posts')
        .set({ state: 'superseded', lease_owner: null, lease_until: null, updated_at: nowMs })
        .where(({ eb, refTuple, tuple }) => eb(refTuple('id', 'revision'), 'in', keys.map((key) => tuple(key.id, key.revision))))
        .where('state', '<>', 'superseded')
        .executeTakeFirst();
      result.superseded += Number(done.numUpdatedRows);
    }
    for (const rows of chunk(diff.inserts, INSERT_CHUNK)) {
      // Instances starting together sync the same plan at once (PostgreSQL): the
      // one that comes second finds the rows there and inserts nothing, instead of
      // failing on the primary key or the one-current-revision index.
      const done = await trx
        .insertInto('posts')
        .values(rows.map(({ post, revision }) => plannedToRow(post, revision, now)))
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      result.inserted += Number(done.numInsertedOrUpdatedRows ?? 0);
    }
    for (const { post, row } of diff.reschedules) {
      await trx
        .updateTable('posts')
        .set({
          due_at: post.dueAt.getTime(),
          deadline: toMillis(post.deadline),
          facts_json: JSON.stringify(post.facts),
          ...approvalColumns(post, row),
          // A rendered card may say "besok" or "60 menit lagi": render again for the new time.
          ...(row.state === 'ready' ? { state: 'planned' as const, rendered_json: null, content_hash: null } : {}),
          updated_at: nowMs,
        })
        .where('id', '=', row.id)
        .where('revision', '=', row.revision)
        .execute();
      result.rescheduled = (result.rescheduled ?? 0) + 1;
    }
    for (const { post, row } of diff.approvalChanges) {
      // `settings.approval` changed: the content did not, so the rendering (and any approval of it) stays.
      await trx
        .updateTable('posts')
        .set({ ...approvalColumns(post, row), updated_at: nowMs })
        .where('id', '=', row.id)
        .where('revision', '=', row.revision)
        .where('state', 'in', PENDING_STATES)
        .execute();
    }
    for (const ids of chunk(diff.removed.map((row) => row.id), ID_CHUNK)) result.cancelled += await cancelPending(trx, ids, nowMs);
    if (options.corrections) {
      const corrections = await syncCorrections(trx, options.corrections, now, options.offices);
      result.correctionsPlanned = corrections.planned;
      result.cancelled += corrections.cancelled;
    }
    return result;
  });
}

export interface SyncOptions {
  corrections?: CorrectionPlanner;
  /**
   * Only posts of these offices are cancelled or corrected (many offices:
   * an office left out of the plan because its config is broken keeps its
   * pending posts, and owes no cancellations). Default: every office.
   */
  offices?: readonly string[];
}

/** A pending post the plan no longer holds, as `previewSync` shows it. */
export type RemovedPost = Pick<LedgerPost, 'id' | 'revision' | 'officeId' | 'ruleId' | 'channelId' | 'kind' | 'releaseId' | 'subject' | 'dueAt' | 'state'>;

/**
 * What `syncPlan` would do with the same arguments, read from the ledger and
 * written nowhere (the console's change preview, issue 9): the same decisions,
 * by the same code, without a write transaction — so a preview never holds a
 * lock a claim would wait for. Read outside a transaction, it can be a moment
 * out of date; the sync itself decides again when the change is saved.
 */
export interface SyncPreview {
  /** Posts that do not exist yet (or were cancelled and come back): inserted as planned. */
  inserted: PlannedPost[];
  /** Pending posts whose facts or template change: a new revision, rendered again. */
  changed: { post: PlannedPost; before: LedgerPost }[];
  /** Pending posts whose due time or deadline moves, facts unchanged (a ready one is rendered again). */
  rescheduled: { post: PlannedPost; before: LedgerPost }[];
  /** Pending posts the plan no longer holds: cancelled. */
  removed: RemovedPost[];
  /** Posts already published (or being sent) whose facts change: left as they are; corrections below. */
  changedAfterPublish: LedgerPost[];
  /** With `options.corrections`: the corrections and cancellations that would be planned, and the pending ones no longer owed. */
  corrections: CorrectionPreview;
}

export async function previewSync(store: Store, planned: PlannedPost[], window: { from: Date; to: Date }, now: Date, options: SyncOptions = {}): Promise<SyncPreview> {
  const diff = await diffPlan(store.db, indexPlan(planned), window, now, options.offices);
  const inserted = diff.inserts.filter((insert) => !insert.supersede || insert.before.state === 'cancelled').map((insert) => insert.post);
  const changed = diff.inserts.filter((insert) => insert.supersede && insert.before.state !== 'cancelled').map(({ post, before }) => ({ post, before: rowToPost(before!) }));
  return {
    inserted,
    changed,
    rescheduled: diff.reschedules.map(({ post, row }) => ({ post, before: rowToPost(row) })),
    removed: diff.removed.map(toRemovedPost),
    changedAfterPublish: diff.changedAfterPublish.map(rowToPost),
    corrections: options.corrections ? await previewCorrections(store.db, options.corrections, now, options.offices) : { planned: [], cancelled: [] },
  };
}

type Insert = { post: PlannedPost; revision: number; supersede: false; before?: undefined } | { post: PlannedPost; revision: number; supersede: true; before: PostRow };

/** The decisions of one sync, read from the ledger; nothing written. */
interface PlanDiff {
  inserts: Insert[];
  reschedules: { post: PlannedPost; row: PostRow }[];
  /** Pending posts whose approval cut-off alone changed (`settings.approval`): counted as unchanged. */
  approvalChanges: { post: PlannedPost; row: PostRow }[];
  changedAfterPublish: PostRow[];
  skippedPast: number;
  unchanged: number;
  /** Pending posts due in the window that the plan no longer holds. */
  removed: RemovedRow[];
}

type RemovedRow = Pick<PostRow, 'id' | 'revision' | 'office_id' | 'rule_id' | 'channel_id' | 'kind' | 'release_id' | 'subject' | 'due_at' | 'state'>;

async function diffPlan(db: Kysely<Database>, plan: Map<string, PlannedPost>, window: { from: Date; to: Date }, now: Date, offices: readonly string[] | undefined): Promise<PlanDiff> {
  const current = await loadCurrent(db, [...plan.keys()]);
  const diff: PlanDiff = { inserts: [], reschedules: [], approvalChanges: [], changedAfterPublish: [], skippedPast: 0, unchanged: 0, removed: [] };
  for (const post of plan.values()) {
    const row = current.get(post.id);
    const decision = decide(post, row, now);
    switch (decision.action) {
      case 'insert':
        diff.inserts.push(decision.supersede ? { post, revision: decision.revision, supersede: true, before: row! } : { post, revision: decision.revision, supersede: false });
        break;
      case 'reschedule':
        diff.reschedules.push(decision);
        break;
      case 'approval-changed':
        diff.approvalChanges.push(decision);
        diff.unchanged += 1;
        break;
      case 'changed-after-publish':
        diff.changedAfterPublish.push(decision.row);
        break;
      case 'skip-past':
        diff.skippedPast += 1;
        break;
      case 'unchanged':
        diff.unchanged += 1;
        break;
    }
  }
  diff.removed = await findRemoved(db, plan, window, offices);
  return diff;
}

function decide(post: PlannedPost, row: PostRow | undefined, now: Date): Decision {
  const future = post.dueAt.getTime() >= now.getTime();
  if (!row) return future ? { action: 'insert', post, revision: 1, supersede: false } : { action: 'skip-past' };
  const factsChanged = row.fingerprint !== post.fingerprint || row.template !== post.template;
  const next = { action: 'insert', post, revision: Number(row.revision) + 1, supersede: true } as const;
  if (PENDING_STATES.includes(row.state)) {
    if (factsChanged) return next;
    const timesChanged = Number(row.due_at) !== post.dueAt.getTime() || numberOrNull(row.deadline) !== toMillis(post.deadline);
    if (timesChanged) return { action: 'reschedule', post, row };
    return numberOrNull(row.approve_by) !== toMillis(post.approveBy) ? { action: 'approval-changed', post, row } : { action: 'unchanged' };
  }
  // Staff skipped it: no re-plan brings it back (store/post-actions.ts).
  if (row.state === 'skipped') return { action: 'unchanged' };
  if (SENT_OR_SENDING.includes(row.state)) {
    return row.fingerprint !== post.fingerprint ? { action: 'changed-after-publish', row } : { action: 'unchanged' };
  }
  if (row.state === 'cancelled') return future ? next : { action: 'skip-past' };
  // expired or dead: never sent. Only new facts with a future due time deserve another try
  // (e.g. the release moved to next week after the bot missed this one).
  return factsChanged && future ? next : { action: 'unchanged' };
}

function indexPlan(planned: PlannedPost[]): Map<string, PlannedPost> {
  const plan = new Map<string, PlannedPost>();
  for (const post of planned) {
    if (plan.has(post.id)) {
      throw new AppError(
        'store-failed',
        `The plan holds post ${post.id} (${post.ruleId}, ${post.channelId}, ${post.subject}) twice; nothing was synced. This is a planner bug: please report it with your config.`,
      );
    }
    plan.set(post.id, post);
  }
  return plan;
}

async function loadCurrent(db: Kysely<Database>, ids: string[]): Promise<Map<string, PostRow>> {
  const current = new Map<string, PostRow>();
  for (const part of chunk(ids, ID_CHUNK)) {
    const rows = await db.selectFrom('posts').selectAll().where('id', 'in', part).where('state', '<>', 'superseded').execute();
    for (const row of rows) current.set(row.id, row);
  }
  return current;
}

async function findRemoved(db: Kysely<Database>, plan: Map<string, PlannedPost>, window: { from: Date; to: Date }, offices: readonly string[] | undefined): Promise<RemovedRow[]> {
  if (offices && offices.length === 0) return [];
  let query = db
    .selectFrom('posts')
    .select(['id', 'revision', 'office_id', 'rule_id', 'channel_id', 'kind', 'release_id', 'subject', 'due_at', 'state'])
    // Corrections are never in the plan: sync-corrections decides when one is no longer owed.
    .where('kind', 'in', ['announcement', 'digest'])
    .where('state', 'in', PENDING_STATES)
    .where('due_at', '>=', window.from.getTime())
    .where('due_at', '<', window.to.getTime());
  if (offices) query = query.where('office_id', 'in', [...offices]);
  return (await query.execute()).filter((row) => !plan.has(row.id));
}

function toRemovedPost(row: RemovedRow): RemovedPost {
  return {
    id: row.id,
    revision: Number(row.revision),
    officeId: row.office_id,
    ruleId: row.rule_id,
    channelId: row.channel_id,
    kind: row.kind,
    releaseId: row.release_id,
    subject: row.subject,
    dueAt: new Date(Number(row.due_at)),
    state: row.state,
  };
}

/** The approval cut-off of `post`; a moved cut-off may alert again, at its new time. */
function approvalColumns(post: PlannedPost, row: PostRow): { approve_by: number | null; approval_alerted_at?: null } {
  const approveBy = toMillis(post.approveBy);
  return approveBy === numberOrNull(row.approve_by) ? { approve_by: approveBy } : { approve_by: approveBy, approval_alerted_at: null };
}

function numberOrNull(value: number | null): number | null {
  return value === null ? null : Number(value);
}

function chunk<T>(items: T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}

