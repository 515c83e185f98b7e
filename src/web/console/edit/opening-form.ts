/**
 * The forms to add a one-off opening and to change one: opening date and
 * time, closing time, the service days it covers, slots per service for each
 * day, a note. A change passes on only what differs from the file, so the
 * lines not touched keep their bytes (and the posts not concerned stay as they are).
 */
import { newOpeningId, type FieldProblem, type OpeningChange } from '../../../console/edit';
import { openingDayDates, type CalendarOpening } from './calendar-items';
import { splitField, type EditForm, type FormContext } from './edit-form';
import type { FieldSpec, FormProblem, FormValues, GroupSpec } from './form-fields';
import { fieldsPage } from './fields-page';

const MIN_DAY_FIELDS = 6;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The day fields of a form: day1…dayN, at least six and two free ones after the days given. */
function dayNames(values: FormValues): string[] {
  const highest = Math.max(0, ...Object.keys(values).flatMap((name) => (/^day\d{1,3}$/.test(name) ? [Number(name.slice(3))] : [])));
  const filled = Object.keys(values).filter((name) => /^day\d{1,3}$/.test(name) && values[name]!.trim() !== '').length;
  return Array.from({ length: Math.min(200, Math.max(MIN_DAY_FIELDS, highest, filled + 2)) }, (_, i) => `day${i + 1}`);
}

function daysOf(values: FormValues): string[] {
  return dayNames(values)
    .map((name) => (values[name] ?? '').trim())
    .filter((date) => date !== '');
}

function countsOf(values: FormValues, ctx: FormContext): Record<string, string> {
  return Object.fromEntries(ctx.office.services.map((service) => [service.id, (values[`count.${service.id}`] ?? '').trim()]));
}

/** The opening's time as the file writes it: `2026-12-11 09:00`. */
function opensAtOf(values: FormValues): string {
  return `${(values.opensDate ?? '').trim()} ${(values.opensTime ?? '').trim()}`;
}

/** The code typed, or the one `addOpening` gives an opening added without one (the same function: the message and problems name the id written). */
function newId(values: FormValues, ctx: FormContext): string {
  return (values.id ?? '').trim() || newOpeningId(ctx.files[ctx.calendarFile] ?? '', opensAtOf(values));
}

function requiredProblems(values: FormValues, ctx: FormContext): FormProblem[] {
  const problems: FormProblem[] = [];
  if ((values.opensDate ?? '').trim() === '') problems.push({ field: 'opensDate', message: ctx.t('edit.opening.needDate') });
  if ((values.opensTime ?? '').trim() === '') problems.push({ field: 'opensTime', message: ctx.t('edit.opening.needTime') });
  if (daysOf(values).length === 0) problems.push({ field: 'days', message: ctx.t('edit.opening.needDays') });
  return problems;
}

/** The field of a problem about the opening `openingId` (its place in the edited file names a day by position). */
function openingField(problem: FieldProblem, openingId: string, values: FormValues, ctx: FormContext, edited: Readonly<Record<string, string>> | null, withId: boolean): string | null {
  if (problem.field === 'id' && withId) return 'id';
  const split = splitField(problem.field);
  if (!split || split.list !== 'openings' || problem.itemId !== openingId) return null;
  const { rest } = split;
  if (rest === '.id') return withId ? 'id' : null;
  if (rest.startsWith('.opensAt')) return 'opensDate';
  if (rest.startsWith('.closesAt')) return 'closesTime';
  if (rest.startsWith('.note')) return 'note';
  const count = /^\.days\[\d+\]\.counts\.([^.[\]]+)/.exec(rest);
  if (count) return ctx.office.services.some((service) => service.id === count[1]) ? `count.${count[1]}` : 'counts';
  const day = /^\.days\[(\d+)\](\.date)?$/.exec(rest);
  if (day && edited) {
    const date = openingDayDates(edited[ctx.calendarFile], openingId)[Number(day[1])];
    const name = dayNames(values).find((each) => date !== undefined && (values[each] ?? '').trim() === date);
    if (name) return name;
  }
  return rest.startsWith('.days') ? 'days' : null;
}

function groups(values: FormValues, ctx: FormContext, mode: 'add' | 'change'): GroupSpec[] {
  const t = ctx.t;
  const timeFields: FieldSpec[] = [
    ...(mode === 'add' ? [{ name: 'id', label: t('edit.opening.id'), type: 'text', optional: true, maxlength: 80, hint: t('edit.opening.idHint') } satisfies FieldSpec] : []),
    { name: 'opensDate', label: t('edit.opening.opensDate'), type: 'date', required: true },
    { name: 'opensTime', label: t('edit.opening.opensTime'), type: 'time', required: true },
    { name: 'closesTime', label: t('edit.opening.closesTime'), type: 'time', optional: true, hint: t('edit.opening.closesHint') },
  ];
  const unevenCounts = mode === 'change' && Object.values(countsOf(values, ctx)).every((count) => count === '') && daysOf(values).length > 0;
  return [
    { legend: t('edit.opening.when'), fields: timeFields },
    {
      legend: t('edit.opening.days'),
      name: 'days',
      hint: t('edit.opening.daysHint'),
      fields: dayNames(values).map((name, index) => ({ name, label: t('edit.opening.day', { n: index + 1 }), type: 'date', optional: index > 0 })),
    },
    {
      legend: t('edit.opening.counts'),
      name: 'counts',
      hint: t(unevenCounts ? 'edit.opening.countsKeepHint' : 'edit.opening.countsHint'),
      fields: ctx.office.services.map((service) => ({ name: `count.${service.id}`, label: service.name, type: 'number', count: true, optional: true })),
    },
    { legend: t('edit.opening.noteLegend'), fields: [{ name: 'note', label: t('edit.opening.note'), type: 'textarea', optional: true, maxlength: 500, rows: 3, hint: t('edit.opening.noteHint') }] },
  ];
}

