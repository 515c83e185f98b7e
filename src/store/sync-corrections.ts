/**
 * The ledger side of corrections (DESIGN.md, protocol 6), run by `syncPlan`
 * in its transaction: read what went out about each release on each channel,
 * let the pure planner (plan/corrections.ts) say which correction or
 * cancellation is owed, and make the ledger hold exactly that one.
 *
 * Corrections are not part of the announcement plan, so the plan's diff never
 * touches them; this step alone plans, revives and cancels them.
 */
import type { Kysely } from 'kysely';
import type { CorrectionDecision, CorrectionPlanner, PublishedHistory } from '../plan/corrections';
import type { PlannedPost, PostFacts, PostKind } from '../plan/types';
import { plannedToRow } from './rows';
import type { Database } from './schema';
import { PENDING_STATES, type PostState } from './types';

/**
 * How far back (by due time) posts are read. A release can be corrected until
 * its last service day ends; monthly releases cover a month a month or two
 * ahead, so half a year of announcements covers every release still bookable.
 */
const LOOKBACK_MS = 186 * 86_400_000;
const ID_CHUNK = 500;

const RELEASE_KINDS: readonly PostKind[] = ['announcement', 'correction', 'cancellation'];
const CORRECTION_KINDS: readonly PostKind[] = ['correction', 'cancellation'];
/** The outcome is not known yet: what the public was told is unsure, so the group waits for the next sync. */
const IN_FLIGHT: readonly PostState[] = ['claimed', 'unknown'];

export interface CorrectionSyncResult {
  /** Corrections and cancellations inserted (new, or revived after a cancel). */
  planned: number;
  /** Pending corrections no longer owed (facts changed again, or back), cancelled. */
  cancelled: number;
}

interface Group {
  key: CorrectionDecision['key'];
  busy: boolean;
  published: { id: string; kind: PostKind; publishedAt: number; dueAt: number }[];
  pending: string[];
}

/** Plans, revives and cancels corrections so the ledger holds exactly the ones `planner` owes. */
export async function syncCorrections(trx: Kysely<Database>, planner: CorrectionPlanner, now: Date, offices?: readonly string[]): Promise<CorrectionSyncResult> {
  const nowMs = now.getTime();
  const result: CorrectionSyncResult = { planned: 0, cancelled: 0 };
  for (const { decision, stale } of await decideCorrections(trx, planner, now, offices)) {
    result.cancelled += await cancelPending(trx, stale, nowMs);
    if (decision.post && (await ensurePost(trx, decision.post, now))) result.planned += 1;
  }
  return result;
}

/** What `syncCorrections` would do, written nowhere (the console's change preview). */
export interface CorrectionPreview {
  /** Corrections and cancellations that would be inserted, each with the published posts it answers. */
  planned: { post: PlannedPost; published: PublishedPost[] }[];
  /** Pending corrections no longer owed: ids that would be cancelled. */
  cancelled: string[];
}

/** A post already out about the release, on the channel of the correction. */
export interface PublishedPost {
  id: string;
  kind: PostKind;
  publishedAt: Date;
}

export async function previewCorrections(db: Kysely<Database>, planner: CorrectionPlanner, now: Date, offices?: readonly string[]): Promise<CorrectionPreview> {
  const preview: CorrectionPreview = { planned: [], cancelled: [] };
  for (const { decision, group, stale } of await decideCorrections(db, planner, now, offices)) {
    preview.cancelled.push(...stale);
    if (!decision.post || !(await wouldInsert(db, decision.post.id))) continue;
    const published = (group?.published ?? []).map((post) => ({ id: post.id, kind: post.kind, publishedAt: new Date(post.publishedAt) }));
    preview.planned.push({ post: decision.post, published });
  }
  return preview;
}

/** The planner's decisions with the group each is about and its pending corrections that are stale; reads only. */
async function decideCorrections(db: Kysely<Database>, planner: CorrectionPlanner, now: Date, offices: readonly string[] | undefined): Promise<{ decision: CorrectionDecision; group: Group | undefined; stale: string[] }[]> {
  const groups = await loadGroups(db, now.getTime(), offices);
  const decidable = [...groups.values()].filter((g) => !g.busy && g.published.length > 0);
  const histories = await loadHistories(db, decidable);
  return planner(histories).map((decision) => {
    const group = groups.get(groupKey(decision.key));
    return { decision, group, stale: (group?.pending ?? []).filter((id) => id !== decision.post?.id) };
  });
}

const groupKey = (key: CorrectionDecision['key']): string => JSON.stringify([key.officeId, key.releaseId, key.channelId]);

