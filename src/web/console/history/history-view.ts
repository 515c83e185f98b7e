/**
 * An office's config history as the page shows it: each revision with who,
 * when, message and state in words, its problems in plain Indonesian, and its
 * diff per file with line numbers and a `+`/`−` on every changed line (the
 * colour only repeats it). Long diffs are cut per file (an office's first
 * revision adds every file it has); the count of lines left out is shown.
 */
import type { DiffHunk } from '../../../cli/unified-diff';
import type { OfficeHistory, RevertOutcome, RevisionEntry, RevisionState } from '../../../console/history';
import { staffTime, type StaffTime } from '../../../console/view-parts';
import type { Lang, Translate } from '../../i18n';
import { configProblemWords, problemView, type ProblemView } from '../preview/problem-words';

/** Lines of one file's diff shown; a first revision's calendar and templates run to hundreds. */
export const MAX_LINES_PER_FILE = 200;

export interface DiffLineView {
  kind: 'added' | 'removed' | 'context';
  /** Visible on the line itself: `+`, `−` or a space. */
  marker: string;
  oldNo: number | null;
  newNo: number | null;
  text: string;
}

export interface FileDiffView {
  file: string;
  statusLabel: string;
  shared: boolean;
  added: number;
  removed: number;
  hunks: { header: string; lines: DiffLineView[] }[];
  hiddenLines: number;
}

export interface RevisionView {
  id: number;
  anchor: string;
  author: string;
  created: StaffTime;
  message: string;
  state: RevisionState;
  stateLabel: string;
  current: boolean;
  rejected: boolean;
  parentId: number | null;
  problems: ProblemView[];
  files: FileDiffView[];
  added: number;
  removed: number;
  /** The newest revision's diff is open; older ones are one click away. */
  open: boolean;
  /** Revert to this revision's files: for editors and admins, on every revision but the current one. */
  revertUrl: string | null;
}

export function historyPageData(history: OfficeHistory, env: { officeId: string; now: Date; lang: Lang; t: Translate; canRevert: boolean }): RevisionView[] {
  return history.revisions.map((revision, index) => revisionView(revision, history.zone, index === 0, env));
}

function revisionView(revision: RevisionEntry, zone: string, open: boolean, env: { officeId: string; now: Date; lang: Lang; t: Translate; canRevert: boolean }): RevisionView {
  return {
    id: revision.id,
    anchor: `rev-${revision.id}`,
    author: revision.author,
    created: staffTime(revision.createdAt, zone, env.now),
    message: revision.message,
    state: revision.state,
    stateLabel: env.t(`history.state.${revision.state}`),
    current: revision.state === 'current',
    rejected: revision.state === 'rejected',
    parentId: revision.parentId,
    problems: revision.problems.map((problem) => problemView(problem, env.lang, configProblemWords)),
    files: revision.diff.files.map((file) => ({
      file: file.file,
      statusLabel: env.t(`history.file.${file.status}`),
      shared: file.shared,
      added: file.added,
      removed: file.removed,
      ...hunkViews(file.hunks),
    })),
    added: revision.diff.added,
    removed: revision.diff.removed,
    open,
    revertUrl: env.canRevert && revision.state !== 'current' ? `/admin/o/${encodeURIComponent(env.officeId)}/history/${revision.id}/revert` : null,
  };
}

function hunkViews(hunks: readonly DiffHunk[]): Pick<FileDiffView, 'hunks' | 'hiddenLines'> {
  let budget = MAX_LINES_PER_FILE;
  let hiddenLines = 0;
  const views: FileDiffView['hunks'] = [];
  for (const hunk of hunks) {
    let oldNo = hunk.oldStart;
    let newNo = hunk.newStart;
    const lines: DiffLineView[] = [];
    for (const line of hunk.lines) {
      const view: DiffLineView =
        line.kind === '+'
          ? { kind: 'added', marker: '+', oldNo: null, newNo: newNo++, text: line.text }
          : line.kind === '-'
            ? { kind: 'removed', marker: '−', oldNo: oldNo++, newNo: null, text: line.text }
            : { kind: 'context', marker: ' ', oldNo: oldNo++, newNo: newNo++, text: line.text };
      if (budget > 0) {
        lines.push(view);
        budget--;
      } else hiddenLines++;
    }
    if (lines.length > 0) views.push({ header: `@@ −${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`, lines });
  }
  return { hunks: views, hiddenLines };
}

export const REVERT_STATUSES = ['current', 'unchanged', 'rejected', 'refused'] as const;

/** What the page says after a revert (post → redirect → get: the outcome rides on the redirect's query). */
export interface RevertNotice {
  status: RevertOutcome['status'];
  text: string;
  alert: boolean;
  anchor: string | null;
}

/**
 * The notice of `?revert=T&status=S&revision=N`, or null. Only ids of this
 * office's listed revisions are believed: a hand-made link cannot make the
 * page claim a revert of something else.
 */
export function revertNotice(query: { revert?: unknown; status?: unknown; revision?: unknown }, revisions: readonly RevisionView[], t: Translate): RevertNotice | null {
  const status = REVERT_STATUSES.find((s) => s === query.status);
  const listed = (value: unknown): RevisionView | undefined => (typeof value === 'string' && /^\d{1,15}$/.test(value) ? revisions.find((r) => r.id === Number(value)) : undefined);
  const target = listed(query.revert);
  if (!status || !target) return null;
  if (status === 'refused') return { status, text: t('history.outcome.refused', { target: target.id }), alert: true, anchor: null };
  const made = listed(query.revision);
  if (!made) return null;
  const words = { target: target.id, id: made.id };
  if (status === 'current') return { status, text: t('history.outcome.current', words), alert: false, anchor: made.anchor };
  if (status === 'unchanged') return { status, text: t('history.outcome.unchanged', words), alert: false, anchor: made.anchor };
  return { status, text: t('history.outcome.rejected', words), alert: true, anchor: made.anchor };
}
