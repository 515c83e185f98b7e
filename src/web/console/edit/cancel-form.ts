/**
 * Cancelling an opening, with the reason staff give: a one-off opening gets
 * `cancelled: true` and its `cancelReason`; one date of a recurring rule goes
 * into the rule's `cancelledOn`. What is already announced gets a
 * cancellation post (shown on the review page before saving).
 */
import { recurringOccurrence } from './calendar-items';
import { splitField, type EditForm, type FormContext } from './edit-form';
import { fieldsPage } from './fields-page';

function facts(ctx: FormContext): { term: string; value: string }[] {
  const opening = ctx.items.openings.find((each) => each.id === ctx.target);
  if (opening) return [{ term: ctx.t('edit.cancel.opening'), value: opening.id }, { term: ctx.t('edit.cancel.opensAt'), value: opening.opensAt }, ...(opening.note ? [{ term: ctx.t('calendar.note'), value: opening.note }] : [])];
  const occurrence = recurringOccurrence(ctx.items, ctx.target ?? '');
  return occurrence ? [{ term: ctx.t('edit.cancel.rule'), value: occurrence.ruleId }, { term: ctx.t('edit.cancel.date'), value: occurrence.date }] : [];
}

export const cancelOpeningForm: EditForm = {
  kind: 'cancel-opening',
  title: (ctx) => ctx.t('edit.cancel.title', { id: ctx.target ?? '' }),
  targetExists: (ctx) => ctx.items.openings.some((opening) => opening.id === ctx.target) || recurringOccurrence(ctx.items, ctx.target ?? '') !== null,
  initial: () => ({ reason: '' }),
  toEdit(values, ctx) {
    const reason = (values.reason ?? '').trim();
    if (reason === '') return { problems: [{ field: 'reason', message: ctx.t('edit.cancel.needReason') }] };
    return { edit: { kind: 'cancel-opening', id: ctx.target!, reason } };
  },
  fieldOf(problem, _values, ctx) {
    const split = splitField(problem.field);
    // A one-off opening's problem names it; a recurring date's names its rule.
    const owners = [ctx.target, recurringOccurrence(ctx.items, ctx.target ?? '')?.ruleId];
    if (!split || problem.itemId === undefined || !owners.includes(problem.itemId)) return null;
    return /reason/i.test(split.rest) ? 'reason' : null;
  },
  message: (values, ctx) => `Konsol: batalkan pembukaan ${ctx.target!}: ${(values.reason ?? '').trim()}`,
  page: (values, problems, ctx) =>
    fieldsPage(
      [{ legend: ctx.t('edit.cancel.legend'), fields: [{ name: 'reason', label: ctx.t('edit.cancel.reason'), type: 'textarea', required: true, maxlength: 300, rows: 3, hint: ctx.t('edit.cancel.reasonHint') }] }],
      values,
      problems,
      { intro: ctx.t('edit.cancel.intro'), submit: ctx.t('edit.check'), facts: facts(ctx) },
    ),
};
