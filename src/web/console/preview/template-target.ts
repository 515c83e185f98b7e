/**
 * Where a caption template edited in the console is saved: a file of the
 * office's config revision, so it goes through the same path as every other
 * edit (checked, authored, merged or refused on a conflict, followed by every
 * instance). Or why it cannot be:
 *
 * - many offices: the office's own folder is in its revision
 *   (`offices/<id>/templates/captions/…`), so an edit of a shared or shipped
 *   caption is saved as the office's own copy, which wins over it for this
 *   office only (caption-preview.ts: lookup office → shared → shipped);
 * - one office whose revision holds its templates/ folder: `templates/captions/…`;
 * - one office whose templates live outside the revision (the sample: the
 *   shipped folder next to config/), or a server started with `--templates`
 *   (that folder wins over whatever a revision holds): a revision cannot hold
 *   this one file without all the others, so saving would either be ignored or
 *   cut the office off from the rest of its templates. The editor then
 *   previews only, and says how to change the file on the server.
 */
import type { RevisionFiles } from '../../../store/config-revisions';
import { OFFICES_DIR } from '../../../config/load-offices';
import type { ConfigSource } from '../../office-config';

export type TemplateSaveTarget =
  | { saveable: true; revisionFile: string }
  | { saveable: false; reason: 'templates-outside-revision' | 'templates-folder-fixed' };

/** `file` is relative to a templates folder (`captions/h-1.x.hbs`, validated by the preview). */
export function templateSaveTarget(files: RevisionFiles, officeId: string, file: string, source: ConfigSource): TemplateSaveTarget {
  const names = Object.keys(files);
  if (names.some((name) => name.startsWith(`${OFFICES_DIR}/`))) return { saveable: true, revisionFile: `${OFFICES_DIR}/${officeId}/templates/${file}` };
  if (source.templatesDir !== undefined) return { saveable: false, reason: 'templates-folder-fixed' };
  if (!names.some((name) => name.startsWith('templates/'))) return { saveable: false, reason: 'templates-outside-revision' };
  return { saveable: true, revisionFile: `templates/${file}` };
}

/** Browsers send a textarea's line breaks as CRLF; templates on disk use LF (and a caption would otherwise carry \r to the platforms). */
export function normalizeTemplateText(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
