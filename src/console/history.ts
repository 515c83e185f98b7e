/**
 * The web console's config history (issue 9): every revision of an office
 * with its author, time, message, parent and state, each with a readable diff
 * against its parent, and revert. Plain functions over the store; the pages
 * and routes format them.
 *
 * Shared files (many offices: herald.yaml and templates/ above offices/) are
 * stored in every office's revision (app/revision-files.ts), so an office's
 * history shows the shared edits it received too; each file's diff says
 * whether it is shared or the office's own.
 *
 * Revert goes through app/revert-revision.ts, the path of `config revert`.
 */
import { OFFICES_DIR } from '../config/load-offices';
import type { Problem } from '../errors';
import { prepareRevert } from '../app/revert-revision';
import { revisionZone } from '../app/revision-files';
import { diffHunks, type DiffHunk } from '../cli/unified-diff';
import {
  createRevision,
  getRevision,
  listCurrentIds,
  listRevisions,
  StaleParentError,
  type ConfigRevision,
  type RevisionFiles,
} from '../store/config-revisions';
import type { Store } from '../store/open';

/** `current`: the office runs it; `valid`: passed its checks, not (or no longer) current; `rejected`: stored with errors, never current. */
export type RevisionState = 'current' | 'valid' | 'rejected';

export interface FileDiff {
  /** The path inside the revision (`calendar.yaml`, `offices/kanim-medan/herald.yaml`). */
  file: string;
  status: 'added' | 'removed' | 'changed';
  /** True for a file every office of the deployment shares (many offices: outside `offices/`). */
  shared: boolean;
  added: number;
  removed: number;
  hunks: DiffHunk[];
}

export interface RevisionDiff {
  /** The revision compared with (the parent); null for an office's first revision (every file added). */
  againstId: number | null;
  files: FileDiff[];
  added: number;
  removed: number;
}

export interface RevisionEntry {
  id: number;
  officeId: string;
  parentId: number | null;
  author: string;
  createdAt: Date;
  message: string;
  state: RevisionState;
  /** Errors and warnings found when it was stored (a rejected revision's say why). */
  problems: Problem[];
  diff: RevisionDiff;
}

export interface OfficeHistory {
  officeId: string;
  /** The office's zone per its current (else newest) revision, for showing times; UTC when none says. */
  zone: string;
  currentId: number | null;
  /** Newest first. */
  revisions: RevisionEntry[];
}

/** The office's revisions, newest first (at most `limit`, default 50), each with its diff against its parent. */
export async function listOfficeHistory(store: Store, officeId: string, options: { limit?: number } = {}): Promise<OfficeHistory> {
  const currentId = (await listCurrentIds(store)).get(officeId) ?? null;
  const summaries = await listRevisions(store, { officeId, limit: options.limit ?? 50 });
  const loaded = new Map<number, ConfigRevision>();
  const load = async (id: number): Promise<ConfigRevision | undefined> => {
    const known = loaded.get(id);
    if (known) return known;
    const revision = await getRevision(store, id);
    if (revision) loaded.set(id, revision);
    return revision;
  };
  const revisions: RevisionEntry[] = [];
  for (const summary of summaries) {
    const revision = await load(summary.id);
    if (!revision) continue;
    const parent = revision.parentId === null ? undefined : await load(revision.parentId);
    revisions.push({
      id: revision.id,
      officeId: revision.officeId,
      parentId: revision.parentId,
      author: revision.author,
      createdAt: revision.createdAt,
      message: revision.message,
      state: revision.id === currentId ? 'current' : revision.valid ? 'valid' : 'rejected',
      problems: revision.problems,
      diff: diffRevisionFiles(parent?.files ?? {}, revision.files, { againstId: parent?.id ?? null, officeId }),
    });
  }
  const zoneSource = (currentId === null ? undefined : await load(currentId)) ?? (summaries[0] ? await load(summaries[0].id) : undefined);
  return { officeId, zone: (zoneSource && revisionZone(zoneSource.files, officeId)) ?? 'UTC', currentId, revisions };
}

/** File by file, what changed from `before` to `after` (files in path order; equal files left out). */
export function diffRevisionFiles(before: RevisionFiles, after: RevisionFiles, options: { againstId: number | null; officeId: string }): RevisionDiff {
  const many = [...Object.keys(before), ...Object.keys(after)].some((name) => name.startsWith(`${OFFICES_DIR}/`));
  const files: FileDiff[] = [];
  for (const file of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = before[file];
    const b = after[file];
    if (a === b) continue;
    const hunks = diffHunks(a ?? '', b ?? '');
    const count = (kind: '+' | '-'): number => hunks.reduce((sum, hunk) => sum + hunk.lines.filter((line) => line.kind === kind).length, 0);
    files.push({
      file,
      status: a === undefined ? 'added' : b === undefined ? 'removed' : 'changed',
      shared: many && !file.startsWith(`${OFFICES_DIR}/`),
      added: count('+'),
      removed: count('-'),
      hunks,
    });
  }
  return { againstId: options.againstId, files, added: files.reduce((s, f) => s + f.added, 0), removed: files.reduce((s, f) => s + f.removed, 0) };
}

export interface RevertOutcome {
  /**
   * `current`: the revert is the office's current revision. `unchanged`: the files already are the
   * current revision's; nothing stored. `rejected`: stored, but its files no longer pass the checks
   * (see `problems`); the current revision stays. `refused`: another revision became current while
   * the revert was made and the two touched the same lines; nothing stored (see `message`).
   */
  status: 'current' | 'unchanged' | 'rejected' | 'refused';
  /** The revision stored (the merge, when merged with a newer current one); the current one when `unchanged`; absent when refused. */
  revisionId?: number;
  problems: Problem[];
  /** What happened, for staff. */
  message: string;
}

/**
 * A new revision holding revision `revisionId`'s files, by `author`, made from
 * the office's current revision and checked again (the `config revert` path).
 * Unknown ids are refused with a message, nothing stored.
 */
export async function revertRevision(
  store: Store,
  revisionId: number,
  author: string,
  options: { now: Date; sourceDir: string; templatesDir?: string; message?: string },
): Promise<RevertOutcome> {
  const target = await getRevision(store, revisionId);
  if (!target) return { status: 'refused', problems: [], message: `there is no revision ${revisionId}` };
  const { change, check } = await prepareRevert(store, target, { author, ...options });
  try {
    const created = await createRevision(store, change, options.now, { check });
    const office = `office ${target.officeId}`;
    if (created.unchanged) {
      return { status: 'unchanged', revisionId: created.revision.id, problems: [], message: `${office}: revision ${created.revision.id} is current and already has revision ${revisionId}'s files; nothing recorded` };
    }
    if (!created.current) {
      const errors = created.revision.problems.filter((p) => p.severity === 'error').length;
      return {
        status: 'rejected',
        revisionId: created.revision.id,
        problems: created.revision.problems,
        message: `${office}: revision ${created.revision.id} (revision ${revisionId}'s files) recorded as invalid (${errors} error(s)); the current revision stays. Fix the problems in a new edit instead.`,
      };
    }
    return { status: 'current', revisionId: created.revision.id, problems: created.revision.problems, message: `${office}: revision ${created.revision.id} (revision ${revisionId}'s files) is current` };
  } catch (error) {
    if (!(error instanceof StaleParentError)) throw error;
    return { status: 'refused', problems: [], message: error.message };
  }
}
