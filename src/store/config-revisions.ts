/**
 * Config revisions: the stored history of each office's config files, and
 * which revision each office runs (issue 8). Writers (the bot recording an
 * edit on disk, `config import`, `config revert`, next the web console) all
 * go through `createRevision`, which
 *
 * - keeps every revision, valid or not, so a bad edit is on record with its problems;
 * - makes a valid revision current, but only when it was made from the current
 *   one (its parent): two writers that started from the same revision never
 *   silently overwrite each other — the second is refused with a message
 *   saying whose revision came first and what to do.
 *
 * On PostgreSQL a revision becoming current is announced, in the same
 * transaction (delivered at commit), with NOTIFY on REVISIONS_CHANNEL: the
 * running instances LISTEN (store/revision-listener.ts) and switch at once.
 *
 * Merging two such edits is not done: a line-based three-way merge needs a
 * diff library among the runtime dependencies, and none is (`diff`,
 * `node-diff3` are absent; jest's diff-sequences is a dev dependency only).
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { AppError, type Problem } from '../errors';
import type { Store } from './open';
import type { ConfigRevisionsTable } from './schema';
import { inWriteTransaction } from './transaction';

/** The PostgreSQL NOTIFY channel of "office X's current revision is now N" (payload: RevisionNotice as JSON). */
export const REVISIONS_CHANNEL = 'herald_config_revisions';

/** The payload of a NOTIFY on REVISIONS_CHANNEL. */
export interface RevisionNotice {
  officeId: string;
  revisionId: number;
}

/** `{ "relative/path": "text" }`, paths with `/` whatever the host. */
export type RevisionFiles = Readonly<Record<string, string>>;

export interface ConfigRevision {
  id: number;
  officeId: string;
  parentId: number | null;
  author: string;
  createdAt: Date;
  message: string;
  files: RevisionFiles;
  contentHash: string;
  problems: Problem[];
  valid: boolean;
}

export interface NewRevision {
  officeId: string;
  /** The revision the change was made from; null for an office's first one. */
  parentId: number | null;
  author: string;
  message: string;
  files: RevisionFiles;
  problems: readonly Problem[];
}

export interface CreatedRevision {
  revision: ConfigRevision;
  /** True when the revision is now the office's current one. */
  current: boolean;
  /** True when the files equal the current revision's: nothing was stored, `revision` is the current one. */
  unchanged: boolean;
}

/** A valid change made from a revision that is no longer current. */
export class StaleParentError extends AppError {
  constructor(
    readonly officeId: string,
    readonly parentId: number | null,
    readonly currentId: number,
    currentAuthor: string,
  ) {
    super(
      'revision-conflict',
      `office ${officeId}: the change was made from revision ${parentId ?? '(none)'}, but revision ${currentId} (by ${currentAuthor}) is current now; ` +
        `nothing was changed. Look at it (\`quota-herald config diff ${parentId ?? currentId} ${currentId}\`), then make the change again from revision ${currentId}.`,
    );
    this.name = 'StaleParentError';
  }
}

/** sha256 (hex) over the files sorted by path, names and contents length-prefixed. */
export function hashFiles(files: RevisionFiles): string {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) {
    const text = files[name] ?? '';
    hash.update(`${Buffer.byteLength(name)}:${name}\0${Buffer.byteLength(text)}:`);
    hash.update(text);
  }
  return hash.digest('hex');
}

/**
 * Stores a revision; a valid one from the current parent becomes current.
 * @throws StaleParentError when a valid revision's parent is not the current revision.
 */
