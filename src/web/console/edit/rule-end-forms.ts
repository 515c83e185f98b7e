/**
 * Ending a recurring rule (its last opening date, `until`) and removing one.
 * Ending keeps the rule and its past openings in the calendar; removing takes
 * it out of calendar.yaml. Either way, openings after the end are not
 * announced: pending posts are cancelled, and what is already published gets
 * a cancellation post (the review page shows both before saving).
 */
import { readRecurringRules } from '../../../console/edit';
import { dateLabel } from '../../../console/view-parts';
import type { EditForm, FormContext } from './edit-form';
import { fieldsPage } from './fields-page';
import { ruleField, targetRule } from './rule-form';
import { rhythmWords } from './rule-words';

function facts(ctx: FormContext): { term: string; value: string }[] {
  const rule = targetRule(ctx);
  if (!rule) return [];
  const env = { office: ctx.office, now: ctx.now, lang: ctx.lang, t: ctx.t };
  return [
    { term: ctx.t('rules.facts.rule'), value: rule.id },
    { term: ctx.t('rules.facts.rhythm'), value: rhythmWords(rule.rhythm, rule.at, rule.closesAfterMinutes, env) },
    ...(rule.from ? [{ term: ctx.t('rules.form.from'), value: dateLabel(rule.from, ctx.lang) }] : []),
    ...(rule.until ? [{ term: ctx.t('rules.form.until'), value: dateLabel(rule.until, ctx.lang) }] : []),
  ];
}

const exists = (ctx: FormContext): boolean => readRecurringRules(ctx.files[ctx.calendarFile]).some((rule) => rule.id === ctx.target);

export const endRuleForm: EditForm = {
  kind: 'end-recurring',
  title: (ctx) => ctx.t('rules.end.title', { id: ctx.target ?? '' }),
  targetExists: exists,
  initial: (ctx) => ({ until: targetRule(ctx)?.until ?? '' }),
  toEdit(values, ctx) {
    const until = (values.until ?? '').trim();
    if (until === '') return { problems: [{ field: 'until', message: ctx.t('rules.end.needUntil') }] };
    return { edit: { kind: 'end-recurring', id: ctx.target!, until } };
  },
  fieldOf: (problem, values, ctx) => (ruleField(problem, ctx.target!, values, ctx, false) === 'until' ? 'until' : null),
  message: (values, ctx) => `Konsol: akhiri pembukaan rutin ${ctx.target!} pada ${(values.until ?? '').trim()}`,
  page: (values, problems, ctx) =>
    fieldsPage(
      [{ legend: ctx.t('rules.end.legend'), fields: [{ name: 'until', label: ctx.t('rules.end.until'), type: 'date', required: true, hint: ctx.t('rules.end.untilHint') }] }],
      values,
      problems,
      { intro: ctx.t('rules.end.intro'), submit: ctx.t('edit.check'), facts: facts(ctx) },
    ),
  focusMonth: (values) => {
    const until = (values.until ?? '').trim();
    return /^\d{4}-\d{2}-\d{2}$/.test(until) ? until.slice(0, 7) : null;
  },
};

export const removeRuleForm: EditForm = {
  kind: 'remove-recurring',
  title: (ctx) => ctx.t('rules.remove.title', { id: ctx.target ?? '' }),
  targetExists: exists,
  initial: () => ({}),
  toEdit: (_values, ctx) => ({ edit: { kind: 'remove-recurring', id: ctx.target! } }),
  fieldOf: () => null,
  message: (_values, ctx) => `Konsol: hapus pembukaan rutin ${ctx.target!}`,
  page: (values, problems, ctx) => fieldsPage([], values, problems, { intro: ctx.t('rules.remove.intro'), submit: ctx.t('edit.check'), facts: facts(ctx) }),
};