/** Current revisions about releases, grouped by (office, release, channel); no facts yet (they are large). */
async function loadGroups(db: Kysely<Database>, nowMs: number, offices: readonly string[] | undefined): Promise<Map<string, Group>> {
  if (offices && offices.length === 0) return new Map();
  let query = db
    .selectFrom('posts')
    .select(['id', 'office_id', 'release_id', 'channel_id', 'kind', 'state', 'published_at', 'due_at'])
    .where('kind', 'in', RELEASE_KINDS)
    .where('release_id', 'is not', null)
    .where('state', 'in', ['published', ...IN_FLIGHT, ...PENDING_STATES])
    .where('due_at', '>=', nowMs - LOOKBACK_MS);
  if (offices) query = query.where('office_id', 'in', [...offices]);
  const rows = await query.execute();
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const key = { officeId: row.office_id, releaseId: row.release_id!, channelId: row.channel_id };
    const id = groupKey(key);
    const group = groups.get(id) ?? { key, busy: false, published: [], pending: [] };
    if (IN_FLIGHT.includes(row.state)) group.busy = true;
    else if (row.state === 'published') {
      group.published.push({ id: row.id, kind: row.kind, publishedAt: Number(row.published_at ?? row.due_at), dueAt: Number(row.due_at) });
    } else if (CORRECTION_KINDS.includes(row.kind)) group.pending.push(row.id);
    groups.set(id, group);
  }
  return groups;
}

/** The release facts each published post showed, in publishing order. */
async function loadHistories(db: Kysely<Database>, groups: Group[]): Promise<PublishedHistory[]> {
  const ids = groups.flatMap((g) => g.published.map((p) => p.id));
  const facts = new Map<string, PostFacts>();
  for (let i = 0; i < ids.length; i += ID_CHUNK) {
    const rows = await db
      .selectFrom('posts')
      .select(['id', 'facts_json'])
      .where('id', 'in', ids.slice(i, i + ID_CHUNK))
      .where('state', '=', 'published')
      .execute();
    for (const row of rows) facts.set(row.id, JSON.parse(row.facts_json) as PostFacts);
  }
  const histories: PublishedHistory[] = [];
  for (const group of groups) {
    const ordered = [...group.published].sort((a, b) => a.publishedAt - b.publishedAt || a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1));
    const posts: PublishedHistory['posts'] = [];
    for (const post of ordered) {
      const release = facts.get(post.id)?.release;
      if (release) posts.push({ kind: post.kind, publishedAt: new Date(post.publishedAt), release });
    }
    if (posts.length > 0) histories.push({ ...group.key, posts });
  }
  return histories;
}

/** Pending revisions of these post ids become `cancelled` (published ones are left alone). */
export async function cancelPending(trx: Kysely<Database>, ids: string[], nowMs: number): Promise<number> {
  if (ids.length === 0) return 0;
  const done = await trx
    .updateTable('posts')
    .set({ state: 'cancelled', next_attempt_at: null, updated_at: nowMs })
    .where('id', 'in', ids)
    .where('state', 'in', PENDING_STATES)
    .executeTakeFirst();
  return Number(done.numUpdatedRows);
}

/**
 * Makes the owed post exist: inserted when new; a new revision when an earlier
 * one was cancelled (the facts went back to what it said); left alone in any
 * other state — pending, sent, or expired/dead, which already alerted staff
 * and are never re-sent late. Returns whether a row was inserted.
 */
async function ensurePost(trx: Kysely<Database>, post: NonNullable<CorrectionDecision['post']>, now: Date): Promise<boolean> {
  const existing = await currentRevisionOf(trx, post.id);
  if (existing && existing.state !== 'cancelled') return false;
  if (existing) {
    await trx
      .updateTable('posts')
      .set({ state: 'superseded', updated_at: now.getTime() })
      .where('id', '=', post.id)
      .where('revision', '=', existing.revision)
      .execute();
  }
  // Another instance may insert the same id at the same moment (PostgreSQL): the
  // one-current-revision index turns the second insert into a no-op.
  const done = await trx
    .insertInto('posts')
    .values(plannedToRow(post, existing ? Number(existing.revision) + 1 : 1, now))
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(done.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Whether `ensurePost` would insert a row for this id (none yet, or the current one cancelled). */
async function wouldInsert(db: Kysely<Database>, id: string): Promise<boolean> {
  const existing = await currentRevisionOf(db, id);
  return !existing || existing.state === 'cancelled';
}

async function currentRevisionOf(db: Kysely<Database>, id: string): Promise<{ revision: number; state: PostState } | undefined> {
  return db.selectFrom('posts').select(['revision', 'state']).where('id', '=', id).where('state', '<>', 'superseded').executeTakeFirst();
}
