/**
 * The caption template editor's work, without HTTP: open the caption a rule
 * uses on a channel, preview an edit of it against a real upcoming post, and
 * save it as a config revision by the signed-in user through the edits' save
 * path (console/edit/edit-save.ts `saveEdit`: checked, merged with a newer
 * revision when the two changed different lines, refused otherwise).
 *
 * A save is refused unless the edit renders and passes the channel's checks
 * for that post: a caption that is over the limit would not go out.
 */
import { captionFileInUse, previewCaptionTemplate, type CaptionFile, type CaptionPreview } from '../../../console/caption-preview';
import { saveEdit, type SaveEditResult } from '../../../console/edit/edit-save';
import type { OfficeFilesSource } from '../../../console/preview';
import { getRevision } from '../../../store/config-revisions';
import type { WebContext } from '../../console-page';
import { officeSource, type RevisionSource } from './office-source';
import { templateSaveTarget, type TemplateSaveTarget } from './template-target';

export interface OpenTemplate {
  officeId: string;
  ruleId: string;
  channelId: string;
  source: RevisionSource;
  inUse: CaptionFile;
  target: TemplateSaveTarget;
}

/** The caption of `ruleId` on `channelId` in the office's current revision; undefined when there is no revision, rule or channel. */
export async function openTemplate(web: WebContext, officeId: string, ruleId: string, channelId: string): Promise<OpenTemplate | undefined> {
  const source = await officeSource(web, officeId);
  if (!source) return undefined;
  const inUse = captionFileInUse(source, ruleId, channelId, web.clock.now());
  if (!inUse) return undefined;
  return { officeId, ruleId, channelId, source, inUse, target: templateSaveTarget(source.files, officeId, inUse.file, web.source) };
}

/** The edit rendered as it would be saved: the same file, in the office's own layer. */
export function previewTemplate(open: OpenTemplate, text: string, now: Date, source: OfficeFilesSource = open.source): CaptionPreview {
  return previewCaptionTemplate(source, { ruleId: open.ruleId, channelId: open.channelId, source: text, file: open.inUse.file, layer: 'office' }, { now });
}

export type SaveTemplateResult =
  | { status: 'not-saveable' }
  /** The form names a revision that is not this office's. */
  | { status: 'bad-base' }
  /** The edit does not render, or fails the channel's checks: nothing stored. */
  | { status: 'refused'; preview: CaptionPreview }
  | SaveEditResult;

export async function saveTemplate(
  web: WebContext,
  open: OpenTemplate,
  input: { text: string; baseRevisionId: number; author: string; message: string },
): Promise<SaveTemplateResult> {
  if (!open.target.saveable) return { status: 'not-saveable' };
  const base = await getRevision(web.store, input.baseRevisionId);
  if (!base || base.officeId !== open.officeId) return { status: 'bad-base' };
  const now = web.clock.now();
  const preview = previewTemplate(open, input.text, now, { ...open.source, files: base.files, revisionId: base.id });
  if (preview.status !== 'rendered' || preview.problems.some((problem) => problem.severity === 'error')) return { status: 'refused', preview };
  return saveEdit(web.store, {
    officeId: open.officeId,
    baseRevisionId: base.id,
    files: { ...base.files, [open.target.revisionFile]: input.text },
    author: input.author,
    message: input.message,
    env: { sourceDir: open.source.sourceDir, ...(open.source.templatesDir === undefined ? {} : { templatesDir: open.source.templatesDir }), now },
  });
}
