/**
 * One console edit of an office's calendar (issue 9), as plain functions the
 * pages call: open the office's current revision, apply form edits to its
 * files, check the result with the same loader as `check`, `config import` and
 * the bot (app/revision-files.ts `checkRevisionFiles`), with every problem
 * mapped to its form field.
 */
import type { Loaded } from '../../app/load-all';
import { checkRevisionFiles } from '../../app/revision-files';
import { OFFICES_DIR } from '../../config/load-offices';
import type { Problem } from '../../errors';
import { getCurrentRevision, type ConfigRevision, type RevisionFiles } from '../../store/config-revisions';
import type { Store } from '../../store/open';
import { CalendarEditError } from './calendar-document';
import { importCsv, type CsvUpload } from './csv-edit';
import { toFieldProblems, type FieldProblem } from './field-problems';
import { addOpening, cancelOpening, changeOpening, enterCounts, type DayCounts, type OpeningChange, type OpeningInput } from './opening-edits';
import { addClosure, addRecurringRule, changeRecurringRule, removeRecurringRule, type ClosureInput, type RecurringRuleChange, type RecurringRuleInput } from './rule-edits';

/** Where templates are found for a check, and the time it runs at (the loader checks the calendar from today). */
export interface EditEnvironment {
  /** The config directory the deployment was started with (templates outside the revision are found from there). */
  sourceDir: string;
  templatesDir?: string;
  now: Date;
}

/** Who made a revision and when, for the pages. */
export interface RevisionSummary {
  id: number;
  author: string;
  createdAt: Date;
  message: string;
}

export interface EditDraft {
  officeId: string;
  /** The revision the edit starts from: pass it back to `saveEdit`. */
  baseRevision: RevisionSummary;
  files: RevisionFiles;
  /** The office's calendar.yaml in `files` (`calendar.yaml`, or `offices/<id>/calendar.yaml`). */
  calendarFile: string;
}

/** The office's current revision, to edit; undefined when the office has none. */
export async function openForEdit(store: Store, officeId: string): Promise<EditDraft | undefined> {
  const current = await getCurrentRevision(store, officeId);
  if (!current) return undefined;
  return { officeId, baseRevision: summarize(current), files: current.files, calendarFile: calendarFileOf(current.files, officeId) };
}

export function summarize(revision: Pick<ConfigRevision, 'id' | 'author' | 'createdAt' | 'message'>): RevisionSummary {
  return { id: revision.id, author: revision.author, createdAt: revision.createdAt, message: revision.message };
}

/** The office's calendar.yaml among its revision's files (many offices: its own folder). */
export function calendarFileOf(files: RevisionFiles, officeId: string): string {
  const own = `${OFFICES_DIR}/${officeId}/calendar.yaml`;
  if (own in files || Object.keys(files).some((name) => name.startsWith(`${OFFICES_DIR}/`))) return own;
  return 'calendar.yaml';
}

/** One form's edit. */
export type CalendarEdit =
  | { kind: 'add-opening'; opening: OpeningInput }
  | { kind: 'change-opening'; id: string; change: OpeningChange }
  | { kind: 'cancel-opening'; id: string; reason?: string }
  | { kind: 'add-recurring'; rule: RecurringRuleInput }
  | { kind: 'change-recurring'; id: string; change: RecurringRuleChange }
  /** The rule's last opening date (`until`): later openings of it are not announced. */
  | { kind: 'end-recurring'; id: string; until: string }
  | { kind: 'remove-recurring'; id: string }
  | { kind: 'add-closure'; closure: ClosureInput }
  | { kind: 'enter-counts'; entries: readonly DayCounts[] }
  | { kind: 'import-csv'; upload: CsvUpload };

export type AppliedEdit = { ok: true; files: Record<string, string> } | { ok: false; problem: FieldProblem };

/**
 * The office's files with `edit` applied (several edits: apply one after the
 * other). An edit that cannot be made (an opening not in the file) comes back
 * as a problem on its field; what the edit means is judged by `checkEdit`.
 */
export function applyCalendarEdit(files: RevisionFiles, calendarFile: string, edit: CalendarEdit): AppliedEdit {
  const text = files[calendarFile] ?? '';
  const withText = (changed: string): AppliedEdit => ({ ok: true, files: { ...files, [calendarFile]: changed } });
  try {
    switch (edit.kind) {
      case 'add-opening':
        return withText(addOpening(text, edit.opening));
      case 'change-opening':
        return withText(changeOpening(text, edit.id, edit.change));
      case 'cancel-opening':
        return withText(cancelOpening(text, edit.id, edit.reason));
      case 'add-recurring':
        return withText(addRecurringRule(text, edit.rule));
      case 'change-recurring':
        return withText(changeRecurringRule(text, edit.id, edit.change));
      case 'end-recurring':
        return withText(changeRecurringRule(text, edit.id, { until: edit.until }));
      case 'remove-recurring':
        return withText(removeRecurringRule(text, edit.id));
      case 'add-closure':
        return withText(addClosure(text, edit.closure));
      case 'enter-counts':
        return withText(enterCounts(text, edit.entries));
      case 'import-csv':
        return { ok: true, files: importCsv(files, calendarFile, edit.upload) };
    }
  } catch (error) {
    if (!(error instanceof CalendarEditError)) throw error;
    return { ok: false, problem: { field: error.field, message: error.message, detail: error.message, severity: 'error' } };
  }
}

export interface EditCheck {
  /** No problem is an error: the edit may be saved. */
  valid: boolean;
  /** Every problem (errors and warnings), each on its field. */
  problems: FieldProblem[];
  /** The loader's problems as they are (paths relative to the revision), for logs and revisions. */
  loaderProblems: Problem[];
  /** The loaded office when valid (previewEdit plans it). */
  loaded: Loaded | null;
}

/** Loads the edited files exactly as a revision is checked, and maps the problems to the form. */
export function checkEdit(files: RevisionFiles, officeId: string, env: EditEnvironment): EditCheck {
  const checked = checkRevisionFiles(files, { sourceDir: env.sourceDir, ...(env.templatesDir === undefined ? {} : { templatesDir: env.templatesDir }), now: env.now, officeId });
  const problems = [...checked.problems];
  if (checked.officeId !== '' && checked.officeId !== officeId) {
    problems.push({ message: `these files are office ${checked.officeId}'s, not ${officeId}'s`, severity: 'error' });
  }
  const valid = !problems.some((p) => p.severity === 'error');
  return { valid, problems: toFieldProblems(problems, files, calendarFileOf(files, officeId)), loaderProblems: problems, loaded: valid ? checked.loaded : null };
}
