/** The page of a form made of fieldsets of fields (edit-form.hbs); the counts table has its own view. */
import type { FormPage } from './edit-form';
import { groupView, type ArrangedProblems, type FormValues, type GroupSpec } from './form-fields';

export function fieldsPage(groups: readonly GroupSpec[], values: FormValues, problems: ArrangedProblems, words: { intro: string; submit: string; facts?: readonly { term: string; value: string }[] }): FormPage {
  return {
    view: 'console/edit/edit-form.hbs',
    data: { intro: words.intro, submitLabel: words.submit, facts: words.facts ?? [], groups: groups.map((group) => groupView(group, values, problems)) },
  };
}
