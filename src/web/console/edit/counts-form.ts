/**
 * Counts for many days of one opening at once: a table of its service days ×
 * the office's services, plus empty rows to add days. A count left empty
 * removes that service from the day; a day not in the opening yet is added in
 * date order (console/edit `enterCounts`).
 */
import type { DayCounts } from '../../../console/edit';
import { openingDayDates, type CalendarOpening } from './calendar-items';
import { splitField, type EditForm, type FormContext } from './edit-form';
import { fieldView, type FieldView, type FormProblem, type FormValues } from './form-fields';

const NEW_ROWS = 3;

function targetOpening(ctx: FormContext): CalendarOpening | undefined {
  return ctx.items.openings.find((opening) => opening.id === ctx.target);
}

/** Row numbers 1…N: the opening's days, then free rows (as many as the form posted). */
function rowNumbers(values: FormValues, ctx: FormContext): number[] {
  const posted = Math.max(0, ...Object.keys(values).flatMap((name) => (/^date\.\d{1,3}$/.test(name) ? [Number(name.slice(5))] : [])));
  const count = Math.min(400, Math.max(posted, (targetOpening(ctx)?.days.length ?? 0) + NEW_ROWS));
  return Array.from({ length: count }, (_, i) => i + 1);
}

function existingDates(ctx: FormContext): Set<string> {
  return new Set(targetOpening(ctx)?.days.map((day) => day.date) ?? []);
}

const cell = (values: FormValues, name: string): string => (values[name] ?? '').trim();

export const enterCountsForm: EditForm = {
  kind: 'enter-counts',
  title: (ctx) => ctx.t('edit.counts.title', { id: ctx.target ?? '' }),
  targetExists: (ctx) => targetOpening(ctx) !== undefined,
  initial(ctx) {
    const values: FormValues = {};
    targetOpening(ctx)!.days.forEach((day, index) => {
      values[`date.${index + 1}`] = day.date;
      for (const service of ctx.office.services) values[`count.${index + 1}.${service.id}`] = day.quota[service.id] ?? '';
    });
    return values;
  },
  toEdit(values, ctx) {
    const entries: DayCounts[] = [];
    const problems: FormProblem[] = [];
    const known = existingDates(ctx);
    for (const row of rowNumbers(values, ctx)) {
      const date = cell(values, `date.${row}`);
      const counts = Object.fromEntries(ctx.office.services.map((service) => [service.id, cell(values, `count.${row}.${service.id}`)]));
      const anyCount = Object.values(counts).some((count) => count !== '');
      if (date === '') {
        if (anyCount) problems.push({ field: `date.${row}`, message: ctx.t('edit.counts.needDate') });
        continue;
      }
      if (!known.has(date) && !anyCount) {
        problems.push({ field: `count.${row}.${ctx.office.services[0]!.id}`, message: ctx.t('edit.counts.needCount') });
        continue;
      }
      entries.push({ openingId: ctx.target!, date, counts });
    }
    if (problems.length > 0) return { problems };
    return { edit: { kind: 'enter-counts', entries } };
  },
  fieldOf(problem, values, ctx, edited) {
    const split = splitField(problem.field);
    if (!split || split.list !== 'openings' || problem.itemId !== ctx.target || !edited) return null;
    const day = /^\.days\[(\d+)\](.*)$/.exec(split.rest);
    if (!day) return null;
    const date = openingDayDates(edited[ctx.calendarFile], ctx.target!)[Number(day[1])];
    const row = rowNumbers(values, ctx).find((each) => date !== undefined && cell(values, `date.${each}`) === date);
    if (row === undefined) return null;
    const count = /^\.counts\.([^.[\]]+)/.exec(day[2]!);
    return count && ctx.office.services.some((service) => service.id === count[1]) ? `count.${row}.${count[1]}` : `date.${row}`;
  },
  message: (values, ctx) => `Konsol: isi jumlah kuota ${ctx.target!} (${rowNumbers(values, ctx).filter((row) => cell(values, `date.${row}`) !== '').length} hari)`,
  page(values, problems, ctx) {
    const known = existingDates(ctx);
    const rows = rowNumbers(values, ctx).map((row) => {
      const date = cell(values, `date.${row}`);
      const fixed = known.has(date);
      const dateField: FieldView = fieldView({ name: `date.${row}`, label: ctx.t('edit.counts.newDate', { n: row }), type: fixed ? 'hidden' : 'date', optional: true }, values, problems);
      return {
        fixed,
        date,
        dateField,
        counts: ctx.office.services.map((service) =>
          fieldView({ name: `count.${row}.${service.id}`, label: ctx.t('edit.counts.cell', { service: service.name, date: date || ctx.t('edit.counts.newRow', { n: row }) }), type: 'number', count: true }, values, problems),
        ),
      };
    });
    return { view: 'console/edit/counts-form.hbs', data: { intro: ctx.t('edit.counts.intro', { id: ctx.target! }), submitLabel: ctx.t('edit.check'), services: ctx.office.services, rows} };
  },
  focusMonth: () => null,
};
