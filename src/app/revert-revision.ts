/**
 * A revert: a new revision of an office holding an older revision's files,
 * made from the current revision and checked again like any change (the old
 * files may no longer pass: an edit of the shared templates on disk, a
 * revision that was invalid from the start). One path for `config revert`
 * and the web console, so both store the same revision.
 */
import type { Problem } from '../errors';
import { getCurrentRevision, type CheckRevisionFiles, type ConfigRevision, type NewRevision, type RevisionFiles } from '../store/config-revisions';
import type { Store } from '../store/open';
import { checkRevisionFiles } from './revision-files';

export interface RevertOptions {
  author: string;
  /** Default: `revert to revision N`. */
  message?: string;
  /** Where the office's files come from on disk: templates are found there when the revision holds none. */
  sourceDir: string;
  templatesDir?: string;
  now: Date;
}

/** The change a revert stores (parent: the current revision) and the check a merge with a newer current revision needs. */
export async function prepareRevert(store: Store, target: ConfigRevision, options: RevertOptions): Promise<{ change: NewRevision & { problems: Problem[] }; check: (files: RevisionFiles) => Problem[] }> {
  const current = await getCurrentRevision(store, target.officeId);
  const check = (files: RevisionFiles): Problem[] =>
    checkRevisionFiles(files, {
      sourceDir: options.sourceDir,
      ...(options.templatesDir === undefined ? {} : { templatesDir: options.templatesDir }),
      now: options.now,
      officeId: target.officeId,
    }).problems;
  const change = {
    officeId: target.officeId,
    parentId: current?.id ?? null,
    author: options.author,
    message: options.message ?? `revert to revision ${target.id}`,
    files: target.files,
    problems: check(target.files),
  };
  return { change, check: check satisfies CheckRevisionFiles };
}