function focusMonth(values: FormValues): string | null {
  const date = (values.opensDate ?? '').trim();
  return DATE.test(date) ? date.slice(0, 7) : null;
}

export const addOpeningForm: EditForm = {
  kind: 'add-opening',
  title: (ctx) => ctx.t('edit.opening.addTitle'),
  targetExists: () => true,
  initial: () => ({ opensTime: '09:00' }),
  toEdit(values, ctx) {
    const problems = requiredProblems(values, ctx);
    const typed = (values.id ?? '').trim();
    if (typed !== '' && !ID_PATTERN.test(typed)) problems.unshift({ field: 'id', message: ctx.t('edit.opening.badId') });
    if (problems.length > 0) return { problems };
    const note = (values.note ?? '').trim();
    const closes = (values.closesTime ?? '').trim();
    return {
      edit: {
        kind: 'add-opening',
        // No code typed: addOpening makes one from the time.
        opening: { ...(typed === '' ? {} : { id: typed }), opensAt: opensAtOf(values), ...(closes === '' ? {} : { closesAt: closes }), days: daysOf(values), counts: countsOf(values, ctx), ...(note === '' ? {} : { note }) },
      },
    };
  },
  fieldOf: (problem, values, ctx, edited) => openingField(problem, newId(values, ctx), values, ctx, edited, true),
  message: (values, ctx) => `Konsol: tambah pembukaan ${newId(values, ctx)} (${opensAtOf(values)})`,
  page: (values, problems, ctx) => fieldsPage(groups(values, ctx, 'add'), values, problems, { intro: ctx.t('edit.opening.addIntro'), submit: ctx.t('edit.check') }),
  focusMonth,
};

function targetOpening(ctx: FormContext): CalendarOpening | undefined {
  return ctx.items.openings.find((opening) => opening.id === ctx.target);
}

/** A file's opening as form values. Counts only when every day has the same (else the form keeps each day's). */
export function openingValues(opening: CalendarOpening): FormValues {
  const values: FormValues = { opensDate: opening.opensAt.slice(0, 10), opensTime: opening.opensAt.slice(11, 16), closesTime: opening.closesAt ? opening.closesAt.slice(-5) : '', note: opening.note ?? '' };
  opening.days.forEach((day, index) => (values[`day${index + 1}`] = day.date));
  const first = JSON.stringify(opening.days[0]?.quota ?? {});
  if (opening.days.every((day) => JSON.stringify(day.quota) === first)) for (const [service, count] of Object.entries(opening.days[0]?.quota ?? {})) values[`count.${service}`] = count;
  return values;
}

export const changeOpeningForm: EditForm = {
  kind: 'change-opening',
  title: (ctx) => ctx.t('edit.opening.changeTitle', { id: ctx.target ?? '' }),
  targetExists: (ctx) => targetOpening(ctx) !== undefined,
  initial: (ctx) => openingValues(targetOpening(ctx)!),
  toEdit(values, ctx) {
    const problems = requiredProblems(values, ctx);
    if (problems.length > 0) return { problems };
    const before = openingValues(targetOpening(ctx)!);
    const same = (name: string): boolean => (values[name] ?? '').trim() === (before[name] ?? '').trim();
    const change: { -readonly [K in keyof OpeningChange]: OpeningChange[K] } = {};
    if (!same('opensDate') || !same('opensTime')) change.opensAt = opensAtOf(values);
    if (!same('closesTime')) change.closesAt = (values.closesTime ?? '').trim() === '' ? null : (values.closesTime ?? '').trim();
    if (daysOf(values).join() !== daysOf(before).join()) change.days = daysOf(values);
    const counts = countsOf(values, ctx);
    const countsGiven = Object.values(counts).some((count) => count !== '');
    if (countsGiven && ctx.office.services.some((service) => !same(`count.${service.id}`))) change.counts = counts;
    if (!same('note')) change.note = (values.note ?? '').trim() === '' ? null : (values.note ?? '').trim();
    return { edit: { kind: 'change-opening', id: ctx.target!, change } };
  },
  fieldOf: (problem, values, ctx, edited) => openingField(problem, ctx.target!, values, ctx, edited, false),
  message: (_values, ctx) => `Konsol: ubah pembukaan ${ctx.target!}`,
  page: (values, problems, ctx) => fieldsPage(groups(values, ctx, 'change'), values, problems, { intro: ctx.t('edit.opening.changeIntro', { id: ctx.target! }), submit: ctx.t('edit.check') }),
  focusMonth,
};
