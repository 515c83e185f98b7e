/**
 * Saving a console edit (issue 9): a config revision by the signed-in user,
 * stored only when the edited files pass the checks, through the one writer
 * of revisions (store/config-revisions.ts `createRevision`).
 *
 * Optimistic concurrency: the caller passes the revision the edit started
 * from. When another revision became current since, the edit is merged with it
 * by the three-way line merge of revisions when the two changed different
 * lines (checked again; current only when valid), and refused otherwise, with
 * who changed the office's config and when. Two people editing at once never
 * overwrite each other, and nothing is silently dropped.
 */
import { revisionZone } from '../../app/revision-files';
import { formatStaffTime } from '../../render/helpers/staff-time';
import { createRevision, getCurrentRevision, getRevision, listRevisions, MergeConflictError, StaleParentError, type RevisionFiles } from '../../store/config-revisions';
import type { FileConflict } from '../../store/revision-merge';
import type { Store } from '../../store/open';
import { checkEdit, summarize, type EditEnvironment, type RevisionSummary } from './edit-session';
import type { FieldProblem } from './field-problems';

export interface SaveEditInput {
  officeId: string;
  /** The revision the edit started from (`openForEdit`'s `baseRevision.id`). */
  baseRevisionId: number;
  files: RevisionFiles;
  /** The signed-in user: the revision's author. */
  author: string;
  message: string;
  env: EditEnvironment;
}

export type SaveEditResult =
  /** Stored and current. `merged`: another revision had become current since the base; the two were merged. */
  | { status: 'saved'; revision: RevisionSummary; problems: FieldProblem[]; merged?: { with: RevisionSummary } }
  /** The files equal the current revision: nothing stored. */
  | { status: 'unchanged'; revision: RevisionSummary }
  /** The edit does not pass the checks: nothing stored. */
  | { status: 'invalid'; problems: FieldProblem[] }
  /**
   * Another revision became current since the base, and the two changed the same
   * lines (or their merge fails the checks): the edit is not current; `current`
   * says who changed the office's config and when, `changedSince` every valid
   * revision since the base, `message` says it in Indonesian.
   */
  | { status: 'conflict'; current: RevisionSummary; changedSince: RevisionSummary[]; conflicts: readonly FileConflict[]; problems: FieldProblem[]; message: string };

export async function saveEdit(store: Store, input: SaveEditInput): Promise<SaveEditResult> {
  const checked = checkEdit(input.files, input.officeId, input.env);
  if (!checked.valid) return { status: 'invalid', problems: checked.problems };
  const check = (files: RevisionFiles) => checkEdit(files, input.officeId, input.env).loaderProblems;
  const change = { officeId: input.officeId, parentId: input.baseRevisionId, author: input.author, message: input.message, files: input.files, problems: checked.loaderProblems };
  try {
    const created = await createRevision(store, change, input.env.now, { check });
    if (created.unchanged) return { status: 'unchanged', revision: summarize(created.revision) };
    if (!created.current) {
      // Merged with a newer revision, and the two together fail the checks (each was valid alone).
      const merge = checkEdit(created.revision.files, input.officeId, input.env);
      return conflict(store, input, created.merged?.withId, [], merge.problems);
    }
    const merged = created.merged ? await getRevision(store, created.merged.withId) : undefined;
    return { status: 'saved', revision: summarize(created.revision), problems: checked.problems, ...(merged ? { merged: { with: summarize(merged) } } : {}) };
  } catch (error) {
    if (!(error instanceof StaleParentError)) throw error;
    return conflict(store, input, error.currentId, error instanceof MergeConflictError ? error.conflicts : [], []);
  }
}

async function conflict(store: Store, input: SaveEditInput, currentId: number | undefined, conflicts: readonly FileConflict[], problems: FieldProblem[]): Promise<SaveEditResult> {
  const current = currentId === undefined ? await getCurrentRevision(store, input.officeId) : await getRevision(store, currentId);
  if (!current) throw new Error(`office ${input.officeId} has no current revision to conflict with`);
  const changedSince = (await listRevisions(store, { officeId: input.officeId }))
    .filter((revision) => revision.valid && revision.id > input.baseRevisionId && revision.id <= current.id && revision.author !== input.author)
    .map(summarize)
    .reverse();
  const zone = revisionZone(current.files, input.officeId) ?? 'UTC';
  const when = formatStaffTime(current.createdAt, zone, input.env.now);
  const why = problems.length > 0 ? 'digabung dengan perubahan itu, kalender tidak lolos pemeriksaan' : 'perubahan itu menyentuh baris yang sama';
  const message =
    `Kalender ini sudah diubah oleh ${current.author} pada ${when} (revisi ${current.id}) sejak Anda mulai menyunting revisi ${input.baseRevisionId}, dan ${why}. ` +
    'Perubahan Anda tidak disimpan: buka revisi terbaru, lalu ulangi perubahan Anda.';
  return { status: 'conflict', current: summarize(current), changedSince, conflicts, problems, message };
}
