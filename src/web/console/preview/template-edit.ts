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

/**
 * What the editor shows before any edit, per office revision, rule and channel:
 * the caption file in use, and its result for the rule's next post. Each needs
 * the office's files loaded (a tenth of a second and more: every template is
 * compiled), and a revision's files never change, so both are kept — the
 * result until its post is due (then the next post is the one to show).
 */
export interface TemplateEditorCache {
  inUse(key: string, load: () => CaptionFile | undefined): CaptionFile | undefined;
  unedited(key: string, now: Date, render: () => CaptionPreview): CaptionPreview;
}

const EDITOR_CACHE_ENTRIES = 64;

export function createTemplateEditorCache(): TemplateEditorCache {
  const files = new Map<string, CaptionFile | undefined>();
  const previews = new Map<string, CaptionPreview & { status: 'rendered' }>();
  const keep = <T>(map: Map<string, T>, key: string, value: T): T => {
    map.delete(key);
    map.set(key, value);
    while (map.size > EDITOR_CACHE_ENTRIES) map.delete(map.keys().next().value!);
    return value;
  };
  return {
    inUse(key, load) {
      return files.has(key) ? files.get(key) : keep(files, key, load());
    },
    unedited(key, now, render) {
      const known = previews.get(key);
      if (known && known.post.dueAt > now) return known;
      const preview = render();
      // Only a rendered result: "no post to preview with" and errors may change with time or be transient.
      return preview.status === 'rendered' ? keep(previews, key, preview) : preview;
    },
  };
}

const editorKey = (source: { officeId: string; revisionId: number }, ruleId: string, channelId: string): string => [source.officeId, source.revisionId, ruleId, channelId].join('\n');

/** The caption of `ruleId` on `channelId` in the office's current revision; undefined when there is no revision, rule or channel. */
export async function openTemplate(web: WebContext, officeId: string, ruleId: string, channelId: string, cache?: TemplateEditorCache): Promise<OpenTemplate | undefined> {
  const source = await officeSource(web, officeId);
  if (!source) return undefined;
  const load = (): CaptionFile | undefined => captionFileInUse(source, ruleId, channelId, web.clock.now());
  const inUse = cache ? cache.inUse(editorKey(source, ruleId, channelId), load) : load();
  if (!inUse) return undefined;
  return { officeId, ruleId, channelId, source, inUse, target: templateSaveTarget(source.files, officeId, inUse.file, web.source) };
}

/** The edit rendered as it would be saved: the same file, in the office's own layer. The text in use, unedited, is taken from `cache` when there. */
export function previewTemplate(open: OpenTemplate, text: string, now: Date, source: OfficeFilesSource = open.source, cache?: TemplateEditorCache): CaptionPreview {
  const render = (): CaptionPreview => previewCaptionTemplate(source, { ruleId: open.ruleId, channelId: open.channelId, source: text, file: open.inUse.file, layer: 'office' }, { now });
  if (!cache || text !== open.inUse.source || source !== open.source) return render();
  return cache.unedited(editorKey(open.source, open.ruleId, open.channelId), now, render);
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
