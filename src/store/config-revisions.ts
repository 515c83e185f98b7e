/**
 * Config revisions: the stored history of each office's config files, and
 * which revision each office runs (issue 8). Writers (the bot recording an
 * edit on disk, `config import`, `config revert`, next the web console) all
 * go through `createRevision`, which
 *
 * - keeps every revision, valid or not, so a bad edit is on record with its problems;
 * - makes a valid revision current when it was made from the current one (its parent);
 * - when another writer's revision became current since the parent (two writers
 *   from the same revision), never lets one silently overwrite the other: the
 *   second change is merged with the current revision, file by file and line by
 *   line (store/revision-merge.ts), when the two did not touch the same lines,
 *   and the merged files are checked like any revision; otherwise it is refused
 *   with the files and lines that conflict and what to do.
 *
 * A merge stores two revisions: the change as it was made (parent: the revision
 * it was made from; valid, never current) and the merge (parent: the current
 * revision; current when its check finds no error). The first is what the next
 * edit of the same files is made from, so merging again takes only the new edit.
 *
 * On PostgreSQL a revision becoming current is announced, in the same
 * transaction (delivered at commit), with NOTIFY on REVISIONS_CHANNEL: the
 * running instances LISTEN (store/revision-listener.ts) and switch at once.

 */
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { AppError, type Problem } from '../errors';
import type { Store } from './open';
import { describeRange, MAX_CHANGED_LINES, mergeRevisionFiles, type FileConflict } from './revision-merge';
import type { ConfigRevisionsTable, Database } from './schema';
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

/** Checks files as every revision is checked (app/revision-files.ts `checkRevisionFiles`): the store cannot load a config itself. */
export type CheckRevisionFiles = (files: RevisionFiles) => readonly Problem[] | Promise<readonly Problem[]>;

export interface CreatedRevision {
  /** The revision stored (the merge, when merged), or the current one when `unchanged`. */
  revision: ConfigRevision;
  /** True when `revision` is now the office's current one. */
  current: boolean;
  /** True when the (merged) files equal the current revision's: no new current revision was stored. */
  unchanged: boolean;
  /**
   * The change was made from an older revision and merged with the current one:
   * `change` is the change as made (stored, never current), `withId` the revision merged with.
   */
  merged?: { change: ConfigRevision; withId: number };
}

/** A valid change made from a revision that is no longer current, and not merged: nothing was stored. */
export class StaleParentError extends AppError {
  constructor(
    readonly officeId: string,
    readonly parentId: number | null,
    readonly currentId: number,
    currentAuthor: string,
    message?: string,
  ) {
    super(
      'revision-conflict',
      message ??
        `office ${officeId}: the change was made from revision ${parentId ?? '(none)'}, but revision ${currentId} (by ${currentAuthor}) is current now; ` +
          `nothing was changed. Look at it (\`quota-herald config diff ${parentId ?? currentId} ${currentId}\`), then make the change again from revision ${currentId}.`,
    );
    this.name = 'StaleParentError';
  }
}

/** Both the current revision and a change made from an older one edited the same lines (or files): refused, nothing stored. */
export class MergeConflictError extends StaleParentError {
  constructor(
    officeId: string,
    parentId: number | null,
    currentId: number,
    currentAuthor: string,
    readonly conflicts: readonly FileConflict[],
  ) {
    const base = parentId === null ? 'no revision' : `revision ${parentId}`;
    super(
      officeId,
      parentId,
      currentId,
      currentAuthor,
      `office ${officeId}: the change was made from ${base}, but revision ${currentId} (by ${currentAuthor}) is current now, and the two changed the same lines; nothing was changed:\n` +
        conflicts.map((conflict) => `  ${describeConflict(conflict, parentId, currentId)}`).join('\n') +
        `\nTo go on: \`quota-herald config export DIR\` writes revision ${currentId} as files; make the change again there, then \`quota-herald config import DIR\`.`,
    );
    this.name = 'MergeConflictError';
  }
}

