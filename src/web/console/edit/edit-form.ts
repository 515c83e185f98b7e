/**
 * One calendar edit form (add an opening, cancel one, …) as the edit flow
 * (edit-flow.ts) drives it: its fresh values, its values as a `CalendarEdit`,
 * which of its fields a loader problem is about, and its page.
 */
import type { OfficeConfig } from '../../../config/types';
import type { CalendarEdit, FieldProblem } from '../../../console/edit';
import type { RevisionFiles } from '../../../store/config-revisions';
import type { Lang, Translate } from '../../i18n';
import type { CalendarItems } from './calendar-items';
import type { ArrangedProblems, FormProblem, FormValues } from './form-fields';

export interface FormContext {
  officeId: string;
  /** The office as its current revision loads (services, channels, zone). */
  office: OfficeConfig;
  /** The revision the edit starts from, and its calendar.yaml's name in it. */
  baseRevisionId: number;
  files: RevisionFiles;
  calendarFile: string;
  /** What the base calendar holds. */
  items: CalendarItems;
  /** The opening named in the URL (`/edit/opening/:id/…`), when the form has one. */
  target: string | null;
  t: Translate;
  lang: Lang;
  /** The server clock's now (a zone's abbreviation may change with daylight saving). */
  now: Date;
}

export type EditFromForm = { edit: CalendarEdit; problems?: undefined } | { problems: FormProblem[] };

/** A form's page: its view (under src/web/) and that view's data. */
export interface FormPage {
  view: string;
  data: Record<string, unknown>;
}

export interface EditForm {
  /** Names the form in the audit log. */
  kind: CalendarEdit['kind'];
  title(ctx: FormContext): string;
  /** Whether the URL's target exists in the base calendar (false: 404). Forms without a target: always. */
  targetExists(ctx: FormContext): boolean;
  /** The values of a fresh form. */
  initial(ctx: FormContext): FormValues;
  /** The values as an edit, or what is wrong before the loader is asked (a reason left empty). */
  toEdit(values: FormValues, ctx: FormContext): EditFromForm;
  /** The field a loader problem concerns, or null for the form as a whole. `edited`: the files with the edit applied. */
  fieldOf(problem: FieldProblem, values: FormValues, ctx: FormContext, edited: RevisionFiles | null): string | null;
  /** The revision's message (its author is the user). */
  message(values: FormValues, ctx: FormContext): string;
  page(values: FormValues, problems: ArrangedProblems, ctx: FormContext): FormPage;
  /** The month (`YYYY-MM`) the calendar shows after saving, when the edit is about one. */
  focusMonth?(values: FormValues): string | null;
}

/** `openings[3].days[0].counts.regular` → `{ list: 'openings', index: 3, rest: '.days[0].counts.regular' }`. */
export function splitField(field: string | null): { list: string; index: number; rest: string } | null {
  const match = field === null ? null : /^([A-Za-z]+)\[(\d+)\](.*)$/.exec(field);
  return match ? { list: match[1]!, index: Number(match[2]), rest: match[3]! } : null;
}
