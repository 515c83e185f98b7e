/**
 * A CSV import from the console: the uploaded file is stored next to the
 * office's calendar.yaml and named under `imports:`, exactly as staff would
 * do by hand, so it is read by the same CSV loader (config/csv-import.ts)
 * with the same columns, checks and release ids (`csv:NAME@DATE'T'TIME`).
 * Uploading a file of a name already imported replaces it.
 */
import { isMap, YAMLMap, type YAMLSeq } from 'yaml';
import type { RevisionFiles } from '../../store/config-revisions';
import { CalendarEditError, editCalendar, topList } from './calendar-document';

export interface CsvUpload {
  /** A plain file name ending in .csv (`kuota.csv`): no folders. */
  fileName: string;
  text: string;
  delimiter?: ',' | ';';
}

/** `imports:` names `fileName` (with `delimiter` when given); text in, text out. */
export function addImport(text: string, fileName: string, delimiter?: ',' | ';'): string {
  return editCalendar(text, (doc, root) => {
    const list: YAMLSeq = topList(doc, root, 'imports');
    const existing = list.items.find((item): item is YAMLMap => isMap(item) && item.get('file') === fileName);
    if (existing) {
      if (delimiter !== undefined) existing.set(doc.createNode('delimiter'), doc.createNode(delimiter));
      return;
    }
    const entry = doc.createNode(delimiter === undefined ? { file: fileName } : { file: fileName, delimiter }) as YAMLMap;
    list.items.push(entry);
  });
}

/** The office's files with the CSV stored beside `calendarFile` and named in its `imports:`. */
export function importCsv(files: RevisionFiles, calendarFile: string, upload: CsvUpload): Record<string, string> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.csv$/i.test(upload.fileName)) {
    throw new CalendarEditError('imports.file', `Nama berkas \`${upload.fileName}\` tidak dapat dipakai: gunakan huruf, angka, -, _ atau . dan akhiran .csv, tanpa folder (mis. kuota-januari.csv).`);
  }
  const folder = calendarFile.includes('/') ? calendarFile.slice(0, calendarFile.lastIndexOf('/') + 1) : '';
  return {
    ...files,
    [`${folder}${upload.fileName}`]: upload.text,
    [calendarFile]: addImport(files[calendarFile] ?? '', upload.fileName, upload.delimiter),
  };
}