function describeConflict(conflict: FileConflict, parentId: number | null, currentId: number): string {
  const ours = `revision ${currentId}`;
  if (conflict.whole === 'removed-by-ours') return `${conflict.file}: ${ours} removed it, the change edited it`;
  if (conflict.whole === 'removed-by-theirs') return `${conflict.file}: the change removed it, ${ours} edited it`;
  if (conflict.whole === 'too-many-changes') return `${conflict.file}: more than ${MAX_CHANGED_LINES} lines changed on one side, too many to merge line by line`;
  if (conflict.whole === 'added-by-both' || !conflict.lines) return `${conflict.file}: ${ours} and the change both added it, with different content`;
  const { base, ours: a, theirs: b } = conflict.lines;
  const side = (range: typeof a): string => (range.count === 0 ? 'removed' : describeRange(range));
  const where = parentId === null ? describeRange(base) : `${describeRange(base)} of revision ${parentId}`;
  const what = base.count === 0 ? 'both added lines' : 'changed by both';
  return `${conflict.file}: ${where}, ${what} (${ours}: ${side(a)}; the change: ${side(b)})`;
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

/** How often a merge is made again because yet another revision became current while it was checked. */
const MERGE_ATTEMPTS = 5;

/** A merge made outside the write transaction, against the revision `currentId`. */
interface PreparedMerge {
  currentId: number;
  files: Record<string, string>;
  contentHash: string;
  problems: readonly Problem[];
}

/**
 * Stores a revision; a valid one from the current parent becomes current. A
 * valid one from an older parent is merged with the current revision when
 * `options.check` is given (to check the merged files); without it, refused.
 *
 * The merge and its check run outside the write transaction (a check loads a
 * whole config: no writer should wait on it); the transaction that stores the
 * merge takes the office's lock again and stores it only if the revision it
 * merged with is still current, else merges again with the newer one.
 *
 * @throws MergeConflictError when the change and the current revision edited the same lines.
 * @throws StaleParentError when a valid revision's parent is not the current revision and it was not merged.
 */
export async function createRevision(store: Store, change: NewRevision, now: Date, options: { check?: CheckRevisionFiles } = {}): Promise<CreatedRevision> {
  const valid = !change.problems.some((p) => p.severity === 'error');
  const contentHash = hashFiles(change.files);
  let prepared: PreparedMerge | undefined;
  for (let attempt = 1; ; attempt++) {
    const step = await inWriteTransaction(store, async (trx): Promise<{ done: CreatedRevision } | { mergeWith: ConfigRevision }> => {
      const current = await lockOffice(trx, store, change.officeId, now);
      if (valid && current && current.content_hash === contentHash) return { done: { revision: toRevision(current), current: true, unchanged: true } };
      if (!valid || !current || change.parentId === current.id) {
        const row = await insertRevision(trx, change, { files: change.files, contentHash, problems: change.problems, valid }, now);
        if (valid) await setCurrent(trx, store, change.officeId, row.id, now);
        return { done: { revision: toRevision(row), current: valid, unchanged: false } };
      }
      const stale = (message?: string): StaleParentError => new StaleParentError(change.officeId, change.parentId, current.id, current.author, message);
      if (!options.check) throw stale();
      if (prepared?.currentId !== current.id) {
        if (attempt > MERGE_ATTEMPTS) throw stale();
        return { mergeWith: toRevision(current) };
      }
      return { done: await storeMerge(trx, store, change, contentHash, prepared, current, now) };
    });
    if ('done' in step) return step.done;
    prepared = await prepareMerge(store, change, step.mergeWith, options.check!);
  }
}

/**
 * Takes the office's lock and returns its current revision. The office's row in
 * config_current is the lock every writer of that office takes (SQLite's BEGIN
 * IMMEDIATE already serialises writers; PostgreSQL needs the row lock).
 */
async function lockOffice(trx: Kysely<Database>, store: Store, officeId: string, now: Date): Promise<ConfigRevisionRow | undefined> {
  await trx.insertInto('config_current').values({ office_id: officeId, revision_id: null, updated_at: now.getTime() }).onConflict((oc) => oc.doNothing()).execute();
  let lock = trx.selectFrom('config_current').select('revision_id').where('office_id', '=', officeId);
  if (store.dialect === 'postgres') lock = lock.forUpdate();
  const currentId = (await lock.executeTakeFirstOrThrow()).revision_id;
  return currentId === null ? undefined : trx.selectFrom('config_revisions').selectAll().where('id', '=', currentId).executeTakeFirstOrThrow();
}

/** Merges the change with `current` (base: the change's parent) and checks the result; no transaction held. */
async function prepareMerge(store: Store, change: NewRevision, current: ConfigRevision, check: CheckRevisionFiles): Promise<PreparedMerge> {
  let base: RevisionFiles = {};
  if (change.parentId !== null) {
    const parent = await getRevision(store, change.parentId);
    if (!parent || parent.officeId !== change.officeId) {
      throw new StaleParentError(
        change.officeId,
        change.parentId,
        current.id,
        current.author,
        `office ${change.officeId}: the change says it was made from revision ${change.parentId}, which is not a revision of this office; nothing was changed. \`quota-herald config log --office ${change.officeId}\` lists its revisions.`,
      );
    }
    base = parent.files;
  }
  const merged = mergeRevisionFiles(base, current.files, change.files);
  if (merged.files === undefined) throw new MergeConflictError(change.officeId, change.parentId, current.id, current.author, merged.conflicts);
  return { currentId: current.id, files: merged.files, contentHash: hashFiles(merged.files), problems: await check(merged.files) };
}

/** Stores the change as made and, when it adds anything to the current revision, the merge; the merge is current when valid. */
async function storeMerge(trx: Kysely<Database>, store: Store, change: NewRevision, contentHash: string, merge: PreparedMerge, current: ConfigRevisionRow, now: Date): Promise<CreatedRevision> {
  const made = toRevision(await insertRevision(trx, change, { files: change.files, contentHash, problems: change.problems, valid: true }, now));
  const merged = { change: made, withId: current.id };
  if (merge.contentHash === current.content_hash) return { revision: toRevision(current), current: true, unchanged: true, merged };
  const valid = !merge.problems.some((p) => p.severity === 'error');
  const message = `${change.message}${change.message === '' ? '' : ' '}(revision ${made.id} merged with revision ${current.id})`;
  const row = await insertRevision(trx, { ...change, parentId: current.id, message }, { files: merge.files, contentHash: merge.contentHash, problems: merge.problems, valid }, now);
  if (valid) await setCurrent(trx, store, change.officeId, row.id, now);
  return { revision: toRevision(row), current: valid, unchanged: false, merged };
}

type ConfigRevisionRow = Omit<ConfigRevisionsTable, 'id'> & { id: number };

async function insertRevision(
  trx: Kysely<Database>,
  change: NewRevision,
  content: { files: RevisionFiles; contentHash: string; problems: readonly Problem[]; valid: boolean },
  now: Date,
): Promise<ConfigRevisionRow> {
  return trx
    .insertInto('config_revisions')
    .values({
      office_id: change.officeId,
      parent_id: change.parentId,
      author: change.author,
      created_at: now.getTime(),
      message: change.message,
      files_json: JSON.stringify(sortedFiles(content.files)),
      content_hash: content.contentHash,
      problems_json: JSON.stringify(content.problems),
      valid: content.valid ? 1 : 0,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Makes a revision current; on PostgreSQL announces it (NOTIFY, delivered at commit) to the instances that LISTEN. */
async function setCurrent(trx: Kysely<Database>, store: Store, officeId: string, revisionId: number, now: Date): Promise<void> {
  await trx.updateTable('config_current').set({ revision_id: revisionId, updated_at: now.getTime() }).where('office_id', '=', officeId).execute();
  if (store.dialect === 'postgres') {
    const notice: RevisionNotice = { officeId, revisionId: Number(revisionId) };
    await sql`select pg_notify(${REVISIONS_CHANNEL}, ${JSON.stringify(notice)})`.execute(trx);
  }
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

function toRevision(row: ConfigRevisionRow): ConfigRevision {
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