export async function createRevision(store: Store, change: NewRevision, now: Date): Promise<CreatedRevision> {
  const valid = !change.problems.some((p) => p.severity === 'error');
  const contentHash = hashFiles(change.files);
  return inWriteTransaction(store, async (trx) => {
    // The office's row in config_current is the lock every writer of that office takes
    // (SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs the row lock).
    await trx.insertInto('config_current').values({ office_id: change.officeId, revision_id: null, updated_at: now.getTime() }).onConflict((oc) => oc.doNothing()).execute();
    let lock = trx.selectFrom('config_current').select('revision_id').where('office_id', '=', change.officeId);
    if (store.dialect === 'postgres') lock = lock.forUpdate();
    const currentId = (await lock.executeTakeFirstOrThrow()).revision_id;
    const current = currentId === null ? undefined : await trx.selectFrom('config_revisions').selectAll().where('id', '=', currentId).executeTakeFirstOrThrow();
    if (valid && current && current.content_hash === contentHash) return { revision: toRevision(current), current: true, unchanged: true };
    if (valid && current && change.parentId !== current.id) throw new StaleParentError(change.officeId, change.parentId, current.id, current.author);
    const row = await trx
      .insertInto('config_revisions')
      .values({
        office_id: change.officeId,
        parent_id: change.parentId,
        author: change.author,
        created_at: now.getTime(),
        message: change.message,
        files_json: JSON.stringify(sortedFiles(change.files)),
        content_hash: contentHash,
        problems_json: JSON.stringify(change.problems),
        valid: valid ? 1 : 0,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    if (valid) {
      await trx.updateTable('config_current').set({ revision_id: row.id, updated_at: now.getTime() }).where('office_id', '=', change.officeId).execute();
      if (store.dialect === 'postgres') {
        const notice: RevisionNotice = { officeId: change.officeId, revisionId: Number(row.id) };
        await sql`select pg_notify(${REVISIONS_CHANNEL}, ${JSON.stringify(notice)})`.execute(trx);
      }
    }
    return { revision: toRevision(row), current: valid, unchanged: false };
  });
}

export async function getRevision(store: Store, id: number): Promise<ConfigRevision | undefined> {
  const row = await store.db.selectFrom('config_revisions').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toRevision(row) : undefined;
}

/** The office's current revision, if it has one. */
export async function getCurrentRevision(store: Store, officeId: string): Promise<ConfigRevision | undefined> {
  const row = await store.db
    .selectFrom('config_current')
    .innerJoin('config_revisions', 'config_revisions.id', 'config_current.revision_id')
    .selectAll('config_revisions')
    .where('config_current.office_id', '=', officeId)
    .executeTakeFirst();
  return row ? toRevision(row) : undefined;
}

/** The office's newest revision whose files hash to `contentHash` (the revision some files on disk were made from). */
export async function findRevisionByContent(store: Store, officeId: string, contentHash: string): Promise<number | undefined> {
  const row = await store.db.selectFrom('config_revisions').select('id').where('office_id', '=', officeId).where('content_hash', '=', contentHash).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/** office id → its current revision id, for every office that has one. */
export async function listCurrentIds(store: Store): Promise<Map<string, number>> {
  const rows = await store.db.selectFrom('config_current').select(['office_id', 'revision_id']).where('revision_id', 'is not', null).orderBy('office_id').execute();
  return new Map(rows.map((row) => [row.office_id, Number(row.revision_id)]));
}

/** Revisions newest first, of one office or all; without the files (they can be large). */
export async function listRevisions(store: Store, options: { officeId?: string; limit?: number } = {}): Promise<Omit<ConfigRevision, 'files'>[]> {
  let query = store.db
    .selectFrom('config_revisions')
    .select(['id', 'office_id', 'parent_id', 'author', 'created_at', 'message', 'content_hash', 'problems_json', 'valid', sql<string>`'{}'`.as('files_json')])
    .orderBy('id', 'desc');
  if (options.officeId !== undefined) query = query.where('office_id', '=', options.officeId);
  if (options.limit !== undefined) query = query.limit(options.limit);
  const rows = await query.execute();
  return rows.map((row) => {
    const { files: _files, ...rest } = toRevision(row);
    return rest;
  });
}

function sortedFiles(files: RevisionFiles): Record<string, string> {
  return Object.fromEntries(Object.keys(files).sort().map((name) => [name, files[name] ?? '']));
}

function toRevision(row: Omit<ConfigRevisionsTable, 'id'> & { id: number }): ConfigRevision {
  return {
    id: Number(row.id),
    officeId: row.office_id,
    parentId: row.parent_id === null ? null : Number(row.parent_id),
    author: row.author,
    createdAt: new Date(Number(row.created_at)),
    message: row.message,
    files: JSON.parse(row.files_json) as RevisionFiles,
    contentHash: row.content_hash,
    problems: JSON.parse(row.problems_json) as Problem[],
    valid: Number(row.valid) === 1,
  };
}
