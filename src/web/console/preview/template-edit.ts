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
import { editorCaptionFile, loadCaptionEditor, previewCaptionEdit, previewCaptionTemplate, type CaptionEditor, type CaptionFile, type CaptionPreview } from '../../../console/caption-preview';
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
  /** The office's files loaded for previews of this caption. */
  editor: CaptionEditor;
  target: TemplateSaveTarget;
}

/**
 * The editor of each office revision, rule and channel, loaded once
 * (console/caption-preview.ts `loadCaptionEditor`: the office's files loaded
 * and their templates compiled, a tenth of a second and more): a revision's
 * files never change, so the page and every preview as staff type reuse it.
 * The unedited caption's result is kept too, until its post is due (then the
 * next post is the one to show).
 */
export interface TemplateEditorCache {
  editor(key: string, load: () => ReturnType<typeof loadCaptionEditor>): ReturnType<typeof loadCaptionEditor>;
  unedited(key: string, now: Date, render: () => CaptionPreview): CaptionPreview;
}

const EDITOR_CACHE_ENTRIES = 64;

export function createTemplateEditorCache(): TemplateEditorCache {
  const editors = new Map<string, CaptionEditor>();
  const previews = new Map<string, CaptionPreview & { status: 'rendered' }>();
  const keep = <T>(map: Map<string, T>, key: string, value: T): T => {
    map.delete(key);
    map.set(key, value);
    while (map.size > EDITOR_CACHE_ENTRIES) map.delete(map.keys().next().value!);
    return value;
  };
  return {
    editor(key, load) {
      const known = editors.get(key);
      if (known) return known;
      const loaded = load();
      // Only a loaded editor: "no such rule" and a broken revision are cheap to say again, and rare.
      return 'view' in loaded ? keep(editors, key, loaded) : loaded;
    },
    unedited(key, now, render) {
      const known = previews.get(key);
      if (known && known.post.dueAt > now) return known;
      const preview = render();
      return preview.status === 'rendered' ? keep(previews, key, preview) : preview;
    },
  };
}

const editorKey = (source: { officeId: string; revisionId: number }, ruleId: string, channelId: string): string => [source.officeId, source.revisionId, ruleId, channelId].join('\n');

/** The caption of `ruleId` on `channelId` in the office's current revision; undefined when there is no revision, rule or channel. */
export async function openTemplate(web: WebContext, officeId: string, ruleId: string, channelId: string, cache?: TemplateEditorCache): Promise<OpenTemplate | undefined> {
  const source = await officeSource(web, officeId);
  if (!source) return undefined;
  const load = (): ReturnType<typeof loadCaptionEditor> => loadCaptionEditor(source, ruleId, channelId, web.clock.now());
  const editor = cache ? cache.editor(editorKey(source, ruleId, channelId), load) : load();
  if (!('view' in editor)) return undefined;
  const inUse = editorCaptionFile(editor);
  return { officeId, ruleId, channelId, source, inUse, editor, target: templateSaveTarget(source.files, officeId, inUse.file, web.source) };
}

/**
 * The edit rendered as it would be saved: the same file, in the office's own layer.
 * With `cache`, an edit of the current revision is rendered with its loaded editor, and the unedited text's result is reused.
 */
export function previewTemplate(open: OpenTemplate, text: string, now: Date, source: OfficeFilesSource = open.source, cache?: TemplateEditorCache): CaptionPreview {
  const edit = { ruleId: open.ruleId, channelId: open.channelId, source: text, file: open.inUse.file, layer: 'office' as const };
  if (!cache || source !== open.source) return previewCaptionTemplate(source, edit, { now });
  const render = (): CaptionPreview => previewCaptionEdit(open.editor, edit, { now });
  return text === open.inUse.source ? cache.unedited(editorKey(open.source, open.ruleId, open.channelId), now, render) : render();
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
