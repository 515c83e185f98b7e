/** Adding a closure (a day or days without service: cuti bersama, maintenance), written at the end of `closures:`. */
import { splitField, type EditForm } from './edit-form';
import { fieldsPage } from './fields-page';
import type { FormValues } from './form-fields';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const trimmed = (values: FormValues, name: string): string => (values[name] ?? '').trim();

export const addClosureForm: EditForm = {
  kind: 'add-closure',
  title: (ctx) => ctx.t('edit.closure.title'),
  targetExists: () => true,
  initial: () => ({}),
  toEdit(values, ctx) {
    const [date, from, to, reason] = ['date', 'from', 'to', 'reason'].map((name) => trimmed(values, name)) as [string, string, string, string];
    const problems = [];
    if (date === '' && from === '' && to === '') problems.push({ field: 'date', message: ctx.t('edit.closure.needDate') });
    if (reason === '') problems.push({ field: 'reason', message: ctx.t('edit.closure.needReason') });
    if (problems.length > 0) return { problems };
    return { edit: { kind: 'add-closure', closure: { ...(date === '' ? {} : { date }), ...(from === '' ? {} : { from }), ...(to === '' ? {} : { to }), reason } } };
  },
  fieldOf(problem, _values, ctx) {
    const split = splitField(problem.field);
    // The new closure is the last of the list: the base calendar's count is its index.
    if (!split || split.list !== 'closures' || split.index !== ctx.items.closures) return null;
    const key = /^\.(date|from|to|reason)/.exec(split.rest);
    return key ? key[1]! : 'date';
  },
  message: (values) => {
    const date = trimmed(values, 'date') || `${trimmed(values, 'from')}–${trimmed(values, 'to')}`;
    return `Konsol: tambah hari tutup ${date} (${trimmed(values, 'reason')})`;
  },
  page: (values, problems, ctx) =>
    fieldsPage(
      [
        {
          legend: ctx.t('edit.closure.when'),
          hint: ctx.t('edit.closure.whenHint'),
          name: 'when',
          fields: [
            { name: 'date', label: ctx.t('edit.closure.date'), type: 'date', optional: true },
            { name: 'from', label: ctx.t('edit.closure.from'), type: 'date', optional: true },
            { name: 'to', label: ctx.t('edit.closure.to'), type: 'date', optional: true },
          ],
        },
        { legend: ctx.t('edit.closure.reasonLegend'), fields: [{ name: 'reason', label: ctx.t('edit.closure.reason'), type: 'text', required: true, maxlength: 200, hint: ctx.t('edit.closure.reasonHint') }] },
      ],
      values,
      problems,
      { intro: ctx.t('edit.closure.intro'), submit: ctx.t('edit.check') },
    ),
  focusMonth: (values) => {
    const date = trimmed(values, 'date') || trimmed(values, 'from');
    return DATE.test(date) ? date.slice(0, 7) : null;
  },
};
