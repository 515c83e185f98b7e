/**
 * Form fields as the edit views show them: a label on every field, the value
 * as typed, and each problem next to its field (`aria-describedby` names the
 * problem and the hint, `aria-invalid` marks the field). Problems no field
 * owns go to the list above the form, which also links to each field's problem.
 */

/** What the user typed, by field name; what the review page carries back (edit-flow.ts). */
export type FormValues = Record<string, string>;

/** A problem for the form: on a field (`count.regular`), or on the form as a whole (null). */
export interface FormProblem {
  field: string | null;
  message: string;
  /** The loader's words with file:line:col, for reference. */
  detail?: string;
  warning?: boolean;
}

export interface ShownProblem {
  id: string;
  text: string;
  detail: string | null;
  warning: boolean;
  /** The field's element id, for the summary's link. */
  fieldId: string | null;
}

export interface ArrangedProblems {
  byField: Map<string, ShownProblem[]>;
  general: ShownProblem[];
  all: ShownProblem[];
  errors: number;
}

export function fieldId(name: string): string {
  return `f-${name.replace(/[^A-Za-z0-9_-]+/g, '-')}`;
}

/** Problems by field, each once (a count wrong on three days is one problem of its field). */
export function arrangeProblems(problems: readonly FormProblem[]): ArrangedProblems {
  const byField = new Map<string, ShownProblem[]>();
  const general: ShownProblem[] = [];
  const all: ShownProblem[] = [];
  const seen = new Set<string>();
  for (const problem of problems) {
    const key = `${problem.field ?? ''}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const shown: ShownProblem = {
      id: `p-${all.length + 1}`,
      text: problem.message,
      detail: problem.detail && problem.detail !== problem.message ? problem.detail : null,
      warning: problem.warning === true,
      fieldId: problem.field === null ? null : fieldId(problem.field),
    };
    all.push(shown);
    if (problem.field === null) general.push(shown);
    else byField.set(problem.field, [...(byField.get(problem.field) ?? []), shown]);
  }
  return { byField, general, all, errors: all.filter((problem) => !problem.warning).length };
}

export interface FieldSpec {
  name: string;
  label: string;
  /** A checkbox is checked when its value is `on` (what a browser posts for a checked box; nothing for an unchecked one). */
  type: 'text' | 'date' | 'time' | 'number' | 'textarea' | 'select' | 'hidden' | 'checkbox';
  required?: boolean;
  optional?: boolean;
  hint?: string;
  maxlength?: number;
  rows?: number;
  /** Numbers: whole and not negative (the browser says so before the server does). */
  count?: boolean;
  options?: readonly { value: string; label: string }[];
}

export interface FieldView extends Omit<FieldSpec, 'options'> {
  id: string;
  value: string;
  problems: ShownProblem[];
  invalid: boolean;
  hintId: string | null;
  describedBy: string | null;
  checked: boolean;
  options?: { value: string; label: string; selected: boolean }[];
}

export function fieldView(spec: FieldSpec, values: FormValues, problems: ArrangedProblems): FieldView {
  const id = fieldId(spec.name);
  const own = problems.byField.get(spec.name) ?? [];
  const hintId = spec.hint ? `${id}-hint` : null;
  const describedBy = [...own.map((problem) => problem.id), ...(hintId ? [hintId] : [])].join(' ') || null;
  const value = values[spec.name] ?? '';
  const { options, ...rest } = spec;
  return {
    ...rest,
    id,
    value,
    problems: own,
    invalid: own.some((problem) => !problem.warning),
    hintId,
    describedBy,
    checked: value === 'on',
    ...(options ? { options: options.map((option) => ({ ...option, selected: option.value === value })) } : {}),
  };
}

export interface GroupSpec {
  legend: string;
  /** Problems about the group as a whole (the service days) are filed under this name. */
  name?: string;
  hint?: string;
  fields: FieldSpec[];
}

export interface GroupView {
  legend: string;
  hint: string | null;
  hintId: string | null;
  problems: ShownProblem[];
  describedBy: string | null;
  fields: FieldView[];
}

export function groupView(spec: GroupSpec, values: FormValues, problems: ArrangedProblems): GroupView {
  const own = spec.name ? (problems.byField.get(spec.name) ?? []) : [];
  const hintId = spec.hint && spec.name ? `${fieldId(spec.name)}-hint` : null;
  return {
    legend: spec.legend,
    hint: spec.hint ?? null,
    hintId,
    problems: own,
    describedBy: [...own.map((problem) => problem.id), ...(hintId ? [hintId] : [])].join(' ') || null,
    fields: spec.fields.map((field) => fieldView(field, values, problems)),
  };
}

/** A form's values from a parsed form body: strings only, the last of repeated names, the flow's own fields left out. */
export function formValues(body: unknown, skip: readonly string[]): FormValues {
  const values: FormValues = {};
  if (body === null || typeof body !== 'object') return values;
  for (const [name, value] of Object.entries(body as Record<string, unknown>)) {
    if (skip.includes(name)) continue;
    const text = Array.isArray(value) ? value[value.length - 1] : value;
    if (typeof text === 'string') values[name] = text;
  }
  return values;
}
