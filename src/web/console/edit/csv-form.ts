/**
 * A CSV export of the office's quota spreadsheet, pasted into a text area
 * (no multipart upload: a CSV of a few months is a few kilobytes). Stored
 * beside calendar.yaml and named under `imports:`, read by the same CSV loader
 * as the files; a file name already imported is replaced.
 */
import { splitField, type EditForm } from './edit-form';
import { fieldsPage } from './fields-page';

export const importCsvForm: EditForm = {
  kind: 'import-csv',
  title: (ctx) => ctx.t('edit.csv.title'),
  targetExists: () => true,
  initial: () => ({ fileName: 'kuota-konsol.csv', delimiter: '', text: '' }),
  toEdit(values, ctx) {
    const fileName = (values.fileName ?? '').trim();
    const text = values.text ?? '';
    const problems = [];
    if (fileName === '') problems.push({ field: 'fileName', message: ctx.t('edit.csv.needName') });
    if (text.trim() === '') problems.push({ field: 'text', message: ctx.t('edit.csv.needText') });
    if (problems.length > 0) return { problems };
    const delimiter = values.delimiter === ',' || values.delimiter === ';' ? values.delimiter : undefined;
    // Pasted text ends lines with CRLF in some browsers: the CSV loader reads either, the revision keeps one style.
    return { edit: { kind: 'import-csv', upload: { fileName, text: text.replace(/\r\n?/g, '\n'), ...(delimiter ? { delimiter } : {}) } } };
  },
  fieldOf(problem) {
    if (problem.field === 'imports.file') return 'fileName';
    const split = splitField(problem.field);
    return split && split.list === 'imports' ? 'text' : null;
  },
  message: (values) => `Konsol: impor CSV ${(values.fileName ?? '').trim()}`,
  page: (values, problems, ctx) =>
    fieldsPage(
      [
        {
          legend: ctx.t('edit.csv.legend'),
          fields: [
            { name: 'fileName', label: ctx.t('edit.csv.fileName'), type: 'text', required: true, maxlength: 100, hint: ctx.t('edit.csv.fileNameHint') },
            { name: 'delimiter', label: ctx.t('edit.csv.delimiter'), type: 'select', options: [{ value: '', label: ctx.t('edit.csv.auto') }, { value: ';', label: ctx.t('edit.csv.semicolon') }, { value: ',', label: ctx.t('edit.csv.comma') }] },
            { name: 'text', label: ctx.t('edit.csv.text'), type: 'textarea', required: true, maxlength: 500_000, rows: 12, hint: ctx.t('edit.csv.textHint') },
          ],
        },
      ],
      values,
      problems,
      { intro: ctx.t('edit.csv.intro'), submit: ctx.t('edit.check') },
    ),
};
