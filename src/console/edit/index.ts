/**
 * The console's calendar editing (issue 9), for the pages: open an office's
 * current revision, apply form edits (text in, text out, comments kept), check
 * them with the loader (problems on form fields, in Indonesian), preview what
 * a save would do to the posts, save as a revision by the user.
 */
export { CalendarEditError, type Counts } from './calendar-document';
export { addImport, importCsv, type CsvUpload } from './csv-edit';
export { previewEdit, type EditPreview, type EditPreviewResult, type PreviewPost } from './edit-preview';
export { saveEdit, type SaveEditInput, type SaveEditResult } from './edit-save';
export {
  applyCalendarEdit,
  calendarFileOf,
  checkEdit,
  openForEdit,
  type AppliedEdit,
  type CalendarEdit,
  type EditCheck,
  type EditDraft,
  type EditEnvironment,
  type RevisionSummary,
} from './edit-session';
export { fieldKey, toFieldProblems, type FieldProblem } from './field-problems';
export { addOpening, cancelOpening, changeOpening, enterCounts, newOpeningId, type DayCounts, type OpeningChange, type OpeningInput } from './opening-edits';
export { addClosure, addRecurringRule, changeRecurringRule, removeRecurringRule, type ClosureInput, type RecurringRuleChange, type RecurringRuleInput } from './rule-edits';
export { DEFAULT_SERVICE_WEEKDAYS, readRecurringRules, WEEKDAYS, weekdayName, type RecurringRuleItem, type RuleRhythm, type WeekdayName } from './rule-items';
